package preferences

import (
	"context"
	"time"
)

// OutreachRepo keeps the outreach candidates and the outbox of letters.
type OutreachRepo interface {
	// BirthdayCandidates and LapseCandidates select the day's candidates.
	OutreachCandidates
	// OutreachCandidateByID returns one guest, erased or not, as the rules see it on day
	// ("YYYY-MM-DD", for arrivals ahead), with their messages of kind; ENOTFOUND for an
	// unknown ID.
	OutreachCandidateByID(ctx context.Context, kind OutreachKind, guestID, day string) (OutreachCandidate, error)

	// InsertOutreachMessage stores m with its address key ("" for none) unless a message
	// of the same guest, occasion and period, or address, occasion and period, exists;
	// it tells whether it stored m.
	InsertOutreachMessage(ctx context.Context, m OutreachMessage, address string) (bool, error)
	// DueOutreachMessages returns up to limit queued messages whose next attempt is at or
	// before now, the earliest first.
	DueOutreachMessages(ctx context.Context, now time.Time, limit int) ([]OutreachMessage, error)
	// ClaimOutreachMessage moves message id from queued and due at now to sending for
	// owner until leaseUntil, counting the attempt; false when it is not queued and due
	// (any more), or another sender is claiming it at this moment.
	ClaimOutreachMessage(ctx context.Context, id, owner string, now, leaseUntil time.Time) (bool, error)
	// FailQueuedOutreachMessage marks message id failed with lastError, if still queued.
	FailQueuedOutreachMessage(ctx context.Context, id, lastError string, now time.Time) error
	// FinishOutreachMessage records the outcome of owner's attempt at message id (sending,
	// or unknown since a recovery); sentAt is set when sent.
	FinishOutreachMessage(ctx context.Context, id, owner string, out OutreachOutcome, sentAt *time.Time, now time.Time) error
	// MarkSendingOutreachUnknown moves every sending message whose lease ended at or
	// before now (or that has none) to unknown with lastError, and counts them.
	MarkSendingOutreachUnknown(ctx context.Context, lastError string, now time.Time) (int, error)
	// OutreachMessageByID returns one message; ENOTFOUND when there is none.
	OutreachMessageByID(ctx context.Context, id string) (OutreachMessage, error)
	// OutreachMessagesByStatus lists up to limit messages, newest first (then by ID), all
	// of them or those with status.
	OutreachMessagesByStatus(ctx context.Context, status string, limit int) ([]OutreachMessage, error)
	// OutreachCountsByStatus counts the messages of each status present.
	OutreachCountsByStatus(ctx context.Context) (map[string]int, error)
	// OldestQueuedOutreachAt is when the oldest queued message was created; nil when none is.
	OldestQueuedOutreachAt(ctx context.Context) (*time.Time, error)
}
