package kiosk

import (
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// throttle counts failed identifications per kiosk. max failures within window lock the
// kiosk out for window; the lock-out is also recorded for the front desk.
type throttle struct {
	mu       sync.Mutex
	clock    clockwork.Clock
	max      int
	window   time.Duration
	failures map[string][]time.Time
	until    map[string]time.Time
}

func newThrottle(clock clockwork.Clock, max int, window time.Duration) *throttle {
	return &throttle{clock: clock, max: max, window: window, failures: map[string][]time.Time{}, until: map[string]time.Time{}}
}

// locked reports whether device is locked out now, and until when.
func (t *throttle) locked(device string) (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	u, ok := t.until[device]
	if ok && t.clock.Now().Before(u) {
		return u, true
	}
	delete(t.until, device)
	return time.Time{}, false
}

// fail records a failure; it returns the end of a lock-out when this failure starts one.
func (t *throttle) fail(device string) (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock.Now()
	recent := t.failures[device][:0]
	for _, at := range t.failures[device] {
		if now.Sub(at) < t.window {
			recent = append(recent, at)
		}
	}
	recent = append(recent, now)
	if len(recent) >= t.max {
		delete(t.failures, device)
		t.until[device] = now.Add(t.window)
		return now.Add(t.window), true
	}
	t.failures[device] = recent
	return time.Time{}, false
}

// succeed forgets device's failures.
func (t *throttle) succeed(device string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, device)
}
