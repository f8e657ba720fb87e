package sqlite

import (
	"context"
	"sort"

	"regulars/preferences"
)

// HousekeepingBoard lists the occupied rooms by floor and number, each with the
// guest's allergies (most severe first), laundry and amenity instructions and the notes
// addressed to housekeeping. Nothing else about the guest is read.
func (db *DB) HousekeepingBoard(ctx context.Context) ([]preferences.HousekeepingRoom, error) {
	return db.reads.board.get(db, func() ([]preferences.HousekeepingRoom, error) { return db.housekeepingBoard(ctx) })
}

func (db *DB) housekeepingBoard(ctx context.Context) ([]preferences.HousekeepingRoom, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT s.room, COALESCE(r.floor, 0), s.guest_id, g.preferences
		FROM stays s JOIN guests g ON g.id = s.guest_id LEFT JOIN rooms r ON r.number = s.room
		WHERE s.check_out IS NULL ORDER BY r.floor, s.room`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.HousekeepingRoom{}
	for rows.Next() {
		var h preferences.HousekeepingRoom
		var raw string
		if err := rows.Scan(&h.Room, &h.Floor, &h.GuestID, &raw); err != nil {
			return nil, err
		}
		p, err := decodePreferences(raw)
		if err != nil {
			return nil, err
		}
		h.Allergies, h.Laundry, h.Amenities = bySeverity(p.Allergies), p.Housekeeping.Laundry, p.Housekeeping.Amenities
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The housekeeping notes of every in-house guest in one query, newest first.
	notes, err := db.read.QueryContext(ctx, `SELECT n.guest_id, n.text FROM stays s
		JOIN guest_notes n ON n.guest_id = s.guest_id AND n.department = ?
		WHERE s.check_out IS NULL ORDER BY n.created_at DESC, n.id`, preferences.DeptHousekeeping)
	if err != nil {
		return nil, err
	}
	defer notes.Close()
	byGuest := map[string][]string{}
	for notes.Next() {
		var guest, text string
		if err := notes.Scan(&guest, &text); err != nil {
			return nil, err
		}
		byGuest[guest] = append(byGuest[guest], text)
	}
	if err := notes.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Notes = append([]string{}, byGuest[out[i].GuestID]...)
	}
	return out, nil
}

// bySeverity returns the allergies with the most severe first, otherwise in their order.
func bySeverity(a []preferences.Allergy) []preferences.Allergy {
	rank := map[string]int{"severe": 0, "moderate": 1, "mild": 2}
	out := append([]preferences.Allergy{}, a...)
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i].Severity] < rank[out[j].Severity] })
	return out
}
