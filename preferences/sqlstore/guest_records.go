package sqlstore

import (
	"context"
	"database/sql"

	"regulars/preferences"
)

// GuestRecords reads the guest's records table by table (one query at a time on the
// transaction's connection).
func (t *tx) GuestRecords(ctx context.Context, guestID string) (preferences.GuestRecords, error) {
	var r preferences.GuestRecords
	var err error
	if r.Stays, err = t.exportStays(ctx, guestID); err != nil {
		return r, err
	}
	if r.Arrivals, err = t.exportArrivals(ctx, guestID); err != nil {
		return r, err
	}
	if r.Feedback, err = t.exportFeedback(ctx, guestID); err != nil {
		return r, err
	}
	if r.FollowUps, err = t.followUps(ctx, `guest_id = ? ORDER BY created_at, id`, guestID); err != nil {
		return r, err
	}
	if r.Notes, err = t.GuestNotes(ctx, guestID); err != nil {
		return r, err
	}
	r.Letters, err = t.exportLetters(ctx, guestID)
	return r, err
}

func (t *tx) exportStays(ctx context.Context, guestID string) ([]preferences.Stay, error) {
	return exportRows(ctx, t, func(r *sql.Rows) (s preferences.Stay, err error) {
		s.GuestID = guestID
		err = r.Scan(&s.ID, &s.Room, scanAt(&s.CheckIn), scanAtOrNil(&s.CheckOut), &s.PlannedNights, &s.Spend,
			&s.PropertyID, &s.Property, &s.PropertyName, &s.PropertyZone)
		return s, err
	}, `SELECT s.id, s.room, s.check_in, s.check_out, s.planned_nights, s.spend, s.property_id, p.code, p.name, p.time_zone
		FROM stays s JOIN properties p ON p.id = s.property_id WHERE s.guest_id = ? ORDER BY s.check_in, s.id`, guestID)
}

func (t *tx) exportArrivals(ctx context.Context, guestID string) ([]preferences.Arrival, error) {
	return exportRows(ctx, t, func(r *sql.Rows) (a preferences.Arrival, err error) {
		err = r.Scan(&a.ID, &a.GuestID, &a.ArrivalDate, &a.Nights, &a.Reference, &a.Status, &a.StayID)
		return a, err
	}, `SELECT id, guest_id, arrival_date, nights, reference, status, COALESCE(stay_id, '') FROM arrivals
		WHERE guest_id = ? ORDER BY arrival_date, id`, guestID)
}

func (t *tx) exportFeedback(ctx context.Context, guestID string) ([]preferences.Feedback, error) {
	return exportRows(ctx, t, func(r *sql.Rows) (f preferences.Feedback, err error) {
		err = r.Scan(&f.ID, &f.GuestID, &f.StayID, &f.Kind, &f.Text, &f.Status, scanAt(&f.CreatedAt), &f.CreatedBy,
			&f.Resolution, scanAtOrNil(&f.ResolvedAt), &f.ResolvedBy)
		return f, err
	}, `SELECT id, guest_id, COALESCE(stay_id, ''), kind, text, status, created_at, created_by, resolution, resolved_at, resolved_by
		FROM feedback WHERE guest_id = ? ORDER BY created_at, id`, guestID)
}

func (t *tx) exportLetters(ctx context.Context, guestID string) ([]preferences.OutreachMessage, error) {
	return exportRows(ctx, t, func(r *sql.Rows) (m preferences.OutreachMessage, err error) {
		err = r.Scan(&m.ID, &m.GuestID, &m.Kind, &m.Period, &m.Email, &m.Language, &m.Subject, &m.Text, &m.HTML,
			&m.MessageID, &m.Status, &m.Attempts, &m.LastError, scanAtOrNil(&m.NextAttemptAt), scanAt(&m.CreatedAt),
			scanAt(&m.UpdatedAt), scanAtOrNil(&m.SentAt))
		return m, err
	}, `SELECT id, guest_id, occasion, period, email, language, subject, body_text, body_html, message_id,
		status, attempts, last_error, next_attempt_at, created_at, updated_at, sent_at
		FROM outreach_messages WHERE guest_id = ? ORDER BY created_at, id`, guestID)
}

// exportRows returns every row query selects, scanned by scan; an empty list, not nil,
// when there is none (an export shows [], not null).
func exportRows[T any](ctx context.Context, t *tx, scan func(*sql.Rows) (T, error), query string, args ...any) ([]T, error) {
	rows, err := t.query(ctx, query, args...)
	return scanEach(rows, err, func(rowScanner) (T, error) { return scan(rows) })
}
