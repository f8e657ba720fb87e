package sqlstore

import (
	"context"

	"regulars/preferences"
)

func (t *tx) InsertFollowUp(ctx context.Context, guestID, createdBy string, f preferences.FollowUp) error {
	var feedbackID any
	if f.FeedbackID != "" {
		feedbackID = f.FeedbackID
	}
	_, err := t.exec(ctx, `INSERT INTO follow_ups (id, guest_id, feedback_id, text, created_at, created_by, done_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, f.ID, guestID, feedbackID, f.Text, t.at(f.CreatedAt), createdBy, t.atOrNull(f.DoneAt))
	return err
}

func (t *tx) OpenFollowUps(ctx context.Context, guestID string) ([]preferences.FollowUp, error) {
	return t.followUps(ctx, `guest_id = ? AND done_at IS NULL ORDER BY created_at, id`, guestID)
}

// followUps lists the follow-ups matching where.
func (t *tx) followUps(ctx context.Context, where string, args ...any) ([]preferences.FollowUp, error) {
	rows, err := t.query(ctx, `SELECT id, COALESCE(feedback_id, ''), text, created_at, done_at FROM follow_ups WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.FollowUp{}
	for rows.Next() {
		var f preferences.FollowUp
		if err := rows.Scan(&f.ID, &f.FeedbackID, &f.Text, scanAt(&f.CreatedAt), scanAtOrNil(&f.DoneAt)); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
