package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"regulars/preferences"
)

// sessionPrefix marks staff session ids.
const sessionPrefix = "rgs_"

// touchEvery limits how often a session's last_seen is written: at most once this often.
const touchEvery = 30 * time.Second

// CreateSession starts a staff session with 256 random bits and returns its id; only the
// id's SHA-256 is stored. Sessions past their lifetime are purged on the way.
func (db *DB) CreateSession(ctx context.Context, actor preferences.Actor, lifetime time.Duration) (string, error) {
	if actor.ID == "" || lifetime <= 0 {
		return "", errors.New("sqlite: CreateSession needs an authenticated staff user and a lifetime")
	}
	id, hash := newSecret(sessionPrefix)
	now := db.now()
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE expires_at < ?`, now.Format(TimeLayout)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO staff_sessions (id_hash, user_id, created_at, last_seen, expires_at) VALUES (?, ?, ?, ?, ?)`,
			hash, actor.ID, now.Format(TimeLayout), now.Format(TimeLayout), now.Add(lifetime).Format(TimeLayout))
		return err
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// SessionActor returns the staff member of a live session, refreshing its last use.
func (db *DB) SessionActor(ctx context.Context, id string, idle time.Duration) (preferences.Actor, error) {
	bad := preferences.Errorf(preferences.EUNAUTHORIZED, "Please sign in.")
	if !strings.HasPrefix(id, sessionPrefix) || len(id) > 100 {
		return preferences.Actor{}, bad
	}
	h := secretHash(id)
	var a preferences.Actor
	var role, lastSeen, expires string
	err := db.read.QueryRowContext(ctx, `SELECT u.id, u.name, u.role, s.last_seen, s.expires_at
		FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id
		WHERE s.id_hash = ? AND u.disabled_at IS NULL`, h).Scan(&a.ID, &a.Name, &role, &lastSeen, &expires)
	if err == sql.ErrNoRows {
		return preferences.Actor{}, bad
	}
	if err != nil {
		return preferences.Actor{}, err
	}
	now := db.now()
	seen, err1 := time.Parse(TimeLayout, lastSeen)
	exp, err2 := time.Parse(TimeLayout, expires)
	if err := errors.Join(err1, err2); err != nil {
		return preferences.Actor{}, err
	}
	if !now.Before(exp) || now.Sub(seen) > idle {
		if err := db.DeleteSession(ctx, id); err != nil {
			return preferences.Actor{}, err
		}
		return preferences.Actor{}, bad
	}
	if now.Sub(seen) >= touchEvery {
		if _, err := db.write.ExecContext(ctx, `UPDATE staff_sessions SET last_seen = ? WHERE id_hash = ?`, now.Format(TimeLayout), h); err != nil {
			return preferences.Actor{}, err
		}
	}
	a.Role = preferences.Role(role)
	return a, nil
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM staff_sessions WHERE id_hash = ?`, secretHash(id))
	return err
}

var _ preferences.SessionStore = (*DB)(nil)
