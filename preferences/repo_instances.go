package preferences

import (
	"context"
	"time"
)

// InstanceRepo keeps what several service instances on one database share beyond the
// data: the claims of scheduled runs, the staff sign-in throttles and the kiosk sessions.
type InstanceRepo interface {
	// InsertScheduledRun claims (job, slot) for owner until leaseUntil unless it is
	// claimed already; it tells whether it stored the claim.
	InsertScheduledRun(ctx context.Context, job, slot, owner string, now, leaseUntil time.Time) (bool, error)
	// TakeOverScheduledRun gives owner the claim of (job, slot) until leaseUntil when the
	// claim is not done and its lease ended at or before now; it tells whether it did.
	TakeOverScheduledRun(ctx context.Context, job, slot, owner string, now, leaseUntil time.Time) (bool, error)
	// FinishScheduledRun marks owner's claim of (job, slot) done at now.
	FinishScheduledRun(ctx context.Context, job, slot, owner string, now time.Time) error
	// DeleteScheduledRunsBefore deletes the claims made before at.
	DeleteScheduledRunsBefore(ctx context.Context, at time.Time) error

	// LockSignInThrottle returns the key's throttle, created empty at now if needed,
	// and locks its row for the transaction (PostgreSQL; SQLite has one writer).
	LockSignInThrottle(ctx context.Context, key []byte, now time.Time) (SignInThrottle, error)
	// SaveSignInThrottle stores the key's throttle.
	SaveSignInThrottle(ctx context.Context, key []byte, th SignInThrottle, now time.Time) error
	// SignInThrottleByKey returns the key's throttle; an empty one when it has none.
	SignInThrottleByKey(ctx context.Context, key []byte) (SignInThrottle, error)
	// DeleteIdleSignInThrottles deletes the throttles last changed at or before at and
	// not blocked after it, skipping any another transaction holds.
	DeleteIdleSignInThrottles(ctx context.Context, at time.Time) error

	// LockKioskToken locks the kiosk token's row for the transaction (PostgreSQL; SQLite
	// has one writer): instances counting the same kiosk's failures take turns.
	LockKioskToken(ctx context.Context, tokenID string) error

	// InsertKioskSession stores a new kiosk session.
	InsertKioskSession(ctx context.Context, s StoredKioskSession) error
	// TouchKioskSession moves the last use of the device's session whose id hashes to
	// hash to now, if it was used after since, and returns it; ENOTFOUND otherwise.
	TouchKioskSession(ctx context.Context, hash []byte, device string, since, now time.Time) (StoredKioskSession, error)
	// DeleteKioskSession deletes the session whose id hashes to hash, if any.
	DeleteKioskSession(ctx context.Context, hash []byte) error
	// DeleteKioskSessionsIdleSince deletes the sessions last used at or before at.
	DeleteKioskSessionsIdleSince(ctx context.Context, at time.Time) error
}

// SignInThrottle is one key's recent failed sign-ins and the end of its block (the zero
// time when none).
type SignInThrottle struct {
	Failures     []time.Time
	BlockedUntil time.Time
}

// StoredKioskSession is a guest's session at a kiosk as stored: the SHA-256 of its id.
type StoredKioskSession struct {
	Hash    []byte
	Device  string
	GuestID string
	Nights  int
	SeenAt  time.Time
}
