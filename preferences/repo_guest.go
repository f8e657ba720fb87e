package preferences

import (
	"context"
	"time"
)

// GuestRepo keeps guests, their documents, consent, preferences and their history, and
// the idempotent answers kept with a creation.
type GuestRepo interface {
	// GuestByID returns a guest not erased, with documents (oldest first, then by type) and
	// current consent; ENOTFOUND otherwise.
	GuestByID(ctx context.Context, id string) (Guest, error)
	// InsertGuest stores a new guest's fields (not consent, not documents).
	InsertGuest(ctx context.Context, g Guest) error
	// DocumentOwner returns the ID of the guest holding the document of this type and
	// number hash, "" when nobody does.
	DocumentOwner(ctx context.Context, docType string, hash []byte) (string, error)
	// InsertDocuments adds documents to a guest, in order.
	InsertDocuments(ctx context.Context, guestID string, docs []SealedDocument, at time.Time) error
	// AppendConsent adds a decision to the guest's consent ledger and makes it current.
	AppendConsent(ctx context.Context, guestID string, e ConsentEvent) error
	// GuestPreferences returns the stored preferences of a guest not erased; ENOTFOUND
	// otherwise.
	GuestPreferences(ctx context.Context, guestID string) (Preferences, error)
	// ForgetAnswers deletes the kept answers created before t.
	ForgetAnswers(ctx context.Context, before time.Time) error
	// InsertAnswer keeps an answer; ECONFLICT when its owner's key is kept already.
	InsertAnswer(ctx context.Context, a KeptAnswer) error
}

// KeptAnswer is a stored answer to a request sent with an Idempotency-Key.
type KeptAnswer struct {
	Owner   string
	Key     string
	Answer  Answer
	GuestID string // the guest it is about: erasure deletes it
	At      time.Time
}
