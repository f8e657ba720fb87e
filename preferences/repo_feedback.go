package preferences

import (
	"context"
	"time"
)

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

	// InsertFeedback stores new feedback (StayID "" for none).
	InsertFeedback(ctx context.Context, f Feedback) error
	// FeedbackByID returns feedback of a guest not erased; ENOTFOUND otherwise.
	FeedbackByID(ctx context.Context, id string) (FeedbackRow, error)
	// FeedbackByStatus lists up to limit feedback of guests not erased with the status
	// ("" for every status), oldest first.
	FeedbackByStatus(ctx context.Context, status string, limit int) ([]FeedbackRow, error)
	// MarkFeedbackResolved resolves feedback that is open; false when it is not (any
	// more), so that of two racing resolutions one wins.
	MarkFeedbackResolved(ctx context.Context, id, resolution string, at time.Time, by string) (bool, error)
	// FollowUpByID returns a follow-up of a guest not erased, with the guest's ID;
	// ENOTFOUND otherwise.
	FollowUpByID(ctx context.Context, id string) (guestID string, f FollowUp, err error)
	// MarkFollowUpDone marks a follow-up done that is not; false when it is (any more).
	MarkFollowUpDone(ctx context.Context, id string, at time.Time, by string) (bool, error)
}

// FeedbackRow is stored feedback as the repository gives it: the feedback with its first
// follow-up, and its guest's ID and names (the use case derives the name shown and the
// age).
type FeedbackRow struct {
	Feedback Feedback
	Guest    Guest // ID, FamilyName, GivenName and Salutation only
}
