package preferences_test

import (
	"bufio"
	"encoding/json"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"

	"regulars/preferences"
)

// sameAsUnmarshal checks that ParseStored(raw) gives what json.Unmarshal gives: the same
// value (nil and empty slices told apart) and the same error.
func sameAsUnmarshal(t testing.TB, raw string) {
	t.Helper()
	got, err := preferences.ParseStored(raw)
	var want preferences.Preferences
	wantErr := json.Unmarshal([]byte(raw), &want)
	if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
		t.Fatalf("ParseStored(%q) error %v, json.Unmarshal error %v", raw, err, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseStored(%q) differs from json.Unmarshal:\n got %#v\nwant %#v", raw, got, want)
	}
}

// handled checks that the fast path read raw (did not fall back) and got json.Unmarshal's value.
func handled(t testing.TB, raw string) {
	t.Helper()
	if _, ok := preferences.ParseCanonical(raw); !ok {
		t.Fatalf("the fast path fell back on stored form %s", raw)
	}
	sameAsUnmarshal(t, raw)
}

// storedRows are real stored values: every 5,000th guest of the 1M bench database.
func storedRows(t testing.TB) []string {
	t.Helper()
	f, err := os.Open("testdata/stored_preferences.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rows = append(rows, sc.Text())
	}
	if err := sc.Err(); err != nil || len(rows) == 0 {
		t.Fatalf("read %d stored rows: %v", len(rows), err)
	}
	return rows
}

// richPreferences has every section set, with Chinese, escapes and an empty and a nil list.
func richPreferences() []preferences.Preferences {
	card := benchCard()
	rich := card.Preferences
	rich.Notes = "丁总 <VIP> & \"tea\" \\ longjing\nline 2\t\u2028\u2029 😀 \x01"
	rich.Dining.Dietary = []string{}
	rich.Housekeeping.Amenities = nil
	rich.Room.MinFloor = -3
	return []preferences.Preferences{{}, rich, card.Preferences,
		{Allergies: []preferences.Allergy{}, Room: preferences.RoomPrefs{Features: []string{"", "a", "外滩"}}}}
}

func marshalled(t testing.TB, p *preferences.Preferences) string {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestParseStoredReadsMarshal: whatever json.Marshal writes for a Preferences, the fast
// path reads without falling back and gets json.Unmarshal's value; every field is set at
// random by reflection, so a field added to Preferences without its parser fails here.
func TestParseStoredReadsMarshal(t *testing.T) {
	handled(t, "{}")
	for _, p := range richPreferences() {
		handled(t, marshalled(t, &p))
	}
	r := rand.New(rand.NewPCG(11, 24))
	for range 3000 {
		var p preferences.Preferences
		fill(r, reflect.ValueOf(&p).Elem())
		handled(t, marshalled(t, &p))
	}
	for _, s := range trickyStrings {
		p := preferences.Preferences{Notes: s, Allergies: []preferences.Allergy{{Allergen: s}}, Dining: preferences.DiningPrefs{Dietary: []string{s, s}}}
		handled(t, marshalled(t, &p))
	}
}

// TestParseStoredStoredRows: real stored values all take the fast path.
func TestParseStoredStoredRows(t *testing.T) {
	for _, raw := range storedRows(t) {
		handled(t, raw)
	}
}

// TestParseStoredEdges: escapes and numbers at the edge of the stored form, and what it
// does not have (which goes to json.Unmarshal), give json.Unmarshal's value and error.
func TestParseStoredEdges(t *testing.T) {
	canonical := marshalled(t, &richPreferences()[1])
	for _, raw := range []string{
		"", "null", " {}", "{} ", "{ }", "[]", `{"notes":"x"}`, `{"NOTES":"x","room":null}`,
		`{"room":{"min_floor":"3"}}`, `{"room":{"min_floor":1e2}}`, `{"room":{"min_floor":99999999999999999999}}`,
		`{"notes":"a\ud800b"}`, `{"notes":"\udc00\ud800"}`, `{"notes":"\ud83d\ude00 ok"}`, `{"notes":"\x"}`,
		"{\"notes\":\"bad \xff\"}", `{"notes":"a","notes":"b"}`, `{"allergies":[{"allergen":1}]}`,
		strings.Replace(canonical, `"min_floor":-3`, `"min_floor":-0`, 1),
		strings.Replace(canonical, `"min_floor":-3`, `"min_floor":03`, 1),
		strings.Replace(canonical, `"min_floor":-3`, `"min_floor":3.0`, 1),
		strings.Replace(canonical, `"quiet":true`, `"quiet":tru`, 1),
		strings.Replace(canonical, `"dietary":[]`, `"dietary":[ ]`, 1),
		strings.Replace(canonical, `"features":[`, `"features":["x",`, 1),
		strings.Replace(canonical, `"features":[`, `"features":[,`, 1),
		strings.Replace(canonical, `"amenities":null`, `"amenities":nul`, 1),
		strings.Replace(canonical, `"notes":"`, `"notes":"\u00e9\ud83d\ude00\'`, 1),
		strings.Replace(canonical, `"notes":"`, `"notes":"\u00E9\/\b\f\r`, 1),
		strings.Replace(canonical, `"notes":"`, `"notes":"\ud83d\ude00\uD83D\uDE00 `, 1),
		strings.Replace(canonical, `"notes":"`, `"notes":"`+"\xed\xa0\x80", 1),
		canonical[:len(canonical)-1], canonical + "x", canonical + "\n",
	} {
		sameAsUnmarshal(t, raw)
	}
}

// FuzzParseStored: for any bytes, ParseStored gives json.Unmarshal's value and error.
// Run: go test -fuzz FuzzParseStored -fuzztime 2m ./preferences/
func FuzzParseStored(f *testing.F) {
	for _, p := range richPreferences() {
		f.Add(marshalled(f, &p))
	}
	for _, raw := range storedRows(f)[:20] {
		f.Add(raw)
	}
	f.Add("{}")
	f.Add(`{"room":{"min_floor":9223372036854775807}}`)
	f.Fuzz(func(t *testing.T, raw string) {
		sameAsUnmarshal(t, raw)
	})
}

// FuzzParseStoredMarshal: preferences with fuzzed text, once marshalled, take the fast path.
func FuzzParseStoredMarshal(f *testing.F) {
	f.Add("丁总", "<b>&</b>", "a\u2028\"\\", -7)
	f.Add("", "\xff", "\x00\x1f", 1<<40)
	f.Fuzz(func(t *testing.T, a, b, c string, n int) {
		p := preferences.Preferences{Room: preferences.RoomPrefs{MinFloor: n, View: a, Features: []string{b, c}},
			Dining: preferences.DiningPrefs{Breakfast: b}, Allergies: []preferences.Allergy{{Allergen: a, Severity: b, Instructions: c}},
			Housekeeping: preferences.HousekeepingPrefs{Laundry: c, Amenities: []string{}}, Notes: a + b + c}
		handled(t, marshalled(t, &p))
	})
}

// BenchmarkDecodeStored decodes real stored rows as the store does, with Normalize: all
// of them (over half are "{}") and only those with preferences set.
func BenchmarkDecodeStored(b *testing.B) {
	all := storedRows(b)
	var set []string
	for _, raw := range all {
		if raw != "{}" {
			set = append(set, raw)
		}
	}
	decoders := []struct {
		name   string
		decode func(string) (preferences.Preferences, error)
	}{
		{"Unmarshal", func(raw string) (p preferences.Preferences, err error) {
			err = json.Unmarshal([]byte(raw), &p)
			return p, err
		}},
		{"ParseStored", preferences.ParseStored},
	}
	for _, rows := range []struct {
		name string
		rows []string
	}{{"all", all}, {"set", set}} {
		for _, d := range decoders {
			b.Run(d.name+"/"+rows.name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					p, err := d.decode(rows.rows[i%len(rows.rows)])
					if err != nil {
						b.Fatal(err)
					}
					p.Normalize()
				}
			})
		}
	}
}
