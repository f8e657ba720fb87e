package web

import (
	"sync"
	"time"
)

// Throttle counts failures per key (a client address, a login name) and blocks a key for
// a while once it has failed Limit times within Window. It lives in memory: a restart
// forgets it, which is acceptable for slowing down password guessing at a hotel desk.
type Throttle struct {
	Limit  int           // failures within Window before the key is blocked; 0: never (Count only)
	Window time.Duration // how long failures are remembered
	Block  time.Duration // how long a blocked key stays blocked
	Now    func() time.Time

	mu   sync.Mutex
	keys map[string]*throttleEntry
}

type throttleEntry struct {
	fails   []time.Time
	blocked time.Time // blocked until
}

// maxThrottleKeys bounds memory; beyond it stale entries are dropped.
const maxThrottleKeys = 10000

// Blocked reports whether key is blocked now and for how much longer.
func (t *Throttle) Blocked(key string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.keys[key]
	if e == nil {
		return false, 0
	}
	if left := e.blocked.Sub(t.Now()); left > 0 {
		return true, left
	}
	return false, 0
}

// Fail records a failure for key, blocking it when the limit is reached.
func (t *Throttle) Fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	if t.keys == nil {
		t.keys = map[string]*throttleEntry{}
	}
	if len(t.keys) >= maxThrottleKeys {
		t.prune(now)
	}
	e := t.keys[key]
	if e == nil {
		e = &throttleEntry{}
		t.keys[key] = e
	}
	e.fails = append(recent(e.fails, now.Add(-t.Window)), now)
	if t.Limit > 0 && len(e.fails) >= t.Limit {
		e.blocked = now.Add(t.Block)
		e.fails = nil
	}
}

// Count returns how many times key failed within Window.
func (t *Throttle) Count(key string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.keys[key]
	if e == nil {
		return 0
	}
	e.fails = recent(e.fails, t.Now().Add(-t.Window))
	return len(e.fails)
}

// Reset forgets the failures of key (after a successful sign-in).
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.keys[key]; e != nil && !e.blocked.After(t.Now()) {
		delete(t.keys, key)
	}
}

func (t *Throttle) prune(now time.Time) {
	for k, e := range t.keys {
		if e.blocked.Before(now) && len(recent(e.fails, now.Add(-t.Window))) == 0 {
			delete(t.keys, k)
		}
	}
}

func recent(ts []time.Time, since time.Time) []time.Time {
	out := ts[:0]
	for _, x := range ts {
		if x.After(since) {
			out = append(out, x)
		}
	}
	return out
}
