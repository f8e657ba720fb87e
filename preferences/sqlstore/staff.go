package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"regulars/preferences"
)

// The columns of an api_tokens row t that apiTokenDest takes, hash aside.
const apiTokenColumns = `t.id, t.name, t.role, t.created_at, t.expires_at, t.revoked_at, COALESCE(t.property_id, '')`

// apiTokenDest is where Scan puts apiTokenColumns.
func apiTokenDest(tok *preferences.StoredToken) []any {
	return []any{&tok.ID, &tok.Name, &tok.Role, scanAt(&tok.CreatedAt), scanAtOrNil(&tok.ExpiresAt), scanAtOrNil(&tok.RevokedAt),
		&tok.PropertyID}
}

func (t *tx) InsertToken(ctx context.Context, tok preferences.StoredToken) error {
	_, err := t.exec(ctx, `INSERT INTO api_tokens (id, name, role, token_hash, created_at, expires_at, property_id)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		tok.ID, tok.Name, string(tok.Role), tok.Hash, t.at(tok.CreatedAt), t.atOrNull(tok.ExpiresAt), nullIfEmpty(tok.PropertyID))
	return err
}

// nullIfEmpty is s, or NULL for "" (the group's scope; no property).
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (t *tx) TokenByHash(ctx context.Context, hash []byte) (preferences.StoredToken, error) {
	tok := preferences.StoredToken{Hash: hash}
	err := t.row(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens t WHERE t.token_hash = ?`, hash).Scan(apiTokenDest(&tok)...)
	if err == sql.ErrNoRows {
		return tok, notFound("token")
	}
	return tok, err
}

func (t *tx) TokensNamed(ctx context.Context, name string) ([]preferences.StoredToken, error) {
	return t.apiTokens(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens t WHERE t.name = ?`, name)
}

func (t *tx) AllTokens(ctx context.Context) ([]preferences.StoredToken, error) {
	return t.apiTokens(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens t`)
}

func (t *tx) apiTokens(ctx context.Context, query string, args ...any) ([]preferences.StoredToken, error) {
	return staffRows(t, ctx, query, args, func(sc *sql.Rows, tok *preferences.StoredToken) error { return sc.Scan(apiTokenDest(tok)...) })
}

func (t *tx) RevokeTokensNamed(ctx context.Context, name string, at time.Time) (int, error) {
	n, err := rowsAffected(t.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL`, t.at(at), name))
	return int(n), err
}

// The columns of a staff_users row u that staffUserDest takes.
const staffUserColumns = `u.id, u.name, u.role, u.password_hash, u.created_at, u.disabled_at, COALESCE(u.property_id, '')`

// staffUserDest is where Scan puts staffUserColumns.
func staffUserDest(u *preferences.StoredUser) []any {
	return []any{&u.ID, &u.Name, &u.Role, &u.PasswordHash, scanAt(&u.CreatedAt), scanAtOrNil(&u.DisabledAt), &u.PropertyID}
}

func (t *tx) InsertUser(ctx context.Context, u preferences.StoredUser) error {
	_, err := t.exec(ctx, `INSERT INTO staff_users (id, name, role, password_hash, created_at, property_id) VALUES (?, ?, ?, ?, ?, ?)`,
		u.ID, u.Name, string(u.Role), u.PasswordHash, t.at(u.CreatedAt), nullIfEmpty(u.PropertyID))
	return err
}

func (t *tx) UserByName(ctx context.Context, name string) (preferences.StoredUser, error) {
	var u preferences.StoredUser
	err := t.row(ctx, `SELECT `+staffUserColumns+` FROM staff_users u WHERE u.name = ?`, name).Scan(staffUserDest(&u)...)
	if err == sql.ErrNoRows {
		return u, notFound("staff login")
	}
	return u, err
}

func (t *tx) AllUsers(ctx context.Context) ([]preferences.StaffUser, error) {
	return staffRows(t, ctx, `SELECT u.name, u.role, u.created_at, u.disabled_at, COALESCE(p.code, '')
		FROM staff_users u LEFT JOIN properties p ON p.id = u.property_id`, nil,
		func(sc *sql.Rows, u *preferences.StaffUser) error {
			return sc.Scan(&u.Name, &u.Role, scanAt(&u.CreatedAt), scanAtOrNil(&u.DisabledAt), &u.Property)
		})
}

func (t *tx) DisableUser(ctx context.Context, userID string, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE staff_users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL`, t.at(at), userID)
	return err
}

func (t *tx) EnableUser(ctx context.Context, userID string) error {
	_, err := t.exec(ctx, `UPDATE staff_users SET disabled_at = NULL WHERE id = ?`, userID)
	return err
}

func (t *tx) SetPasswordHash(ctx context.Context, userID, hash string) error {
	_, err := t.exec(ctx, `UPDATE staff_users SET password_hash = ? WHERE id = ?`, hash, userID)
	return err
}

func (t *tx) InsertSession(ctx context.Context, s preferences.StoredSession) error {
	_, err := t.exec(ctx, `INSERT INTO staff_sessions (id_hash, user_id, created_at, last_seen, expires_at) VALUES (?, ?, ?, ?, ?)`,
		s.Hash, s.UserID, t.at(s.CreatedAt), t.at(s.LastSeen), t.at(s.ExpiresAt))
	return err
}

func (t *tx) SessionByHash(ctx context.Context, hash []byte) (preferences.StoredSession, preferences.StoredUser, error) {
	s := preferences.StoredSession{Hash: hash}
	var u preferences.StoredUser
	err := t.row(ctx, `SELECT `+staffUserColumns+`, s.created_at, s.last_seen, s.expires_at
		FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id WHERE s.id_hash = ?`, hash).
		Scan(append(staffUserDest(&u), scanAt(&s.CreatedAt), scanAt(&s.LastSeen), scanAt(&s.ExpiresAt))...)
	if err == sql.ErrNoRows {
		return s, u, notFound("session")
	}
	s.UserID = u.ID
	return s, u, err
}

func (t *tx) TouchSession(ctx context.Context, hash []byte, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE staff_sessions SET last_seen = ? WHERE id_hash = ? AND last_seen < ?`, t.at(at), hash, t.at(at))
	return err
}

func (t *tx) DeleteSession(ctx context.Context, hash []byte) error {
	_, err := t.exec(ctx, `DELETE FROM staff_sessions WHERE id_hash = ?`, hash)
	return err
}

func (t *tx) DeleteUserSessions(ctx context.Context, userID string) error {
	_, err := t.exec(ctx, `DELETE FROM staff_sessions WHERE user_id = ?`, userID)
	return err
}

func (t *tx) DeleteSessionsExpiredBefore(ctx context.Context, at time.Time) error {
	_, err := t.exec(ctx, `DELETE FROM staff_sessions WHERE expires_at < ?`, t.at(at))
	return err
}

func (t *tx) SaveServiceSetting(ctx context.Context, name, value string, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO service_settings (name, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, name, value, t.at(at))
	return err
}

func (t *tx) ServiceSettings(ctx context.Context) (map[string]string, error) {
	pairs, err := staffRows(t, ctx, `SELECT name, value FROM service_settings`, nil,
		func(sc *sql.Rows, p *[2]string) error { return sc.Scan(&p[0], &p[1]) })
	out := make(map[string]string, len(pairs))
	for _, p := range pairs {
		out[p[0]] = p[1]
	}
	return out, err
}

// staffRows runs query and scans each row into a new T.
func staffRows[T any](t *tx, ctx context.Context, query string, args []any, scan func(*sql.Rows, *T) error) ([]T, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
