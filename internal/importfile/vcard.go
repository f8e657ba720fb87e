package importfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/emersion/go-vcard"

	"regulars/preferences"
)

// dropped are the properties a card's guest never uses; they are left unread (a phone
// export's photos are most of its bytes).
var dropped = map[string]bool{"PHOTO": true, "LOGO": true, "SOUND": true, "KEY": true}

// vcardReader reads vCards 3.0 and 4.0, one card a row. A business card is not consent:
// its guest has no marketing consent.
type vcardReader struct {
	src  *lines
	now  time.Time
	row  int
	card []byte
	line []byte
}

func (r *vcardReader) Notices() []RowError { return nil }

func (r *vcardReader) Next() (Record, error) {
	problem, err := r.nextCard()
	if err != nil {
		return Record{}, err
	}
	if problem != "" {
		return badRow(r.row, "card", problem), nil
	}
	card, err := vcard.NewDecoder(bytes.NewReader(r.card)).Decode()
	if err != nil {
		return badRow(r.row, "card", "is not a valid vCard"), nil
	}
	return r.record(card), nil
}

// nextCard gathers the lines from BEGIN:VCARD to END:VCARD into r.card, without the
// dropped properties; problem says why a card cannot be read.
func (r *vcardReader) nextCard() (problem string, err error) {
	r.card = r.card[:0]
	in, dropping := false, false
	for {
		line, long, err := r.src.next(r.line)
		if err != nil {
			if in && errors.Is(err, io.EOF) {
				return "has no END:VCARD", nil
			}
			return "", err
		}
		r.line = line[:0]
		text := strings.TrimRight(string(line), "\r\n")
		if !in {
			if strings.EqualFold(strings.TrimSpace(text), "BEGIN:VCARD") {
				in, r.row = true, r.row+1
				r.card = append(r.card, "BEGIN:VCARD\r\n"...)
			}
			continue
		}
		folded := len(text) > 0 && (text[0] == ' ' || text[0] == '\t')
		if !folded {
			dropping = dropped[propertyName(text)]
		}
		switch {
		case dropping:
		case long:
			problem = fmt.Sprintf("has a line longer than %d KiB", MaxLineBytes>>10)
		case len(r.card)+len(text)+2 > MaxRowBytes:
			problem = fmt.Sprintf("is longer than %d KiB", MaxRowBytes>>10)
		case problem == "":
			r.card = append(append(r.card, text...), "\r\n"...)
		}
		if !folded && strings.EqualFold(strings.TrimSpace(text), "END:VCARD") {
			if problem != "" {
				return problem, nil
			}
			r.card = append(r.card, "END:VCARD\r\n"...)
			return "", nil
		}
	}
}

// propertyName is the upper-case name of a content line's property, without its group.
func propertyName(line string) string {
	end := strings.IndexAny(line, ":;")
	if end < 0 {
		return ""
	}
	name := line[:end]
	if dot := strings.LastIndexByte(name, '.'); dot >= 0 {
		name = name[dot+1:]
	}
	return strings.ToUpper(name)
}

func (r *vcardReader) record(card vcard.Card) Record {
	e := &errs{row: r.row}
	g := &Guest{ExternalID: strings.TrimPrefix(strings.TrimSpace(card.Value(vcard.FieldUID)), "urn:uuid:")}
	if len(g.ExternalID) > MaxIDLen {
		g.ExternalID = ""
	}
	family, given := "", ""
	if n := card.Name(); n != nil {
		family, given = strings.TrimSpace(n.FamilyName), strings.TrimSpace(n.GivenName)
	}
	if family == "" {
		family, given = SplitName(card.PreferredValue(vcard.FieldFormattedName))
	}
	f := &g.Fields
	f.FamilyName, f.GivenName = &family, nonEmpty(given)
	f.Email = nonEmpty(card.PreferredValue(vcard.FieldEmail))
	f.Phone = nonEmpty(strings.TrimPrefix(card.PreferredValue(vcard.FieldTelephone), "tel:"))
	f.Birthday = cardBirthday(card.Value(vcard.FieldBirthday))
	if lang := primaryTag(card.PreferredValue(vcard.FieldLanguage)); lang == preferences.LangZH || lang == preferences.LangEN {
		f.Language = &lang
	}
	if _, err := preferences.CheckNewGuest(f, r.now); err != nil {
		e.judge("", err)
	}
	if note := cardNote(card); note != "" {
		g.Sections, g.Preferences.Notes = []string{preferences.SectionNotes}, note
		g.Preferences.Normalize()
		e.judge("", g.Preferences.Validate())
	}
	if len(e.out) > 0 {
		return Record{Row: r.row, Errors: e.out}
	}
	return Record{Row: r.row, Guest: g}
}

// cardNote is what a business card says of its holder's work: TITLE, ORG, and its NOTE.
func cardNote(card vcard.Card) string {
	var parts []string
	for _, k := range []string{vcard.FieldTitle, vcard.FieldOrganization} {
		if v := strings.Trim(strings.ReplaceAll(card.Value(k), ";", ", "), ", "); v != "" {
			parts = append(parts, v)
		}
	}
	note := strings.Join(parts, ", ")
	if n := strings.TrimSpace(card.Value(vcard.FieldNote)); n != "" {
		note = strings.TrimSpace(note + "\n" + n)
	}
	return note
}

// cardBirthday reads BDAY as YYYY-MM-DD, YYYYMMDD or a date-time; a birthday without a
// year (--0512) cannot be kept and is left out. Anything else is passed on for the
// API's rule to refuse.
func cardBirthday(s string) *string {
	s = strings.TrimSpace(s)
	switch {
	case s == "" || strings.HasPrefix(s, "--"):
		return nil
	case len(s) == 8:
		if t, err := time.Parse("20060102", s); err == nil {
			s = t.Format(preferences.DateLayout)
		}
	case len(s) > 10 && (s[10] == 'T' || s[8] == 'T'):
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			s = t.Format(preferences.DateLayout)
		} else if t, err := time.Parse("20060102T150405Z", s); err == nil {
			s = t.Format(preferences.DateLayout)
		}
	}
	return &s
}

func nonEmpty(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}

// SplitName splits a full name into family and given names: a name in Chinese
// characters after its family name (compound ones such as 欧阳 too), a name in letters
// before its last word.
func SplitName(full string) (family, given string) {
	full = strings.TrimSpace(full)
	if full == "" {
		return "", ""
	}
	if r := []rune(full); unicode.Is(unicode.Han, r[0]) && !strings.ContainsRune(full, ' ') {
		n := preferences.FamilyNameLen(full)
		return string(r[:n]), string(r[n:])
	}
	words := strings.Fields(full)
	return words[len(words)-1], strings.Join(words[:len(words)-1], " ")
}
