package preferences

import (
	"context"
	"time"
)

// GuestStore keeps guest profiles and their documents. Every backend returns
// *Error values: ENOTFOUND for an unknown or erased guest, EINVALID for bad input,
// ECONFLICT for a document that belongs to another guest.
type GuestStore interface {
	// CreateGuest validates and stores a new guest, recording consent and an audit entry.
	CreateGuest(ctx context.Context, actor Actor, in GuestFields) (Guest, error)
	// Guest returns one guest by ID; a staff member's read is audited.
	Guest(ctx context.Context, actor Actor, id string) (Guest, error)
	// UpdateGuest changes the fields sent; nothing is changed when any is invalid.
	UpdateGuest(ctx context.Context, actor Actor, id string, in GuestFields) (Guest, error)
	// SearchGuests finds guests whose names, email or phone contain q.
	SearchGuests(ctx context.Context, actor Actor, q string, limit int) ([]Guest, error)
	// LookupGuest finds the guest holding a document; the number is never stored or logged.
	LookupGuest(ctx context.Context, actor Actor, docType, number string) (Guest, error)
	// StaysCount returns how many stays the guest has had, the current one included.
	StaysCount(ctx context.Context, id string) (int, error)
	// GuestProfile returns a guest with preferences and stays count; the read is audited.
	GuestProfile(ctx context.Context, actor Actor, id string) (GuestProfile, error)
	// Today is the hotel's calendar date, YYYY-MM-DD, on the store's clock.
	Today() string
	// ExportGuest returns everything stored about the guest.
	ExportGuest(ctx context.Context, actor Actor, id string) (GuestExport, error)
	// EraseGuest removes the guest's personal data; stays remain as anonymous records.
	// Then it runs the erasure hooks, which remove the copies kept outside the store.
	EraseGuest(ctx context.Context, actor Actor, id string) error
	// ConsentHistory returns the guest's consent record, oldest first.
	ConsentHistory(ctx context.Context, actor Actor, id string) ([]ConsentEvent, error)
}

// Erased tells the erasure hooks what an erasure removed that has copies outside the
// store: the Message-IDs of the guest's letters (the outbox's .eml files are named after
// them).
type Erased struct {
	GuestID    string
	MessageIDs []string
}

// ErasureHook removes the copies of an erased guest's data kept outside the store. It
// runs after the erasure has committed.
type ErasureHook func(ctx context.Context, e Erased) error

// PreferenceStore keeps guests' preferences and the history of their changes.
type PreferenceStore interface {
	// Preferences returns the guest's preferences (empty sections when none are known).
	Preferences(ctx context.Context, actor Actor, guestID string) (Preferences, error)
	// SetPreferences replaces the listed sections with those of p, recording old → new
	// for each section that changed, and returns the result.
	SetPreferences(ctx context.Context, actor Actor, guestID string, p Preferences, sections []string) (Preferences, error)
	// PreferenceHistory returns every preference change of the guest, oldest first.
	PreferenceHistory(ctx context.Context, actor Actor, guestID string) ([]AuditEntry, error)
}

// AuditLog records who read or changed which guest.
type AuditLog interface {
	// RecordAccess notes that actor read a guest. It may be written in a later batch,
	// but before Close returns.
	RecordAccess(ctx context.Context, actor Actor, guestID, action string)
	// GuestAudit returns the audit entries of one guest, oldest first.
	GuestAudit(ctx context.Context, actor Actor, guestID string) ([]AuditEntry, error)
}

// StaffStore keeps API tokens and staff logins.
type StaffStore interface {
	// CreateToken stores a new API token for role and returns it; only its hash is kept.
	CreateToken(ctx context.Context, role Role, name string) (string, error)
	// TokenActor returns the actor a token belongs to, or EUNAUTHORIZED.
	TokenActor(ctx context.Context, token string) (Actor, error)
	// CreateUser stores a staff login and returns its generated password; only a hash is kept.
	CreateUser(ctx context.Context, name string, role Role) (string, error)
	// Authenticate checks a name and password, EUNAUTHORIZED for either being wrong.
	Authenticate(ctx context.Context, name, password string) (Actor, error)
}

// GuestExport is everything stored about one guest, for a subject-access request.
type GuestExport struct {
	Guest             Guest          `json:"guest"`
	Preferences       Preferences    `json:"preferences"`
	ConsentHistory    []ConsentEvent `json:"consent_history"`
	PreferenceHistory []AuditEntry   `json:"preference_history"`
	Audit             []AuditEntry   `json:"audit"`
	Extra             map[string]any `json:"extra,omitempty"`
	ExportedAt        time.Time      `json:"exported_at"`
}
