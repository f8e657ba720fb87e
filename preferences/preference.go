package preferences

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Preferences is what the hotel has learned about how a guest likes to stay.
type Preferences struct {
	Room         RoomPrefs         `json:"room"`
	Dining       DiningPrefs       `json:"dining"`
	Allergies    []Allergy         `json:"allergies"`
	Housekeeping HousekeepingPrefs `json:"housekeeping"`
	Notes        string            `json:"notes"`
}

// RoomPrefs describes the room a guest likes. Zero values mean "no preference".
type RoomPrefs struct {
	MinFloor int      `json:"min_floor"`
	View     string   `json:"view"`
	Bed      string   `json:"bed"`
	Quiet    bool     `json:"quiet"`
	Smoking  bool     `json:"smoking"`
	Features []string `json:"features"`
}

// DiningPrefs holds breakfast habits and dietary needs.
type DiningPrefs struct {
	Breakfast string   `json:"breakfast"`
	Dietary   []string `json:"dietary"`
}

// Allergy is something the guest must not be exposed to, and what to do about it.
type Allergy struct {
	Allergen     string `json:"allergen"`
	Severity     string `json:"severity"`
	Instructions string `json:"instructions"`
}

// HousekeepingPrefs are the instructions housekeeping acts on.
type HousekeepingPrefs struct {
	Laundry   string   `json:"laundry"`
	Amenities []string `json:"amenities"`
}

// Preference sections, the unit of PATCH and of the change history.
const (
	SectionRoom         = "room"
	SectionDining       = "dining"
	SectionAllergies    = "allergies"
	SectionHousekeeping = "housekeeping"
	SectionNotes        = "notes"
)

// Sections lists every preference section in display order.
var Sections = []string{SectionRoom, SectionDining, SectionAllergies, SectionHousekeeping, SectionNotes}

// Severities of an allergy, mildest first.
var Severities = []string{"mild", "moderate", "severe"}

// Beds a room can have.
var Beds = []string{"king", "queen", "double", "twin", "single"}

// Limits on preferences.
const (
	MaxFloor       = 200
	MaxListItems   = 20
	MaxItemLen     = 60
	MaxLineLen     = 200
	MaxInstrLen    = 500
	MaxNotesLen    = 2000
	MaxAllergies   = 20
	MaxSlugLen     = 30
	preferenceSlug = `^[a-z][a-z0-9_]{0,29}$`
)

var slugRE = regexp.MustCompile(preferenceSlug)

// IsSlug reports whether s is a lower-case identifier such as "river" or "bathtub".
func IsSlug(s string) bool { return slugRE.MatchString(s) }

// Normalize trims text, lower-cases identifiers and drops empty or repeated list items,
// so the stored form is canonical.
func (p *Preferences) Normalize() {
	p.Room.View = strings.ToLower(strings.TrimSpace(p.Room.View))
	p.Room.Bed = strings.ToLower(strings.TrimSpace(p.Room.Bed))
	p.Room.Features = cleanList(p.Room.Features, true)
	p.Dining.Breakfast = strings.TrimSpace(p.Dining.Breakfast)
	p.Dining.Dietary = cleanList(p.Dining.Dietary, false)
	for i := range p.Allergies {
		a := &p.Allergies[i]
		a.Allergen = strings.TrimSpace(a.Allergen)
		a.Severity = strings.ToLower(strings.TrimSpace(a.Severity))
		a.Instructions = strings.TrimSpace(a.Instructions)
	}
	if p.Allergies == nil {
		p.Allergies = []Allergy{}
	}
	p.Housekeeping.Laundry = strings.TrimSpace(p.Housekeeping.Laundry)
	p.Housekeeping.Amenities = cleanList(p.Housekeeping.Amenities, false)
	p.Notes = strings.TrimSpace(p.Notes)
}

// shortList is the length up to which cleanList finds repeats by scanning what it kept
// rather than with a map (lists are 0–3 items almost always; a map was an allocation each).
const shortList = 16

// cleanList trims (and lower-cases) the items, dropping empty and repeated ones; the
// result is never nil.
func cleanList(in []string, lower bool) []string {
	out := make([]string, 0, len(in))
	var seen map[string]bool
	if len(in) > shortList {
		seen = make(map[string]bool, len(in))
	}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if lower {
			s = strings.ToLower(s)
		}
		if s == "" {
			continue
		}
		if seen == nil {
			if slices.Contains(out, s) {
				continue
			}
		} else {
			if seen[s] {
				continue
			}
			seen[s] = true
		}
		out = append(out, s)
	}
	return out
}

// Validate checks every section against its rules; field names are JSON paths.
func (p *Preferences) Validate() error {
	var v Invalid
	r := p.Room
	if r.MinFloor < 0 || r.MinFloor > MaxFloor {
		v.Add("room.min_floor", "must be between 0 and %d", MaxFloor)
	}
	if r.View != "" && !IsSlug(r.View) {
		v.Add("room.view", "must be a short lower-case word such as river, city or garden")
	}
	if r.Bed != "" && !slices.Contains(Beds, r.Bed) {
		v.Add("room.bed", "must be one of %s", strings.Join(Beds, ", "))
	}
	checkList(&v, "room.features", r.Features, MaxSlugLen, true)
	text(&v, "dining.breakfast", p.Dining.Breakfast, MaxLineLen, false)
	checkList(&v, "dining.dietary", p.Dining.Dietary, MaxItemLen, false)
	if len(p.Allergies) > MaxAllergies {
		v.Add("allergies", "at most %d allergies", MaxAllergies)
	}
	for i, a := range p.Allergies {
		f := "allergies[" + strconv.Itoa(i) + "]"
		if a.Allergen == "" {
			v.Add(f+".allergen", "is required")
		}
		text(&v, f+".allergen", a.Allergen, MaxItemLen*2, false)
		if !slices.Contains(Severities, a.Severity) {
			v.Add(f+".severity", "must be mild, moderate or severe")
		}
		text(&v, f+".instructions", a.Instructions, MaxInstrLen, true)
	}
	text(&v, "housekeeping.laundry", p.Housekeeping.Laundry, MaxInstrLen, true)
	checkList(&v, "housekeeping.amenities", p.Housekeeping.Amenities, MaxItemLen, false)
	text(&v, "notes", p.Notes, MaxNotesLen, true)
	return v.Err()
}

func text(v *Invalid, field, s string, maxLen int, multiline bool) {
	if msg := TextProblem(s, maxLen, multiline); msg != "" {
		v.Add(field, "%s", msg)
	}
}

func checkList(v *Invalid, field string, items []string, maxLen int, slug bool) {
	if len(items) > MaxListItems {
		v.Add(field, "at most %d items", MaxListItems)
		return
	}
	for i, s := range items {
		f := field + "[" + strconv.Itoa(i) + "]"
		if slug && !IsSlug(s) {
			v.Add(f, "must be a short lower-case word such as internet or bathtub")
			continue
		}
		text(v, f, s, maxLen, false)
	}
}

// HasAllergies reports whether any allergy is on file.
func (p Preferences) HasAllergies() bool { return len(p.Allergies) > 0 }
