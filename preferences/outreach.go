package preferences

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// OutreachKind names a kind of letter the hotel writes on its own.
type OutreachKind string

// The kinds of outreach.
const (
	OutreachBirthday OutreachKind = "birthday"
	OutreachLapse    OutreachKind = "lapse"
)

// ParseOutreachKind returns the kind named s, or an EINVALID error on field "kind".
func ParseOutreachKind(s string) (OutreachKind, error) {
	switch OutreachKind(s) {
	case OutreachBirthday, OutreachLapse:
		return OutreachKind(s), nil
	}
	return "", FieldErr("kind", "must be birthday or lapse")
}

// ActionOutreachRead is the audit action of a staff member seeing a guest's outreach
// (the outbox, a run's recipients, an explanation).
const ActionOutreachRead = "outreach.read"

// Outbox statuses. A message is created queued, claimed as sending just before it is
// handed to the mail server, then marked sent, queued again (retry later) or failed.
// A message found sending after a crash becomes unknown and is never retried. A message
// to an address stopped by bounces is suppressed (OutboxSuppressed), never sent.
const (
	OutboxQueued  = "queued"
	OutboxSending = "sending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
	OutboxUnknown = "unknown"
)

// OutboxStatuses are the statuses a client may filter by.
var OutboxStatuses = []string{OutboxQueued, OutboxSending, OutboxSent, OutboxFailed, OutboxUnknown, OutboxSuppressed}

// CheckOutboxStatus refuses a status filter that is not "" (all) or an outbox status:
// EINVALID on field "status".
func CheckOutboxStatus(status string) error {
	if status != "" && !slices.Contains(OutboxStatuses, status) {
		return FieldErr("status", "must be one of %s", strings.Join(OutboxStatuses, ", "))
	}
	return nil
}

// OutreachMessage is one row of the outbox: a letter to a guest for one occasion and
// period (the year for birthdays, the last check-out date for lapses).
type OutreachMessage struct {
	ID            string       `json:"id"`
	GuestID       string       `json:"guest_id"`
	Kind          OutreachKind `json:"kind"`
	Period        string       `json:"period"`
	Email         string       `json:"email"`
	Language      string       `json:"language"`
	Subject       string       `json:"subject"`
	Text          string       `json:"-"`
	HTML          string       `json:"-"`
	MessageID     string       `json:"message_id"`
	Status        string       `json:"status"`
	Attempts      int          `json:"attempts"`
	LastError     string       `json:"last_error,omitempty"`
	NextAttemptAt *time.Time   `json:"next_attempt_at,omitempty"`
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
	SentAt        *time.Time   `json:"sent_at,omitempty"`
}

// OutreachCandidate is what deciding whether to write to a guest needs to know.
type OutreachCandidate struct {
	Guest        Guest
	Erased       bool
	EverGranted  bool // marketing consent was granted at some time
	InHouse      bool
	NextArrival  string     // the next expected arrival on or after the day, "" if none
	LastCheckOut *time.Time // nil if the guest never checked out
	// LastStay is the stay that ended last anywhere in the group, with its property: the
	// lapse counts from it in that property's zone, and letters name that property.
	LastStay *OutreachStay
	// Messages maps the periods this guest already has a message for (of the kind asked)
	// to the message's status.
	Messages map[string]string
	// Shared maps the periods for which another guest with the same address already has
	// a message (of the kind asked) to that guest's ID.
	Shared map[string]string
	// Suppressed is the suppression of the guest's address in force, when the candidate
	// is read alone (an explanation); nil otherwise.
	Suppressed *MailSuppression
}

// OutreachStay is the stay a letter is about, and the property it was at.
type OutreachStay struct {
	ID       string    `json:"id"`
	CheckOut time.Time `json:"check_out"`
	Property Property  `json:"property"`
}

// Zone is the zone of the stay's property; group for a property whose zone is the group's.
func (s *OutreachStay) Zone(group *time.Location) *time.Location {
	if s == nil || s.Property.TimeZone == "" {
		return group
	}
	return ZoneNamed(s.Property.TimeZone, group)
}

// zones caches the zones loaded by ZoneNamed.
var zones sync.Map

// ZoneNamed is the zone called name, loaded once; fallback when name is "" or unknown.
func ZoneNamed(name string, fallback *time.Location) *time.Location {
	if name == "" {
		return fallback
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := LoadZone(name)
	if err != nil {
		return fallback
	}
	zones.Store(name, loc)
	return loc
}

// AddressKey is the form of an email address the outbox counts letters by: trimmed and
// in lower case, so one person's two records with one address get one letter.
func AddressKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// OutreachOutcome is how one send attempt ended.
type OutreachOutcome struct {
	Status        string     // OutboxSent, OutboxQueued (retry), OutboxFailed or OutboxUnknown
	Error         string     // the error text, "" when sent
	NextAttemptAt *time.Time // when queued again
}

// OutreachResult is the outcome of the attempt at message ID. The outbox records it in
// the same transaction that claims the next message, so a batch commits once a message.
type OutreachResult struct {
	ID      string
	Outcome OutreachOutcome
}
