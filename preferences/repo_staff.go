package preferences

import (
	"context"
	"time"
)

// StaffRepo keeps API tokens, staff logins and sessions, kiosk devices and lock-outs, service settings.
// Secrets never reach it: only their hashes (secret.go) and password hashes.
type StaffRepo interface {
	// InsertToken stores a new API token.
	InsertToken(ctx context.Context, t StoredToken) error
	// TokenByHash returns the token whose hash is hash, revoked and expired ones too;
	// ENOTFOUND when there is none.
	TokenByHash(ctx context.Context, hash []byte) (StoredToken, error)
	// TokensNamed returns every token named name, of any role and state.
	TokensNamed(ctx context.Context, name string) ([]StoredToken, error)
	// AllTokens returns every token, without its hash, in no particular order.
	AllTokens(ctx context.Context) ([]StoredToken, error)
	// RevokeTokensNamed sets revoked_at to at on the tokens named name that have none
	// yet and returns how many.
	RevokeTokensNamed(ctx context.Context, name string, at time.Time) (int, error)

	// InsertUser stores a new staff login; a taken name fails the Write with ECONFLICT.
	InsertUser(ctx context.Context, u StoredUser) error
	// UserByName returns the login named name, disabled ones too; ENOTFOUND when none.
	UserByName(ctx context.Context, name string) (StoredUser, error)
	// AllUsers returns every login, without password hashes, in no particular order.
	AllUsers(ctx context.Context) ([]StaffUser, error)
	// DisableUser sets the login's disabled_at to at unless it has one already.
	DisableUser(ctx context.Context, userID string, at time.Time) error
	// EnableUser clears the login's disabled_at.
	EnableUser(ctx context.Context, userID string) error
	// SetPasswordHash replaces the login's password hash.
	SetPasswordHash(ctx context.Context, userID, hash string) error

	// InsertSession stores a new staff session.
	InsertSession(ctx context.Context, s StoredSession) error
	// SessionByHash returns the session whose id hashes to hash and its login;
	// ENOTFOUND when there is none.
	SessionByHash(ctx context.Context, hash []byte) (StoredSession, StoredUser, error)
	// TouchSession moves the session's last use forward to at (never back).
	TouchSession(ctx context.Context, hash []byte, at time.Time) error
	// DeleteSession deletes the session whose id hashes to hash, if any.
	DeleteSession(ctx context.Context, hash []byte) error
	// DeleteUserSessions deletes every session of a login.
	DeleteUserSessions(ctx context.Context, userID string) error
	// DeleteSessionsExpiredBefore deletes the sessions whose lifetime ended before at.
	DeleteSessionsExpiredBefore(ctx context.Context, at time.Time) error

	// InsertKioskDevice stores a newly paired kiosk device. On PostgreSQL a unique index
	// fails the Write with ECONFLICT when its token has a paired device already.
	InsertKioskDevice(ctx context.Context, d KioskDevice) error
	// PairedKioskDevices counts the devices paired with the token and not unpaired.
	PairedKioskDevices(ctx context.Context, tokenID string) (int, error)
	// KioskDeviceBySecret returns the device whose secret hashes to hash and the
	// token it was paired with; ENOTFOUND when there is none.
	KioskDeviceBySecret(ctx context.Context, hash []byte) (KioskDevice, StoredToken, error)
	// UnpairKioskDevices sets revoked_at to at on the token's devices not unpaired yet
	// and returns how many.
	UnpairKioskDevices(ctx context.Context, tokenID string, at time.Time) (int, error)

	// LastKioskLockout returns the latest end of the token's lock-outs; the zero time
	// when it has none.
	LastKioskLockout(ctx context.Context, tokenID string) (time.Time, error)
	// DeleteKioskFailuresUpTo deletes every token's failures at or before at.
	DeleteKioskFailuresUpTo(ctx context.Context, at time.Time) error
	// InsertKioskFailure stores a failed identification with the token at at.
	InsertKioskFailure(ctx context.Context, tokenID string, at time.Time) error
	// CountKioskFailures counts the token's stored failures.
	CountKioskFailures(ctx context.Context, tokenID string) (int, error)
	// DeleteKioskFailures deletes the token's failures.
	DeleteKioskFailures(ctx context.Context, tokenID string) error
	// InsertKioskLockout stores a lock-out.
	InsertKioskLockout(ctx context.Context, l KioskLockout) error
	// KioskLockoutsSince returns up to limit lock-outs of the property's kiosks that
	// began at or after since, newest first (Active left false).
	KioskLockoutsSince(ctx context.Context, propertyID string, since time.Time, limit int) ([]KioskThrottle, error)

	// SaveServiceSetting stores a setting's value, replacing the one stored before.
	SaveServiceSetting(ctx context.Context, name, value string, at time.Time) error
	// ServiceSettings returns every stored setting, name → value.
	ServiceSettings(ctx context.Context) (map[string]string, error)
}

// StoredToken is an API token as stored: its SHA-256, never the token.
type StoredToken struct {
	ID        string
	Name      string
	Role      Role
	Hash      []byte
	CreatedAt time.Time
	ExpiresAt *time.Time // nil: never
	RevokedAt *time.Time
	// PropertyID is the property the token acts for; "" for the group.
	PropertyID string
}

// StoredUser is a staff login as stored.
type StoredUser struct {
	ID           string
	Name         string
	Role         Role
	PasswordHash string
	CreatedAt    time.Time
	DisabledAt   *time.Time
	// PropertyID is the property the login acts for; "" for the group.
	PropertyID string
}

// StoredSession is a staff session as stored: the SHA-256 of its id.
type StoredSession struct {
	Hash      []byte
	UserID    string
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time
}

// KioskDevice is a lobby device paired with a kiosk token: the SHA-256 of its secret.
type KioskDevice struct {
	ID         string
	TokenID    string
	Name       string // the token's name when paired
	SecretHash []byte
	PairedAt   time.Time
	RevokedAt  *time.Time // unpaired
}

// KioskLockout is a lock-out of a kiosk token, as stored.
type KioskLockout struct {
	DeviceID string // the device (or token, pairing aside) whose failure locked it out
	TokenID  string
	Kiosk    string // the kiosk's name, for the front desk
	Failures int
	At       time.Time
	Until    time.Time
	// PropertyID is the kiosk's property, whose front desk sees the lock-out.
	PropertyID string
}
