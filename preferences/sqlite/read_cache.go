package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"regulars/preferences"
)

// readCache holds the results of hot reads that depend on many rows but change rarely:
// the open stays, the free rooms every recognition card ranks, and the housekeeping
// board. Each is checked on every read against what it depends on: the set of open stays
// (the version the triggers of migration 0007 keep, which also sees check-ins by any
// process), the rooms table (PutRoom, the only writer of rooms, calls roomsChanged), and for the
// board the rows of the guests on it (SetPreferences, AddNote and EraseGuest, the
// only writers of preferences and notes, call guestChanged). A result is never older
// than the last acknowledged change.
type readCache struct {
	roomsGen atomic.Uint64              // changes to the rooms table so far
	boardGen atomic.Uint64              // changes to what an in-house guest's board row shows
	rooms    cached[[]preferences.Room] // every room, occupancy ignored
	open     cached[openStays]          // at the open stays' version
	free     cached[[]preferences.Room]
	board    cached[boardSnapshot]
	suggest  suggestionCache
}

// boardSnapshot is the housekeeping board, the guests on it, and each in-house guest's
// row kept across reloads (a check-in reads only the new guest's row).
type boardSnapshot struct {
	rooms  []preferences.HousekeepingRoom
	guests map[string]bool
	rows   map[string]preferences.HousekeepingRoom
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

// inHouseKey identifies the set of open stays, combined with a change counter: the
// version kept by the triggers of migration 0007 changes whenever a stay is opened, an
// open one changes or closes, by this process or another. (The bits do not overlap for
// fewer than 2^48 such changes and 2^16 counter changes.) Read the counter before the
// version.
func inHouseKey(counter, version uint64) uint64 { return counter<<48 ^ version }

// openStaysVersionQuery reads the version of the set of open stays (see inHouseKey).
const openStaysVersionQuery = `SELECT n FROM open_stays_version WHERE id = 1`

func (db *DB) openStaysVersion(ctx context.Context) (uint64, error) {
	var version uint64
	err := db.read.QueryRowContext(ctx, openStaysVersionQuery).Scan(&version)
	return version, err
}

// cachedRooms returns every room (occupancy ignored) as of rooms, db.reads.roomsGen read
// before the call.
func (db *DB) cachedRooms(ctx context.Context, rooms uint64) ([]preferences.Room, error) {
	return db.reads.rooms.getAt(rooms, func() ([]preferences.Room, error) { return db.rooms(ctx, db.read) })
}

// cachedFreeRooms returns the free rooms, rebuilt only when the rooms or the set of
// open stays changed (other writes leave it cached), from the cached rooms and open
// stays. rooms is db.reads.roomsGen and version the open stays' version, both read
// before the call.
func (db *DB) cachedFreeRooms(ctx context.Context, rooms, version uint64) ([]preferences.Room, error) {
	return db.reads.free.getAt(inHouseKey(rooms, version), func() ([]preferences.Room, error) {
		all, err := db.cachedRooms(ctx, rooms)
		if err != nil {
			return nil, err
		}
		open, err := db.cachedOpenStays(ctx, version)
		if err != nil {
			return nil, err
		}
		free := make([]preferences.Room, 0, len(all))
		for _, r := range all {
			if _, occupied := open[r.Number]; !occupied {
				r.Occupied = false
				free = append(free, r)
			}
		}
		return free, nil
	})
}

// openStays maps the room of each stay in progress to its guest.
type openStays map[string]string

// cachedOpenStays returns the open stays, read again only when their version (read
// before the call) changed. The free rooms and the board share them.
func (db *DB) cachedOpenStays(ctx context.Context, version uint64) (openStays, error) {
	return db.reads.open.getAt(version, func() (openStays, error) { return db.openStays(ctx) })
}

// openStays reads every open stay in one row. Under a desk's load the free rooms and the
// board are rebuilt after each check-in and check-out: one step through SQLite costs a
// fraction of hundreds of rows through database/sql and cgo, and the covering index
// stays_open keeps them in a few pages. (Room numbers are letters,
// digits and dashes, guest IDs letters, digits and "_": neither holds " " or ",".)
func (db *DB) openStays(ctx context.Context) (openStays, error) {
	var list sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT group_concat(room || ' ' || guest_id, ',')
		FROM stays INDEXED BY stays_open WHERE check_out IS NULL`).Scan(&list)
	if err != nil || list.String == "" {
		return openStays{}, err
	}
	out := make(openStays, strings.Count(list.String, ",")+1)
	for p := range strings.SplitSeq(list.String, ",") {
		room, guestID, ok := strings.Cut(p, " ")
		if !ok {
			return nil, fmt.Errorf("sqlite: unexpected open stay %q", p)
		}
		out[room] = guestID
	}
	return out, nil
}

// cachedBoard returns the housekeeping board, reloaded when the set of open stays changed,
// a guest on it changed (guestChanged) or the rooms did (a floor).
func (db *DB) cachedBoard(ctx context.Context) ([]preferences.HousekeepingRoom, error) {
	gen, roomsGen := db.reads.boardGen.Load(), db.reads.roomsGen.Load()
	version, err := db.openStaysVersion(ctx)
	if err != nil {
		return nil, err
	}
	c := &db.reads.board
	// Both counters only grow, so their sum changes whenever either does.
	b, err := c.getAt(inHouseKey(gen+roomsGen, version), func() (boardSnapshot, error) {
		rows := c.val.rows // the lock is held: the rows of the previous board
		if rows == nil {
			rows = map[string]preferences.HousekeepingRoom{}
		}
		rooms, guests, err := db.housekeepingBoard(ctx, roomsGen, version, rows)
		return boardSnapshot{rooms: rooms, guests: guests, rows: rows}, err
	})
	return b.rooms, err
}

// guestChanged drops the guest's board row and marks the board stale when the guest is
// on it. Every write that changes what a board row shows (preferences, notes, erasure)
// calls it after committing. It waits for a board load in progress, so a row read
// before the change is never kept.
func (db *DB) guestChanged(guestID string) {
	c := &db.reads.board
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.val.rows, guestID)
	if c.ok && c.val.guests[guestID] {
		db.reads.boardGen.Add(1)
	}
}

// suggestionCache keeps the best free rooms per ranking key (preferences.RankingKey) for
// one set of free rooms: guests share room preferences far more often than whole
// preferences (half have none), and ranking the free rooms was a tenth of a card's work.
// Callers must not modify what they get.
type suggestionCache struct {
	mu  sync.Mutex
	key uint64 // the free rooms' inHouseKey
	m   map[string][]preferences.SuggestedRoom
}

// maxSuggestionSets bounds the cache (about 2 KB a set, 8 MB in all). At a million
// guests the 4,096 most common ranking keys cover 96 % of them.
const maxSuggestionSets = 4096

// bestRooms returns preferences.BestRooms(p, free, MaxSuggestedRooms) for free as
// cached at key, ranking only on a miss.
func (db *DB) bestRooms(key uint64, p preferences.Preferences, free []preferences.Room) []preferences.SuggestedRoom {
	rank := preferences.RankingKey(p)
	c := &db.reads.suggest
	c.mu.Lock()
	if c.key != key || c.m == nil {
		c.key, c.m = key, map[string][]preferences.SuggestedRoom{}
	}
	best, ok := c.m[rank]
	c.mu.Unlock()
	if ok {
		return best
	}
	best = preferences.BestRooms(p, free, MaxSuggestedRooms)
	c.mu.Lock()
	if c.key == key {
		c.evict()
		c.m[rank] = best
	}
	c.mu.Unlock()
	return best
}

// evict drops an eighth of a full cache, picked by Go's random map order, so that the
// common keys (asked for most often) are soon back and the cache never starts empty.
func (c *suggestionCache) evict() {
	if len(c.m) < maxSuggestionSets {
		return
	}
	for k := range c.m {
		delete(c.m, k)
		if len(c.m) <= maxSuggestionSets*7/8 {
			return
		}
	}
}
