package sqlite

import (
	"context"
	"database/sql"

	"regulars/preferences"
)

// withExtra scans a row's leading columns with an inner scanner and the rest into extra.
type withExtra struct {
	row   scanner
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.row.Scan(append(dest, w.extra...)...) }

// guestAndPreferences reads a guest with documents and preferences, reading the guests
// row once (the recognition card needs both).
func (db *DB) guestAndPreferences(ctx context.Context, id string) (preferences.Guest, preferences.Preferences, error) {
	var raw string
	g, err := scanGuest(withExtra{db.read.QueryRowContext(ctx, `SELECT `+guestColumns+`, preferences FROM guests
		WHERE id = ? AND erased_at IS NULL`, id), []any{&raw}})
	if err == sql.ErrNoRows {
		return g, preferences.Preferences{}, notFound("guest")
	}
	if err != nil {
		return g, preferences.Preferences{}, err
	}
	if g.Documents, err = db.documents(ctx, db.read, id); err != nil {
		return g, preferences.Preferences{}, err
	}
	p, err := decodePreferences(raw)
	return g, p, err
}

// guestArrivalToday is arrivalToday for a guest already read (so known not erased):
// it leaves out the join that checks the guest again.
func (db *DB) guestArrivalToday(ctx context.Context, guestID string) (preferences.Arrival, error) {
	a, err := scanArrival(db.read.QueryRowContext(ctx, `SELECT `+arrivalColumns+` FROM arrivals a
		WHERE a.guest_id = ? AND a.arrival_date = ? AND a.status = 'expected' ORDER BY a.created_at, a.id LIMIT 1`,
		guestID, db.today()))
	if err == sql.ErrNoRows {
		return a, notFound("arrival")
	}
	return a, err
}
