package sqlite

import (
	"context"
	"sync"
	"sync/atomic"

	"regulars/preferences"
)

// readCache holds the results of hot reads that depend on many rows but change rarely:
// the open stays, the free rooms every recognition card ranks, the ranked suggestions
// and the housekeeping board. Each is checked on every read against what it depends on:
// the set of open stays (the version the triggers of migration 0007 keep, which also
// sees check-ins by any process), the rooms table (PutRoom, the only writer of rooms,
// calls roomsChanged), and for the board the rows of the guests on it (SetPreferences,
// AddNote and EraseGuest, the only writers of preferences and notes, call guestChanged).
// A check-in or check-out committed by this process is applied to the cached open
// stays as a change of one room (stayChanged) when they are exactly at the version
// before it; the board and the suggestions follow such changes room by room. A result
// is never older than the last acknowledged change.
type readCache struct {
	roomsGen atomic.Uint64     // changes to the rooms table so far
	boardGen atomic.Uint64     // changes to what an in-house guest's board row shows
	rooms    cached[*roomList] // every room, occupancy ignored
	house    houseCache        // the open stays
	board    boardCache
	suggest  suggestionCache
}

// roomsChanged marks the free rooms stale after a change to the rooms table.
func (db *DB) roomsChanged() { db.reads.roomsGen.Add(1) }

// cached is one cached read. Callers must not modify the value they get.
type cached[T any] struct {
	mu  sync.Mutex
	gen uint64
	ok  bool
	val T
}

// getAt returns the value loaded at generation g, loading it when it was loaded at
// another. The caller reads g before loading, so a change committed meanwhile makes the
// next call load again. Concurrent misses wait for one load.
func (c *cached[T]) getAt(g uint64, load func() (T, error)) (T, error) {
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

// openStaysVersionQuery reads the version of the set of open stays (migration 0007),
// which every change to an open stay bumps.
const openStaysVersionQuery = `SELECT n FROM open_stays_version WHERE id = 1`

func (db *DB) openStaysVersion(ctx context.Context) (uint64, error) {
	var version uint64
	err := db.read.QueryRowContext(ctx, openStaysVersionQuery).Scan(&version)
	return version, err
}

// roomList is every room (occupancy ignored) in the board's order, by floor and number,
// with the index of each room number. Never modified once loaded.
type roomList struct {
	list  []preferences.Room
	index map[string]int
}

// floor returns the floor of the room numbered number, 0 when there is no such room.
func (rl *roomList) floor(number string) int {
	if i, ok := rl.index[number]; ok {
		return rl.list[i].Floor
	}
	return 0
}

// cachedRooms returns every room (occupancy ignored) as of rooms, db.reads.roomsGen read
// before the call.
func (db *DB) cachedRooms(ctx context.Context, rooms uint64) (*roomList, error) {
	return db.reads.rooms.getAt(rooms, func() (*roomList, error) {
		list, err := db.rooms(ctx, db.read)
		if err != nil {
			return nil, err
		}
		return newRoomList(list), nil
	})
}

// newRoomList indexes list, the rooms as db.rooms reads them, and clears their occupancy.
func newRoomList(list []preferences.Room) *roomList {
	rl := &roomList{list: list, index: make(map[string]int, len(list))}
	for i := range list {
		list[i].Occupied = false
		rl.index[list[i].Number] = i
	}
	return rl
}
