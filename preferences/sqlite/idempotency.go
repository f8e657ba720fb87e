package sqlite

import (
	"context"
	"database/sql"

	"regulars/preferences"
)

// keepAnswer keeps, inside the creation's transaction tx, the answer to a request sent
// with an Idempotency-Key (the Replay in ctx; nothing to do without one). created gives
// the value created, about guestID. The same key kept already (a request with it in
// progress, that began before this one found no answer) undoes the creation: ECONFLICT.
func (db *DB) keepAnswer(ctx context.Context, tx *sql.Tx, guestID string, created func() (any, error)) error {
	r := preferences.ReplayOf(ctx)
	if r == nil {
		return nil
	}
	v, err := created()
	if err != nil {
		return err
	}
	body, err := r.Encode(v)
	if err != nil {
		return err
	}
	now := db.now()
	// Answers past their time are forgotten on the way; the index on created_at makes
	// this a short range, empty most of the time.
	if _, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`,
		now.Add(-preferences.AnswerTTL).Format(TimeLayout)); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO idempotency_keys (owner, key, hash, status, body, guest_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, r.Owner, r.Key, r.Hash, r.Status, body, guestID, now.Format(TimeLayout))
	if isUnique(err) {
		return &preferences.Error{Code: preferences.ECONFLICT, Message: "Another request with this Idempotency-Key is in progress; retry it in a moment.",
			Fields: []preferences.FieldError{{Field: "Idempotency-Key", Message: "is in use by a request in progress"}}}
	}
	if err != nil {
		return err
	}
	r.Body = body
	return nil
}

// KeptAnswer returns the answer kept for owner's key within preferences.AnswerTTL.
func (db *DB) KeptAnswer(ctx context.Context, owner, key string) (preferences.Answer, error) {
	var a preferences.Answer
	err := db.read.QueryRowContext(ctx, `SELECT hash, status, body FROM idempotency_keys
		WHERE owner = ? AND key = ? AND created_at >= ?`,
		owner, key, db.now().Add(-preferences.AnswerTTL).Format(TimeLayout)).Scan(&a.Hash, &a.Status, &a.Body)
	if err == sql.ErrNoRows {
		return a, notFound("answer")
	}
	return a, err
}
