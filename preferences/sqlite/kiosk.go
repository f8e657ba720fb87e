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
// the token itself is not kept with the device.
func (db *DB) PairKiosk(ctx context.Context, token preferences.Actor) (string, error) {
	if token.Role != preferences.RoleKiosk || token.ID == "" {
		return "", preferences.Errorf(preferences.EFORBIDDEN, "Only a kiosk token can pair a kiosk.")
	}
	secret, hash := newSecret(kioskSecretPrefix)
	_, err := db.write.ExecContext(ctx, `INSERT INTO kiosk_devices (id, token_id, name, secret_hash, paired_at) VALUES (?, ?, ?, ?, ?)`,
		newID("k"), token.ID, token.Name, hash, db.nowText())
	if err != nil {
		return "", err
	}
	return secret, nil
}

// KioskActor returns the kiosk a device secret belongs to, EUNAUTHORIZED when it is
// unknown, unpaired, or its token was revoked. The actor's ID is the device's.
func (db *DB) KioskActor(ctx context.Context, secret string) (preferences.Actor, error) {
	bad := preferences.Errorf(preferences.EUNAUTHORIZED, "This kiosk is not paired.")
	if len(secret) > 100 || len(secret) < len(kioskSecretPrefix)+1 || secret[:len(kioskSecretPrefix)] != kioskSecretPrefix {
		return preferences.Actor{}, bad
	}
	a := preferences.Actor{Role: preferences.RoleKiosk}
	err := db.read.QueryRowContext(ctx, `SELECT d.id, d.name FROM kiosk_devices d JOIN api_tokens t ON t.id = d.token_id
		WHERE d.secret_hash = ? AND d.revoked_at IS NULL AND t.revoked_at IS NULL AND t.role = ?`,
		secretHash(secret), string(preferences.RoleKiosk)).Scan(&a.ID, &a.Name)
	if err == sql.ErrNoRows {
		return preferences.Actor{}, bad
	}
	return a, err
}

// RecordKioskThrottle notes that kiosk was locked out until the given time.
func (db *DB) RecordKioskThrottle(ctx context.Context, kiosk preferences.Actor, failures int, until time.Time) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO kiosk_throttles (device_id, kiosk, failures, at, until) VALUES (?, ?, ?, ?, ?)`,
		kiosk.ID, kiosk.Name, failures, db.nowText(), until.UTC().Format(TimeLayout))
	return err
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
