package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"regulars/preferences"
)

// feedbackSelect reads feedback with its guest's names; feedback of erased guests is
// gone for the front desk.
const feedbackSelect = `SELECT f.id, f.guest_id, COALESCE(f.stay_id, ''), f.kind, f.text, f.status, f.created_at,
	f.created_by, f.resolution, f.resolved_at, f.resolved_by, g.family_name, g.given_name, g.salutation,
	COALESCE(f.property_id, ''), COALESCE(p.code, '')
	FROM feedback f JOIN guests g ON g.id = f.guest_id AND g.erased_at IS NULL LEFT JOIN properties p ON p.id = f.property_id `

// feedbackChunk bounds the feedback IDs of one query for their follow-ups.
const feedbackChunk = 500

func (t *tx) InsertFeedback(ctx context.Context, f preferences.Feedback) error {
	var stayID any
	if f.StayID != "" {
		stayID = f.StayID
	}
	_, err := t.exec(ctx, `INSERT INTO feedback (id, guest_id, stay_id, kind, text, status, created_at, created_by, property_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.ID, f.GuestID, stayID, f.Kind, f.Text, f.Status, t.at(f.CreatedAt), f.CreatedBy,
		nullIfEmpty(f.PropertyID))
	return err
}

func (t *tx) FeedbackByID(ctx context.Context, id string) (preferences.FeedbackRow, error) {
	rows, err := t.feedbackRows(ctx, `WHERE f.id = ?`, id)
	if err != nil {
		return preferences.FeedbackRow{}, err
	}
	if len(rows) == 0 {
		return preferences.FeedbackRow{}, notFound("feedback")
	}
	return rows[0], nil
}

func (t *tx) FeedbackByStatus(ctx context.Context, status string, limit int) ([]preferences.FeedbackRow, error) {
	where, args := ``, []any{}
	if status != "" {
		where, args = `WHERE f.status = ? `, append(args, status)
	}
	return t.feedbackRows(ctx, where+`ORDER BY f.created_at, f.id LIMIT ?`, append(args, limit)...)
}

// feedbackRows reads the feedback feedbackSelect finds with where, each with its first
// follow-up.
func (t *tx) feedbackRows(ctx context.Context, where string, args ...any) ([]preferences.FeedbackRow, error) {
	rows, err := t.query(ctx, feedbackSelect+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.FeedbackRow{}
	for rows.Next() {
		var r preferences.FeedbackRow
		f, g := &r.Feedback, &r.Guest
		if err := rows.Scan(&f.ID, &f.GuestID, &f.StayID, &f.Kind, &f.Text, &f.Status, scanAt(&f.CreatedAt), &f.CreatedBy,
			&f.Resolution, scanAtOrNil(&f.ResolvedAt), &f.ResolvedBy, &g.FamilyName, &g.GivenName, &g.Salutation,
			&f.PropertyID, &f.Property); err != nil {
			return nil, err
		}
		g.ID = f.GuestID
		out = append(out, r)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	return out, t.attachFollowUps(ctx, out)
}

// attachFollowUps sets each feedback's first follow-up (by creation), a few queries in
// all rather than one per feedback.
func (t *tx) attachFollowUps(ctx context.Context, list []preferences.FeedbackRow) error {
	at := make(map[string]*preferences.Feedback, len(list))
	ids := make([]any, 0, len(list))
	for i := range list {
		at[list[i].Feedback.ID] = &list[i].Feedback
		ids = append(ids, list[i].Feedback.ID)
	}
	for len(ids) > 0 {
		n := min(len(ids), feedbackChunk)
		fus, err := t.followUps(ctx, `feedback_id IN (`+placeholders(n)+`) ORDER BY created_at, id`, ids[:n]...)
		if err != nil {
			return err
		}
		for i := range fus {
			if f := at[fus[i].FeedbackID]; f.FollowUp == nil {
				f.FollowUp = &fus[i]
			}
		}
		ids = ids[n:]
	}
	return nil
}

func (t *tx) MarkFeedbackResolved(ctx context.Context, id, resolution string, at time.Time, by string) (bool, error) {
	r, err := t.exec(ctx, `UPDATE feedback SET status = ?, resolution = ?, resolved_at = ?, resolved_by = ?
		WHERE id = ? AND status = ?`, preferences.FeedbackResolved, resolution, t.at(at), by, id, preferences.FeedbackOpen)
	return markedRow(r, err)
}

// markedRow reports whether a conditional UPDATE (a mark set only once) changed a row.
func markedRow(r sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n > 0, err
}
