package sqlstore

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"regulars/preferences"
)

func (t *tx) InsertNote(ctx context.Context, n preferences.Note) error {
	_, err := t.exec(ctx, `INSERT INTO guest_notes (id, guest_id, department, text, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?)`, n.ID, n.GuestID, n.Department, n.Text, t.at(n.CreatedAt), n.CreatedBy)
	return err
}

func (t *tx) GuestNotes(ctx context.Context, guestID string) ([]preferences.Note, error) {
	rows, err := t.query(ctx, `SELECT id, guest_id, department, text, created_at, created_by FROM guest_notes
		WHERE guest_id = ?`, guestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.Note{}
	for rows.Next() {
		var n preferences.Note
		if err := rows.Scan(&n.ID, &n.GuestID, &n.Department, &n.Text, scanAt(&n.CreatedAt), &n.CreatedBy); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	// Newest first, in order here (see cardFactsPortable).
	slices.SortFunc(out, func(a, b preferences.Note) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	return out, rows.Err()
}
