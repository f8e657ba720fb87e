package preferences_test

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"regulars/preferences"
)

// cleanListWithMap is cleanList as it was, finding repeats with a map at every length.
func cleanListWithMap(in []string, lower bool) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if lower {
			s = strings.ToLower(s)
		}
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// TestCleanListMatchesMapVersion: lists short (scanned) and long (mapped), with blanks,
// padding, case and repeats, clean as they did with a map for every list.
func TestCleanListMatchesMapVersion(t *testing.T) {
	items := []string{"", " ", "a", " a", "A", "a ", "b", "B\t", "外滩", " 外滩 ", "x y", "X Y", "\u00a0c"}
	r := rand.New(rand.NewPCG(3, 16))
	for range 5000 {
		var in []string
		if n := r.IntN(40); n > 0 || r.IntN(2) == 0 {
			in = make([]string, n)
			for i := range in {
				in[i] = items[r.IntN(len(items))]
			}
		}
		for _, lower := range []bool{false, true} {
			want := cleanListWithMap(in, lower)
			if got := preferences.CleanList(in, lower); !reflect.DeepEqual(got, want) {
				t.Fatalf("cleanList(%q, %v) = %q, want %q", in, lower, got, want)
			}
		}
	}
}

// Normalize of a guest with no preferences, the commonest stored value, allocates nothing.
func TestNormalizeEmptyAllocatesNothing(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() {
		var p preferences.Preferences
		p.Normalize()
	}); n != 0 {
		t.Fatalf("Normalize of empty preferences: %v allocations", n)
	}
}
