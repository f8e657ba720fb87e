package sqlite

import (
	"context"
	"sync"
	"sync/atomic"

	"regulars/preferences"
)

// readCache holds the results of hot reads that depend on many rows but change rarely
// (the free rooms every recognition card ranks, the housekeeping board), each valid
// until the next change this process commits. Every write of the service goes through
// this DB (inTx, or a direct write that calls changed), so a cached result is never
// older than the last acknowledged change.
type readCache struct {
	gen   atomic.Uint64 // committed changes so far
	free  cached[[]preferences.Room]
	board cached[[]preferences.HousekeepingRoom]
}

// changed marks every cached read stale; call it after each committed change.
func (db *DB) changed() { db.reads.gen.Add(1) }

// cached is one cached read. Callers must not modify the value they get.
type cached[T any] struct {
	mu  sync.Mutex
	gen uint64
	ok  bool
	val T
}

// get returns the value loaded at the current generation, loading it when stale. The
// generation is read before loading, so a change committed meanwhile makes the next
// get load again. Concurrent misses wait for one load.
func (c *cached[T]) get(db *DB, load func() (T, error)) (T, error) {
	g := db.reads.gen.Load()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ok && c.gen == g {
		return c.val, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.val, c.gen, c.ok = v, g, true
	return v, nil
}

// cachedFreeRooms returns the free rooms as of the last committed change.
func (db *DB) cachedFreeRooms(ctx context.Context) ([]preferences.Room, error) {
	return db.reads.free.get(db, func() ([]preferences.Room, error) { return db.freeRooms(ctx, db.read) })
}
