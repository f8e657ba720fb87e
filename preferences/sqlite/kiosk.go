package sqlite

import (
	"context"
	"database/sql"
	"time"

	"regulars/preferences"
)

// kioskSecretPrefix marks kiosk device secrets (the value of the device cookie).
const kioskSecretPrefix = "rgk_"

// PairKiosk registers a new kiosk device for a kiosk-role actor (from TokenActor) and
// returns the device secret to keep in its cookie. Only the secret's SHA-256 is stored;
// the token itself is not kept with the device. A token pairs one device: while it has
// one, pairing again is ECONFLICT until a manager allows re-pairing (AllowKioskRepair).
func (db *DB) PairKiosk(ctx context.Context, token preferences.Actor) (string, error) {
	if token.Role != preferences.RoleKiosk || token.ID == "" {
		return "", preferences.Errorf(preferences.EFORBIDDEN, "Only a kiosk token can pair a kiosk.")
	}
	secret, hash := newSecret(kioskSecretPrefix)
	// One statement checks and inserts, so two pairings at once cannot both succeed.
	res, err := db.write.ExecContext(ctx, `INSERT INTO kiosk_devices (id, token_id, name, secret_hash, paired_at)
		SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM kiosk_devices WHERE token_id = ? AND revoked_at IS NULL)`,
		newID("k"), token.ID, token.Name, hash, db.nowText(), token.ID)
	if err != nil {
		return "", err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return "", errorOr(err, preferences.Errorf(preferences.ECONFLICT,
			"This kiosk token already pairs another kiosk. A manager must allow re-pairing first."))
	}
	return secret, nil
}

// errorOr returns err, or other when err is nil.
func errorOr(err, other error) error {
	if err != nil {
		return err
	}
	return other
}

// AllowKioskRepair unpairs, at once, the device of the active kiosk token named name, so
// that the token can pair one device again. It returns how many devices were unpaired
// (0 when none was paired); ENOTFOUND when no active kiosk token has the name, ECONFLICT
// when several have (tokens created before names were unique for kiosks).
func (db *DB) AllowKioskRepair(ctx context.Context, name string) (int, error) {
	var unpaired int
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var ids []string
		rows, err := tx.QueryContext(ctx, `SELECT id FROM api_tokens WHERE name = ? AND role = ? AND `+tokenInForce,
			name, string(preferences.RoleKiosk), db.nowText())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		switch len(ids) {
		case 0:
			return preferences.Errorf(preferences.ENOTFOUND, "No active kiosk token has this name.")
		case 1:
		default:
			return preferences.Errorf(preferences.ECONFLICT, "Several kiosk tokens have this name; revoke all but one.")
		}
		res, err := tx.ExecContext(ctx, `UPDATE kiosk_devices SET revoked_at = ? WHERE token_id = ? AND revoked_at IS NULL`,
			db.nowText(), ids[0])
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		unpaired = int(n)
		return err
	})
	return unpaired, err
}

// KioskActor returns the kiosk a device secret belongs to, EUNAUTHORIZED when it is
// unknown, unpaired, or its token was revoked or has expired. The actor's ID is the
// device's, its TokenID the token's it was paired with.
func (db *DB) KioskActor(ctx context.Context, secret string) (preferences.Actor, error) {
	bad := preferences.Errorf(preferences.EUNAUTHORIZED, "This kiosk is not paired.")
	if len(secret) > 100 || len(secret) < len(kioskSecretPrefix)+1 || secret[:len(kioskSecretPrefix)] != kioskSecretPrefix {
		return preferences.Actor{}, bad
	}
	a := preferences.Actor{Role: preferences.RoleKiosk}
	err := db.read.QueryRowContext(ctx, `SELECT d.id, d.name, t.id FROM kiosk_devices d JOIN api_tokens t ON t.id = d.token_id
		WHERE d.secret_hash = ? AND d.revoked_at IS NULL AND t.role = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)`,
		secretHash(secret), string(preferences.RoleKiosk), db.nowText()).Scan(&a.ID, &a.Name, &a.TokenID)
	if err == sql.ErrNoRows {
		return preferences.Actor{}, bad
	}
	return a, err
}

// KioskLockedUntil returns until when the kiosk token is locked out at now; the zero
// time when it is not.
func (db *DB) KioskLockedUntil(ctx context.Context, tokenID string, now time.Time) (time.Time, error) {
	var until sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT max(until) FROM kiosk_throttles WHERE token_id = ? AND until > ?`,
		tokenID, now.UTC().Format(TimeLayout)).Scan(&until)
	if err != nil || !until.Valid {
		return time.Time{}, err
	}
	return parseTime(until.String), nil
}

// RecordKioskFailure records a failed identification by kiosk at now against its token.
// When it makes max failures of the token within window, the token is locked out for
// window (recorded for the front desk, KioskThrottles) and the end is returned; otherwise
// the zero time. A success in between does not forget failures.
func (db *DB) RecordKioskFailure(ctx context.Context, kiosk preferences.Actor, now time.Time, window time.Duration, max int) (time.Time, error) {
	if kiosk.TokenID == "" {
		return time.Time{}, preferences.Errorf(preferences.EFORBIDDEN, "Only a kiosk can fail an identification.")
	}
	at, since := now.UTC().Format(TimeLayout), now.Add(-window).UTC().Format(TimeLayout)
	var until time.Time
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		until = time.Time{} // the change may run again after a failed group
		// Every kiosk's failures older than the window count no more.
		if _, err := tx.ExecContext(ctx, `DELETE FROM kiosk_failures WHERE at <= ?`, since); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO kiosk_failures (token_id, at) VALUES (?, ?)`, kiosk.TokenID, at); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM kiosk_failures WHERE token_id = ?`, kiosk.TokenID).Scan(&n); err != nil {
			return err
		}
		if n < max {
			return nil
		}
		until = now.Add(window)
		if _, err := tx.ExecContext(ctx, `DELETE FROM kiosk_failures WHERE token_id = ?`, kiosk.TokenID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO kiosk_throttles (device_id, token_id, kiosk, failures, at, until) VALUES (?, ?, ?, ?, ?, ?)`,
			kiosk.ID, kiosk.TokenID, kiosk.Name, n, at, until.UTC().Format(TimeLayout))
		return err
	})
	return until, err
}

// KioskThrottles lists the lock-outs that began at or after since, newest first.
func (db *DB) KioskThrottles(ctx context.Context, since time.Time) ([]preferences.KioskThrottle, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT kiosk, failures, at, until FROM kiosk_throttles WHERE at >= ? ORDER BY at DESC, id DESC LIMIT 200`,
		since.UTC().Format(TimeLayout))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := db.now()
	out := []preferences.KioskThrottle{}
	for rows.Next() {
		var k preferences.KioskThrottle
		var at, until string
		if err := rows.Scan(&k.Kiosk, &k.Failures, &at, &until); err != nil {
			return nil, err
		}
		k.At, k.Until = parseTime(at), parseTime(until)
		k.Active = now.Before(k.Until)
		out = append(out, k)
	}
	return out, rows.Err()
}
