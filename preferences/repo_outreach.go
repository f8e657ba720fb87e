package preferences

// OutreachRepo keeps the outreach candidates and the outbox of letters.
type OutreachRepo interface {
}
