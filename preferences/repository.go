package preferences

import "context"

// Repository is what the use cases (Service) need of a store: transactions over narrow
// reads and writes. It stores and queries; the rules live in the use cases. Each engine
// (SQLite, PostgreSQL) gives one; they share their SQL (package sqlstore).
type Repository interface {
	// Read runs fn on a consistent, read-only view of the store.
	Read(ctx context.Context, fn func(Tx) error) error
	// Write runs fn in one transaction: everything fn wrote is kept when it returns nil,
	// nothing when it returns an error. A unique or key violation comes back as an
	// ECONFLICT *Error; storage trouble as EUNAVAILABLE.
	Write(ctx context.Context, fn func(Tx) error) error
}

// Tx is the store as one transaction sees it. Each part is declared beside the use
// cases it serves.
type Tx interface {
	AuditRepo
	GuestRepo
	StayRepo
	FeedbackRepo
	StaffRepo
	OutreachRepo
	BounceRepo
	CardRepo
	BoardRepo
	InstanceRepo
	ContactRepo
	PropertyRepo
}

// AuditRepo keeps the audit log: who read or changed which guest.
type AuditRepo interface {
	// AppendAudit stores entries (At, Actor, Role, Action, GuestID, Detail).
	AppendAudit(ctx context.Context, entries ...AuditEntry) error
	// GuestAuditEntries returns the audit_log entries of one guest, oldest first.
	GuestAuditEntries(ctx context.Context, guestID string) ([]AuditEntry, error)
}
