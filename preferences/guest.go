package preferences

import (
	"encoding/json"
	"net/mail"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // guests' zones validate on machines without a zoneinfo database
	"unicode"
	"unicode/utf8"
)

// DateLayout is the calendar date format used everywhere in the API and the store.
const DateLayout = "2006-01-02"

// Languages a guest can be written to in.
const (
	LangZH = "zh"
	LangEN = "en"
)

// Guest is a guest profile as staff see it. Document numbers are never part of it.
type Guest struct {
	ID               string        `json:"id"`
	FamilyName       string        `json:"family_name"`
	GivenName        string        `json:"given_name"`
	Salutation       string        `json:"salutation"`
	Email            string        `json:"email"`
	Phone            string        `json:"phone"`
	Birthday         string        `json:"birthday"`
	Language         string        `json:"language"`
	TimeZone         string        `json:"time_zone"`
	MarketingConsent bool          `json:"marketing_consent"`
	Consent          *ConsentEvent `json:"consent"`
	Documents        []Document    `json:"documents"`
	CreatedAt        time.Time     `json:"created_at"`
	UpdatedAt        time.Time     `json:"updated_at"`
	// KeepInTouchDays is the guest's rhythm of contact, on one guest's read (profile,
	// change); left out when none.
	KeepInTouchDays *int `json:"keep_in_touch_days,omitempty"`
}

// DisplayName is the name staff and guests see: the salutation if any, else the full name
// in the order of the guest's script.
func (g Guest) DisplayName() string {
	if g.Salutation != "" {
		return g.Salutation
	}
	return FullName(g.FamilyName, g.GivenName)
}

// FullName joins family and given names: without a space for Chinese names, given name
// first otherwise.
func FullName(family, given string) string {
	if given == "" {
		return family
	}
	if hasHan(family) {
		return family + given
	}
	return given + " " + family
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// GuestFields carries the fields of a create or a patch; nil means "not sent".
type GuestFields struct {
	FamilyName       *string          `json:"family_name"`
	GivenName        *string          `json:"given_name"`
	Salutation       *string          `json:"salutation"`
	Email            *string          `json:"email"`
	Phone            *string          `json:"phone"`
	Birthday         *string          `json:"birthday"`
	Language         *string          `json:"language"`
	TimeZone         *string          `json:"time_zone"`
	MarketingConsent *bool            `json:"marketing_consent"`
	Documents        *[]DocumentInput `json:"documents"`
	// KeepInTouchDays is the rhythm of contact as sent: a number of days, null to stop
	// (see contact.go); nil when not sent.
	KeepInTouchDays json.RawMessage `json:"keep_in_touch_days,omitempty"`
}

// JSONNullable: keep_in_touch_days may be null (stop the rhythm).
func (f *GuestFields) JSONNullable(path string) bool { return path == keepInTouchField }

// Limits on guest fields.
const (
	MaxNameLen      = 100
	MaxEmailLen     = 254
	MaxPhoneLen     = 40
	MaxDocuments    = 5
	MaxSearchLength = 100
)

// Normalize trims the text fields in place.
func (f *GuestFields) Normalize() {
	for _, p := range []*string{f.FamilyName, f.GivenName, f.Salutation, f.Email, f.Phone, f.Birthday, f.Language, f.TimeZone} {
		if p != nil {
			*p = strings.TrimSpace(*p)
		}
	}
	if f.Email != nil {
		*f.Email = strings.ToLower(*f.Email)
	}
}

// Validate checks every field that was sent. create requires a family name. It does not
// check documents; Sealer.Seal does that.
func (f *GuestFields) Validate(create bool, today time.Time) error {
	var v Invalid
	if create && (f.FamilyName == nil || *f.FamilyName == "") {
		v.Add("family_name", "is required")
	} else if f.FamilyName != nil && *f.FamilyName == "" {
		v.Add("family_name", "must not be empty")
	}
	checkText(&v, "family_name", f.FamilyName, MaxNameLen)
	checkText(&v, "given_name", f.GivenName, MaxNameLen)
	checkText(&v, "salutation", f.Salutation, MaxNameLen)
	if f.Email != nil && *f.Email != "" {
		if len(*f.Email) > MaxEmailLen {
			v.Add("email", "must be at most %d characters", MaxEmailLen)
		} else if a, err := mail.ParseAddress(*f.Email); err != nil || a.Address != *f.Email || !strings.Contains(a.Address[strings.LastIndexByte(a.Address, '@'):], ".") && !strings.HasSuffix(a.Address, "@localhost") {
			v.Add("email", "must be an email address like name@example.com")
		}
	}
	if f.Phone != nil && *f.Phone != "" {
		checkText(&v, "phone", f.Phone, MaxPhoneLen)
		if strings.IndexFunc(*f.Phone, func(r rune) bool { return r >= '0' && r <= '9' }) < 0 {
			v.Add("phone", "must contain digits")
		}
	}
	if f.Birthday != nil && *f.Birthday != "" {
		if err := ValidateBirthday(*f.Birthday, today); err != nil {
			v.Merge("birthday", err)
		}
	}
	if f.Language != nil && *f.Language != LangZH && *f.Language != LangEN {
		v.Add("language", "must be zh or en")
	}
	if f.TimeZone != nil && *f.TimeZone != "" {
		if _, err := LoadZone(*f.TimeZone); err != nil {
			v.Add("time_zone", "must be an IANA time zone such as Asia/Shanghai")
		}
	}
	if f.Documents != nil && len(*f.Documents) > MaxDocuments {
		v.Add("documents", "at most %d documents", MaxDocuments)
	}
	if _, _, err := keepInTouchPatch(f.KeepInTouchDays); err != nil {
		v.Merge("", err)
	}
	return v.Err()
}

// ValidateBirthday checks a YYYY-MM-DD birthday: a real date, not in the future, after 1900.
func ValidateBirthday(s string, today time.Time) error {
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		return FieldErr("", "must be a real date as YYYY-MM-DD")
	}
	if d.Year() < 1900 {
		return FieldErr("", "must be after 1900")
	}
	if d.After(today) {
		return FieldErr("", "must not be in the future")
	}
	return nil
}

// LoadZone loads an IANA zone, refusing the ambiguous "Local" and "".
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" || strings.ContainsAny(name, "\\") || strings.HasPrefix(name, "/") {
		return nil, Errorf(EINVALID, "unknown time zone")
	}
	return time.LoadLocation(name)
}

// checkText enforces valid UTF-8, no control characters, and a length in characters.
func checkText(v *Invalid, field string, p *string, maxLen int) {
	if p == nil {
		return
	}
	if msg := TextProblem(*p, maxLen, false); msg != "" {
		v.Add(field, "%s", msg)
	}
}

// TextProblem returns what is wrong with a free-text value, or "". multiline allows
// line breaks and tabs.
func TextProblem(s string, maxLen int, multiline bool) string {
	if !utf8.ValidString(s) {
		return "must be valid UTF-8"
	}
	if n := utf8.RuneCountInString(s); n > maxLen {
		return "must be at most " + strconv.Itoa(maxLen) + " characters"
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return "must not contain control characters"
		}
	}
	return ""
}

// DefaultLanguage guesses a guest's language from their name when none is given.
func DefaultLanguage(familyName string) string {
	if hasHan(familyName) {
		return LangZH
	}
	return LangEN
}

// ConsentEvent is one entry of a guest's marketing-consent record.
type ConsentEvent struct {
	Granted bool      `json:"granted"`
	At      time.Time `json:"at"`
	Channel string    `json:"channel"`
	By      string    `json:"by"`
}

// Consent channels.
const (
	ChannelDesk      = "desk"
	ChannelKiosk     = "kiosk"
	ChannelEmailLink = "email_link"
	ChannelImport    = "import"
)
