package preferences

import (
	"context"
	"log/slog"
	"regexp"
	"strconv"
	"time"
)

// TokenInfo describes an API token for the staff lists: never the token nor its hash.
type TokenInfo struct {
	Name      string
	Role      Role
	CreatedAt time.Time
	ExpiresAt *time.Time // nil: never
	RevokedAt *time.Time
	Status    string // TokenActive, TokenExpired or TokenRevoked, at the time of the list
	Property  string // the code of the property it acts for; "" for the group
}

// The states of a token.
const (
	TokenActive  = "active"
	TokenExpired = "expired"
	TokenRevoked = "revoked"
)

// StaffUser describes a staff login for the staff lists: never its password hash.
type StaffUser struct {
	Name       string
	Role       Role
	CreatedAt  time.Time
	DisabledAt *time.Time // nil: may sign in
	Property   string     // the code of the property it acts for; "" for the group
}

// StaffAdmin manages the API tokens and staff logins: the command line and the
// manager's staff page. Every change takes effect at the next request, on every
// instance that shares the store.
type StaffAdmin interface {
	StaffStore
	// CreateTokenFor is CreateToken for a token refused from validFor after now on
	// (never, when validFor is 0).
	CreateTokenFor(ctx context.Context, role Role, name string, validFor time.Duration) (string, error)
	// Tokens lists every token, revoked and expired ones too, by name.
	Tokens(ctx context.Context) ([]TokenInfo, error)
	// RevokeTokens revokes every token named name not revoked yet and returns how many;
	// ENOTFOUND when there is none.
	RevokeTokens(ctx context.Context, name string) (int, error)
	// Users lists every staff login by name.
	Users(ctx context.Context) ([]StaffUser, error)
	// SetUserDisabled disables the login named name, ending its sessions, or enables it
	// again; ENOTFOUND for an unknown name.
	SetUserDisabled(ctx context.Context, name string, disabled bool) error
	// ResetPassword gives the login named name a new generated password, returned once,
	// and ends its sessions; ENOTFOUND for an unknown name.
	ResetPassword(ctx context.Context, name string) (string, error)
}

// MaxTokenDays is the longest validity a token can be given.
const MaxTokenDays = 3650

var expiryRE = regexp.MustCompile(`^[0-9]{1,4}d$`)

// ParseTokenExpiry reads a token's validity as a number of days, "90d"; "" is never.
func ParseTokenExpiry(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	bad := FieldErr("expires", "must be a number of days from 1 to %d followed by d, like 90d", MaxTokenDays)
	if !expiryRE.MatchString(s) {
		return 0, bad
	}
	days, _ := strconv.Atoi(s[:len(s)-1])
	if days < 1 || days > MaxTokenDays {
		return 0, bad
	}
	return time.Duration(days) * 24 * time.Hour, nil
}

// The changes LogStaffChange records.
const (
	StaffTokenCreate = "token.create"
	StaffTokenRevoke = "token.revoke"
	StaffUserAdd     = "user.add"
	StaffUserDisable = "user.disable"
	StaffUserEnable  = "user.enable"
	StaffUserReset   = "user.reset_password"
	StaffKioskRepair = "kiosk.re_pair"
)

// LogStaffChange logs a change to a token or login: who did what to which name. Never
// a secret: the callers pass no token or password.
func LogStaffChange(log *slog.Logger, by Actor, action, name string) {
	log.Info("staff change", "action", action, "name", name, "by", by.Name, "by_role", string(by.Role))
}
