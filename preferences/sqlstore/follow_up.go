package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"regulars/preferences"
)

func (t *tx) InsertFollowUp(ctx context.Context, guestID, createdBy string, f preferences.FollowUp) error {
	var feedbackID any
	if f.FeedbackID != "" {
		feedbackID = f.FeedbackID
	}
	_, err := t.exec(ctx, `INSERT INTO follow_ups (id, guest_id, feedback_id, text, created_at, created_by, done_at, property_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, f.ID, guestID, feedbackID, f.Text, t.at(f.CreatedAt), createdBy, t.atOrNull(f.DoneAt),
		nullIfEmpty(f.PropertyID))
	return err
}

func (t *tx) OpenFollowUps(ctx context.Context, guestID string) ([]preferences.FollowUp, error) {
	list, err := t.followUps(ctx, `guest_id = ? AND done_at IS NULL`, guestID)
	// In order here: SQLite's sorter costs more than the few rows (see cardFactsPortable).
	slices.SortFunc(list, func(a, b preferences.FollowUp) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	return list, err
}

// followUpProperty is the code of a follow-up's property (fu), ” when none is told.
const followUpProperty = `COALESCE((SELECT p.code FROM properties p WHERE p.id = fu.property_id), '')`

// followUps lists the follow-ups matching where.
func (t *tx) followUps(ctx context.Context, where string, args ...any) ([]preferences.FollowUp, error) {
	rows, err := t.query(ctx, `SELECT id, COALESCE(feedback_id, ''), text, created_at, done_at, `+followUpProperty+`
		FROM follow_ups fu WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.FollowUp{}
	for rows.Next() {
		var f preferences.FollowUp
		if err := rows.Scan(&f.ID, &f.FeedbackID, &f.Text, scanAt(&f.CreatedAt), scanAtOrNil(&f.DoneAt), &f.Property); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func (t *tx) FollowUpByID(ctx context.Context, id string) (string, preferences.FollowUp, error) {
	var guestID string
	var f preferences.FollowUp
	err := t.row(ctx, `SELECT fu.guest_id, fu.id, COALESCE(fu.feedback_id, ''), fu.text, fu.created_at, fu.done_at, `+followUpProperty+`
		FROM follow_ups fu JOIN guests g ON g.id = fu.guest_id AND g.erased_at IS NULL WHERE fu.id = ?`, id).Scan(
		&guestID, &f.ID, &f.FeedbackID, &f.Text, scanAt(&f.CreatedAt), scanAtOrNil(&f.DoneAt), &f.Property)
	if err == sql.ErrNoRows {
		return "", f, notFound("follow-up")
	}
	return guestID, f, err
}

func (t *tx) MarkFollowUpDone(ctx context.Context, id string, at time.Time, by string) (bool, error) {
	r, err := t.exec(ctx, `UPDATE follow_ups SET done_at = ?, done_by = ? WHERE id = ? AND done_at IS NULL`, t.at(at), by, id)
	return markedRow(r, err)
}
