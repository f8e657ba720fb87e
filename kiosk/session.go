package kiosk

import (
	"context"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/preferences"
)

// sessionStore keeps the guests' sessions at the kiosks in the database, so that any
// instance of the service carries on a session another began, and a restart keeps them.
type sessionStore interface {
	StartKioskSession(ctx context.Context, sess preferences.KioskSession, now time.Time, idle time.Duration) (string, error)
	TouchKioskSession(ctx context.Context, id, device string, now time.Time, idle time.Duration) (preferences.KioskSession, error)
	EndKioskSession(ctx context.Context, id string) error
}

// sessions opens, uses and ends the guests' sessions, one guest at one kiosk from
// identification to check-in, each ending after idle time without a request.
type sessions struct {
	store sessionStore
	clock clockwork.Clock
	idle  time.Duration
}

// start opens a session and returns its random id.
func (s *sessions) start(ctx context.Context, sess preferences.KioskSession) (string, error) {
	return s.store.StartKioskSession(ctx, sess, s.clock.Now(), s.idle)
}

// touch returns the live session id of device and marks it active, EUNAUTHORIZED when
// it is unknown, ended, idle too long, or belongs to another kiosk.
func (s *sessions) touch(ctx context.Context, id, device string) (preferences.KioskSession, error) {
	return s.store.TouchKioskSession(ctx, id, device, s.clock.Now(), s.idle)
}

// end closes a session.
func (s *sessions) end(ctx context.Context, id string) error { return s.store.EndKioskSession(ctx, id) }
