package web

import (
	"context"
	"time"

	"regulars/preferences"
)

// ThrottleStore keeps the sign-in throttles in the database, so that every instance of
// the service counts the same failures and honours the same blocks (preferences.Service).
type ThrottleStore interface {
	SignInBlocked(ctx context.Context, key string, now time.Time) (time.Duration, error)
	SignInFailed(ctx context.Context, key string, now time.Time, rule preferences.ThrottleRule) error
	SignInFailures(ctx context.Context, key string, now time.Time, window time.Duration) (int, error)
	ResetSignIn(ctx context.Context, key string, now time.Time) error
}

// Throttle counts failures per key (a client address, a login name) and blocks a key for
// Rule.Block once it has failed Rule.Limit times within Rule.Window. Scope keeps the keys
// of different throttles apart in the store.
type Throttle struct {
	Store ThrottleStore
	Scope string
	Rule  preferences.ThrottleRule
	Now   func() time.Time
}

func (t *Throttle) key(k string) string { return t.Scope + "\x00" + k }

// Blocked tells how much longer key is blocked; 0 when it is not.
func (t *Throttle) Blocked(ctx context.Context, key string) (time.Duration, error) {
	return t.Store.SignInBlocked(ctx, t.key(key), t.Now())
}

// Fail records a failure for key, blocking it when the limit is reached.
func (t *Throttle) Fail(ctx context.Context, key string) error {
	return t.Store.SignInFailed(ctx, t.key(key), t.Now(), t.Rule)
}

// Count returns how many times key failed within the window.
func (t *Throttle) Count(ctx context.Context, key string) (int, error) {
	return t.Store.SignInFailures(ctx, t.key(key), t.Now(), t.Rule.Window)
}

// Reset forgets the failures of key (after a successful sign-in); a block stays.
func (t *Throttle) Reset(ctx context.Context, key string) error {
	return t.Store.ResetSignIn(ctx, t.key(key), t.Now())
}
