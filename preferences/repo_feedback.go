package preferences

import "context"

// FeedbackRepo keeps feedback, follow-ups, notes to departments, the housekeeping
// board's rows and its reads.
type FeedbackRepo interface {
	// InsertFollowUp stores a follow-up of the guest, by createdBy.
	InsertFollowUp(ctx context.Context, guestID, createdBy string, f FollowUp) error
	// OpenFollowUps lists the guest's follow-ups not yet done, oldest first.
	OpenFollowUps(ctx context.Context, guestID string) ([]FollowUp, error)
	// InsertNote stores a note.
	InsertNote(ctx context.Context, n Note) error
	// GuestNotes lists the guest's notes, newest first.
	GuestNotes(ctx context.Context, guestID string) ([]Note, error)
}
