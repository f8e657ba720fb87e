package preferences_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"regulars/preferences"
)

// trickyStrings are what JSON escaping can get wrong: HTML characters, quotes and
// backslashes, control characters, Chinese, U+2028/U+2029, invalid UTF-8, DEL, emoji.
var trickyStrings = []string{
	"", "丁总", "Ding Wei", "<script>alert(1)</script> & co", `say "hi" \ bye`,
	"line\nbreak\ttab\rcr\bbs\fff\x00nul\x1fus", "a\u2028b\u2029c", "bad \xff\xfe utf8 \xe4\xb8",
	"del\x7f", "emoji 😀 ok", "外滩 <view> & 安静", "/slash/ 'single'",
}

var trickyTimes = []time.Time{
	{},
	time.Date(2026, 11, 24, 22, 10, 0, 0, time.UTC),
	time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC),
	time.Date(1975, 5, 12, 8, 0, 0, 500_000_000, time.FixedZone("CST", 8*3600)),
	time.Date(2001, 2, 3, 4, 5, 6, 7000, time.FixedZone("", -(3*3600+30*60))),
}

// fill sets every field of v (a settable value) at random: strings from trickyStrings,
// slices nil, empty or with elements, pointers nil or set, times from trickyTimes.
func fill(r *rand.Rand, v reflect.Value) {
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(trickyTimes[r.IntN(len(trickyTimes))]))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(trickyStrings[r.IntN(len(trickyStrings))])
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 1)
	case reflect.Int, reflect.Int64:
		v.SetInt([]int64{0, 1, -7, 12, 2102, 1 << 40}[r.IntN(6)])
	case reflect.Pointer:
		if r.IntN(3) == 0 {
			v.SetZero()
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(r, v.Elem())
	case reflect.Slice:
		switch n := r.IntN(5); n {
		case 0:
			v.SetZero()
		default:
			v.Set(reflect.MakeSlice(v.Type(), n-1, n-1))
			for i := range n - 1 {
				fill(r, v.Index(i))
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(r, v.Field(i))
			}
		}
	default:
		panic("fill: no case for " + v.Type().String())
	}
}

func sameAsMarshal[T any](t *testing.T, v *T, appendJSON func([]byte) ([]byte, error)) {
	t.Helper()
	want, wantErr := json.Marshal(v)
	prefix := []byte("prefix:")
	got, err := appendJSON(append([]byte(nil), prefix...))
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("AppendJSON error %v, json.Marshal error %v", err, wantErr)
	}
	if wantErr != nil {
		return
	}
	if !bytes.HasPrefix(got, prefix) || !bytes.Equal(got[len(prefix):], want) {
		t.Fatalf("AppendJSON differs from json.Marshal:\n got %s\nwant %s", got, want)
	}
}

// TestAppendJSONMatchesMarshal: the hand-written encoders of the look-up result and the
// recognition card write exactly json.Marshal's bytes, for zero values and for thousands
// of values with every field set at random (a new field without its encoder fails here).
func TestAppendJSONMatchesMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 24))
	var g preferences.Guest
	sameAsMarshal(t, &g, g.AppendJSON)
	var card preferences.Recognition
	sameAsMarshal(t, &card, card.AppendJSON)
	for range 3000 {
		var g preferences.Guest
		fill(r, reflect.ValueOf(&g).Elem())
		sameAsMarshal(t, &g, g.AppendJSON)
		var card preferences.Recognition
		fill(r, reflect.ValueOf(&card).Elem())
		sameAsMarshal(t, &card, card.AppendJSON)
	}
	for range 3000 {
		var p preferences.Preferences
		fill(r, reflect.ValueOf(&p).Elem())
		sameAsMarshal(t, &p, p.AppendJSON)
		sameSectionsAsMarshal(t, &p)
		var s preferences.Stay
		fill(r, reflect.ValueOf(&s).Elem())
		sameAsMarshal(t, &s, s.AppendJSON)
	}
	for range 300 {
		var rooms []preferences.HousekeepingRoom
		fill(r, reflect.ValueOf(&rooms).Elem())
		board := map[string]any{"rooms": rooms}
		sameAsMarshal(t, &board, func(b []byte) ([]byte, error) { return preferences.AppendBoardJSON(b, rooms) })
	}
	// Every string and time once more, in the fields a card always has.
	for _, s := range trickyStrings {
		for _, at := range trickyTimes {
			card := preferences.Recognition{Guest: preferences.Guest{FamilyName: s, CreatedAt: at}, Greeting: s,
				Preferences: preferences.Preferences{Notes: s, Room: preferences.RoomPrefs{Features: []string{s}}},
				Notes:       []preferences.Note{{Text: s, CreatedAt: at}}}
			sameAsMarshal(t, &card, card.AppendJSON)
		}
	}
}

// A card whose suggested rooms come encoded (SetSuggestedRooms) writes json.Marshal's
// bytes too, and a list set in their place afterwards is encoded afresh, not the old JSON.
func TestAppendJSONEncodedRooms(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 25))
	for range 1000 {
		var card preferences.Recognition
		fill(r, reflect.ValueOf(&card).Elem())
		card.SetSuggestedRooms(preferences.EncodeRooms(card.SuggestedRooms))
		sameAsMarshal(t, &card, card.AppendJSON)
		var other []preferences.SuggestedRoom
		fill(r, reflect.ValueOf(&other).Elem())
		card.SuggestedRooms = other
		sameAsMarshal(t, &card, card.AppendJSON)
	}
	card := benchCard()
	rooms := card.SuggestedRooms
	card.SetSuggestedRooms(preferences.EncodeRooms(rooms))
	card.SuggestedRooms = rooms[:3] // the same array, fewer rooms
	sameAsMarshal(t, &card, card.AppendJSON)
}

// A time json.Marshal refuses (year past 9999) is an error here too, not a body.
func TestAppendJSONTimeOutOfRange(t *testing.T) {
	g := preferences.Guest{CreatedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := json.Marshal(&g); err == nil {
		t.Fatal("json.Marshal accepted year 10000")
	}
	if _, err := g.AppendJSON(nil); err == nil {
		t.Fatal("AppendJSON accepted year 10000")
	}
	c := preferences.Recognition{LastStay: &preferences.Stay{CheckIn: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}}
	if _, err := c.AppendJSON(nil); err == nil {
		t.Fatal("AppendJSON accepted year -1")
	}
}

// benchCard is a card as the desk sees one: a returning guest with preferences, stays,
// a follow-up, notes and ten suggested rooms.
func benchCard() preferences.Recognition {
	at := time.Date(2026, 11, 24, 8, 30, 0, 0, time.UTC)
	out := at.Add(72 * time.Hour)
	card := preferences.Recognition{
		Guest: preferences.Guest{ID: "g_01JD6Z7Q3K", FamilyName: "丁", GivenName: "伟", Salutation: "丁总",
			Email: "ding.wei@example.com", Phone: "+86 138 0013 8000", Birthday: "1975-05-12", Language: "zh",
			TimeZone: "Asia/Shanghai", MarketingConsent: true,
			Consent:   &preferences.ConsentEvent{Granted: true, At: at, Channel: "desk", By: "Li Na"},
			Documents: []preferences.Document{{Type: "cn_resident_id", Last4: "0038"}}, CreatedAt: at, UpdatedAt: at},
		Greeting: "欢迎回来，丁总", Returning: true, StaysCount: 7,
		LastStay: &preferences.Stay{ID: "s_1", GuestID: "g_01JD6Z7Q3K", Room: "2102", Floor: 21, CheckIn: at, CheckOut: &out, Nights: 3, PlannedNights: 3, Spend: "4280.00"},
		Preferences: preferences.Preferences{
			Room:         preferences.RoomPrefs{MinFloor: 15, View: "river", Bed: "king", Quiet: true, Features: []string{"bathtub", "away_from_lift"}},
			Dining:       preferences.DiningPrefs{Breakfast: "congee, no coriander", Dietary: []string{"no_pork"}},
			Allergies:    []preferences.Allergy{{Allergen: "detergent", Severity: "severe", Instructions: "soap only, no detergent"}},
			Housekeeping: preferences.HousekeepingPrefs{Laundry: "soap only, no detergent", Amenities: []string{"extra pillow"}},
			Notes:        "Prefers the river side; tea: longjing.",
		},
		FollowUps: []preferences.FollowUp{{ID: "f_1", FeedbackID: "fb_1", Text: "Apologise for the noise last stay", CreatedAt: at}},
		Notes:     []preferences.Note{{ID: "n_1", Department: "housekeeping", Text: "Do not disturb before 10:00", CreatedAt: at, CreatedBy: "Li Na"}},
	}
	for i := range 10 {
		card.SuggestedRooms = append(card.SuggestedRooms, preferences.SuggestedRoom{Number: fmt.Sprint(2100 + i), Floor: 21,
			View: "river", Bed: "king", Score: 90 - i, Reasons: []string{"river view", "king bed", "quiet"}})
	}
	return card
}

func BenchmarkCardJSON(b *testing.B) {
	card := benchCard()
	b.Run("Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(&card); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			var err error
			if buf, err = card.AppendJSON(buf[:0]); err != nil {
				b.Fatal(err)
			}
		}
	})
	encoded := card
	encoded.SetSuggestedRooms(preferences.EncodeRooms(card.SuggestedRooms))
	b.Run("AppendJSONEncodedRooms", func(b *testing.B) { // as the store hands out a card
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			var err error
			if buf, err = encoded.AppendJSON(buf[:0]); err != nil {
				b.Fatal(err)
			}
		}
	})
	g := card.Guest
	b.Run("GuestMarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(&g); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("GuestAppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			var err error
			if buf, err = g.AppendJSON(buf[:0]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// sameSectionsAsMarshal checks each section's value against json.Marshal of its field.
func sameSectionsAsMarshal(t *testing.T, p *preferences.Preferences) {
	t.Helper()
	fields := map[string]any{preferences.SectionRoom: p.Room, preferences.SectionDining: p.Dining,
		preferences.SectionAllergies: p.Allergies, preferences.SectionHousekeeping: p.Housekeeping,
		preferences.SectionNotes: p.Notes, "no such section": nil}
	if len(fields) != len(preferences.Sections)+1 {
		t.Fatalf("a section is missing from this test: %v", preferences.Sections)
	}
	for section, v := range fields {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.AppendSectionJSON([]byte{}, section); !bytes.Equal(got, want) {
			t.Fatalf("section %s: got %s, want %s", section, got, want)
		}
	}
}
