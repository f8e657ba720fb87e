package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"regulars/preferences"
)

// BoardRows reads the property's open stays' rooms and guests, then the housekeeping
// notes of the guests in house there: two queries, whatever the number of rooms.
func (t *tx) BoardRows(ctx context.Context, propertyID string) ([]preferences.BoardRow, error) {
	return keptRead(ctx, t, &t.s.board, "board", propertyID,
		func() ([]preferences.BoardRow, error) { return t.boardRows(ctx, propertyID) }, cloneBoard)
}

// cloneBoard copies the rows and the lists the board shows (its rows hold no other
// preferences), so that a caller changing them changes no kept copy. Each kind of list
// is copied into one array: a board of 450 rooms is four allocations, not 1,800.
func cloneBoard(rows []preferences.BoardRow) []preferences.BoardRow {
	var allergies, amenities, notes int
	for _, r := range rows {
		allergies += len(r.Preferences.Allergies)
		amenities += len(r.Preferences.Housekeeping.Amenities)
		notes += len(r.Notes)
	}
	a, m, n := make([]preferences.Allergy, 0, allergies), make([]string, 0, amenities), make([]string, 0, notes)
	out := slices.Clone(rows)
	for i := range out {
		p := &out[i].Preferences
		p.Allergies = copyInto(&a, p.Allergies)
		p.Housekeeping.Amenities = copyInto(&m, p.Housekeeping.Amenities)
		out[i].Notes = copyInto(&n, out[i].Notes)
	}
	return out
}

// copyInto appends list to *all and returns the copy, capped so that appending to it
// cannot reach the next row's.
func copyInto[T any](all *[]T, list []T) []T {
	from := len(*all)
	*all = append(*all, list...)
	return (*all)[from:len(*all):len(*all)]
}

// boardRows reads the board's rows from the tables.
func (t *tx) boardRows(ctx context.Context, propertyID string) ([]preferences.BoardRow, error) {
	rows, err := t.query(ctx, `SELECT s.room, r.floor, s.guest_id, g.preferences
		FROM stays s JOIN rooms r ON r.property_id = s.property_id AND r.number = s.room JOIN guests g ON g.id = s.guest_id
		WHERE s.property_id = ? AND s.check_out IS NULL ORDER BY r.floor, s.room`, propertyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.BoardRow{}
	byGuest := map[string]int{} // index in out
	for rows.Next() {
		var b preferences.BoardRow
		var raw string
		if err := rows.Scan(&b.Room, &b.Floor, &b.GuestID, &raw); err != nil {
			return nil, err
		}
		var p preferences.Preferences
		if err := json.Unmarshal([]byte(raw), &p); err != nil {
			return nil, err
		}
		p.Normalize()
		b.Preferences = preferences.Preferences{Allergies: p.Allergies, Housekeeping: p.Housekeeping} // all the board shows
		b.Notes = []string{}
		byGuest[b.GuestID] = len(out)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, t.boardNotes(ctx, propertyID, out, byGuest)
}

// boardNotes adds the housekeeping notes of the guests in house at the property to
// their rows, newest first.
func (t *tx) boardNotes(ctx context.Context, propertyID string, board []preferences.BoardRow, byGuest map[string]int) error {
	rows, err := t.query(ctx, `SELECT n.guest_id, n.text FROM guest_notes n
		JOIN stays s ON s.guest_id = n.guest_id AND s.check_out IS NULL AND s.property_id = ?
		WHERE n.department = ? ORDER BY n.created_at DESC, n.id`, propertyID, preferences.DeptHousekeeping)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var guestID, text string
		if err := rows.Scan(&guestID, &text); err != nil {
			return err
		}
		if i, ok := byGuest[guestID]; ok {
			board[i].Notes = append(board[i].Notes, text)
		}
	}
	return rows.Err()
}

func (t *tx) BoardReads(ctx context.Context, since time.Time) ([]preferences.AuditEntry, error) {
	rows, err := t.query(ctx, `SELECT at, actor, role FROM board_reads WHERE at >= ? ORDER BY id`, t.at(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.AuditEntry{}
	for rows.Next() {
		e := preferences.AuditEntry{Action: preferences.ActionBoardRead}
		if err := rows.Scan(scanAt(&e.At), &e.Actor, &e.Role); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
