package sqlite

import (
	"context"
	"database/sql"

	"regulars/preferences"
)

const arrivalColumns = `a.id, a.guest_id, a.arrival_date, a.nights, a.reference, a.status, COALESCE(a.stay_id, '')`

func scanArrival(row scanner, extra ...any) (preferences.Arrival, error) {
	var a preferences.Arrival
	dest := append([]any{&a.ID, &a.GuestID, &a.ArrivalDate, &a.Nights, &a.Reference, &a.Status, &a.StayID}, extra...)
	return a, row.Scan(dest...)
}

// CreateArrival records an expected arrival; ECONFLICT when its reference is taken.
func (db *DB) CreateArrival(ctx context.Context, actor preferences.Actor, a preferences.Arrival) (preferences.Arrival, error) {
	a.Normalize()
	if err := a.Validate(db.today()); err != nil {
		return a, err
	}
	a.ID, a.Status, a.StayID = newID("a"), preferences.ArrivalExpected, ""
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := db.guest(ctx, tx, a.GuestID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO arrivals (id, guest_id, arrival_date, nights, reference, status, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.GuestID, a.ArrivalDate, a.Nights, a.Reference, a.Status, db.nowText(), actor.Name)
		if isUnique(err) {
			return &preferences.Error{Code: preferences.ECONFLICT, Message: "Another arrival has this reference.",
				Fields: []preferences.FieldError{{Field: "reference", Message: "is already used by another arrival"}}}
		}
		if err != nil {
			return err
		}
		if err := db.auditTx(ctx, tx, actor, a.GuestID, preferences.ActionArrivalCreate, a.ArrivalDate); err != nil {
			return err
		}
		return db.keepAnswer(ctx, tx, a.GuestID, func() (any, error) { return a, nil })
	})
	return a, err
}

// Arrivals lists the arrivals of a date that are not cancelled, the expected ones first,
// each with the flags a clerk needs.
func (db *DB) Arrivals(ctx context.Context, date string) ([]preferences.ArrivalCard, error) {
	day, err := preferences.ParseArrivalDate("date", date, db.today())
	if err != nil {
		return nil, err
	}
	// Returning and the stays count are about the guest's finished stays before this
	// arrival: the stay it was checked in to does not count, so neither changes when the
	// guest checks in (or leaves early the same day).
	rows, err := db.read.QueryContext(ctx, `SELECT `+arrivalColumns+`, g.preferences,
			(SELECT count(*) FROM stays s WHERE s.guest_id = a.guest_id AND s.check_out IS NOT NULL AND s.id IS NOT a.stay_id),
			(SELECT count(*) FROM follow_ups f WHERE f.guest_id = a.guest_id AND f.done_at IS NULL)
		FROM arrivals a JOIN guests g ON g.id = a.guest_id AND g.erased_at IS NULL
		WHERE a.arrival_date = ? AND a.status <> 'cancelled'
		ORDER BY a.status <> 'expected', g.family_name, g.given_name, a.id`, date)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.ArrivalCard{}
	for rows.Next() {
		var c preferences.ArrivalCard
		var prefs string
		c.Arrival, err = scanArrival(rows, &prefs, &c.StaysCount, &c.OpenFollowUps)
		if err != nil {
			return nil, err
		}
		p, err := decodePreferences(prefs)
		if err != nil {
			return nil, err
		}
		c.Returning, c.HasAllergies = c.StaysCount > 0, p.HasAllergies()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		c := &out[i]
		if c.Guest, err = db.guest(ctx, db.read, c.GuestID); err != nil {
			return nil, err
		}
		c.BirthdayDuringStay = preferences.BirthdayDuringStay(c.Guest.Birthday, day, c.Nights)
	}
	return out, nil
}

// ArrivalToday returns the guest's expected arrival for today (hotel time).
func (db *DB) ArrivalToday(ctx context.Context, guestID string) (preferences.Arrival, error) {
	return db.arrivalToday(ctx, db.read, `a.guest_id = ?`, guestID)
}

// ArrivalByReference returns today's expected arrival with the reference.
func (db *DB) ArrivalByReference(ctx context.Context, reference string) (preferences.Arrival, error) {
	if reference == "" {
		return preferences.Arrival{}, notFound("arrival")
	}
	return db.arrivalToday(ctx, db.read, `a.reference = ?`, reference)
}

func (db *DB) arrivalToday(ctx context.Context, q querier, where string, arg string) (preferences.Arrival, error) {
	a, err := scanArrival(q.QueryRowContext(ctx, `SELECT `+arrivalColumns+` FROM arrivals a
		JOIN guests g ON g.id = a.guest_id AND g.erased_at IS NULL
		WHERE `+where+` AND a.arrival_date = ? AND a.status = 'expected' ORDER BY a.created_at, a.id LIMIT 1`, arg, db.today()))
	if err == sql.ErrNoRows {
		return a, notFound("arrival")
	}
	return a, err
}

var _ preferences.StayStore = (*DB)(nil)
