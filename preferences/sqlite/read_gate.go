package sqlite

import "context"

// readGate admits the hot reads (look-up, recognition card, housekeeping board) to the
// read pool first come, first served, at most one per connection. database/sql hands a
// freed connection to a random waiter: with 32 desks and tablets waiting for 4
// connections some requests waited many times longer than the rest, which set the p99.
// A channel's blocked senders are served in order. Each hot read uses one connection at
// a time, so holders never wait for each other.
type readGate chan struct{}

func newReadGate(n int) readGate { return make(readGate, n) }

// enter waits for a turn; ctx ending first gives up.
func (g readGate) enter(ctx context.Context) error {
	select {
	case g <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g readGate) leave() { <-g }
