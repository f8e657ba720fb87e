package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"strings"
	"time"

	"regulars/preferences"
)

// tokenPrefix marks Regulars API tokens so that a leaked one is recognisable in a scan.
const tokenPrefix = "rgl_"

// CreateToken stores a new API token for role and returns it; only its SHA-256 is kept.
// Tokens carry 256 random bits, so a fast hash is enough. ECONFLICT when a kiosk token
// would take the name of another active kiosk token.
func (db *DB) CreateToken(ctx context.Context, role preferences.Role, name string) (string, error) {
	if _, err := preferences.ParseRole(string(role)); err != nil {
		return "", err
	}
	if err := checkStaffName(name); err != nil {
		return "", err
	}
	token, hash := newSecret(tokenPrefix)
	// A kiosk token's name is unique among active kiosk tokens: a manager allows
	// re-pairing a kiosk by it.
	res, err := db.write.ExecContext(ctx, `INSERT INTO api_tokens (id, name, role, token_hash, created_at)
		SELECT ?, ?, ?, ?, ? WHERE ? <> ? OR NOT EXISTS (SELECT 1 FROM api_tokens WHERE name = ? AND role = ? AND revoked_at IS NULL)`,
		newID("t"), name, string(role), hash, db.nowText(), string(role), string(preferences.RoleKiosk), name, string(preferences.RoleKiosk))
	if err != nil {
		return "", err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return "", errorOr(err, &preferences.Error{Code: preferences.ECONFLICT, Message: "A kiosk token with this name exists.",
			Fields: []preferences.FieldError{{Field: "name", Message: "is taken by another kiosk token"}}})
	}
	return token, nil
}

// TokenActor returns who a token belongs to, EUNAUTHORIZED if it is unknown or revoked.
func (db *DB) TokenActor(ctx context.Context, token string) (preferences.Actor, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 100 {
		return preferences.Actor{}, preferences.Errorf(preferences.EUNAUTHORIZED, "invalid token")
	}
	sum := sha256.Sum256([]byte(token))
	if a, ok := db.tokens.get(sum, time.Now()); ok {
		return a, nil
	}
	var a preferences.Actor
	var role string
	err := db.read.QueryRowContext(ctx, `SELECT id, name, role FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL`, sum[:]).Scan(&a.ID, &a.Name, &role)
	if err == sql.ErrNoRows {
		return a, preferences.Errorf(preferences.EUNAUTHORIZED, "invalid token")
	}
	a.Role, a.TokenID = preferences.Role(role), a.ID
	if err == nil {
		db.tokens.put(sum, a, time.Now())
	}
	return a, err
}

// CreateUser stores a staff login with a generated password, returned once.
func (db *DB) CreateUser(ctx context.Context, name string, role preferences.Role) (string, error) {
	if _, err := preferences.ParseRole(string(role)); err != nil {
		return "", err
	}
	name = strings.TrimSpace(name)
	if err := checkStaffName(name); err != nil {
		return "", err
	}
	password := preferences.NewSecret(16)
	_, err := db.write.ExecContext(ctx, `INSERT INTO staff_users (id, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		newID("u"), name, string(role), preferences.HashPassword(password), db.nowText())
	if isUnique(err) {
		return "", &preferences.Error{Code: preferences.ECONFLICT, Message: "A staff user with this name exists.",
			Fields: []preferences.FieldError{{Field: "name", Message: "is taken"}}}
	}
	if err != nil {
		return "", err
	}
	return password, nil
}

// Authenticate checks a staff login. Wrong names and wrong passwords get the same error
// and take the same time.
func (db *DB) Authenticate(ctx context.Context, name, password string) (preferences.Actor, error) {
	var a preferences.Actor
	var role, hash string
	err := db.read.QueryRowContext(ctx, `SELECT id, name, role, password_hash FROM staff_users WHERE name = ? AND disabled_at IS NULL`,
		strings.TrimSpace(name)).Scan(&a.ID, &a.Name, &role, &hash)
	bad := preferences.Errorf(preferences.EUNAUTHORIZED, "wrong name or password")
	if err == sql.ErrNoRows {
		preferences.CheckNoUser(password)
		return preferences.Actor{}, bad
	}
	if err != nil {
		return preferences.Actor{}, err
	}
	if !preferences.CheckPassword(hash, password) {
		return preferences.Actor{}, bad
	}
	a.Role = preferences.Role(role)
	return a, nil
}

func checkStaffName(name string) error {
	if strings.TrimSpace(name) == "" {
		return preferences.FieldErr("name", "is required")
	}
	if msg := preferences.TextProblem(name, 64, false); msg != "" {
		return preferences.FieldErr("name", "%s", msg)
	}
	return nil
}

// Compile-time checks that DB implements the domain's store interfaces.
var (
	_ preferences.GuestStore      = (*DB)(nil)
	_ preferences.PreferenceStore = (*DB)(nil)
	_ preferences.AuditLog        = (*DB)(nil)
	_ preferences.StaffStore      = (*DB)(nil)
)
