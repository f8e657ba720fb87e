package preferences

import (
	"testing"
	"time"
)

func TestStayNights(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	at := func(loc *time.Location, s string) *time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	cases := []struct {
		name    string
		loc     *time.Location
		in      string
		out     string // "" for an open stay
		planned int
		want    int
	}{
		{"open stay reports planned", sh, "2026-03-01 15:00", "", 7, 7},
		{"same-day check-out is a day use", sh, "2026-03-01 09:00", "2026-03-01 18:00", 7, 0},
		{"early check-out after 2 of 7", sh, "2026-03-01 22:00", "2026-03-03 07:00", 7, 2},
		{"full stay", sh, "2026-03-01 15:00", "2026-03-08 11:00", 7, 7},
		{"late check-out stays one night", sh, "2026-03-01 15:00", "2026-03-02 18:00", 1, 1},
		// 01:30 hotel time on 2 March is still 1 March in UTC: hotel dates count, not UTC ones.
		{"hotel dates, not UTC dates", sh, "2026-03-01 15:00", "2026-03-02 01:30", 1, 1},
		{"across a DST change", ny, "2026-03-07 15:00", "2026-03-09 11:00", 2, 2},
		{"clock set back", sh, "2026-03-02 10:00", "2026-03-01 10:00", 1, 0},
	}
	for _, c := range cases {
		var out *time.Time
		if c.out != "" {
			out = at(c.loc, c.out)
		}
		// Times are stored in UTC; the zone of the instant must not matter.
		in := at(c.loc, c.in).UTC()
		if out != nil {
			u := out.UTC()
			out = &u
		}
		if got := StayNights(in, out, c.planned, c.loc); got != c.want {
			t.Errorf("%s: StayNights = %d, want %d", c.name, got, c.want)
		}
	}
}
