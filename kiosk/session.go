package kiosk

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/preferences"
)

// session is one guest at one kiosk, from identification to check-in. Sessions live in
// memory only: a restarted service forgets them, and the guest starts again (the page
// goes back to the start screen on 401).
type session struct {
	device  string
	guestID string
	nights  int
	seen    time.Time
}

// sessions holds the open sessions, ending each after idle time without a request.
type sessions struct {
	mu    sync.Mutex
	clock clockwork.Clock
	idle  time.Duration
	byID  map[string]*session
}

func newSessions(clock clockwork.Clock, idle time.Duration) *sessions {
	return &sessions{clock: clock, idle: idle, byID: map[string]*session{}}
}

// start opens a session for device and returns its random id.
func (s *sessions) start(sess session) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep()
	sess.seen = s.clock.Now()
	s.byID[id] = &sess
	return id
}

// touch returns the live session id of device and marks it active, EUNAUTHORIZED when
// it is unknown, ended, idle too long, or belongs to another kiosk.
func (s *sessions) touch(id, device string) (session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.byID[id]
	now := s.clock.Now()
	if ok && now.Sub(sess.seen) >= s.idle {
		delete(s.byID, id)
		ok = false
	}
	if !ok || sess.device != device {
		return session{}, preferences.Errorf(preferences.EUNAUTHORIZED, "This session has ended. Please start again.")
	}
	sess.seen = now
	return *sess, nil
}

// end closes a session.
func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, id)
}

// sweep drops idle sessions; the caller holds mu.
func (s *sessions) sweep() {
	now := s.clock.Now()
	for id, sess := range s.byID {
		if now.Sub(sess.seen) >= s.idle {
			delete(s.byID, id)
		}
	}
}
