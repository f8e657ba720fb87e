package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"regulars/preferences"
)

func (t *tx) InsertStay(ctx context.Context, s preferences.Stay) error {
	_, err := t.exec(ctx, `INSERT INTO stays (id, guest_id, property_id, room, check_in, check_out, planned_nights, spend)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.ID, s.GuestID, s.PropertyID, s.Room, t.at(s.CheckIn), t.atOrNull(s.CheckOut), s.PlannedNights, s.Spend)
	return err
}

// stayColumns are a stay's with the floor its room has now (0 for a room since removed)
// and its property's code, name and zone: FROM stays s, joined with stayJoins.
const stayColumns = `s.id, s.guest_id, s.room, COALESCE(r.floor, 0), s.check_in, s.check_out, s.planned_nights, s.spend,
	s.property_id, p.code, p.name, p.time_zone`

const stayJoins = ` LEFT JOIN rooms r ON r.property_id = s.property_id AND r.number = s.room
	JOIN properties p ON p.id = s.property_id `

// staySelect reads stays (stayColumns).
const staySelect = `SELECT ` + stayColumns + ` FROM stays s` + stayJoins + `WHERE `

// stayDest is where Scan puts stayColumns.
func stayDest(s *preferences.Stay) []any {
	return []any{&s.ID, &s.GuestID, &s.Room, &s.Floor, scanAt(&s.CheckIn), scanAtOrNil(&s.CheckOut), &s.PlannedNights, &s.Spend,
		&s.PropertyID, &s.Property, &s.PropertyName, &s.PropertyZone}
}

// scanStayRow reads a row of staySelect.
func scanStayRow(row rowScanner) (preferences.Stay, error) {
	var s preferences.Stay
	err := row.Scan(stayDest(&s)...)
	return s, err
}

func (t *tx) StayByID(ctx context.Context, id string) (preferences.Stay, error) {
	s, err := scanStayRow(t.row(ctx, staySelect+`s.id = ?`, id))
	if err == sql.ErrNoRows {
		return s, notFound("stay")
	}
	return s, err
}

func (t *tx) OpenStayOf(ctx context.Context, guestID string) (*preferences.Stay, error) {
	s, err := scanStayRow(t.row(ctx, staySelect+`s.guest_id = ? AND s.check_out IS NULL`, guestID))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}

func (t *tx) StaysByGuest(ctx context.Context, guestID string) ([]preferences.Stay, error) {
	rows, err := t.query(ctx, staySelect+`s.guest_id = ? ORDER BY s.check_in DESC, s.id`, guestID)
	return scanEach(rows, err, scanStayRow)
}

// rowScanner is a row of a query, or one of its rows.
type rowScanner interface{ Scan(...any) error }

// scanEach reads every row of a query (run with err) with scan: an empty list, not nil,
// when there is none.
func scanEach[T any](rows *sql.Rows, err error, scan func(rowScanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (t *tx) CountGuestStays(ctx context.Context, guestID string) (int, error) {
	var n int
	err := t.row(ctx, `SELECT count(*) FROM stays WHERE guest_id = ?`, guestID).Scan(&n)
	return n, err
}

// CloseOpenStay updates only an open stay, so that of two check-outs racing on
// different connections exactly one changes the row.
func (t *tx) CloseOpenStay(ctx context.Context, id string, checkOut time.Time, spend string) (bool, error) {
	return t.stayUpdate(ctx, `UPDATE stays SET check_out = ?, spend = ? WHERE id = ? AND check_out IS NULL`,
		t.at(checkOut), spend, id)
}

// stayUpdate runs a conditional UPDATE of the stays part and reports whether it changed a row.
func (t *tx) stayUpdate(ctx context.Context, query string, args ...any) (bool, error) {
	r, err := t.exec(ctx, query, args...)
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n > 0, err
}
