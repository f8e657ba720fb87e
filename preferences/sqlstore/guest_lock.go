package sqlstore

import (
	"context"
	"database/sql"
)

func (t *tx) LockGuest(ctx context.Context, guestID string) error {
	// SQLite's writer holds the whole database for the transaction already; PostgreSQL
	// locks the row, and re-reads it after an erasure holding it has committed.
	lock := ""
	if t.s.d.Name == "postgres" {
		lock = " FOR UPDATE"
	}
	var one int
	err := t.row(ctx, `SELECT 1 FROM guests WHERE id = ? AND erased_at IS NULL`+lock, guestID).Scan(&one)
	if err == sql.ErrNoRows {
		return notFound("guest")
	}
	return err
}
