// Package shiftclock is the real clock moved by an offset: the store's "now" on
// another day while time still passes (tests moving days; the demo hotel's history).
package shiftclock

import (
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
)

// Clock is the real clock shifted by an offset; timers and tickers run on real time.
type Clock struct {
	clockwork.Clock
	offset atomic.Int64
}

// New returns the real clock, unshifted.
func New() *Clock { return &Clock{Clock: clockwork.NewRealClock()} }

// Shift sets the offset from the real time (0: the real time again).
func (c *Clock) Shift(d time.Duration) { c.offset.Store(int64(d)) }

// Set shifts the clock so that it reads t now.
func (c *Clock) Set(t time.Time) { c.Shift(t.Sub(c.Clock.Now())) }

// Now is the real time plus the offset.
func (c *Clock) Now() time.Time { return c.Clock.Now().Add(time.Duration(c.offset.Load())) }

// Since is the time passed since t, on the shifted clock.
func (c *Clock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }

// Until is the time until t, on the shifted clock.
func (c *Clock) Until(t time.Time) time.Duration { return t.Sub(c.Now()) }
