package sqlite

import (
	"testing"
	"time"
)

// parseTime reads every string exactly as time.Parse(TimeLayout, s) does.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{
		"2026-05-10T08:00:00.000000Z", "2024-02-29T23:59:59.999999Z", "2025-02-29T00:00:00.000000Z",
		"2026-13-01T00:00:00.000000Z", "2026-04-31T00:00:00.000000Z", "2026-05-10T24:00:00.000000Z",
		"2026-05-10T08:60:00.000000Z", "2026-05-10T08:00:60.000000Z", "0000-01-01T00:00:00.000000Z",
		"2026-05-10 08:00:00.000000Z", "2026-05-10T08:00:00.00000aZ", "2026-05-10T08:00:00Z", "",
		"+026-05-10T08:00:00.000000Z", "2026-00-10T08:00:00.000000Z", "2026-05-00T08:00:00.000000Z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := time.Parse(TimeLayout, s)
		if got := parseTime(s); !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("parseTime(%q) = %v, time.Parse gives %v", s, got, want)
		}
	})
}
