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

// CreateToken stores a new API token for role that never expires and returns it.
func (db *DB) CreateToken(ctx context.Context, role preferences.Role, name string) (string, error) {
	return db.CreateTokenFor(ctx, role, name, 0)
}

// CreateTokenFor stores a new API token for role, refused from validFor after now on
// (never when 0), and returns it; only its SHA-256 is kept. Tokens carry 256 random
// bits, so a fast hash is enough. ECONFLICT when a kiosk token would take the name of
// another kiosk token in force.
func (db *DB) CreateTokenFor(ctx context.Context, role preferences.Role, name string, validFor time.Duration) (string, error) {
	if _, err := preferences.ParseRole(string(role)); err != nil {
		return "", err
	}
	if err := checkStaffName(name); err != nil {
		return "", err
	}
	if validFor < 0 {
		return "", preferences.FieldErr("expires", "must be in the future")
	}
	var expires sql.NullString
	now := db.now()
	if validFor > 0 {
		expires = sql.NullString{String: now.Add(validFor).Format(TimeLayout), Valid: true}
	}
	token, hash := newSecret(tokenPrefix)
	// A kiosk token's name is unique among kiosk tokens in force: a manager allows
	// re-pairing a kiosk by it.
	res, err := db.write.ExecContext(ctx, `INSERT INTO api_tokens (id, name, role, token_hash, created_at, expires_at)
		SELECT ?, ?, ?, ?, ?, ? WHERE ? <> ? OR NOT EXISTS (SELECT 1 FROM api_tokens WHERE name = ? AND role = ? AND `+tokenInForce+`)`,
		newID("t"), name, string(role), hash, now.Format(TimeLayout), expires,
		string(role), string(preferences.RoleKiosk), name, string(preferences.RoleKiosk), now.Format(TimeLayout))
	if err != nil {
		return "", err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return "", errorOr(err, &preferences.Error{Code: preferences.ECONFLICT, Message: "A kiosk token with this name exists.",
			Fields: []preferences.FieldError{{Field: "name", Message: "is taken by another kiosk token"}}})
	}
	return token, nil
}

// tokenInForce is the condition on an api_tokens row that it may be used at the time
// bound to its one parameter: neither revoked nor expired.
const tokenInForce = `revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`

// TokenActor returns who a token belongs to, EUNAUTHORIZED if it is unknown, revoked or
// expired. It asks the database every time: a revocation by any process, or by another
// instance on a shared database, is refused at the next request. (A cache in the process
// would have to ask a revocation counter each time, which costs the same read.)
func (db *DB) TokenActor(ctx context.Context, token string) (preferences.Actor, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 100 {
		return preferences.Actor{}, preferences.Errorf(preferences.EUNAUTHORIZED, "invalid token")
	}
	sum := sha256.Sum256([]byte(token))
	row := make(driverRow, 3) // readRow: a microsecond less than QueryRow, on every API request
	err := db.readRow(ctx, row, `SELECT id, name, role FROM api_tokens WHERE token_hash = ? AND `+tokenInForce, sum[:], db.nowText())
	if err == sql.ErrNoRows {
		return preferences.Actor{}, preferences.Errorf(preferences.EUNAUTHORIZED, "invalid token")
	}
	if err != nil {
		return preferences.Actor{}, err
	}
	id := row.text(0)
	return preferences.Actor{ID: id, Name: row.text(1), Role: preferences.Role(row.text(2)), TokenID: id}, nil
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
	_ preferences.StaffAdmin      = (*DB)(nil)
)
