package preferences_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
)

var rulesZone = time.FixedZone("CST", 8*3600)

// fakeCandidates answers the selections with fixed candidates and records what was asked.
type fakeCandidates struct {
	cands []preferences.OutreachCandidate
	asked []string
}

func (f *fakeCandidates) BirthdayCandidates(_ context.Context, monthDays []string, period, day string) ([]preferences.OutreachCandidate, error) {
	f.asked = append(f.asked, fmt.Sprint(monthDays, " ", period))
	return f.cands, nil
}

func (f *fakeCandidates) LapseCandidates(_ context.Context, from, to time.Time, day string) ([]preferences.OutreachCandidate, error) {
	f.asked = append(f.asked, from.Format(time.RFC3339)+" "+to.Format(time.RFC3339))
	return f.cands, nil
}

func rulesDay(s string) time.Time {
	d, err := time.ParseInLocation(preferences.DateLayout, s, rulesZone)
	if err != nil {
		panic(err)
	}
	return d
}

// reachable is a candidate who agreed to letters, with an address.
func reachable(id, email, birthday string, lastOut *time.Time) preferences.OutreachCandidate {
	return preferences.OutreachCandidate{Guest: preferences.Guest{ID: id, Email: email, Birthday: birthday, MarketingConsent: true},
		LastCheckOut: lastOut}
}

// The birthday selection asks for each date of the grace, in each date's own year, with
// 29 February on 28 February of a year without one.
func TestOutreachBirthdaySelectionsOverTheGrace(t *testing.T) {
	for _, tc := range []struct {
		day   string
		grace int
		want  []string
	}{
		{"2027-03-01", 2, []string{"[02-27] 2027", "[02-28 02-29] 2027", "[03-01] 2027"}},
		{"2027-01-01", 1, []string{"[12-31] 2026", "[01-01] 2027"}},
		{"2028-02-28", -1, []string{"[02-28] 2028"}}, // a leap year; a negative grace is none
	} {
		src := &fakeCandidates{}
		r := preferences.OutreachRules{BirthdayGrace: tc.grace}
		if _, err := r.Eligible(context.Background(), src, preferences.OutreachBirthday, rulesDay(tc.day)); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(src.asked, tc.want) {
			t.Errorf("%s, grace %d: asked %q, want %q", tc.day, tc.grace, src.asked, tc.want)
		}
	}
}

// The lapse selection asks for the window [d-LapseAfter-LapseWindow, d-LapseAfter),
// widened by 26 hours each side: each lapse counts in its last property's zone.
func TestOutreachLapseSelection(t *testing.T) {
	src := &fakeCandidates{}
	r := preferences.OutreachRules{LapseAfter: 730, LapseWindow: 7}
	if _, err := r.Eligible(context.Background(), src, preferences.OutreachLapse, rulesDay("2026-03-16")); err != nil {
		t.Fatal(err)
	}
	if want := []string{"2024-03-07T22:00:00+08:00 2024-03-17T02:00:00+08:00"}; !slices.Equal(src.asked, want) {
		t.Fatalf("asked %q, want %q", src.asked, want)
	}
}

// Of several guests with one address, the one stayed in last gets the letter, then the
// lowest ID; a guest who never stayed comes after one who did.
func TestOutreachOneLetterPerAddress(t *testing.T) {
	early, late := rulesDay("2025-01-01"), rulesDay("2025-06-01")
	for _, tc := range []struct {
		name  string
		cands []preferences.OutreachCandidate
		want  string
	}{
		{"stayed last", []preferences.OutreachCandidate{reachable("g_a", "x@example.cn", "1990-03-16", &early),
			reachable("g_b", "X@example.cn ", "1990-03-16", &late)}, "g_b"},
		{"same check-out", []preferences.OutreachCandidate{reachable("g_b", "x@example.cn", "1990-03-16", &late),
			reachable("g_a", "x@example.cn", "1990-03-16", &late)}, "g_a"},
		{"never stayed", []preferences.OutreachCandidate{reachable("g_a", "x@example.cn", "1990-03-16", nil),
			reachable("g_b", "x@example.cn", "1990-03-16", &early)}, "g_b"},
	} {
		src := &fakeCandidates{cands: tc.cands}
		picks, err := preferences.OutreachRules{}.Eligible(context.Background(), src, preferences.OutreachBirthday, rulesDay("2026-03-16"))
		if err != nil || len(picks) != 1 || picks[0].Candidate.Guest.ID != tc.want || picks[0].Period != "2026" {
			t.Errorf("%s: picks %+v (%v), want %s", tc.name, picks, err, tc.want)
		}
	}
}

// Each reason a guest does not get a letter, as the explanation lists them.
func TestOutreachReasons(t *testing.T) {
	r := preferences.OutreachRules{LapseAfter: 730, LapseWindow: 7}
	d := rulesDay("2026-03-16")
	lapsed := rulesDay("2024-03-12")
	for _, tc := range []struct {
		name string
		kind preferences.OutreachKind
		edit func(c *preferences.OutreachCandidate)
		want string // "" for eligible
	}{
		{"lapsed", preferences.OutreachLapse, func(c *preferences.OutreachCandidate) {}, ""},
		{"erased", preferences.OutreachLapse, func(c *preferences.OutreachCandidate) { c.Erased = true }, "erased"},
		{"in house", preferences.OutreachLapse, func(c *preferences.OutreachCandidate) { c.InHouse = true }, "in house"},
		{"arriving", preferences.OutreachLapse, func(c *preferences.OutreachCandidate) { c.NextArrival = "2026-03-20" },
			"arrival expected on 2026-03-20"},
		{"no grace", preferences.OutreachBirthday, func(c *preferences.OutreachCandidate) { c.Guest.Birthday = "1990-03-15" },
			"birthday is not on 2026-03-16"},
		{"no birthday", preferences.OutreachBirthday, func(c *preferences.OutreachCandidate) { c.Guest.Birthday = "" },
			"no birthday on file"},
		{"shared", preferences.OutreachLapse, func(c *preferences.OutreachCandidate) { c.Shared = map[string]string{"2024-03-12": "g_twin"} },
			"another guest with this address (g_twin) already has this letter"},
	} {
		c := reachable("g_a", "a@example.cn", "1990-03-16", &lapsed)
		tc.edit(&c)
		ex, err := r.Explain(context.Background(), &fakeCandidates{}, tc.kind, c, d)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(ex.Reasons, "; ")
		if ex.Eligible != (tc.want == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: %+v, want %q", tc.name, ex, tc.want)
		}
	}
}

// A run's date is a date within two years of today.
func TestParseOutreachDay(t *testing.T) {
	if d, err := preferences.ParseOutreachDay("2028-03-16", "2026-03-16", rulesZone); err != nil || !d.Equal(rulesDay("2028-03-16")) {
		t.Fatalf("two years ahead: %v %v", d, err)
	}
	for _, day := range []string{"2028-03-17", "2024-03-15", "16/03/2026", "9999-12-31"} {
		if _, err := preferences.ParseOutreachDay(day, "2026-03-16", rulesZone); preferences.ErrorCode(err) != preferences.EINVALID {
			t.Errorf("%s: %v, want EINVALID", day, err)
		}
	}
}
