package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"

	"regulars/preferences"
)

// house is the set of open stays exactly as it was at one version of them (read in the
// same statement as the version, or derived from such a set by the changes this process
// committed), placed in the rooms as of roomsGen. Never modified once published: a
// change makes a new one.
type house struct {
	version  uint64
	roomsGen uint64
	rooms    *roomList
	guests   [][]string        // see guest; chunks are shared between houses
	others   map[string]string // open stays in rooms not in rooms (another process added them): room → guest
	// recent are the last changes of rooms that led to this set from the one at
	// version since, in order; each has the version it led to (one a version for this
	// process's changes; the changes a read anew found, all at its version).
	recent []stayChange
	since  uint64
	free   func() []preferences.Room // built on first use
}

// stayChange is a check-in (guest set) or check-out (guest "") of a room; version is
// the open stays' version it led to. Room -1 marks a version that changed no room.
type stayChange struct {
	version uint64
	room    int // index in the house's rooms
	guest   string
}

// houseChunk is how many rooms' guests a house keeps in one slice: a change copies one
// chunk and the list of chunks (about 1 KB), not every room's guest.
const houseChunk = 32

// newGuests returns the chunks of guests for n rooms, all free.
func newGuests(n int) [][]string {
	all := make([]string, n)
	out := make([][]string, 0, (n+houseChunk-1)/houseChunk)
	for lo := 0; lo < n; lo += houseChunk {
		hi := min(lo+houseChunk, n)
		out = append(out, all[lo:hi:hi])
	}
	return out
}

// guest returns the guest in room i of h.rooms.list, "" when the room is free.
func (h *house) guest(i int) string { return h.guests[i/houseChunk][i%houseChunk] }

// withGuest returns h's guests with room i's guest set, sharing the other chunks.
func (h *house) withGuest(i int, guestID string) [][]string {
	out := slices.Clone(h.guests)
	c := slices.Clone(out[i/houseChunk])
	c[i%houseChunk] = guestID
	out[i/houseChunk] = c
	return out
}

// maxRecentChanges bounds house.recent: a board or suggestion set more changes behind
// is built afresh.
const maxRecentChanges = 16

// changesSince returns the changes that lead from the set at version v to h, false
// when h does not know them (v too old, or in the middle of the changes a read found).
func (h *house) changesSince(v uint64) ([]stayChange, bool) {
	if v == h.version {
		return nil, true
	}
	if v > h.version || v < h.since {
		return nil, false
	}
	i, _ := slices.BinarySearchFunc(h.recent, v+1, func(c stayChange, v uint64) int { return cmp.Compare(c.version, v) })
	if v != h.since && (i == 0 || h.recent[i-1].version != v) {
		return nil, false
	}
	return h.recent[i:], true
}

// withRecent sets h's recent changes: prev's followed by more (all leading to h), the
// oldest dropped, whole versions at a time, beyond maxRecentChanges.
func (h *house) withRecent(prev *house, more ...stayChange) {
	recent, since := prev.recent, prev.since
	if len(recent) == 0 {
		since = prev.version
	}
	for len(recent) > 0 && len(recent)+len(more) > maxRecentChanges {
		since = recent[0].version
		for len(recent) > 0 && recent[0].version == since {
			recent = recent[1:]
		}
	}
	if len(more) > maxRecentChanges {
		h.recent, h.since = nil, h.version
		return
	}
	h.recent = append(append(make([]stayChange, 0, len(recent)+len(more)), recent...), more...)
	h.since = since
}

// roomChanges returns the changes of rooms from prev to h (both placed in the same rooms,
// none elsewhere), at most maxRecentChanges (false when there are more), or a mark
// that none changed.
func (h *house) roomChanges(prev *house) ([]stayChange, bool) {
	if prev.rooms != h.rooms || len(prev.others) > 0 || len(h.others) > 0 {
		return nil, false
	}
	var out []stayChange
	for i := range h.rooms.list {
		was, is := prev.guest(i), h.guest(i)
		if was == is {
			continue
		}
		if was != "" {
			out = append(out, stayChange{h.version, i, ""})
		}
		if is != "" {
			out = append(out, stayChange{h.version, i, is})
		}
		if len(out) > maxRecentChanges {
			return nil, false
		}
	}
	if len(out) == 0 {
		out = append(out, stayChange{h.version, -1, ""})
	}
	return out, true
}

// newHouse completes a house with its lazily built free rooms.
func newHouse(h *house) *house {
	h.free = sync.OnceValue(func() []preferences.Room {
		free := make([]preferences.Room, 0, len(h.rooms.list)-h.occupied()+len(h.others))
		for i := range h.rooms.list {
			if h.guest(i) == "" {
				free = append(free, h.rooms.list[i])
			}
		}
		return free
	})
	return h
}

// occupied counts the open stays.
func (h *house) occupied() int {
	n := len(h.others)
	for i := range h.rooms.list {
		if h.guest(i) != "" {
			n++
		}
	}
	return n
}

// houseCache holds the latest house.
type houseCache struct {
	mu sync.Mutex
	h  *house // nil until the first read
}

// cachedHouse returns the open stays at version or later, placed in the rooms as of
// roomsGen or later (both read before the call), reading them again only when the
// cached set is older.
func (db *DB) cachedHouse(ctx context.Context, roomsGen, version uint64) (*house, error) {
	c := &db.reads.house
	c.mu.Lock()
	defer c.mu.Unlock()
	if h := c.h; h != nil && h.version >= version && h.roomsGen >= roomsGen {
		return h, nil
	}
	rooms, err := db.cachedRooms(ctx, roomsGen)
	if err != nil {
		return nil, err
	}
	h, err := db.readHouse(ctx, roomsGen, rooms)
	if err != nil {
		return nil, err
	}
	if c.h == nil || h.version >= c.h.version {
		// The board and the suggestions follow what changed, if little did.
		if c.h != nil {
			if changes, ok := h.roomChanges(c.h); ok {
				h.withRecent(c.h, changes...)
			}
		}
		c.h = h
	}
	return h, nil
}

// readHouse reads every open stay and their version in one statement (one snapshot).
// Under a desk's load the open stays were read after each check-in and check-out: one
// step through SQLite costs a fraction of hundreds of rows through database/sql and cgo,
// and the covering index stays_open keeps them in a few pages. (Room numbers are letters,
// digits and dashes, guest IDs letters, digits and "_": neither holds " " or ",".)
func (db *DB) readHouse(ctx context.Context, roomsGen uint64, rooms *roomList) (*house, error) {
	h := &house{roomsGen: roomsGen, rooms: rooms, guests: newGuests(len(rooms.list))}
	var list sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT (`+openStaysVersionQuery+`), group_concat(room || ' ' || guest_id, ',')
		FROM stays INDEXED BY stays_open WHERE check_out IS NULL`).Scan(&h.version, &list)
	if err != nil {
		return nil, err
	}
	h.since = h.version
	if list.String != "" {
		for p := range strings.SplitSeq(list.String, ",") {
			room, guestID, ok := strings.Cut(p, " ")
			if !ok {
				return nil, fmt.Errorf("sqlite: unexpected open stay %q", p)
			}
			if i, ok := rooms.index[room]; ok {
				h.guests[i/houseChunk][i%houseChunk] = guestID
			} else {
				if h.others == nil {
					h.others = map[string]string{}
				}
				h.others[room] = guestID
			}
		}
	}
	return newHouse(h), nil
}

// openStaysVersionTx reads the open stays' version inside a change, after its statement
// on stays (the triggers have bumped it), for stayChanged.
func openStaysVersionTx(ctx context.Context, tx *sql.Tx) (uint64, error) {
	var version uint64
	err := tx.QueryRowContext(ctx, openStaysVersionQuery).Scan(&version)
	return version, err
}

// stayChanged applies a check-in of guestID to room (a check-out when guestID is ""),
// committed by this process, whose transaction read version after its statement on
// stays (a check-in with openStaysVersionTx, a check-out with its follow-ups), to the cached
// open stays when they are exactly at the version before: the one statement bumped it
// by one. It runs on the writer right after the commit (inTxThen), so the changes of a
// group come in version order. Otherwise (another process's change, or a read between
// the commit and this call) it leaves them: a read at the new version reads them anew.
func (db *DB) stayChanged(version uint64, room, guestID string) {
	c := &db.reads.house
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.h
	if h == nil || h.version+1 != version {
		return
	}
	i, ok := h.rooms.index[room]
	if !ok || (guestID == "") == (h.guest(i) == "") {
		return // unknown room, or not the set this change applies to: leave it
	}
	next := &house{version: version, roomsGen: h.roomsGen, rooms: h.rooms, others: h.others,
		guests: h.withGuest(i, guestID)}
	next.withRecent(h, stayChange{version, i, guestID})
	c.h = newHouse(next)
}
