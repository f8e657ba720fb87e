package preferences

import (
	"context"
	"time"
)

// GuestRepo keeps guests, their documents, consent, preferences and their history, and
// the idempotent answers kept with a creation.
type GuestRepo interface {
	GuestCounter
	GuestLocker
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
	// AnswerSince returns the answer kept for owner's key at or after since; ENOTFOUND
	// otherwise.
	AnswerSince(ctx context.Context, owner, key string, since time.Time) (Answer, error)

	// UpdateGuestFields stores a guest's fields and UpdatedAt (not consent, not documents)
	// if the guest, not erased, was last updated at was; false when not (changed since).
	UpdateGuestFields(ctx context.Context, g Guest, was time.Time) (bool, error)
	// DeleteDocuments removes every document of a guest.
	DeleteDocuments(ctx context.Context, guestID string) error
	// DocumentBirthDates returns the type and birth date of the guest's documents that
	// carry one.
	DocumentBirthDates(ctx context.Context, guestID string) ([]SealedDocument, error)
	// ConsentEvents returns the guest's consent ledger, oldest first.
	ConsentEvents(ctx context.Context, guestID string) ([]ConsentEvent, error)
	// GuestsMatching returns up to limit guests not erased whose search text (lower-cased
	// names, salutation, email, phone and its digits) contains text, by family name,
	// given name and ID.
	GuestsMatching(ctx context.Context, text string, limit int) ([]Guest, error)
	// GuestByDocument returns the guest not erased holding the document of this type and
	// number hash; ENOTFOUND otherwise.
	GuestByDocument(ctx context.Context, docType string, hash []byte) (Guest, error)

	// StorePreferences replaces a guest's stored preferences and sets UpdatedAt to at, if
	// the guest, not erased, was last updated at was; false when not (changed since).
	StorePreferences(ctx context.Context, guestID string, p Preferences, at, was time.Time) (bool, error)
	// InsertPreferenceChange records a section's change (At, Actor, Role, Section, Old, New).
	InsertPreferenceChange(ctx context.Context, guestID string, e AuditEntry) error
	// PreferenceChanges returns the guest's preference changes, oldest first, with the
	// action ActionPrefsChange.
	PreferenceChanges(ctx context.Context, guestID string) ([]AuditEntry, error)

	// BoardReadsInHouse returns the housekeeping board's reads made while the guest was in
	// house (from a stay's check-in to its check-out), oldest first.
	BoardReadsInHouse(ctx context.Context, guestID string) ([]AuditEntry, error)
	// GuestRecords returns the guest's stays, arrivals, feedback, follow-ups, notes and
	// letters, for an export.
	GuestRecords(ctx context.Context, guestID string) (GuestRecords, error)
	// EraseGuestData forgets the guest's personal data in every table (see the README,
	// "What erasure guarantees"), marks the guest erased at, and returns the Message-IDs
	// of the letters it deleted; ENOTFOUND when the guest is unknown or erased already
	// (by a concurrent erasure).
	EraseGuestData(ctx context.Context, guestID string, at time.Time) (messageIDs []string, err error)
}

// GuestRecords are a guest's records kept beside the profile: what an export adds.
type GuestRecords struct {
	Stays     []Stay            // by check-in; Nights not computed
	Arrivals  []Arrival         // by date
	Feedback  []Feedback        // oldest first; no follow-up, age or guest name
	FollowUps []FollowUp        // oldest first, done ones too
	Notes     []Note            // newest first
	Letters   []OutreachMessage // oldest first
}

// KeptAnswer is a stored answer to a request sent with an Idempotency-Key.
type KeptAnswer struct {
	Owner   string
	Key     string
	Answer  Answer
	GuestID string // the guest it is about: erasure deletes it
	At      time.Time
}

// GuestCounter counts the guests kept (not erased).
type GuestCounter interface {
	CountGuests(ctx context.Context) (int, error)
}

// GuestLocker holds a guest against erasure for the rest of a write: a change that
// adds a guest's records (a note, feedback, an arrival, a stay, a letter) locks the
// guest first, so that an erasure on another instance either waits for it (and then
// removes what it added) or has already happened (ENOTFOUND).
type GuestLocker interface {
	LockGuest(ctx context.Context, guestID string) error
}
