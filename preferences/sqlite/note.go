package sqlite

import (
	"context"
	"database/sql"

	"regulars/preferences"
)

// AddNote records a staff note addressed to one department.
func (db *DB) AddNote(ctx context.Context, actor preferences.Actor, guestID string, n preferences.Note) (preferences.Note, error) {
	n.Normalize()
	if err := n.Validate(); err != nil {
		return n, err
	}
	n.ID, n.GuestID, n.CreatedAt, n.CreatedBy = newID("n"), guestID, db.now(), actor.Name
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := db.guest(ctx, tx, guestID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO guest_notes (id, guest_id, department, text, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?)`, n.ID, guestID, n.Department, n.Text, n.CreatedAt.Format(TimeLayout), n.CreatedBy); err != nil {
			return err
		}
		return db.auditTx(ctx, tx, actor, guestID, preferences.ActionNoteAdd, n.Department)
	})
	db.guestChanged(guestID)
	return n, err
}

// GuestNotes lists every note of the guest, newest first.
func (db *DB) GuestNotes(ctx context.Context, guestID string) ([]preferences.Note, error) {
	return db.notes(ctx, db.read, `guest_id = ? ORDER BY created_at DESC, id`, guestID)
}

func (db *DB) notes(ctx context.Context, q querier, where string, args ...any) ([]preferences.Note, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, guest_id, department, text, created_at, created_by FROM guest_notes WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.Note{}
	for rows.Next() {
		var n preferences.Note
		var at string
		if err := rows.Scan(&n.ID, &n.GuestID, &n.Department, &n.Text, &at, &n.CreatedBy); err != nil {
			return nil, err
		}
		n.CreatedAt = parseTime(at)
		out = append(out, n)
	}
	return out, rows.Err()
}
