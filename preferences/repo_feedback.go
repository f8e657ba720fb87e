package preferences

// FeedbackRepo keeps feedback, follow-ups, notes, the housekeeping board's rows and its reads.
type FeedbackRepo interface {
}
