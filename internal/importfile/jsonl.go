package importfile

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"regulars/internal/web"
	"regulars/preferences"
)

// jsonLine is one guest of a JSON Lines file: the body of POST /api/guests with the
// guest's id in its source system, when consent was given, its preferences (the body of
// PUT …/preferences, any sections) and its past stays.
type jsonLine struct {
	preferences.GuestFields
	ExternalID    string     `json:"external_id"`
	ConsentAt     string     `json:"consent_at"`
	ConsentSource string     `json:"consent_source"`
	Preferences   *jsonPrefs `json:"preferences"`
	Stays         []jsonStay `json:"stays"`
}

// jsonPrefs tells the sections sent from those left out.
type jsonPrefs struct {
	Room         *preferences.RoomPrefs         `json:"room"`
	Dining       *preferences.DiningPrefs       `json:"dining"`
	Allergies    *[]preferences.Allergy         `json:"allergies"`
	Housekeeping *preferences.HousekeepingPrefs `json:"housekeeping"`
	Notes        *string                        `json:"notes"`
}

type jsonStay struct {
	Property string `json:"property"`
	Room     string `json:"room"`
	CheckIn  string `json:"check_in"`
	CheckOut string `json:"check_out"`
	Spend    string `json:"spend"`
}

type jsonlReader struct {
	src  *lines
	now  time.Time
	row  int
	line []byte
}

func (r *jsonlReader) Notices() []RowError { return nil }

func (r *jsonlReader) Next() (Record, error) {
	for {
		line, long, err := r.src.next(r.line)
		if err != nil {
			return Record{}, err
		}
		r.line = line[:0]
		r.row++
		if long {
			return badRow(r.row, "line", fmt.Sprintf("is longer than %d KiB", MaxLineBytes>>10)), nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		return r.record(line), nil
	}
}

func badRow(row int, field, msg string) Record {
	return Record{Row: row, Errors: []RowError{{Row: row, Field: field, Message: msg}}}
}

func (r *jsonlReader) record(line []byte) Record {
	e := &errs{row: r.row}
	var in jsonLine
	if err := web.DecodeStrict(line, &in); err != nil {
		e.judge("", err)
		for i := range e.out { // the line's fields are the body's, not an embedded struct's
			e.out[i].Field = strings.TrimPrefix(e.out[i].Field, "GuestFields.")
		}
		return Record{Row: r.row, Errors: e.out}
	}
	rules := rowRules{dateLayout: preferences.DateLayout, now: r.now}
	g := &Guest{ExternalID: strings.TrimSpace(in.ExternalID), Fields: in.GuestFields}
	e.judge("external_id", textRule(g.ExternalID, MaxIDLen))
	rules.consent(e, g, strings.TrimSpace(in.ConsentAt), strings.TrimSpace(in.ConsentSource))
	if _, err := preferences.CheckNewGuest(&g.Fields, r.now); err != nil {
		e.judge("", err)
	}
	if p := in.Preferences; p != nil {
		g.Sections, g.Preferences = p.sections()
		g.Preferences.Normalize()
		e.judge("preferences", g.Preferences.Validate())
	}
	out := Record{Row: r.row, Guest: g}
	for i, s := range in.Stays {
		out.Stays = append(out.Stays, rules.jsonStay(e, "stays["+strconv.Itoa(i)+"]", s))
	}
	if len(e.out) > 0 {
		return Record{Row: r.row, Errors: e.out}
	}
	return out
}

func (p *jsonPrefs) sections() ([]string, preferences.Preferences) {
	var out preferences.Preferences
	var sections []string
	if p.Room != nil {
		sections, out.Room = append(sections, preferences.SectionRoom), *p.Room
	}
	if p.Dining != nil {
		sections, out.Dining = append(sections, preferences.SectionDining), *p.Dining
	}
	if p.Allergies != nil {
		sections, out.Allergies = append(sections, preferences.SectionAllergies), *p.Allergies
	}
	if p.Housekeeping != nil {
		sections, out.Housekeeping = append(sections, preferences.SectionHousekeeping), *p.Housekeeping
	}
	if p.Notes != nil {
		sections, out.Notes = append(sections, preferences.SectionNotes), *p.Notes
	}
	return sections, out
}

// jsonStay judges a stay of a JSON line; its times are dates or RFC 3339 instants.
func (r rowRules) jsonStay(e *errs, field string, in jsonStay) Stay {
	s := Stay{Property: strings.ToUpper(strings.TrimSpace(in.Property)), Room: strings.TrimSpace(in.Room), Spend: strings.TrimSpace(in.Spend)}
	sub := &errs{row: e.row}
	var inOK, outOK, outDate bool
	s.CheckIn, s.DateOnly, inOK = instant(sub, "check_in", in.CheckIn)
	s.CheckOut, outDate, outOK = instant(sub, "check_out", in.CheckOut)
	s.DateOnly = s.DateOnly && outDate
	r.checkStay(sub, s, inOK && outOK)
	for _, x := range sub.out {
		e.add(field+"."+x.Field, x.Message)
	}
	return s
}

// instant reads a date (YYYY-MM-DD) or an RFC 3339 instant.
func instant(e *errs, field, s string) (t time.Time, dateOnly, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		e.add(field, "is required")
		return t, false, false
	}
	if t, err := time.Parse(preferences.DateLayout, s); err == nil {
		return t, true, true
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		e.add(field, "must be a real date as YYYY-MM-DD or a time as RFC 3339")
		return t, false, false
	}
	return t.UTC(), false, true
}
