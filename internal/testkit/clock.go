package testkit

import (
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
)

// Clock is the real clock shifted by an offset a test sets: the store's "now" moves to
// another day while time still passes (timers and tickers run on real time).
type Clock struct {
	clockwork.Clock
	offset atomic.Int64
}

// NewClock returns the real clock, unshifted.
func NewClock() *Clock { return &Clock{Clock: clockwork.NewRealClock()} }

// Shift sets the offset from the real time (0: the real time again).
func (c *Clock) Shift(d time.Duration) { c.offset.Store(int64(d)) }

// Now is the real time plus the offset.
func (c *Clock) Now() time.Time { return c.Clock.Now().Add(time.Duration(c.offset.Load())) }

// Since is the time passed since t, on the shifted clock.
func (c *Clock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }

// Until is the time until t, on the shifted clock.
func (c *Clock) Until(t time.Time) time.Duration { return t.Sub(c.Now()) }
