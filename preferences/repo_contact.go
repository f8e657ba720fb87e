package preferences

import (
	"context"
	"time"
)

// ContactRepo keeps the contact log and the keep-in-touch rhythms. Letters are not
// copied into the log: the guest's list reads them from the outbox (status sent).
type ContactRepo interface {
	// InsertContact stores a contact staff logged, with its material's key ("" for none).
	InsertContact(ctx context.Context, c Contact, materialKey string) error
	// LastMaterialContact returns the guest's latest contact of the material key at or
	// after since; nil when there is none.
	LastMaterialContact(ctx context.Context, guestID, materialKey string, since time.Time) (*Contact, error)
	// GuestContacts lists up to limit of the guest's contacts, those staff logged and the
	// letters sent, newest first (then by ID).
	GuestContacts(ctx context.Context, guestID string, limit int) ([]Contact, error)

	// SaveKeepInTouch sets the guest's rhythm: Since stays as it was when EveryDays is
	// unchanged.
	SaveKeepInTouch(ctx context.Context, guestID string, k KeepInTouch) error
	// DeleteKeepInTouch removes the guest's rhythm, if any.
	DeleteKeepInTouch(ctx context.Context, guestID string) error
	// KeepInTouchOf returns the guest's rhythm; nil when none.
	KeepInTouchOf(ctx context.Context, guestID string) (*KeepInTouch, error)
	// KeepInTouchRows lists every guest not erased with a rhythm, with their latest
	// contacts, in no particular order.
	KeepInTouchRows(ctx context.Context) ([]KeepInTouchRow, error)
}
