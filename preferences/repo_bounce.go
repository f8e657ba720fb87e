package preferences

import (
	"context"
	"time"
)

// BounceRepo keeps the bounce log and the stopped addresses, both by the address's
// keyed hash (never the address).
type BounceRepo interface {
	// TakeBounceTurn counts a report of the address; until the transaction ends, another
	// transaction reporting the same address waits (so each sees the other's bounces).
	TakeBounceTurn(ctx context.Context, addressHash string) error
	// InsertBounce stores b unless a bounce of the same address, kind and time exists;
	// it tells whether it stored b.
	InsertBounce(ctx context.Context, b StoredBounce) (bool, error)
	// SoftBounceTimes returns the times of the soft bounces of the address in [from, to],
	// the earliest first.
	SoftBounceTimes(ctx context.Context, addressHash string, from, to time.Time) ([]time.Time, error)
	// MailSuppression returns the address's suppression, lifted or not (liftedAt), and
	// whether there is one.
	MailSuppression(ctx context.Context, addressHash string) (s MailSuppression, liftedAt *time.Time, ok bool, err error)
	// SuppressAddress stops mail to the address from s on (a lifted suppression starts again).
	SuppressAddress(ctx context.Context, addressHash string, s MailSuppression) error
	// LiftSuppression lifts the address's suppression in force at now, by whom; false
	// when none was in force.
	LiftSuppression(ctx context.Context, addressHash, by string, now time.Time) (bool, error)
	// SuppressQueuedOutreachMessage marks message id suppressed with reason, if still queued.
	SuppressQueuedOutreachMessage(ctx context.Context, id, reason string, now time.Time) error
}
