package sqlite

import (
	"bufio"
	"os"
	"reflect"
	"testing"

	"regulars/preferences"
)

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

// Real stored rows decode, with every list an array (never null) for the clients, and
// "{}" (a guest with no preferences) is the empty preferences.
func TestDecodeStoredRows(t *testing.T) {
	for _, raw := range append(storedRows(t), "{}") {
		p, err := decodePreferences(raw)
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if p.Room.Features == nil || p.Dining.Dietary == nil || p.Allergies == nil || p.Housekeeping.Amenities == nil {
			t.Fatalf("%s: a nil list in %+v", raw, p)
		}
	}
	empty, _ := decodePreferences("{}")
	want := preferences.Preferences{}
	want.Normalize()
	if !reflect.DeepEqual(empty, want) {
		t.Fatalf("{} decodes to %+v, want %+v", empty, want)
	}
}

// BenchmarkDecodeStored decodes real stored rows as the store does: all of them (over
// half are "{}") and only those with preferences set.
func BenchmarkDecodeStored(b *testing.B) {
	all := storedRows(b)
	var set []string
	for _, raw := range all {
		if raw != "{}" {
			set = append(set, raw)
		}
	}
	for _, rows := range []struct {
		name string
		rows []string
	}{{"all", all}, {"set", set}} {
		b.Run(rows.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := decodePreferences(rows.rows[i%len(rows.rows)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
