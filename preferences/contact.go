package preferences

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Contact channels: how staff reached a guest. A material contact names the brochure or
// offer sent.
const (
	ContactCall     = "call"
	ContactVisit    = "visit"
	ContactEmail    = "email"
	ContactLetter   = "letter"
	ContactMaterial = "material"
)

// ContactChannels are the channels a staff contact may have, in the order forms offer them.
var ContactChannels = []string{ContactCall, ContactVisit, ContactEmail, ContactLetter, ContactMaterial}

// Where a contact in a guest's list comes from.
const (
	ContactByStaff    = "staff"    // logged by a member of staff
	ContactByOutreach = "outreach" // a birthday or lapse letter the service sent
)

// Limits and windows of the contact log.
const (
	MaxContactNote     = 1000
	MaxMaterialLen     = 200
	MaterialRepeatDays = 180 // the same material to the same guest within this is refused unless confirmed
	LastContactsShown  = 5   // on the recognition card
	MaxContactsListed  = 500 // a guest's whole list, newest first
	MinKeepInTouchDays = 1
	MaxKeepInTouchDays = 3650
)

// ContactInput is what staff send to log a contact.
type ContactInput struct {
	Channel  string `json:"channel"`
	Material string `json:"material"`
	Note     string `json:"note"`
	// Confirm logs a material even though it went to the guest within the window.
	Confirm bool `json:"confirm"`
}

// Contact is one contact with a guest: one a member of staff logged, or a letter the
// outreach sent (Source "outreach", Channel "letter", Occasion birthday or lapse).
type Contact struct {
	ID       string    `json:"id"`
	GuestID  string    `json:"-"`
	Source   string    `json:"source"`
	Channel  string    `json:"channel"`
	Material string    `json:"material,omitempty"`
	Note     string    `json:"note,omitempty"`
	Occasion string    `json:"occasion,omitempty"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	// RepeatConfirmed: staff logged this material again within the window, confirming.
	RepeatConfirmed bool `json:"repeat_confirmed,omitempty"`
}

// Normalize trims the text fields and lower-cases the channel.
func (in *ContactInput) Normalize() {
	in.Channel = strings.ToLower(strings.TrimSpace(in.Channel))
	in.Material = strings.Join(strings.Fields(in.Material), " ")
	in.Note = strings.TrimSpace(in.Note)
}

// Validate checks the channel, the material (required for a material, refused
// otherwise) and the note.
func (in *ContactInput) Validate() error {
	var v Invalid
	if !slices.Contains(ContactChannels, in.Channel) {
		v.Add("channel", "must be call, visit, email, letter or material")
	}
	switch {
	case in.Channel == ContactMaterial:
		required(&v, "material", in.Material, MaxMaterialLen)
	case in.Material != "":
		v.Add("material", "is only for the channel material (a named brochure or offer)")
	}
	text(&v, "note", in.Note, MaxContactNote, true)
	return v.Err()
}

// MaterialKey is what two materials are compared by: runs of white space count as one
// space and are trimmed, full-width forms count as their ASCII letters, digits and
// punctuation (Ｓｐａ = Spa), and case is folded by Unicode's simple case folding (as
// strings.EqualFold: "SPA", "Spa" and "spa"; "ΣΠΑ" and "σπα" are one material).
func MaterialKey(material string) string {
	var b strings.Builder
	for _, r := range strings.Join(strings.Fields(material), " ") {
		switch {
		case r >= '！' && r <= '～': // full-width ASCII forms
			r -= '！' - '!'
		case r == '\u3000':
			r = ' '
		}
		b.WriteRune(foldRune(r))
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// foldRune is the smallest rune of r's simple case-folding orbit: equal for runes that
// strings.EqualFold takes as equal.
func foldRune(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}

// MaterialAlreadySent is the cause of the ECONFLICT refusing a repeat: who sent the same
// material, and when.
type MaterialAlreadySent struct {
	SentBy string
	SentAt time.Time
}

func (e *MaterialAlreadySent) Error() string { return "already sent by " + e.SentBy }

// KeepInTouch is a guest's rhythm of contact: the next is due EveryDays after the last
// contact (any channel, letters too), or after Since when there was none.
type KeepInTouch struct {
	EveryDays int       `json:"every_days"`
	Since     time.Time `json:"since"`
	By        string    `json:"by"`
}

// KeepInTouchDue is a guest whose next contact is due today or earlier.
type KeepInTouchDue struct {
	GuestID     string   `json:"guest_id"`
	Name        string   `json:"name"` // as staff address the guest (Guest.DisplayName)
	EveryDays   int      `json:"keep_in_touch_days"`
	Due         string   `json:"due"` // YYYY-MM-DD, hotel time
	DaysOverdue int      `json:"days_overdue"`
	LastContact *Contact `json:"last_contact"` // nil: none since the rhythm was set
}

// KeepInTouchRow is a guest with a rhythm as the repository gives it.
type KeepInTouchRow struct {
	Guest     Guest // ID, FamilyName, GivenName and Salutation only
	Rhythm    KeepInTouch
	LastStaff *time.Time // the latest contact staff logged; nil for none
	LastSent  *time.Time // the latest letter sent; nil for none
}

// Audit actions of the contact log.
const (
	ActionContactAdd       = "contact.create"
	ActionContactsRead     = "contacts.read"
	ActionKeepInTouch      = "keep_in_touch.change"
	ActionKeepInTouchRead  = "keep_in_touch.read"
	keepInTouchField       = "keep_in_touch_days"
	keepInTouchFieldFormat = "must be a whole number from 1 to 3650, or null to stop"
)

// keepInTouchPatch reads keep_in_touch_days as sent: sent reports whether it was, and
// days is nil for null (stop).
func keepInTouchPatch(raw json.RawMessage) (sent bool, days *int, err error) {
	if raw == nil {
		return false, nil, nil
	}
	if string(raw) == "null" {
		return true, nil, nil
	}
	var n int
	if json.Unmarshal(raw, &n) != nil || n < MinKeepInTouchDays || n > MaxKeepInTouchDays {
		return true, nil, FieldErr(keepInTouchField, keepInTouchFieldFormat)
	}
	return true, &n, nil
}
