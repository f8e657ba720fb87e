package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"regulars/preferences"
)

func (t *tx) InsertScheduledRun(ctx context.Context, job, slot, owner string, now, leaseUntil time.Time) (bool, error) {
	return changedAny(t.exec(ctx, `INSERT INTO scheduled_runs (job, slot, claimed_by, claimed_at, lease_until)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, job, slot, owner, t.at(now), t.at(leaseUntil)))
}

// TakeOverScheduledRun is one conditional UPDATE: of several instances taking over the
// same abandoned claim, PostgreSQL re-checks the lease once the first has committed.
func (t *tx) TakeOverScheduledRun(ctx context.Context, job, slot, owner string, now, leaseUntil time.Time) (bool, error) {
	return changedAny(t.exec(ctx, `UPDATE scheduled_runs SET claimed_by = ?, lease_until = ?
		WHERE job = ? AND slot = ? AND done_at IS NULL AND lease_until <= ?`,
		owner, t.at(leaseUntil), job, slot, t.at(now)))
}

func (t *tx) FinishScheduledRun(ctx context.Context, job, slot, owner string, now time.Time) error {
	_, err := t.exec(ctx, `UPDATE scheduled_runs SET done_at = ? WHERE job = ? AND slot = ? AND claimed_by = ?`,
		t.at(now), job, slot, owner)
	return err
}

func (t *tx) DeleteScheduledRunsBefore(ctx context.Context, at time.Time) error {
	_, err := t.exec(ctx, `DELETE FROM scheduled_runs WHERE claimed_at < ?`, t.at(at))
	return err
}

// LockSignInThrottle's upsert takes the row lock on PostgreSQL even when the row exists:
// instances counting the same key's failures take turns.
func (t *tx) LockSignInThrottle(ctx context.Context, key []byte, now time.Time) (preferences.SignInThrottle, error) {
	return scanSignInThrottle(t.row(ctx, `INSERT INTO signin_throttles (key, updated_at) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING failures, blocked_until`, key, t.at(now)))
}

func (t *tx) SaveSignInThrottle(ctx context.Context, key []byte, th preferences.SignInThrottle, now time.Time) error {
	var until *time.Time
	if !th.BlockedUntil.IsZero() {
		until = &th.BlockedUntil
	}
	ms := make([]string, len(th.Failures))
	for i, f := range th.Failures {
		ms[i] = strconv.FormatInt(f.UnixMilli(), 10)
	}
	_, err := t.exec(ctx, `UPDATE signin_throttles SET failures = ?, blocked_until = ?, updated_at = ? WHERE key = ?`,
		strings.Join(ms, " "), t.atOrNull(until), t.at(now), key)
	return err
}

func (t *tx) SignInThrottleByKey(ctx context.Context, key []byte) (preferences.SignInThrottle, error) {
	th, err := scanSignInThrottle(t.row(ctx, `SELECT failures, blocked_until FROM signin_throttles WHERE key = ?`, key))
	if err == sql.ErrNoRows {
		return preferences.SignInThrottle{}, nil
	}
	return th, err
}

func scanSignInThrottle(row *sql.Row) (preferences.SignInThrottle, error) {
	var (
		th       preferences.SignInThrottle
		failures string
		until    *time.Time
	)
	if err := row.Scan(&failures, scanAtOrNil(&until)); err != nil {
		return th, err
	}
	if until != nil {
		th.BlockedUntil = *until
	}
	for _, f := range strings.Fields(failures) {
		ms, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return th, err
		}
		th.Failures = append(th.Failures, time.UnixMilli(ms).UTC())
	}
	return th, nil
}

// DeleteIdleSignInThrottles skips the rows another transaction has locked (PostgreSQL):
// it never waits, so it cannot deadlock with the sign-ins counting failures.
func (t *tx) DeleteIdleSignInThrottles(ctx context.Context, at time.Time) error {
	idle := `SELECT key FROM signin_throttles WHERE updated_at <= ? AND (blocked_until IS NULL OR blocked_until <= ?)`
	if t.s.d.Name == "postgres" {
		idle += ` FOR UPDATE SKIP LOCKED`
	}
	_, err := t.exec(ctx, `DELETE FROM signin_throttles WHERE key IN (`+idle+`)`, t.at(at), t.at(at))
	return err
}

// LockKioskToken is an UPDATE that changes nothing: it takes the row lock on both engines'
// SQL alike.
func (t *tx) LockKioskToken(ctx context.Context, tokenID string) error {
	_, err := t.exec(ctx, `UPDATE api_tokens SET id = id WHERE id = ?`, tokenID)
	return err
}

func (t *tx) InsertKioskSession(ctx context.Context, s preferences.StoredKioskSession) error {
	_, err := t.exec(ctx, `INSERT INTO kiosk_sessions (id_hash, device, guest_id, nights, seen_at) VALUES (?, ?, ?, ?, ?)`,
		s.Hash, s.Device, s.GuestID, s.Nights, t.at(s.SeenAt))
	return err
}

func (t *tx) TouchKioskSession(ctx context.Context, hash []byte, device string, since, now time.Time) (preferences.StoredKioskSession, error) {
	s := preferences.StoredKioskSession{Hash: hash, Device: device, SeenAt: now}
	err := t.row(ctx, `UPDATE kiosk_sessions SET seen_at = ? WHERE id_hash = ? AND device = ? AND seen_at > ?
		RETURNING guest_id, nights`, t.at(now), hash, device, t.at(since)).Scan(&s.GuestID, &s.Nights)
	if err == sql.ErrNoRows {
		return s, notFound("kiosk session")
	}
	return s, err
}

func (t *tx) DeleteKioskSession(ctx context.Context, hash []byte) error {
	_, err := t.exec(ctx, `DELETE FROM kiosk_sessions WHERE id_hash = ?`, hash)
	return err
}

func (t *tx) DeleteKioskSessionsIdleSince(ctx context.Context, at time.Time) error {
	_, err := t.exec(ctx, `DELETE FROM kiosk_sessions WHERE seen_at <= ?`, t.at(at))
	return err
}
