package preferences

import (
	"context"
	"crypto/sha256"
	"time"
)

// scheduledRunsKept is how long the claims of scheduled runs are kept (for operators
// asking who ran what).
const scheduledRunsKept = 30 * 24 * time.Hour

// ClaimScheduledRun claims the run of job for slot (the slot's hotel-local date and time)
// for owner, leased until now+lease, so that of several instances exactly one runs it.
// The claim of an instance that died before it was done (its lease ended, not marked
// done) is taken over. It tells whether owner holds the claim now.
func (s *Service) ClaimScheduledRun(ctx context.Context, job, slot, owner string, now time.Time, lease time.Duration) (bool, error) {
	var won bool
	err := s.repo.Write(ctx, func(tx Tx) (err error) {
		if won, err = tx.InsertScheduledRun(ctx, job, slot, owner, now, now.Add(lease)); err != nil || won {
			if won {
				err = tx.DeleteScheduledRunsBefore(ctx, now.Add(-scheduledRunsKept))
			}
			return err
		}
		won, err = tx.TakeOverScheduledRun(ctx, job, slot, owner, now, now.Add(lease))
		return err
	})
	return won && err == nil, err
}

// FinishScheduledRun marks owner's run of job for slot done at now: nobody takes it over.
func (s *Service) FinishScheduledRun(ctx context.Context, job, slot, owner string, now time.Time) error {
	return s.repo.Write(ctx, func(tx Tx) error { return tx.FinishScheduledRun(ctx, job, slot, owner, now) })
}

// ThrottleRule says when a throttled key is blocked: after Limit failures within Window
// (0: never, the failures are only counted), for Block.
type ThrottleRule struct {
	Limit         int
	Window, Block time.Duration
}

// signInKey is the stored form of a sign-in throttle's key (a client address, a name):
// its SHA-256, so the table names nobody.
func signInKey(key string) []byte {
	sum := sha256.Sum256([]byte("signin\x00" + key))
	return sum[:]
}

// SignInBlocked returns how much longer key is blocked at now; 0 when it is not. The
// throttles are in the database, so every instance sees the same blocks.
func (s *Service) SignInBlocked(ctx context.Context, key string, now time.Time) (time.Duration, error) {
	th, err := staffRead(ctx, s.repo, func(tx Tx) (SignInThrottle, error) { return tx.SignInThrottleByKey(ctx, signInKey(key)) })
	if err != nil || !th.BlockedUntil.After(now) {
		return 0, err
	}
	return th.BlockedUntil.Sub(now), nil
}

// SignInFailed records a failed sign-in for key at now and blocks key when rule says
// so; the failures counted then start again.
func (s *Service) SignInFailed(ctx context.Context, key string, now time.Time, rule ThrottleRule) error {
	return s.repo.Write(ctx, func(tx Tx) error {
		k := signInKey(key)
		th, err := tx.LockSignInThrottle(ctx, k, now)
		if err != nil {
			return err
		}
		th.Failures = append(recentFailures(th.Failures, now.Add(-rule.Window)), now)
		if rule.Limit > 0 && len(th.Failures) >= rule.Limit {
			th.BlockedUntil, th.Failures = now.Add(rule.Block), nil
		}
		if err := tx.SaveSignInThrottle(ctx, k, th, now); err != nil {
			return err
		}
		// Keys without a failure in the window nor a block are forgotten.
		return tx.DeleteIdleSignInThrottles(ctx, now.Add(-max(rule.Window, rule.Block)))
	})
}

// SignInFailures counts key's failed sign-ins within window before now.
func (s *Service) SignInFailures(ctx context.Context, key string, now time.Time, window time.Duration) (int, error) {
	th, err := staffRead(ctx, s.repo, func(tx Tx) (SignInThrottle, error) { return tx.SignInThrottleByKey(ctx, signInKey(key)) })
	return len(recentFailures(th.Failures, now.Add(-window))), err
}

// ResetSignIn forgets key's failures after a successful sign-in; an active block stays.
func (s *Service) ResetSignIn(ctx context.Context, key string, now time.Time) error {
	return s.repo.Write(ctx, func(tx Tx) error {
		k := signInKey(key)
		if th, err := tx.SignInThrottleByKey(ctx, k); err != nil || len(th.Failures) == 0 {
			return err // nothing to forget: no row is made for it
		}
		th, err := tx.LockSignInThrottle(ctx, k, now)
		if err != nil {
			return err
		}
		th.Failures = nil
		return tx.SaveSignInThrottle(ctx, k, th, now)
	})
}

// recentFailures keeps the failures after since.
func recentFailures(fails []time.Time, since time.Time) []time.Time {
	out := fails[:0]
	for _, f := range fails {
		if f.After(since) {
			out = append(out, f)
		}
	}
	return out
}

// KioskSession is a guest's session at a kiosk, from identification to check-in.
type KioskSession struct {
	Device  string
	GuestID string
	Nights  int
}

// StartKioskSession opens a session for the guest at device at now and returns its
// fresh random id (the store keeps its SHA-256 only); sessions idle for idle are swept.
func (s *Service) StartKioskSession(ctx context.Context, sess KioskSession, now time.Time, idle time.Duration) (string, error) {
	id, hash := newBearer("")
	err := s.repo.Write(ctx, func(tx Tx) error {
		if err := tx.DeleteKioskSessionsIdleSince(ctx, now.Add(-idle)); err != nil {
			return err
		}
		return tx.InsertKioskSession(ctx, StoredKioskSession{Hash: hash, Device: sess.Device, GuestID: sess.GuestID,
			Nights: sess.Nights, SeenAt: now})
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// TouchKioskSession returns device's live session id and marks it used at now;
// EUNAUTHORIZED when it is unknown, ended, idle for idle, or another kiosk's.
func (s *Service) TouchKioskSession(ctx context.Context, id, device string, now time.Time, idle time.Duration) (KioskSession, error) {
	var stored StoredKioskSession
	err := s.repo.Write(ctx, func(tx Tx) (err error) {
		stored, err = tx.TouchKioskSession(ctx, bearerHash(id), device, now.Add(-idle), now)
		return err
	})
	if ErrorCode(err) == ENOTFOUND {
		return KioskSession{}, Errorf(EUNAUTHORIZED, "This session has ended. Please start again.")
	}
	return KioskSession{Device: stored.Device, GuestID: stored.GuestID, Nights: stored.Nights}, err
}

// EndKioskSession closes a session; an unknown id is not an error.
func (s *Service) EndKioskSession(ctx context.Context, id string) error {
	return s.repo.Write(ctx, func(tx Tx) error { return tx.DeleteKioskSession(ctx, bearerHash(id)) })
}
