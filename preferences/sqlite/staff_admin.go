package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"regulars/preferences"
)

// Tokens lists every API token by name, then age, with its state now.
func (db *DB) Tokens(ctx context.Context) ([]preferences.TokenInfo, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT name, role, created_at, expires_at, revoked_at FROM api_tokens ORDER BY name, created_at`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := db.now()
	var out []preferences.TokenInfo
	for rows.Next() {
		var t preferences.TokenInfo
		var role, created string
		var expires, revoked sql.NullString
		if err := rows.Scan(&t.Name, &role, &created, &expires, &revoked); err != nil {
			return nil, err
		}
		t.Role, t.CreatedAt, t.ExpiresAt, t.RevokedAt = preferences.Role(role), parseTime(created), nullTime(expires), nullTime(revoked)
		switch {
		case t.RevokedAt != nil:
			t.Status = preferences.TokenRevoked
		case t.ExpiresAt != nil && !now.Before(*t.ExpiresAt):
			t.Status = preferences.TokenExpired
		default:
			t.Status = preferences.TokenActive
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeTokens revokes every token named name not revoked yet (expired ones too, so
// that the list says they were) and returns how many; ENOTFOUND when there is none.
// TokenActor reads the database on every request, so they are refused from the next on.
func (db *DB) RevokeTokens(ctx context.Context, name string) (int, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL`, db.nowText(), name)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err == nil && n == 0 {
		err = preferences.Errorf(preferences.ENOTFOUND, "No token named %q is left to revoke.", name)
	}
	return int(n), err
}

// Users lists every staff login by name.
func (db *DB) Users(ctx context.Context) ([]preferences.StaffUser, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT name, role, created_at, disabled_at FROM staff_users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []preferences.StaffUser
	for rows.Next() {
		var u preferences.StaffUser
		var role, created string
		var disabled sql.NullString
		if err := rows.Scan(&u.Name, &role, &created, &disabled); err != nil {
			return nil, err
		}
		u.Role, u.CreatedAt, u.DisabledAt = preferences.Role(role), parseTime(created), nullTime(disabled)
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetUserDisabled disables the login named name (keeping the first time it was) and
// deletes its sessions, or enables it again. SessionActor checks disabled_at too, so a
// session in use elsewhere is refused at its next request either way.
func (db *DB) SetUserDisabled(ctx context.Context, name string, disabled bool) error {
	stmt := `UPDATE staff_users SET disabled_at = NULL WHERE name = ?`
	args := []any{strings.TrimSpace(name)}
	if disabled {
		stmt = `UPDATE staff_users SET disabled_at = coalesce(disabled_at, ?) WHERE name = ?`
		args = append([]any{db.nowText()}, args...)
	}
	return db.changeUser(ctx, name, disabled, stmt, args...)
}

// ResetPassword gives the login named name a new generated password, returned once, and
// ends its sessions.
func (db *DB) ResetPassword(ctx context.Context, name string) (string, error) {
	password := preferences.NewSecret(16)
	err := db.changeUser(ctx, name, true, `UPDATE staff_users SET password_hash = ? WHERE name = ?`,
		preferences.HashPassword(password), strings.TrimSpace(name))
	if err != nil {
		return "", err
	}
	return password, nil
}

// changeUser runs stmt, which changes the login named name, and when endSessions deletes
// its sessions in the same transaction; ENOTFOUND when stmt changed no row.
func (db *DB) changeUser(ctx context.Context, name string, endSessions bool, stmt string, args ...any) error {
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, stmt, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errorOr(err, preferences.Errorf(preferences.ENOTFOUND, "No staff login is named %q.", strings.TrimSpace(name)))
		}
		if !endSessions {
			return nil
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE user_id = (SELECT id FROM staff_users WHERE name = ?)`,
			strings.TrimSpace(name))
		return err
	})
}
