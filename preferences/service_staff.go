package preferences

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// CreateToken stores a new API token for role that never expires and returns it.
func (s *Service) CreateToken(ctx context.Context, role Role, name string) (string, error) {
	return s.CreateTokenFor(ctx, role, name, 0)
}

// CreateTokenFor is CreateScopedToken with the default scope (see staffScope).
func (s *Service) CreateTokenFor(ctx context.Context, role Role, name string, validFor time.Duration) (string, error) {
	return s.CreateScopedToken(ctx, role, name, validFor, "")
}

// CreateScopedToken stores a new API token for role acting for the property coded
// property (see staffScope), refused from validFor after now on (never when 0), and
// returns it; only its SHA-256 is kept. ECONFLICT when a kiosk token would take the
// name of another kiosk token in force: a manager re-pairs a kiosk by it.
func (s *Service) CreateScopedToken(ctx context.Context, role Role, name string, validFor time.Duration, property string) (string, error) {
	if _, err := ParseRole(string(role)); err != nil {
		return "", err
	}
	if err := checkStaffName(name); err != nil {
		return "", err
	}
	if validFor < 0 {
		return "", FieldErr("expires", "must be in the future")
	}
	now := s.Now()
	token, hash := newBearer(apiTokenPrefix)
	t := StoredToken{ID: NewID("t"), Name: name, Role: role, Hash: hash, CreatedAt: now}
	if validFor > 0 {
		expires := now.Add(validFor)
		t.ExpiresAt = &expires
	}
	taken := &Error{Code: ECONFLICT, Message: "A kiosk token with this name exists.",
		Fields: []FieldError{{Field: "name", Message: "is taken by another kiosk token"}}}
	err := s.repo.Write(ctx, func(tx Tx) (err error) {
		if t.PropertyID, err = staffScope(ctx, tx, role, property); err != nil {
			return err
		}
		if role == RoleKiosk {
			ids, err := kioskTokensInForce(ctx, tx, name, now)
			if err != nil {
				return err
			}
			if len(ids) > 0 {
				return taken
			}
		}
		return tx.InsertToken(ctx, t)
	})
	// Two instances creating a kiosk token of one name at once on a shared PostgreSQL:
	// the later meets a unique index (for tokens that never expire; see 0003_staff.sql).
	if ErrorCode(err) == ECONFLICT {
		return "", taken
	}
	if err != nil {
		return "", err
	}
	return token, nil
}

// propertyCodes maps the properties' IDs to their codes.
func propertyCodes(ctx context.Context, tx Tx) (map[string]string, error) {
	list, err := tx.Properties(ctx)
	codes := make(map[string]string, len(list))
	for _, p := range list {
		codes[p.ID] = p.Code
	}
	return codes, err
}

// staffScope is the property an account or token of role acts for, by code: the one
// named; without one, the only property of a group of one, or else the group (""),
// which only a manager may have. EINVALID naming property otherwise.
func staffScope(ctx context.Context, tx Tx, role Role, code string) (string, error) {
	if code = strings.ToUpper(strings.TrimSpace(code)); code != "" {
		p, err := tx.PropertyByCode(ctx, code)
		if ErrorCode(err) == ENOTFOUND {
			return "", FieldErr("property", "names no property of the group")
		}
		return p.ID, err
	}
	list, err := tx.Properties(ctx)
	switch {
	case err != nil:
		return "", err
	case len(list) == 1:
		return list[0].ID, nil
	case role != RoleManager:
		return "", FieldErr("property", "is required for the %s role: the group has several properties, and only a manager may act for the whole group", role)
	}
	return "", nil
}

// inForce reports whether the token may be used at now: neither revoked nor expired.
func (t StoredToken) inForce(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt))
}

// kioskTokensInForce returns the ids of the kiosk tokens named name in force at now.
func kioskTokensInForce(ctx context.Context, tx Tx, name string, now time.Time) ([]string, error) {
	named, err := tx.TokensNamed(ctx, name)
	var ids []string
	for _, t := range named {
		if t.Role == RoleKiosk && t.inForce(now) {
			ids = append(ids, t.ID)
		}
	}
	return ids, err
}

// TokenActor returns who a token belongs to, EUNAUTHORIZED if it is unknown, revoked or
// expired. It asks the store every time: a revocation by any process, or by another
// instance on a shared database, is refused at the next request.
func (s *Service) TokenActor(ctx context.Context, token string) (Actor, error) {
	bad := Errorf(EUNAUTHORIZED, "invalid token")
	if !bearerShaped(token, apiTokenPrefix) {
		return Actor{}, bad
	}
	t, err := staffRead(ctx, s.repo, func(tx Tx) (StoredToken, error) { return tx.TokenByHash(ctx, bearerHash(token)) })
	if ErrorCode(err) == ENOTFOUND || (err == nil && !t.inForce(s.Now())) {
		return Actor{}, bad
	}
	if err != nil {
		return Actor{}, err
	}
	return Actor{ID: t.ID, Name: t.Name, Role: t.Role, TokenID: t.ID, PropertyID: t.PropertyID}, nil
}

// Tokens lists every API token by name, then age, with its state now.
func (s *Service) Tokens(ctx context.Context) ([]TokenInfo, error) {
	var codes map[string]string
	stored, err := staffRead(ctx, s.repo, func(tx Tx) ([]StoredToken, error) {
		var err error
		if codes, err = propertyCodes(ctx, tx); err != nil {
			return nil, err
		}
		return tx.AllTokens(ctx)
	})
	if err != nil {
		return nil, err
	}
	// Sorted here, byte-wise: a database's collation would order names differently.
	slices.SortStableFunc(stored, func(a, b StoredToken) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), a.CreatedAt.Compare(b.CreatedAt))
	})
	now := s.Now()
	out := make([]TokenInfo, 0, len(stored))
	for _, t := range stored {
		info := TokenInfo{Name: t.Name, Role: t.Role, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, RevokedAt: t.RevokedAt, Status: TokenActive,
			Property: codes[t.PropertyID]}
		switch {
		case t.RevokedAt != nil:
			info.Status = TokenRevoked
		case !t.inForce(now):
			info.Status = TokenExpired
		}
		out = append(out, info)
	}
	return out, nil
}

// RevokeTokens revokes every token named name not revoked yet (expired ones too, so
// that the list says they were) and returns how many; ENOTFOUND when there is none.
func (s *Service) RevokeTokens(ctx context.Context, name string) (int, error) {
	var n int
	err := s.repo.Write(ctx, func(tx Tx) (err error) {
		n, err = tx.RevokeTokensNamed(ctx, name, s.Now())
		if err == nil && n == 0 {
			err = Errorf(ENOTFOUND, "No token named %q is left to revoke.", name)
		}
		return err
	})
	return n, err
}

// CreateUser is CreateScopedUser with the default scope (see staffScope).
func (s *Service) CreateUser(ctx context.Context, name string, role Role) (string, error) {
	return s.CreateScopedUser(ctx, name, role, "")
}

// CreateScopedUser stores a staff login acting for the property coded property (see
// staffScope) with a generated password, returned once.
func (s *Service) CreateScopedUser(ctx context.Context, name string, role Role, property string) (string, error) {
	if _, err := ParseRole(string(role)); err != nil {
		return "", err
	}
	if role == RoleRelay {
		return "", FieldErr("role", "relay is for a mail relay's API token, not a staff login")
	}
	name = strings.TrimSpace(name)
	if err := checkStaffName(name); err != nil {
		return "", err
	}
	password := NewSecret(16)
	u := StoredUser{ID: NewID("u"), Name: name, Role: role, PasswordHash: HashPassword(password), CreatedAt: s.Now()}
	err := s.repo.Write(ctx, func(tx Tx) (err error) {
		if u.PropertyID, err = staffScope(ctx, tx, role, property); err != nil {
			return err
		}
		return tx.InsertUser(ctx, u)
	})
	if ErrorCode(err) == ECONFLICT {
		return "", &Error{Code: ECONFLICT, Message: "A staff user with this name exists.",
			Fields: []FieldError{{Field: "name", Message: "is taken"}}, Err: err}
	}
	if err != nil {
		return "", err
	}
	return password, nil
}

// Authenticate checks a staff login; a disabled one is refused. Wrong names and wrong
// passwords get the same error and take the same time.
func (s *Service) Authenticate(ctx context.Context, name, password string) (Actor, error) {
	bad := Errorf(EUNAUTHORIZED, "wrong name or password")
	u, err := staffRead(ctx, s.repo, func(tx Tx) (StoredUser, error) { return tx.UserByName(ctx, strings.TrimSpace(name)) })
	if ErrorCode(err) == ENOTFOUND || (err == nil && u.DisabledAt != nil) {
		CheckNoUser(password)
		return Actor{}, bad
	}
	if err != nil {
		return Actor{}, err
	}
	if !CheckPassword(u.PasswordHash, password) {
		return Actor{}, bad
	}
	return Actor{ID: u.ID, Name: u.Name, Role: u.Role, PropertyID: u.PropertyID}, nil
}

// Users lists every staff login by name.
func (s *Service) Users(ctx context.Context) ([]StaffUser, error) {
	users, err := staffRead(ctx, s.repo, func(tx Tx) ([]StaffUser, error) { return tx.AllUsers(ctx) })
	slices.SortFunc(users, func(a, b StaffUser) int { return strings.Compare(a.Name, b.Name) })
	return users, err
}

// SetUserDisabled disables the login named name (keeping the first time it was) and
// deletes its sessions, or enables it again. SessionActor checks the login too, so a
// session in use elsewhere is refused at its next request either way.
func (s *Service) SetUserDisabled(ctx context.Context, name string, disabled bool) error {
	return s.changeStaffUser(ctx, name, func(tx Tx, u StoredUser) error {
		if !disabled {
			return tx.EnableUser(ctx, u.ID)
		}
		if err := tx.DisableUser(ctx, u.ID, s.Now()); err != nil {
			return err
		}
		return tx.DeleteUserSessions(ctx, u.ID)
	})
}

// ResetPassword gives the login named name a new generated password, returned once, and
// ends its sessions.
func (s *Service) ResetPassword(ctx context.Context, name string) (string, error) {
	password := NewSecret(16)
	hash := HashPassword(password)
	err := s.changeStaffUser(ctx, name, func(tx Tx, u StoredUser) error {
		if err := tx.SetPasswordHash(ctx, u.ID, hash); err != nil {
			return err
		}
		return tx.DeleteUserSessions(ctx, u.ID)
	})
	if err != nil {
		return "", err
	}
	return password, nil
}

// changeStaffUser runs change on the login named name in one transaction; ENOTFOUND for an
// unknown name.
func (s *Service) changeStaffUser(ctx context.Context, name string, change func(Tx, StoredUser) error) error {
	name = strings.TrimSpace(name)
	return s.repo.Write(ctx, func(tx Tx) error {
		u, err := tx.UserByName(ctx, name)
		if ErrorCode(err) == ENOTFOUND {
			return Errorf(ENOTFOUND, "No staff login is named %q.", name)
		}
		if err != nil {
			return err
		}
		return change(tx, u)
	})
}

func checkStaffName(name string) error {
	if strings.TrimSpace(name) == "" {
		return FieldErr("name", "is required")
	}
	if msg := TextProblem(name, 64, false); msg != "" {
		return FieldErr("name", "%s", msg)
	}
	return nil
}

// SaveServiceSettings records the settings the service runs with (name → value),
// replacing those of its previous start, for the commands run from another environment.
func (s *Service) SaveServiceSettings(ctx context.Context, settings map[string]string) error {
	now := s.Now()
	return s.repo.Write(ctx, func(tx Tx) error {
		for name, value := range settings {
			if err := tx.SaveServiceSetting(ctx, name, value, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// ServiceSettings returns the settings the service recorded at its last start (none
// before its first).
func (s *Service) ServiceSettings(ctx context.Context) (map[string]string, error) {
	return staffRead(ctx, s.repo, func(tx Tx) (map[string]string, error) { return tx.ServiceSettings(ctx) })
}

// staffRead returns what fn reads in one read transaction.
func staffRead[T any](ctx context.Context, repo Repository, fn func(Tx) (T, error)) (T, error) {
	var out T
	err := repo.Read(ctx, func(tx Tx) (err error) {
		out, err = fn(tx)
		return err
	})
	return out, err
}

// The staff use cases keep the signatures of the interfaces the HTTP packages and the
// command line use today.
var (
	_ StaffAdmin   = (*Service)(nil)
	_ SessionStore = (*Service)(nil)
)
