package preferences

import (
	"context"
	"time"
)

// SessionStore keeps staff web sessions. Only a hash of a session id is stored.
type SessionStore interface {
	// CreateSession starts a session for a staff user (an Actor from Authenticate) that
	// ends at the latest after lifetime, and returns its fresh random id.
	CreateSession(ctx context.Context, actor Actor, lifetime time.Duration) (string, error)
	// SessionActor returns the staff member of a live session and marks it as used;
	// EUNAUTHORIZED when the id is unknown, the session was idle longer than idle, has
	// passed its lifetime, or the user was disabled.
	SessionActor(ctx context.Context, id string, idle time.Duration) (Actor, error)
	// DeleteSession ends a session (logout); an unknown id is not an error.
	DeleteSession(ctx context.Context, id string) error
}
