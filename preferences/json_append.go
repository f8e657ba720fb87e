package preferences

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// The look-up result and the recognition card are the hottest responses; encoding them
// with encoding/json's reflection was a tenth of the card's CPU. The appenders below write
// exactly the bytes json.Marshal writes for these types (same field order, HTML-safe string
// escaping, RFC 3339 times, null for nil slices and pointers, omitempty);
// TestAppendJSONMatchesMarshal fills every field by reflection and compares, so a field
// added to a type without its appender fails the test.

// AppendJSON appends g encoded as json.Marshal(g) would encode it.
func (g *Guest) AppendJSON(b []byte) ([]byte, error) {
	w := jsonWriter{b: b}
	w.guest(g)
	return w.b, w.err
}

// AppendJSON appends r encoded as json.Marshal(r) would encode it.
func (r *Recognition) AppendJSON(b []byte) ([]byte, error) {
	w := jsonWriter{b: b}
	w.recognition(r)
	return w.b, w.err
}

// EncodedRooms is a list of suggested rooms with its JSON, encoded once: the store hands
// the same list to every card whose guest has the same room preferences, and encoding
// it afresh was a third of encoding a card.
type EncodedRooms struct {
	list []SuggestedRoom
	json []byte
}

// EncodeRooms encodes rooms, which must not be modified afterwards.
func EncodeRooms(rooms []SuggestedRoom) EncodedRooms {
	var w jsonWriter
	list(&w, rooms, (*jsonWriter).suggestedRoom)
	return EncodedRooms{list: rooms, json: w.b}
}

// Rooms returns the list (not to be modified).
func (e EncodedRooms) Rooms() []SuggestedRoom { return e.list }

// SetSuggestedRooms sets r.SuggestedRooms to e's list; AppendJSON then writes e's JSON
// for them, as long as r.SuggestedRooms is still that list.
func (r *Recognition) SetSuggestedRooms(e EncodedRooms) {
	r.SuggestedRooms, r.encodedRooms = e.list, e
}

// AppendJSON appends p encoded as json.Marshal(p) would encode it: how preferences are
// stored and sent after every change.
func (p *Preferences) AppendJSON(b []byte) ([]byte, error) {
	w := jsonWriter{b: b}
	w.preferences(p)
	return w.b, w.err
}

// AppendSectionJSON appends the value of one section of p (SectionRoom, ...) as
// json.Marshal would encode that field; null for an unknown section.
func (p *Preferences) AppendSectionJSON(b []byte, section string) []byte {
	w := jsonWriter{b: b}
	w.section(p, section)
	return w.b
}

// AppendJSON appends s encoded as json.Marshal(s) would encode it: the answer to a
// check-in.
func (s *Stay) AppendJSON(b []byte) ([]byte, error) {
	w := jsonWriter{b: b}
	w.stayPtr(s)
	return w.b, w.err
}

// AppendBoardJSON appends {"rooms": rooms} encoded as json.Marshal(map[string]any{"rooms":
// rooms}) would encode it: the housekeeping board, encoded again after every check-in and
// check-out.
func AppendBoardJSON(b []byte, rooms []HousekeepingRoom) ([]byte, error) {
	w := jsonWriter{b: append(b, `{"rooms":`...)}
	list(&w, rooms, (*jsonWriter).housekeepingRoom)
	w.b = append(w.b, '}')
	return w.b, w.err
}

// jsonWriter appends JSON to b; the first error (a time json.Marshal refuses) sticks.
type jsonWriter struct {
	b   []byte
	err error
}

// key writes the separator (unless first) and "name":.
func (w *jsonWriter) key(name string, first bool) {
	if !first {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, '"', ':')
}

func (w *jsonWriter) str(s string) { w.b = appendJSONString(w.b, s) }

func (w *jsonWriter) int(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

func (w *jsonWriter) bool(v bool) { w.b = strconv.AppendBool(w.b, v) }

func (w *jsonWriter) null() { w.b = append(w.b, "null"...) }

func (w *jsonWriter) time(t time.Time) {
	w.b = append(w.b, '"')
	b, err := t.AppendText(w.b) // the same RFC 3339 text and range checks as MarshalJSON
	if err != nil {
		if w.err == nil {
			w.err = err
		}
		return
	}
	w.b = append(b, '"')
}

func (w *jsonWriter) timePtr(t *time.Time) {
	if t == nil {
		w.null()
		return
	}
	w.time(*t)
}

func (w *jsonWriter) strings(list []string) {
	if list == nil {
		w.null()
		return
	}
	w.b = append(w.b, '[')
	for i, s := range list {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.str(s)
	}
	w.b = append(w.b, ']')
}

// sameList reports whether a and b are the same slice of the same array.
func sameList[T any](a, b []T) bool {
	return len(a) == len(b) && (a == nil) == (b == nil) && (len(a) == 0 || &a[0] == &b[0])
}

// list writes a slice of structs with each, null for a nil slice.
func list[T any](w *jsonWriter, items []T, each func(*jsonWriter, *T)) {
	if items == nil {
		w.null()
		return
	}
	w.b = append(w.b, '[')
	for i := range items {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		each(w, &items[i])
	}
	w.b = append(w.b, ']')
}

func (w *jsonWriter) guest(g *Guest) {
	w.b = append(w.b, '{')
	w.key("id", true)
	w.str(g.ID)
	w.key("family_name", false)
	w.str(g.FamilyName)
	w.key("given_name", false)
	w.str(g.GivenName)
	w.key("salutation", false)
	w.str(g.Salutation)
	w.key("email", false)
	w.str(g.Email)
	w.key("phone", false)
	w.str(g.Phone)
	w.key("birthday", false)
	w.str(g.Birthday)
	w.key("language", false)
	w.str(g.Language)
	w.key("time_zone", false)
	w.str(g.TimeZone)
	w.key("marketing_consent", false)
	w.bool(g.MarketingConsent)
	w.key("consent", false)
	if g.Consent == nil {
		w.null()
	} else {
		w.consent(g.Consent)
	}
	w.key("documents", false)
	list(w, g.Documents, (*jsonWriter).document)
	w.key("created_at", false)
	w.time(g.CreatedAt)
	w.key("updated_at", false)
	w.time(g.UpdatedAt)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) consent(c *ConsentEvent) {
	w.b = append(w.b, '{')
	w.key("granted", true)
	w.bool(c.Granted)
	w.key("at", false)
	w.time(c.At)
	w.key("channel", false)
	w.str(c.Channel)
	w.key("by", false)
	w.str(c.By)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) document(d *Document) {
	w.b = append(w.b, '{')
	w.key("type", true)
	w.str(d.Type)
	w.key("last4", false)
	w.str(d.Last4)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) recognition(r *Recognition) {
	w.b = append(w.b, '{')
	w.key("guest", true)
	w.guest(&r.Guest)
	w.key("greeting", false)
	w.str(r.Greeting)
	w.key("returning", false)
	w.bool(r.Returning)
	w.key("stays_count", false)
	w.int(r.StaysCount)
	w.key("last_stay", false)
	w.stayPtr(r.LastStay)
	w.key("in_house", false)
	w.stayPtr(r.InHouse)
	w.key("arrival", false)
	if r.Arrival == nil {
		w.null()
	} else {
		w.arrival(r.Arrival)
	}
	w.key("preferences", false)
	w.preferences(&r.Preferences)
	w.key("follow_ups", false)
	list(w, r.FollowUps, (*jsonWriter).followUp)
	w.key("notes", false)
	list(w, r.Notes, (*jsonWriter).note)
	w.key("birthday_during_stay", false)
	w.bool(r.BirthdayDuringStay)
	w.key("suggested_rooms", false)
	if e := r.encodedRooms; e.json != nil && sameList(e.list, r.SuggestedRooms) {
		w.b = append(w.b, e.json...)
	} else {
		list(w, r.SuggestedRooms, (*jsonWriter).suggestedRoom)
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) stayPtr(s *Stay) {
	if s == nil {
		w.null()
		return
	}
	w.b = append(w.b, '{')
	w.key("id", true)
	w.str(s.ID)
	w.key("guest_id", false)
	w.str(s.GuestID)
	w.key("room", false)
	w.str(s.Room)
	w.key("floor", false)
	w.int(s.Floor)
	w.key("check_in", false)
	w.time(s.CheckIn)
	w.key("check_out", false)
	w.timePtr(s.CheckOut)
	w.key("nights", false)
	w.int(s.Nights)
	w.key("planned_nights", false)
	w.int(s.PlannedNights)
	if s.Spend != "" {
		w.key("spend", false)
		w.str(s.Spend)
	}
	if len(s.FollowUps) > 0 {
		w.key("follow_ups", false)
		list(w, s.FollowUps, (*jsonWriter).followUp)
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) arrival(a *Arrival) {
	w.b = append(w.b, '{')
	w.key("id", true)
	w.str(a.ID)
	w.key("guest_id", false)
	w.str(a.GuestID)
	w.key("arrival_date", false)
	w.str(a.ArrivalDate)
	w.key("nights", false)
	w.int(a.Nights)
	w.key("reference", false)
	w.str(a.Reference)
	w.key("status", false)
	w.str(a.Status)
	if a.StayID != "" {
		w.key("stay_id", false)
		w.str(a.StayID)
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) preferences(p *Preferences) {
	w.b = append(w.b, `{"room":`...)
	w.roomPrefs(&p.Room)
	w.b = append(w.b, `,"dining":`...)
	w.diningPrefs(&p.Dining)
	w.key("allergies", false)
	list(w, p.Allergies, (*jsonWriter).allergy)
	w.b = append(w.b, `,"housekeeping":`...)
	w.housekeepingPrefs(&p.Housekeeping)
	w.key("notes", false)
	w.str(p.Notes)
	w.b = append(w.b, '}')
}

// section writes one section of p, as json.Marshal writes that field's value.
func (w *jsonWriter) section(p *Preferences, section string) {
	switch section {
	case SectionRoom:
		w.roomPrefs(&p.Room)
	case SectionDining:
		w.diningPrefs(&p.Dining)
	case SectionAllergies:
		list(w, p.Allergies, (*jsonWriter).allergy)
	case SectionHousekeeping:
		w.housekeepingPrefs(&p.Housekeeping)
	case SectionNotes:
		w.str(p.Notes)
	default:
		w.null()
	}
}

func (w *jsonWriter) roomPrefs(r *RoomPrefs) {
	w.b = append(w.b, `{"min_floor":`...)
	w.int(r.MinFloor)
	w.key("view", false)
	w.str(r.View)
	w.key("bed", false)
	w.str(r.Bed)
	w.key("quiet", false)
	w.bool(r.Quiet)
	w.key("smoking", false)
	w.bool(r.Smoking)
	w.key("features", false)
	w.strings(r.Features)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) diningPrefs(d *DiningPrefs) {
	w.b = append(w.b, `{"breakfast":`...)
	w.str(d.Breakfast)
	w.key("dietary", false)
	w.strings(d.Dietary)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) housekeepingPrefs(h *HousekeepingPrefs) {
	w.b = append(w.b, `{"laundry":`...)
	w.str(h.Laundry)
	w.key("amenities", false)
	w.strings(h.Amenities)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) housekeepingRoom(h *HousekeepingRoom) {
	w.b = append(w.b, `{"room":`...)
	w.str(h.Room)
	w.key("floor", false)
	w.int(h.Floor)
	w.key("allergies", false)
	list(w, h.Allergies, (*jsonWriter).allergy)
	w.key("laundry", false)
	w.str(h.Laundry)
	w.key("amenities", false)
	w.strings(h.Amenities)
	w.key("notes", false)
	w.strings(h.Notes)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) allergy(a *Allergy) {
	w.b = append(w.b, '{')
	w.key("allergen", true)
	w.str(a.Allergen)
	w.key("severity", false)
	w.str(a.Severity)
	w.key("instructions", false)
	w.str(a.Instructions)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) followUp(f *FollowUp) {
	w.b = append(w.b, '{')
	w.key("id", true)
	w.str(f.ID)
	if f.FeedbackID != "" {
		w.key("feedback_id", false)
		w.str(f.FeedbackID)
	}
	w.key("text", false)
	w.str(f.Text)
	w.key("created_at", false)
	w.time(f.CreatedAt)
	if f.DoneAt != nil {
		w.key("done_at", false)
		w.time(*f.DoneAt)
	}
	w.b = append(w.b, '}')
}

func (w *jsonWriter) note(n *Note) {
	w.b = append(w.b, '{')
	w.key("id", true)
	w.str(n.ID)
	w.key("department", false)
	w.str(n.Department)
	w.key("text", false)
	w.str(n.Text)
	w.key("created_at", false)
	w.time(n.CreatedAt)
	w.key("created_by", false)
	w.str(n.CreatedBy)
	w.b = append(w.b, '}')
}

func (w *jsonWriter) suggestedRoom(s *SuggestedRoom) {
	w.b = append(w.b, '{')
	w.key("number", true)
	w.str(s.Number)
	w.key("floor", false)
	w.int(s.Floor)
	w.key("view", false)
	w.str(s.View)
	w.key("bed", false)
	w.str(s.Bed)
	w.key("score", false)
	w.int(s.Score)
	w.key("reasons", false)
	w.strings(s.Reasons)
	w.b = append(w.b, '}')
}

// htmlSafe[c] reports whether json.Marshal writes the ASCII byte c as it is (it escapes
// control characters, '"', '\\' and, for HTML safety, '<', '>' and '&').
var htmlSafe = func() (t [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted and escaped as encoding/json's appendString does
// with HTML escaping: invalid UTF-8 becomes \ufffd, U+2028 and U+2029 are escaped.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if htmlSafe[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
