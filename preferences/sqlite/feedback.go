package sqlite

import (
	"context"
	"database/sql"

	"regulars/preferences"
)

const feedbackColumns = `f.id, f.guest_id, COALESCE(f.stay_id, ''), f.kind, f.text, f.status, f.created_at, f.created_by,
	f.resolution, f.resolved_at, f.resolved_by, g.family_name, g.given_name, g.salutation`

const feedbackFrom = ` FROM feedback f JOIN guests g ON g.id = f.guest_id AND g.erased_at IS NULL `

func (db *DB) scanFeedback(row scanner) (preferences.Feedback, error) {
	var f preferences.Feedback
	var created string
	var resolved sql.NullString
	var family, given, salutation string
	err := row.Scan(&f.ID, &f.GuestID, &f.StayID, &f.Kind, &f.Text, &f.Status, &created, &f.CreatedBy,
		&f.Resolution, &resolved, &f.ResolvedBy, &family, &given, &salutation)
	if err != nil {
		return f, err
	}
	f.CreatedAt, f.ResolvedAt = parseTime(created), nullTime(resolved)
	f.AgeDays = int(db.now().Sub(f.CreatedAt).Hours() / 24)
	f.GuestName = preferences.Guest{FamilyName: family, GivenName: given, Salutation: salutation}.DisplayName()
	return f, nil
}

func (db *DB) feedback(ctx context.Context, q querier, id string) (preferences.Feedback, error) {
	f, err := db.scanFeedback(q.QueryRowContext(ctx, `SELECT `+feedbackColumns+feedbackFrom+`WHERE f.id = ?`, id))
	if err == sql.ErrNoRows {
		return f, notFound("feedback")
	}
	if err != nil {
		return f, err
	}
	fu, err := db.followUps(ctx, q, `feedback_id = ? ORDER BY created_at, id LIMIT 1`, id)
	if err == nil && len(fu) > 0 {
		f.FollowUp = &fu[0]
	}
	return f, err
}

// AddFeedback records a complaint, compliment or request; a stay, when given, must be
// one of the guest's.
func (db *DB) AddFeedback(ctx context.Context, actor preferences.Actor, guestID string, in preferences.FeedbackInput) (preferences.Feedback, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return preferences.Feedback{}, err
	}
	id := newID("f")
	var f preferences.Feedback
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := db.guest(ctx, tx, guestID); err != nil {
			return err
		}
		var stayID any
		if in.StayID != "" {
			s, err := db.stay(ctx, tx, in.StayID)
			if err != nil || s.GuestID != guestID {
				return preferences.FieldErr("stay_id", "is not a stay of this guest")
			}
			stayID = in.StayID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO feedback (id, guest_id, stay_id, kind, text, status, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, 'open', ?, ?)`, id, guestID, stayID, in.Kind, in.Text, db.nowText(), actor.Name); err != nil {
			return err
		}
		if err := db.auditTx(ctx, tx, actor, guestID, preferences.ActionFeedbackAdd, in.Kind); err != nil {
			return err
		}
		var err error
		if f, err = db.feedback(ctx, tx, id); err != nil {
			return err
		}
		return db.keepAnswer(ctx, tx, guestID, func() (any, error) { return f, nil })
	})
	return f, err
}

// ResolveFeedback records the resolution of open feedback and, when r.FollowUp is not
// empty, a follow-up that shows on the guest's card and at check-out until done.
func (db *DB) ResolveFeedback(ctx context.Context, actor preferences.Actor, feedbackID string, r preferences.Resolution) (preferences.Feedback, error) {
	r.Normalize()
	if err := r.Validate(); err != nil {
		return preferences.Feedback{}, err
	}
	var f preferences.Feedback
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		if f, err = db.feedback(ctx, tx, feedbackID); err != nil {
			return err
		}
		if f.Status != preferences.FeedbackOpen {
			return preferences.Errorf(preferences.ECONFLICT, "The feedback is already resolved.")
		}
		ts := db.nowText()
		if _, err := tx.ExecContext(ctx, `UPDATE feedback SET status = 'resolved', resolution = ?, resolved_at = ?, resolved_by = ?
			WHERE id = ?`, r.Resolution, ts, actor.Name, feedbackID); err != nil {
			return err
		}
		if r.FollowUp != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO follow_ups (id, guest_id, feedback_id, text, created_at, created_by)
				VALUES (?, ?, ?, ?, ?, ?)`, newID("fu"), f.GuestID, feedbackID, r.FollowUp, ts, actor.Name); err != nil {
				return err
			}
		}
		if err := db.auditTx(ctx, tx, actor, f.GuestID, preferences.ActionFeedbackDone, f.Kind); err != nil {
			return err
		}
		f, err = db.feedback(ctx, tx, feedbackID)
		return err
	})
	return f, err
}

// FeedbackList lists feedback with the status (open, resolved, or "" for all), oldest
// first, with its age in days.
func (db *DB) FeedbackList(ctx context.Context, status string) ([]preferences.Feedback, error) {
	if status != "" && status != preferences.FeedbackOpen && status != preferences.FeedbackResolved {
		return nil, preferences.FieldErr("status", "must be open or resolved")
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+feedbackColumns+feedbackFrom+`WHERE (? = '' OR f.status = ?)
		ORDER BY f.created_at, f.id LIMIT 1000`, status, status)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.Feedback{}
	for rows.Next() {
		f, err := db.scanFeedback(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		fu, err := db.followUps(ctx, db.read, `feedback_id = ? ORDER BY created_at, id LIMIT 1`, out[i].ID)
		if err != nil {
			return nil, err
		}
		if len(fu) > 0 {
			out[i].FollowUp = &fu[0]
		}
	}
	return out, nil
}

func (db *DB) followUps(ctx context.Context, q querier, where string, args ...any) ([]preferences.FollowUp, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(feedback_id, ''), text, created_at, done_at FROM follow_ups WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.FollowUp{}
	for rows.Next() {
		var f preferences.FollowUp
		var created string
		var done sql.NullString
		if err := rows.Scan(&f.ID, &f.FeedbackID, &f.Text, &created, &done); err != nil {
			return nil, err
		}
		f.CreatedAt, f.DoneAt = parseTime(created), nullTime(done)
		out = append(out, f)
	}
	return out, rows.Err()
}

// OpenFollowUps lists the guest's follow-ups not yet done, oldest first.
func (db *DB) OpenFollowUps(ctx context.Context, guestID string) ([]preferences.FollowUp, error) {
	return db.openFollowUps(ctx, db.read, guestID)
}

func (db *DB) openFollowUps(ctx context.Context, q querier, guestID string) ([]preferences.FollowUp, error) {
	return db.followUps(ctx, q, `guest_id = ? AND done_at IS NULL ORDER BY created_at, id`, guestID)
}

// FollowUpDone marks a follow-up done; ECONFLICT when it already is.
func (db *DB) FollowUpDone(ctx context.Context, actor preferences.Actor, followUpID string) (preferences.FollowUp, error) {
	var f preferences.FollowUp
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var guestID string
		var done sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT fu.guest_id, fu.done_at FROM follow_ups fu JOIN guests g ON g.id = fu.guest_id
			WHERE fu.id = ? AND g.erased_at IS NULL`, followUpID).Scan(&guestID, &done)
		if err == sql.ErrNoRows {
			return notFound("follow-up")
		}
		if err != nil {
			return err
		}
		if done.Valid {
			return preferences.Errorf(preferences.ECONFLICT, "The follow-up is already done.")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE follow_ups SET done_at = ?, done_by = ? WHERE id = ?`, db.nowText(), actor.Name, followUpID); err != nil {
			return err
		}
		if err := db.auditTx(ctx, tx, actor, guestID, preferences.ActionFollowUpDone, ""); err != nil {
			return err
		}
		fu, err := db.followUps(ctx, tx, `id = ?`, followUpID)
		if err == nil {
			f = fu[0]
		}
		return err
	})
	return f, err
}
