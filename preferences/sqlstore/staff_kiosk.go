package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"regulars/preferences"
)

func (t *tx) InsertKioskDevice(ctx context.Context, d preferences.KioskDevice) error {
	_, err := t.exec(ctx, `INSERT INTO kiosk_devices (id, token_id, name, secret_hash, paired_at) VALUES (?, ?, ?, ?, ?)`,
		d.ID, d.TokenID, d.Name, d.SecretHash, t.at(d.PairedAt))
	return err
}

func (t *tx) PairedKioskDevices(ctx context.Context, tokenID string) (int, error) {
	var n int
	err := t.row(ctx, `SELECT count(*) FROM kiosk_devices WHERE token_id = ? AND revoked_at IS NULL`, tokenID).Scan(&n)
	return n, err
}

func (t *tx) KioskDeviceBySecret(ctx context.Context, hash []byte) (preferences.KioskDevice, preferences.StoredToken, error) {
	d := preferences.KioskDevice{SecretHash: hash}
	var tok preferences.StoredToken
	err := t.row(ctx, `SELECT d.id, d.token_id, d.name, d.paired_at, d.revoked_at, `+apiTokenColumns+`
		FROM kiosk_devices d JOIN api_tokens t ON t.id = d.token_id WHERE d.secret_hash = ?`, hash).
		Scan(append([]any{&d.ID, &d.TokenID, &d.Name, scanAt(&d.PairedAt), scanAtOrNil(&d.RevokedAt)}, apiTokenDest(&tok)...)...)
	if err == sql.ErrNoRows {
		return d, tok, notFound("kiosk device")
	}
	return d, tok, err
}

func (t *tx) UnpairKioskDevices(ctx context.Context, tokenID string, at time.Time) (int, error) {
	n, err := rowsAffected(t.exec(ctx, `UPDATE kiosk_devices SET revoked_at = ? WHERE token_id = ? AND revoked_at IS NULL`, t.at(at), tokenID))
	return int(n), err
}

func (t *tx) LastKioskLockout(ctx context.Context, tokenID string) (time.Time, error) {
	var until *time.Time
	err := t.row(ctx, `SELECT max(until) FROM kiosk_throttles WHERE token_id = ?`, tokenID).Scan(scanAtOrNil(&until))
	if err != nil || until == nil {
		return time.Time{}, err
	}
	return *until, nil
}

func (t *tx) DeleteKioskFailuresUpTo(ctx context.Context, at time.Time) error {
	_, err := t.exec(ctx, `DELETE FROM kiosk_failures WHERE at <= ?`, t.at(at))
	return err
}

func (t *tx) InsertKioskFailure(ctx context.Context, tokenID string, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO kiosk_failures (token_id, at) VALUES (?, ?)`, tokenID, t.at(at))
	return err
}

func (t *tx) CountKioskFailures(ctx context.Context, tokenID string) (int, error) {
	var n int
	err := t.row(ctx, `SELECT count(*) FROM kiosk_failures WHERE token_id = ?`, tokenID).Scan(&n)
	return n, err
}

func (t *tx) DeleteKioskFailures(ctx context.Context, tokenID string) error {
	_, err := t.exec(ctx, `DELETE FROM kiosk_failures WHERE token_id = ?`, tokenID)
	return err
}

func (t *tx) InsertKioskLockout(ctx context.Context, l preferences.KioskLockout) error {
	_, err := t.exec(ctx, `INSERT INTO kiosk_throttles (device_id, token_id, kiosk, failures, at, until, property_id)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, l.DeviceID, l.TokenID, l.Kiosk, l.Failures, t.at(l.At), t.at(l.Until), l.PropertyID)
	return err
}

func (t *tx) KioskLockoutsSince(ctx context.Context, propertyID string, since time.Time, limit int) ([]preferences.KioskThrottle, error) {
	return staffRows(t, ctx, `SELECT kiosk, failures, at, until FROM kiosk_throttles WHERE property_id = ? AND at >= ?
		ORDER BY at DESC, id DESC LIMIT ?`,
		[]any{propertyID, t.at(since), limit}, func(sc *sql.Rows, k *preferences.KioskThrottle) error {
			return sc.Scan(&k.Kiosk, &k.Failures, scanAt(&k.At), scanAt(&k.Until))
		})
}
