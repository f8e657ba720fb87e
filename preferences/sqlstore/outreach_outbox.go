package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"regulars/preferences"
)

const messageColumns = `id, guest_id, occasion, period, email, language, subject, body_text, body_html, message_id,
	status, attempts, last_error, next_attempt_at, created_at, updated_at, sent_at`

func scanMessage(row interface{ Scan(...any) error }) (preferences.OutreachMessage, error) {
	var m preferences.OutreachMessage
	err := row.Scan(&m.ID, &m.GuestID, &m.Kind, &m.Period, &m.Email, &m.Language, &m.Subject, &m.Text, &m.HTML,
		&m.MessageID, &m.Status, &m.Attempts, &m.LastError, scanAtOrNil(&m.NextAttemptAt), scanAt(&m.CreatedAt),
		scanAt(&m.UpdatedAt), scanAtOrNil(&m.SentAt))
	return m, err
}

func (t *tx) messages(ctx context.Context, query string, args ...any) ([]preferences.OutreachMessage, error) {
	rows, err := t.query(ctx, `SELECT `+messageColumns+` FROM outreach_messages `+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.OutreachMessage{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// InsertOutreachMessage skips a message whose guest, occasion and period, or address,
// occasion and period, exist already: ON CONFLICT DO NOTHING covers both unique keys, so
// two instances queueing at once store it once. No address is NULL, outside the key.
func (t *tx) InsertOutreachMessage(ctx context.Context, m preferences.OutreachMessage, address string) (bool, error) {
	var addr any
	if address != "" {
		addr = address
	}
	res, err := t.exec(ctx, `INSERT INTO outreach_messages (id, guest_id, occasion, period, email, address,
		language, subject, body_text, body_html, message_id, status, attempts, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`,
		m.ID, m.GuestID, string(m.Kind), m.Period, m.Email, addr, m.Language, m.Subject, m.Text, m.HTML, m.MessageID,
		m.Status, m.Attempts, t.atOrNull(m.NextAttemptAt), t.at(m.CreatedAt), t.at(m.UpdatedAt))
	return changedAny(res, err)
}

// changedAny tells whether a statement changed a row.
func changedAny(res sql.Result, err error) (bool, error) {
	n, err := rowsAffected(res, err)
	return n > 0, err
}

func rowsAffected(res sql.Result, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// dueWhere selects the queued messages due (parameters: now, limit).
const dueWhere = `WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`

func (t *tx) DueOutreachMessages(ctx context.Context, now time.Time, limit int) ([]preferences.OutreachMessage, error) {
	return t.messages(ctx, dueWhere, t.at(now), limit)
}

// ClaimOutreachMessage is one conditional UPDATE: of several instances claiming the same
// message, the first moves it and the others find it no longer queued. On PostgreSQL the
// row is taken with FOR UPDATE SKIP LOCKED: an instance finding it locked by another's
// claim moves on at once instead of waiting for that claim to commit.
func (t *tx) ClaimOutreachMessage(ctx context.Context, id, owner string, now, leaseUntil time.Time) (bool, error) {
	target := `?`
	if t.s.d.Name == "postgres" {
		target = `(SELECT id FROM outreach_messages WHERE id = ? FOR UPDATE SKIP LOCKED)`
	}
	return changedAny(t.exec(ctx, `UPDATE outreach_messages SET status = 'sending', attempts = attempts + 1,
		claimed_by = ?, next_attempt_at = NULL, lease_until = ?, updated_at = ?
		WHERE id = `+target+` AND status = 'queued' AND next_attempt_at <= ?`,
		owner, t.at(leaseUntil), t.at(now), id, t.at(now)))
}

func (t *tx) FailQueuedOutreachMessage(ctx context.Context, id, lastError string, now time.Time) error {
	_, err := t.exec(ctx, `UPDATE outreach_messages SET status = 'failed', next_attempt_at = NULL, last_error = ?,
		updated_at = ? WHERE id = ? AND status = 'queued'`, lastError, t.at(now), id)
	return err
}

func (t *tx) FinishOutreachMessage(ctx context.Context, id, owner string, out preferences.OutreachOutcome, sentAt *time.Time, now time.Time) error {
	_, err := t.exec(ctx, `UPDATE outreach_messages SET status = ?, last_error = ?, next_attempt_at = ?,
		sent_at = ?, updated_at = ? WHERE id = ? AND claimed_by = ? AND status IN ('sending', 'unknown')`,
		out.Status, out.Error, t.atOrNull(out.NextAttemptAt), t.atOrNull(sentAt), t.at(now), id, owner)
	return err
}

// MarkSendingOutreachUnknown leaves alone the messages still leased to a live sender.
// A message claimed before leases existed has none: its sender is long gone.
func (t *tx) MarkSendingOutreachUnknown(ctx context.Context, lastError string, now time.Time) (int, error) {
	return rowsAffected(t.exec(ctx, `UPDATE outreach_messages SET status = 'unknown', last_error = ?, updated_at = ?
		WHERE status = 'sending' AND (lease_until IS NULL OR lease_until <= ?)`, lastError, t.at(now), t.at(now)))
}

func (t *tx) OutreachMessageByID(ctx context.Context, id string) (preferences.OutreachMessage, error) {
	m, err := scanMessage(t.row(ctx, `SELECT `+messageColumns+` FROM outreach_messages WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return m, notFound("message")
	}
	return m, err
}

func (t *tx) OutreachMessagesByStatus(ctx context.Context, status string, limit int) ([]preferences.OutreachMessage, error) {
	if status == "" {
		return t.messages(ctx, `ORDER BY created_at DESC, id LIMIT ?`, limit)
	}
	return t.messages(ctx, `WHERE status = ? ORDER BY created_at DESC, id LIMIT ?`, status, limit)
}

func (t *tx) OutreachCountsByStatus(ctx context.Context) (map[string]int, error) {
	rows, err := t.query(ctx, `SELECT status, count(*) FROM outreach_messages GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

const oldestQueuedQuery = `SELECT min(created_at) FROM outreach_messages WHERE status = 'queued'`

// OldestQueuedOutreachAt reads one entry of the status index (status, created_at): the
// metrics read it at every scrape.
func (t *tx) OldestQueuedOutreachAt(ctx context.Context) (*time.Time, error) {
	var at *time.Time
	err := t.row(ctx, oldestQueuedQuery).Scan(scanAtOrNil(&at))
	return at, err
}
