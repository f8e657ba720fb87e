package sqlite

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"
	"sync"

	"regulars/preferences"
)

// HousekeepingBoard lists the occupied rooms by floor and number, each with the
// guest's allergies (most severe first), laundry and amenity instructions and the notes
// addressed to housekeeping. Nothing else about the guest is read.
func (db *DB) HousekeepingBoard(ctx context.Context) ([]preferences.HousekeepingRoom, error) {
	return db.cachedBoard(ctx)
}

// boardCache holds the board, built from a house, and the rows of the guests on it,
// kept across builds (a check-in reads only the new guest's row).
type boardCache struct {
	mu       sync.Mutex
	house    *house // the open stays the board shows; nil before the first build
	boardGen uint64 // db.reads.boardGen when built
	rooms    []preferences.HousekeepingRoom
	rows     map[string]preferences.HousekeepingRoom // by guest, only guests on the board
}

// cachedBoard returns the housekeeping board, built again when the open stays changed
// (room by room after this process's check-ins and check-outs), a guest on it changed
// (guestChanged) or the rooms did (a floor).
func (db *DB) cachedBoard(ctx context.Context) ([]preferences.HousekeepingRoom, error) {
	gen, roomsGen := db.reads.boardGen.Load(), db.reads.roomsGen.Load()
	version, err := db.openStaysVersion(ctx)
	if err != nil {
		return nil, err
	}
	c := &db.reads.board
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.house != nil && c.boardGen >= gen && c.house.roomsGen >= roomsGen && c.house.version >= version {
		return c.rooms, nil
	}
	h, err := db.cachedHouse(ctx, roomsGen, version)
	if err != nil {
		return nil, err
	}
	if c.rows == nil {
		c.rows = map[string]preferences.HousekeepingRoom{}
	}
	var board []preferences.HousekeepingRoom
	if changes, ok := c.changesTo(h, gen); ok {
		board, err = db.changedBoard(ctx, c.rooms, h, changes, c.rows)
	} else {
		board, err = db.housekeepingBoard(ctx, h, c.rows)
	}
	if err != nil {
		return nil, err
	}
	c.house, c.boardGen, c.rooms = h, gen, board
	return board, nil
}

// changesTo returns the check-ins and check-outs from the cached board's open stays to
// h, when the board is otherwise current (no guest on it changed since, same rooms).
func (c *boardCache) changesTo(h *house, gen uint64) ([]stayChange, bool) {
	if c.house == nil || c.boardGen < gen || c.house.rooms != h.rooms {
		return nil, false
	}
	return h.changesSince(c.house.version)
}

// housekeepingBoard builds the board of the open stays h, taking each guest's row from
// rows when it is there and reading (and keeping) it otherwise; rows of guests no longer
// in house are dropped. The caller holds the board cache's lock.
func (db *DB) housekeepingBoard(ctx context.Context, h *house, rows map[string]preferences.HousekeepingRoom) ([]preferences.HousekeepingRoom, error) {
	// The rooms come by floor and number, the board's order: no sort.
	out := make([]preferences.HousekeepingRoom, 0, h.occupied())
	for i := range h.rooms.list {
		if guestID := h.guest(i); guestID != "" {
			r := &h.rooms.list[i]
			out = append(out, preferences.HousekeepingRoom{Room: r.Number, Floor: r.Floor, GuestID: guestID})
		}
	}
	if len(h.others) > 0 {
		out = withUnknownRooms(out, h.others)
	}
	for i := range out {
		if err := db.fillBoardRow(ctx, &out[i], rows); err != nil {
			return nil, err
		}
	}
	if len(rows) > len(out) {
		inHouse := make(map[string]bool, len(out))
		for i := range out {
			inHouse[out[i].GuestID] = true
		}
		for id := range rows {
			if !inHouse[id] {
				delete(rows, id)
			}
		}
	}
	return out, nil
}

// changedBoard returns a copy of board (the board of the open stays before changes)
// with the changes that lead to h applied room by room, keeping rows to the guests on
// it. The caller holds the board cache's lock.
func (db *DB) changedBoard(ctx context.Context, board []preferences.HousekeepingRoom, h *house,
	changes []stayChange, rows map[string]preferences.HousekeepingRoom) ([]preferences.HousekeepingRoom, error) {
	out := make([]preferences.HousekeepingRoom, len(board), len(board)+len(changes))
	copy(out, board)
	for _, ch := range changes {
		if ch.room < 0 {
			continue
		}
		r := &h.rooms.list[ch.room]
		i, found := slices.BinarySearchFunc(out, r, func(e preferences.HousekeepingRoom, r *preferences.Room) int {
			return cmp.Or(cmp.Compare(e.Floor, r.Floor), strings.Compare(e.Room, r.Number))
		})
		if ch.guest == "" { // a check-out
			if !found {
				return db.housekeepingBoard(ctx, h, rows)
			}
			delete(rows, out[i].GuestID) // in no other room: stays_guest_in_house allows one open stay
			out = slices.Delete(out, i, i+1)
			continue
		}
		if found {
			return db.housekeepingBoard(ctx, h, rows)
		}
		e := preferences.HousekeepingRoom{Room: r.Number, Floor: r.Floor, GuestID: ch.guest}
		if err := db.fillBoardRow(ctx, &e, rows); err != nil {
			return nil, err
		}
		out = slices.Insert(out, i, e)
	}
	return out, nil
}

// fillBoardRow fills in what the board shows of h's guest, from rows or read (and kept
// in rows).
func (db *DB) fillBoardRow(ctx context.Context, h *preferences.HousekeepingRoom, rows map[string]preferences.HousekeepingRoom) error {
	row, ok := rows[h.GuestID]
	if !ok {
		var err error
		if row, err = db.boardRow(ctx, h.GuestID); err != nil {
			return err
		}
		rows[h.GuestID] = row
	}
	h.Allergies, h.Laundry, h.Amenities, h.Notes = row.Allergies, row.Laundry, row.Amenities, row.Notes
	return nil
}

// guestChanged drops the guest's board row and marks the board stale when the guest is
// on it. Every write that changes what a board row shows (preferences, notes, erasure)
// calls it after committing. It waits for a board build in progress, so a row read
// before the change is never kept.
func (db *DB) guestChanged(guestID string) {
	c := &db.reads.board
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, on := c.rows[guestID]; on {
		delete(c.rows, guestID)
		db.reads.boardGen.Add(1)
	}
}

// withUnknownRooms adds the open stays in rooms another process added since the rooms
// were cached: they show on floor 0, in the board's order (by floor, then number).
func withUnknownRooms(board []preferences.HousekeepingRoom, others map[string]string) []preferences.HousekeepingRoom {
	for room, guestID := range others {
		board = append(board, preferences.HousekeepingRoom{Room: room, GuestID: guestID})
	}
	slices.SortFunc(board, func(a, b preferences.HousekeepingRoom) int {
		return cmp.Or(cmp.Compare(a.Floor, b.Floor), strings.Compare(a.Room, b.Room))
	})
	return board
}

// boardRow reads what the board shows of one guest: instructions and housekeeping notes.
func (db *DB) boardRow(ctx context.Context, guestID string) (preferences.HousekeepingRoom, error) {
	var h preferences.HousekeepingRoom
	var raw string
	var hasNotes bool // most guests have none: the guests row counts them (migration 0010)
	if err := db.read.QueryRowContext(ctx, `SELECT preferences, notes_count > 0 FROM guests WHERE id = ?`,
		guestID).Scan(&raw, &hasNotes); err != nil {
		return h, err
	}
	p, err := decodePreferences(raw)
	if err != nil {
		return h, err
	}
	h.Allergies, h.Laundry, h.Amenities = bySeverity(p.Allergies), p.Housekeeping.Laundry, p.Housekeeping.Amenities
	h.Notes = []string{}
	if !hasNotes {
		return h, nil
	}
	notes, err := db.notes(ctx, db.read, `guest_id = ? AND department = ? ORDER BY created_at DESC, id`,
		guestID, preferences.DeptHousekeeping)
	if err != nil {
		return h, err
	}
	h.Notes = make([]string, len(notes))
	for j, n := range notes {
		h.Notes[j] = n.Text
	}
	return h, nil
}

// bySeverity returns the allergies with the most severe first, otherwise in their order.
func bySeverity(a []preferences.Allergy) []preferences.Allergy {
	rank := map[string]int{"severe": 0, "moderate": 1, "mild": 2}
	out := append([]preferences.Allergy{}, a...)
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i].Severity] < rank[out[j].Severity] })
	return out
}
