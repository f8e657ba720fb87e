package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"regulars/preferences"
)

// TakeBounceTurn is an upsert: its row lock (PostgreSQL), or the single writer
// (SQLite), makes two reports of one address take turns.
func (t *tx) TakeBounceTurn(ctx context.Context, addressHash string) error {
	_, err := t.exec(ctx, `INSERT INTO mail_bounce_addresses (address_hash, reports) VALUES (?, 1)
		ON CONFLICT (address_hash) DO UPDATE SET reports = mail_bounce_addresses.reports + 1`, addressHash)
	return err
}

// InsertBounce relies on the primary key (address_hash, kind, at): the same bounce
// posted again, or by two instances at once, is stored once.
func (t *tx) InsertBounce(ctx context.Context, b preferences.StoredBounce) (bool, error) {
	return changedAny(t.exec(ctx, `INSERT INTO mail_bounces (address_hash, kind, at, diagnostic, source, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		b.AddressHash, string(b.Kind), t.at(b.At), b.Diagnostic, b.Source, t.at(b.RecordedAt)))
}

func (t *tx) SoftBounceTimes(ctx context.Context, addressHash string, from, to time.Time) ([]time.Time, error) {
	rows, err := t.query(ctx, `SELECT at FROM mail_bounces WHERE address_hash = ? AND kind = 'soft'
		AND at >= ? AND at <= ? ORDER BY at`, addressHash, t.at(from), t.at(to))
	return scanEach(rows, err, func(r rowScanner) (at time.Time, err error) { return at, r.Scan(scanAt(&at)) })
}

func (t *tx) MailSuppression(ctx context.Context, addressHash string) (preferences.MailSuppression, *time.Time, bool, error) {
	var s preferences.MailSuppression
	var lifted *time.Time
	err := t.row(ctx, `SELECT kind, since, lifted_at FROM mail_suppressions WHERE address_hash = ?`, addressHash).
		Scan(&s.Kind, scanAt(&s.Since), scanAtOrNil(&lifted))
	if err == sql.ErrNoRows {
		return s, nil, false, nil
	}
	return s, lifted, err == nil, err
}

func (t *tx) SuppressAddress(ctx context.Context, addressHash string, s preferences.MailSuppression) error {
	_, err := t.exec(ctx, `INSERT INTO mail_suppressions (address_hash, kind, since) VALUES (?, ?, ?)
		ON CONFLICT (address_hash) DO UPDATE SET kind = excluded.kind, since = excluded.since,
		lifted_at = NULL, lifted_by = ''`, addressHash, string(s.Kind), t.at(s.Since))
	return err
}

// LiftSuppression is one conditional UPDATE: of two managers lifting at once, one does.
func (t *tx) LiftSuppression(ctx context.Context, addressHash, by string, now time.Time) (bool, error) {
	return changedAny(t.exec(ctx, `UPDATE mail_suppressions SET lifted_at = ?, lifted_by = ?
		WHERE address_hash = ? AND lifted_at IS NULL`, t.at(now), by, addressHash))
}

func (t *tx) SuppressQueuedOutreachMessage(ctx context.Context, id, reason string, now time.Time) error {
	_, err := t.exec(ctx, `UPDATE outreach_messages SET status = 'suppressed', next_attempt_at = NULL, last_error = ?,
		updated_at = ? WHERE id = ? AND status = 'queued'`, reason, t.at(now), id)
	return err
}
