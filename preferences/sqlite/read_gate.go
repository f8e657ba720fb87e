package sqlite

import "context"

// readGate admits the hot reads (look-up, recognition card) to the read pool first
// come, first served, at most one per connection. database/sql hands a
// freed connection to a random waiter: with 32 desks and tablets waiting for 4
// connections some requests waited many times longer than the rest, which set the p99.
// A channel's blocked senders are served in order. Each hot read uses one connection at
// a time, so holders never wait for each other. The board is not gated: it is served
// from its cache, and its readers wait on the cache's lock while one rebuilds it; in
// the gate they would hold turns the cards and look-ups could use.
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
