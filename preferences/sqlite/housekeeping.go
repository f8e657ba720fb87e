package sqlite

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"

	"regulars/preferences"
)

// HousekeepingBoard lists the occupied rooms by floor and number, each with the
// guest's allergies (most severe first), laundry and amenity instructions and the notes
// addressed to housekeeping. Nothing else about the guest is read.
func (db *DB) HousekeepingBoard(ctx context.Context) ([]preferences.HousekeepingRoom, error) {
	return db.cachedBoard(ctx)
}

// housekeepingBoard builds the board from the cached rooms (as of roomsGen) and open
// stays (at version), taking each guest's row from rows when it is there and reading
// (and keeping) it otherwise; rows of guests no longer in house are dropped. It returns
// the board and its guests. The caller holds the board cache's lock.
func (db *DB) housekeepingBoard(ctx context.Context, roomsGen, version uint64, rows map[string]preferences.HousekeepingRoom) ([]preferences.HousekeepingRoom, map[string]bool, error) {
	all, err := db.cachedRooms(ctx, roomsGen)
	if err != nil {
		return nil, nil, err
	}
	open, err := db.cachedOpenStays(ctx, version)
	if err != nil {
		return nil, nil, err
	}
	// The rooms come by floor and number, the board's order: no sort.
	out := make([]preferences.HousekeepingRoom, 0, len(open))
	for _, r := range all {
		if guestID, ok := open[r.Number]; ok {
			out = append(out, preferences.HousekeepingRoom{Room: r.Number, Floor: r.Floor, GuestID: guestID})
		}
	}
	if len(out) < len(open) {
		out = withUnknownRooms(out, all, open)
	}
	inHouse := make(map[string]bool, len(out))
	for i := range out {
		h := &out[i]
		inHouse[h.GuestID] = true
		row, ok := rows[h.GuestID]
		if !ok {
			if row, err = db.boardRow(ctx, h.GuestID); err != nil {
				return nil, nil, err
			}
			rows[h.GuestID] = row
		}
		h.Allergies, h.Laundry, h.Amenities, h.Notes = row.Allergies, row.Laundry, row.Amenities, row.Notes
	}
	for id := range rows {
		if !inHouse[id] {
			delete(rows, id)
		}
	}
	return out, inHouse, nil
}

// withUnknownRooms adds the occupied rooms another process added since the rooms were
// cached: they show on floor 0, in the board's order (by floor, then number).
func withUnknownRooms(board []preferences.HousekeepingRoom, all []preferences.Room, open openStays) []preferences.HousekeepingRoom {
	known := make(map[string]bool, len(all))
	for _, r := range all {
		known[r.Number] = true
	}
	for room, guestID := range open {
		if !known[room] {
			board = append(board, preferences.HousekeepingRoom{Room: room, GuestID: guestID})
		}
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
	if err := db.read.QueryRowContext(ctx, `SELECT preferences FROM guests WHERE id = ?`, guestID).Scan(&raw); err != nil {
		return h, err
	}
	p, err := decodePreferences(raw)
	if err != nil {
		return h, err
	}
	h.Allergies, h.Laundry, h.Amenities = bySeverity(p.Allergies), p.Housekeeping.Laundry, p.Housekeeping.Amenities
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
