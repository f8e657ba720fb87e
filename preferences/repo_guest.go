package preferences

// GuestRepo keeps guests, their documents, consent, preferences and their history, idempotent answers kept with a creation.
type GuestRepo interface {
}
