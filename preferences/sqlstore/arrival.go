package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"regulars/preferences"
)

const arrivalColumns = `a.id, a.guest_id, a.arrival_date, a.nights, a.reference, a.status, COALESCE(a.stay_id, ''), a.property_id`

// arrivalDest are the scan destinations of arrivalColumns.
func arrivalDest(a *preferences.Arrival) []any {
	return []any{&a.ID, &a.GuestID, &a.ArrivalDate, &a.Nights, &a.Reference, &a.Status, &a.StayID, &a.PropertyID}
}

func (t *tx) InsertArrival(ctx context.Context, a preferences.Arrival, at time.Time, by string) error {
	_, err := t.exec(ctx, `INSERT INTO arrivals (id, guest_id, property_id, arrival_date, nights, reference, status, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.GuestID, a.PropertyID, a.ArrivalDate, a.Nights, a.Reference, a.Status, t.at(at), by)
	return err
}

func (t *tx) ExpectedArrival(ctx context.Context, propertyID, guestID, date string) (preferences.Arrival, error) {
	return t.expectedArrival(ctx, `a.guest_id = ?`, propertyID, guestID, date)
}

// ExpectedArrivalByReference: the test of a non-empty reference lets PostgreSQL use the
// partial unique index on references.
func (t *tx) ExpectedArrivalByReference(ctx context.Context, propertyID, reference, date string) (preferences.Arrival, error) {
	return t.expectedArrival(ctx, `a.reference = ? AND a.reference <> ''`, propertyID, reference, date)
}

func (t *tx) expectedArrival(ctx context.Context, where, propertyID, arg, date string) (preferences.Arrival, error) {
	var a preferences.Arrival
	err := t.row(ctx, `SELECT `+arrivalColumns+` FROM arrivals a JOIN guests g ON g.id = a.guest_id AND g.erased_at IS NULL
		WHERE `+where+` AND a.property_id = ? AND a.arrival_date = ? AND a.status = 'expected' ORDER BY a.created_at, a.id LIMIT 1`,
		arg, propertyID, date).Scan(arrivalDest(&a)...)
	if err == sql.ErrNoRows {
		return a, notFound("arrival")
	}
	return a, err
}

func (t *tx) MarkArrivalCheckedIn(ctx context.Context, arrivalID, stayID string) (bool, error) {
	return t.stayUpdate(ctx, `UPDATE arrivals SET status = 'checked_in', stay_id = ? WHERE id = ? AND status = 'expected'`,
		stayID, arrivalID)
}

func (t *tx) ArrivalsOn(ctx context.Context, propertyID, date string) ([]preferences.ArrivalCard, error) {
	rows, err := t.query(ctx, `SELECT `+arrivalColumns+`,
			(SELECT count(*) FROM stays s WHERE s.guest_id = a.guest_id AND s.check_out IS NOT NULL
				AND (a.stay_id IS NULL OR s.id <> a.stay_id)),
			(SELECT count(*) FROM follow_ups f WHERE f.guest_id = a.guest_id AND f.done_at IS NULL)
		FROM arrivals a JOIN guests g ON g.id = a.guest_id AND g.erased_at IS NULL
		WHERE a.property_id = ? AND a.arrival_date = ? AND a.status <> 'cancelled'`, propertyID, date)
	return scanEach(rows, err, func(row rowScanner) (preferences.ArrivalCard, error) {
		var c preferences.ArrivalCard
		err := row.Scan(append(arrivalDest(&c.Arrival), &c.StaysCount, &c.OpenFollowUps)...)
		return c, err
	})
}
