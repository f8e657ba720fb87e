package importfile

import (
	"strconv"
	"strings"
	"time"

	"regulars/preferences"
)

// col is a column of the generic CSV; mappings translate other files' columns to these.
type col int

const (
	cExternalID col = iota
	cFamilyName
	cGivenName
	cSalutation
	cEmail
	cPhone
	cBirthday
	cLanguage
	cTimeZone
	cMarketingConsent
	cConsentAt
	cConsentSource
	cDocumentType
	cDocumentNumber
	cMinFloor
	cView
	cBed
	cQuiet
	cSmoking
	cFeatures
	cBreakfast
	cDietary
	cAllergies
	cLaundry
	cAmenities
	cNotes
	cProperty
	cRoom
	cCheckIn
	cCheckOut
	cSpend
	numCols
)

// columnNames are the generic CSV's column names, as README.md lists them.
var columnNames = [numCols]string{
	"external_id", "family_name", "given_name", "salutation", "email", "phone", "birthday", "language", "time_zone",
	"marketing_consent", "consent_at", "consent_source", "document_type", "document_number",
	"min_floor", "view", "bed", "quiet", "smoking", "features",
	"breakfast", "dietary", "allergies", "laundry", "amenities", "notes",
	"property", "room", "check_in", "check_out", "spend",
}

var columnByName = func() map[string]col {
	m := make(map[string]col, numCols)
	for i, n := range columnNames {
		m[n] = col(i)
	}
	return m
}()

// ColumnNames lists the generic CSV's columns.
func ColumnNames() []string { return append([]string(nil), columnNames[:]...) }

// isStayColumn: the columns of a stays file (with external_id).
func isStayColumn(c col) bool { return c == cExternalID || c >= cProperty }

// cells are one row's values by generic column; "" is a value left empty.
type cells [numCols]string

func (c *cells) set(k col, v string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	if c[k] != "" { // two columns of the file fill one (Mews' Notes and Classifications)
		v = c[k] + "; " + v
	}
	c[k] = v
}

// ptr is a value sent, nil for one left empty: an empty cell is a field not sent.
func (c *cells) ptr(k col) *string {
	if c[k] == "" {
		return nil
	}
	s := c[k]
	return &s
}

func (c *cells) any(from, to col) bool {
	for k := from; k <= to; k++ {
		if c[k] != "" {
			return true
		}
	}
	return false
}

// rowRules are how a file writes what the rules judge.
type rowRules struct {
	dateLayout   string // Go layout of dates; preferences.DateLayout by default
	languageTags bool   // languages as tags ("en-US"): the primary subtag is kept
	now          time.Time
}

// errs collects one row's errors.
type errs struct {
	row int
	out []RowError
}

func (e *errs) add(field, msg string) {
	e.out = append(e.out, RowError{Row: e.row, Field: field, Message: msg})
}

func (e *errs) judge(prefix string, err error) {
	if err != nil {
		e.out = append(e.out, judged(e.row, prefix, err)...)
	}
}

// guest builds and judges the guest of a row.
func (r rowRules) guest(e *errs, c *cells) *Guest {
	g := &Guest{ExternalID: c[cExternalID]}
	e.judge("external_id", textRule(g.ExternalID, MaxIDLen))
	f := &g.Fields
	f.FamilyName, f.GivenName, f.Salutation = c.ptr(cFamilyName), c.ptr(cGivenName), c.ptr(cSalutation)
	f.Email, f.Phone, f.TimeZone = c.ptr(cEmail), c.ptr(cPhone), c.ptr(cTimeZone)
	f.Birthday = r.date(e, "birthday", c[cBirthday])
	if f.Language = c.ptr(cLanguage); f.Language != nil && r.languageTags {
		*f.Language = primaryTag(*f.Language)
	}
	f.MarketingConsent = boolCell(e, "marketing_consent", c[cMarketingConsent])
	if c[cDocumentType] != "" || c[cDocumentNumber] != "" {
		f.Documents = &[]preferences.DocumentInput{{Type: c[cDocumentType], Number: c[cDocumentNumber]}}
	}
	r.consent(e, g, c[cConsentAt], c[cConsentSource])
	if _, err := preferences.CheckNewGuest(f, r.now); err != nil {
		e.judge("", err)
	}
	r.preferences(e, g, c)
	return g
}

// consent reads when and through what consent was given; either needs marketing_consent.
func (r rowRules) consent(e *errs, g *Guest, at, source string) {
	if (at != "" || source != "") && g.Fields.MarketingConsent == nil {
		e.add(cond(at != "", "consent_at", "consent_source"), "needs marketing_consent in the same row")
		return
	}
	if at != "" {
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			t, err = time.Parse(r.dateLayout, at)
		}
		switch {
		case err != nil:
			e.add("consent_at", "must be a date as "+human(r.dateLayout)+" or a time as RFC 3339")
		case t.After(r.now):
			e.add("consent_at", "must not be in the future")
		}
		g.ConsentAt = t.UTC()
	}
	e.judge("consent_source", textRule(source, MaxSourceLen))
	g.ConsentSource = source
}

// preferences builds and judges the sections the row gives.
func (r rowRules) preferences(e *errs, g *Guest, c *cells) {
	p := &g.Preferences
	if c.any(cMinFloor, cFeatures) {
		g.Sections = append(g.Sections, preferences.SectionRoom)
		if c[cMinFloor] != "" {
			n, err := strconv.Atoi(c[cMinFloor])
			if err != nil {
				e.add("room.min_floor", "must be a number")
			}
			p.Room.MinFloor = n
		}
		p.Room.View, p.Room.Bed = c[cView], c[cBed]
		p.Room.Quiet = boolValue(boolCell(e, "room.quiet", c[cQuiet]))
		p.Room.Smoking = boolValue(boolCell(e, "room.smoking", c[cSmoking]))
		p.Room.Features = list(c[cFeatures])
	}
	if c.any(cBreakfast, cDietary) {
		g.Sections = append(g.Sections, preferences.SectionDining)
		p.Dining = preferences.DiningPrefs{Breakfast: c[cBreakfast], Dietary: list(c[cDietary])}
	}
	if c[cAllergies] != "" {
		g.Sections = append(g.Sections, preferences.SectionAllergies)
		p.Allergies = allergies(c[cAllergies])
	}
	if c.any(cLaundry, cAmenities) {
		g.Sections = append(g.Sections, preferences.SectionHousekeeping)
		p.Housekeeping = preferences.HousekeepingPrefs{Laundry: c[cLaundry], Amenities: list(c[cAmenities])}
	}
	if c[cNotes] != "" {
		g.Sections = append(g.Sections, preferences.SectionNotes)
		p.Notes = c[cNotes]
	}
	p.Normalize()
	e.judge("", p.Validate())
}

// stay builds and judges a row's stay; externalID is required in a stays file.
func (r rowRules) stay(e *errs, c *cells, stayFile bool) Stay {
	s := Stay{ExternalID: c[cExternalID], Property: strings.ToUpper(c[cProperty]), Room: c[cRoom], Spend: c[cSpend], DateOnly: true}
	if stayFile {
		if s.ExternalID == "" {
			e.add("external_id", "is required: it names the guest of the stay")
		}
		e.judge("external_id", textRule(s.ExternalID, MaxIDLen))
	}
	in, out := r.date(e, "check_in", c[cCheckIn]), r.date(e, "check_out", c[cCheckOut])
	if c[cCheckIn] == "" {
		e.add("check_in", "is required")
	}
	if c[cCheckOut] == "" {
		e.add("check_out", "is required")
	}
	if in != nil && out != nil {
		s.CheckIn, _ = time.Parse(preferences.DateLayout, *in)
		s.CheckOut, _ = time.Parse(preferences.DateLayout, *out)
	}
	r.checkStay(e, s, in != nil && out != nil)
	return s
}

// checkStay judges a stay's property, room, spend and, when both could be read, dates.
func (r rowRules) checkStay(e *errs, s Stay, datesRead bool) {
	e.judge("property", textRule(s.Property, 16))
	if !preferences.ValidRoomNumber(s.Room) {
		e.add("room", "must be 1 to 10 letters, digits or dashes")
	}
	if datesRead {
		r.stayDates(e, s.CheckIn, s.CheckOut)
	}
	e.judge("", preferences.ValidateSpend(s.Spend))
}

// stayDates judges a past stay's dates: in the past, check-out on or after check-in, at
// most MaxNights nights.
func (r rowRules) stayDates(e *errs, in, out time.Time) {
	switch {
	case out.Before(in):
		e.add("check_out", "must not be before check_in")
	case out.Sub(in) > preferences.MaxNights*24*time.Hour:
		e.add("check_out", "must be at most "+strconv.Itoa(preferences.MaxNights)+" nights after check_in")
	case out.After(r.now):
		e.add("check_out", "must not be in the future: import past stays only")
	}
}

// date turns a date written in the file's layout into YYYY-MM-DD. In the generic layout
// a bad date is left for the API's own rule to judge, with its message.
func (r rowRules) date(e *errs, field, s string) *string {
	if s == "" {
		return nil
	}
	if r.dateLayout == preferences.DateLayout {
		if _, err := preferences.ParseDate(s); err != nil && field != "birthday" {
			e.judge(field, err)
			return nil
		}
		return &s
	}
	t, err := time.Parse(r.dateLayout, s)
	if err != nil {
		e.add(field, "must be a real date as "+human(r.dateLayout))
		return nil
	}
	d := t.Format(preferences.DateLayout)
	return &d
}

// boolCell reads yes/no, true/false, y/n, 1/0 (nil when empty).
func boolCell(e *errs, field, s string) *bool {
	if s == "" {
		return nil
	}
	var b bool
	switch strings.ToLower(s) {
	case "true", "yes", "y", "1", "是":
		b = true
	case "false", "no", "n", "0", "否":
	default:
		e.add(field, "must be true or false")
	}
	return &b
}

func boolValue(b *bool) bool { return b != nil && *b }

// list splits a list cell on ";".
func list(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}

// allergies reads "allergen:severity:instructions" items separated by ";".
func allergies(s string) []preferences.Allergy {
	var out []preferences.Allergy
	for _, item := range strings.Split(s, ";") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		parts := strings.SplitN(item, ":", 3)
		a := preferences.Allergy{Allergen: parts[0]}
		if len(parts) > 1 {
			a.Severity = parts[1]
		}
		if len(parts) > 2 {
			a.Instructions = parts[2]
		}
		out = append(out, a)
	}
	return out
}

// textRule judges a one-line text value as the API judges names.
func textRule(s string, maxLen int) error {
	if msg := preferences.TextProblem(s, maxLen, false); msg != "" {
		return preferences.FieldErr("", "%s", msg)
	}
	return nil
}

// primaryTag is a language tag's primary subtag, lower case: "en-US" → "en".
func primaryTag(s string) string {
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	return strings.ToLower(s)
}

// human writes a Go date layout as people read it: 01/02/2006 → MM/DD/YYYY.
func human(layout string) string {
	return strings.NewReplacer("2006", "YYYY", "01", "MM", "02", "DD").Replace(layout)
}

func cond(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
