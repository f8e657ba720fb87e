package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"regulars/preferences"
)

// candidateSelect reads what eligibility needs for each guest. Its two parameters are the
// day ('YYYY-MM-DD', for arrivals ahead) and the occasion (for existing messages); every
// correlated part is answered from an index (arrivals_guest, the outbox's unique key).
// Letters of other guests to the same address come from the outbox's address index.
// Whether the guest is in house, and whether there is an expected arrival to look for,
// come from the guests row (migration 0010's flags, kept by triggers): most candidates
// have neither, and a selection reads a few thousand of them at random.
const candidateSelect = `SELECT g.id, g.family_name, g.given_name, g.salutation, g.email, g.birthday, g.language,
	g.time_zone, g.marketing_consent, g.consent_at, g.consent_channel, g.erased_at IS NOT NULL,
	EXISTS (SELECT 1 FROM consent_events e WHERE e.guest_id = g.id AND e.granted = 1),
	g.open_stay_id IS NOT NULL,
	CASE WHEN g.expected_arrivals > 0 THEN
		(SELECT min(a.arrival_date) FROM arrivals a WHERE a.guest_id = g.id AND a.arrival_date >= ?1 AND a.status = 'expected') END,
	l.last_check_out,
	(SELECT group_concat(o.period || ' ' || o.status, ',') FROM outreach_messages o WHERE o.guest_id = g.id AND o.occasion = ?2),
	(SELECT group_concat(o.period || ' ' || o.guest_id, ',') FROM outreach_messages o
		WHERE o.address = lower(trim(g.email)) AND o.occasion = ?2 AND o.guest_id <> g.id)
	FROM guests g LEFT JOIN outreach_last_checkout l ON l.guest_id = g.id`

// contactable keeps guests who can be written to at all; the rest are excluded again,
// with reasons, by the scheduler's eligibility rules.
const contactable = ` AND g.marketing_consent = 1 AND g.email <> ''`

func scanCandidate(row scanner) (preferences.OutreachCandidate, error) {
	var c preferences.OutreachCandidate
	g := &c.Guest
	var consentAt, arrival, lastOut, msgs, shared sql.NullString
	var channel string
	err := row.Scan(&g.ID, &g.FamilyName, &g.GivenName, &g.Salutation, &g.Email, &g.Birthday, &g.Language,
		&g.TimeZone, &g.MarketingConsent, &consentAt, &channel, &c.Erased, &c.EverGranted, &c.InHouse, &arrival, &lastOut, &msgs, &shared)
	if err != nil {
		return c, err
	}
	if consentAt.Valid {
		g.Consent = &preferences.ConsentEvent{Granted: g.MarketingConsent, At: parseTime(consentAt.String), Channel: channel}
	}
	c.NextArrival = arrival.String
	c.LastCheckOut = nullTime(lastOut)
	c.Messages, c.Shared = periodMap(msgs), periodMap(shared)
	return c, nil
}

// periodMap reads a group_concat of "period value" pairs.
func periodMap(pairs sql.NullString) map[string]string {
	m := map[string]string{}
	if pairs.Valid {
		for _, pair := range strings.Split(pairs.String, ",") {
			if period, v, ok := strings.Cut(pair, " "); ok {
				m[period] = v
			}
		}
	}
	return m
}

func (db *DB) candidates(ctx context.Context, query string, args ...any) ([]preferences.OutreachCandidate, error) {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.OutreachCandidate{}
	for rows.Next() {
		c, err := scanCandidate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// OutreachCandidate returns one guest (erased ones included) as seen by the outreach
// rules on day, with the messages of kind already written; ENOTFOUND for an unknown ID.
func (db *DB) OutreachCandidate(ctx context.Context, kind preferences.OutreachKind, guestID, day string) (preferences.OutreachCandidate, error) {
	c, err := scanCandidate(db.read.QueryRowContext(ctx, candidateSelect+` WHERE g.id = ?3`, day, string(kind), guestID))
	if err == sql.ErrNoRows {
		return c, notFound("guest")
	}
	return c, err
}

// BirthdayCandidates returns contactable guests whose birthday_md is one of monthDays
// ('MM-DD') and who have no birthday message for period yet. It reads the birthday_md
// index: a few days' birthdays, never the whole table.
func (db *DB) BirthdayCandidates(ctx context.Context, monthDays []string, period, day string) ([]preferences.OutreachCandidate, error) {
	if len(monthDays) == 0 {
		return nil, nil
	}
	args := []any{day, string(preferences.OutreachBirthday), period}
	for _, md := range monthDays {
		args = append(args, md)
	}
	return db.candidates(ctx, birthdayQuery(len(monthDays)), args...)
}

// birthdayQuery selects by birthday_md among n month-days (parameters ?4…).
func birthdayQuery(n int) string {
	marks := strings.TrimSuffix(strings.Repeat("?,", n), ",")
	return candidateSelect + ` WHERE g.erased_at IS NULL` + contactable + `
		AND NOT EXISTS (SELECT 1 FROM outreach_messages o WHERE o.guest_id = g.id AND o.occasion = ?2 AND o.period = ?3)
		AND g.birthday_md IN (` + marks + `) ORDER BY g.id`
}

// lapseQuery selects by last check-out in [?3, ?4).
const lapseQuery = candidateSelect + `
	WHERE l.last_check_out >= ?3 AND l.last_check_out < ?4 AND g.erased_at IS NULL` + contactable + ` ORDER BY l.last_check_out`

// LapseCandidates returns contactable guests whose last check-out lies in [from, to),
// through the index on the last check-out: only the guests who lapsed in that window.
func (db *DB) LapseCandidates(ctx context.Context, from, to time.Time, day string) ([]preferences.OutreachCandidate, error) {
	return db.candidates(ctx, lapseQuery, day, string(preferences.OutreachLapse), from.UTC().Format(TimeLayout), to.UTC().Format(TimeLayout))
}

const messageColumns = `id, guest_id, occasion, period, email, language, subject, body_text, body_html, message_id,
	status, attempts, last_error, next_attempt_at, created_at, updated_at, sent_at`

func scanMessage(row scanner) (preferences.OutreachMessage, error) {
	var m preferences.OutreachMessage
	var next, sent sql.NullString
	var created, updated string
	err := row.Scan(&m.ID, &m.GuestID, &m.Kind, &m.Period, &m.Email, &m.Language, &m.Subject, &m.Text, &m.HTML,
		&m.MessageID, &m.Status, &m.Attempts, &m.LastError, &next, &created, &updated, &sent)
	m.NextAttemptAt, m.SentAt = nullTime(next), nullTime(sent)
	m.CreatedAt, m.UpdatedAt = parseTime(created), parseTime(updated)
	return m, err
}

func (db *DB) messages(ctx context.Context, q querier, query string, args ...any) ([]preferences.OutreachMessage, error) {
	rows, err := q.QueryContext(ctx, query, args...)
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

// QueueOutreach stores the messages as queued, due now, in one transaction, and returns
// those it created: a message whose (guest, occasion, period) or (address, occasion,
// period) already exists is skipped, so no second run, restart, instance or duplicate
// guest record can create it twice. The caller sets ID and MessageID.
func (db *DB) QueueOutreach(ctx context.Context, msgs []preferences.OutreachMessage) ([]preferences.OutreachMessage, error) {
	created := []preferences.OutreachMessage{}
	ts := db.nowText()
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		created = created[:0]
		for _, m := range msgs {
			res, err := tx.ExecContext(ctx, `INSERT INTO outreach_messages (id, guest_id, occasion, period, email, address,
				language, subject, body_text, body_html, message_id, status, next_attempt_at, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?, 'queued', ?, ?, ?)
				ON CONFLICT DO NOTHING`,
				m.ID, m.GuestID, string(m.Kind), m.Period, m.Email, preferences.AddressKey(m.Email), m.Language,
				m.Subject, m.Text, m.HTML, m.MessageID, ts, ts, ts)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 1 {
				m.Status = preferences.OutboxQueued
				created = append(created, m)
			}
		}
		return nil
	})
	return created, err
}

// DueOutreach returns up to limit queued messages whose next attempt is due at now,
// oldest first.
func (db *DB) DueOutreach(ctx context.Context, now time.Time, limit int) ([]preferences.OutreachMessage, error) {
	return db.messages(ctx, db.read, `SELECT `+messageColumns+` FROM outreach_messages
		WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
		now.UTC().Format(TimeLayout), limit)
}

// ClaimOutreach moves a due queued message to sending for owner and counts the attempt,
// in one write transaction, so that of several instances exactly one claims it. It
// returns false when the message is no longer queued and due, or when the guest has
// meanwhile withdrawn consent or been erased (the message is then failed, not sent).
// done, when not nil, is the outcome of owner's previous attempt, recorded in the same
// transaction (one commit, one fsync, per message); it is recorded even when nothing
// is claimed.
func (db *DB) ClaimOutreach(ctx context.Context, id, owner string, now time.Time, done *preferences.OutreachResult) (bool, error) {
	claimed := false
	err := db.inTxPrompt(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if done != nil {
			if err := db.finishTx(ctx, tx, done.ID, owner, done.Outcome); err != nil {
				return err
			}
		}
		var reachable bool
		err := tx.QueryRowContext(ctx, `SELECT g.marketing_consent = 1 AND g.erased_at IS NULL AND g.email = o.email
			FROM outreach_messages o JOIN guests g ON g.id = o.guest_id
			WHERE o.id = ? AND o.status = 'queued' AND o.next_attempt_at <= ?`, id, now.UTC().Format(TimeLayout)).Scan(&reachable)
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return err
		}
		ts := db.nowText()
		if !reachable {
			_, err := tx.ExecContext(ctx, `UPDATE outreach_messages SET status = 'failed', next_attempt_at = NULL,
				last_error = 'not sent: the guest withdrew consent, changed address or was erased', updated_at = ? WHERE id = ?`, ts, id)
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE outreach_messages SET status = 'sending', attempts = attempts + 1,
			claimed_by = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ?`, owner, ts, id)
		claimed = err == nil
		return err
	})
	return claimed, err
}

// FinishOutreach records how the attempt of owner ended. A message that start-up marked
// unknown meanwhile still gets the known outcome.
func (db *DB) FinishOutreach(ctx context.Context, id, owner string, out preferences.OutreachOutcome) error {
	return db.inTxPrompt(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return db.finishTx(ctx, tx, id, owner, out)
	})
}

// finishTx records the outcome of owner's attempt at message id inside tx.
func (db *DB) finishTx(ctx context.Context, tx *sql.Tx, id, owner string, out preferences.OutreachOutcome) error {
	var next, sent any
	if out.NextAttemptAt != nil {
		next = out.NextAttemptAt.UTC().Format(TimeLayout)
	}
	ts := db.nowText()
	if out.Status == preferences.OutboxSent {
		sent = ts
	}
	_, err := tx.ExecContext(ctx, `UPDATE outreach_messages SET status = ?, last_error = ?, next_attempt_at = ?,
		sent_at = ?, updated_at = ? WHERE id = ? AND claimed_by = ? AND status IN ('sending', 'unknown')`,
		out.Status, out.Error, next, sent, ts, id, owner)
	return err
}

// RecoverOutreach marks every message left sending by a process that stopped mid-send
// as unknown: it may or may not have reached the mail server, so it is never retried.
func (db *DB) RecoverOutreach(ctx context.Context) (int, error) {
	var n int64
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outreach_messages SET status = 'unknown',
			last_error = 'interrupted while sending: delivery unknown, not retried', updated_at = ? WHERE status = 'sending'`, db.nowText())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// OutreachMessage returns one outbox message.
func (db *DB) OutreachMessage(ctx context.Context, id string) (preferences.OutreachMessage, error) {
	m, err := scanMessage(db.read.QueryRowContext(ctx, `SELECT `+messageColumns+` FROM outreach_messages WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return m, notFound("message")
	}
	return m, err
}

// OutreachMessages lists outbox messages, newest first, all or those with status.
func (db *DB) OutreachMessages(ctx context.Context, status string, limit int) ([]preferences.OutreachMessage, error) {
	if status == "" {
		return db.messages(ctx, db.read, `SELECT `+messageColumns+` FROM outreach_messages
			ORDER BY created_at DESC, id LIMIT ?`, limit)
	}
	return db.messages(ctx, db.read, `SELECT `+messageColumns+` FROM outreach_messages WHERE status = ?
		ORDER BY created_at DESC, id LIMIT ?`, status, limit)
}

// OutreachCounts counts the outbox messages by status (from the status index).
func (db *DB) OutreachCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT status, count(*) FROM outreach_messages GROUP BY status`)
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

// oldestQueuedQuery reads one entry of the status index (status, created_at).
const oldestQueuedQuery = `SELECT min(created_at) FROM outreach_messages WHERE status = 'queued'`

// OldestQueuedOutreach is when the oldest message still queued was created; the zero
// time when none is queued. The metrics read it at every scrape, so it must stay cheap.
func (db *DB) OldestQueuedOutreach(ctx context.Context) (time.Time, error) {
	var at sql.NullString
	if err := db.read.QueryRowContext(ctx, oldestQueuedQuery).Scan(&at); err != nil {
		return time.Time{}, err
	}
	if !at.Valid {
		return time.Time{}, nil
	}
	return parseTime(at.String), nil
}

// exportOutreach lists the letters written to the guest, for a data export.
func exportOutreach(ctx context.Context, db *DB, guestID string) (any, error) {
	return db.messages(ctx, db.read, `SELECT `+messageColumns+` FROM outreach_messages WHERE guest_id = ? ORDER BY created_at, id`, guestID)
}
