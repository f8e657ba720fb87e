package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/preferences"
)

// testArrivals covers expected arrivals: creation, a day's list with its flags, and
// today's arrival of a guest or a reference. Today is 2026-03-16 in Shanghai; it ends
// with the clock a day on.
func testArrivals(t *testing.T, s *preferences.Service, repo preferences.Repository, clock *clockwork.FakeClock) {
	ctx := context.Background()
	PutRooms(t, s, preferences.Room{Number: "305", Floor: 3, Bed: "twin"})
	arrive := func(t *testing.T, guestID, date string, nights int, ref string) preferences.Arrival {
		t.Helper()
		a, err := s.CreateArrival(ctx, Desk, preferences.Arrival{GuestID: guestID, ArrivalDate: date, Nights: nights, Reference: ref})
		if err != nil {
			t.Fatalf("arrival of %s on %s: %v", guestID, date, err)
		}
		return a
	}

	t.Run("InvalidNamesTheFields", func(t *testing.T) {
		_, err := s.CreateArrival(ctx, Desk, preferences.Arrival{ArrivalDate: "2026-02-30", Nights: 0, Reference: strings.Repeat("x", 41)})
		for _, field := range []string{"guest_id", "arrival_date", "nights", "reference"} {
			WantCode(t, err, preferences.EINVALID, field)
		}
		g := NewGuest(t, s, Named("Ma", "Li"))
		_, err = s.CreateArrival(ctx, Desk, preferences.Arrival{GuestID: g.ID, ArrivalDate: "2028-03-17", Nights: 1})
		WantCode(t, err, preferences.EINVALID, "arrival_date") // more than two years ahead
		_, err = s.CreateArrival(ctx, Desk, preferences.Arrival{GuestID: "g_unknown", ArrivalDate: "2026-03-16", Nights: 1})
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
	t.Run("ReferenceTakenChangesNothing", func(t *testing.T) {
		first, second := NewGuest(t, s, Named("Feng", "Yu")), NewGuest(t, s, Named("Gao", "Lan"))
		a := arrive(t, first.ID, "2026-03-20", 3, "PMS-1")
		if a.ID == "" || a.Status != preferences.ArrivalExpected || a.StayID != "" || a.Nights != 3 {
			t.Fatalf("created %+v", a)
		}
		_, err := s.CreateArrival(ctx, Desk, preferences.Arrival{GuestID: second.ID, ArrivalDate: "2026-03-21", Nights: 1, Reference: " PMS-1 "})
		WantCode(t, err, preferences.ECONFLICT, "reference")
		cards, err := s.Arrivals(ctx, Desk, "2026-03-21")
		if err != nil || len(cards) != 0 {
			t.Fatalf("arrivals after the refused one = %+v, %v; want none", cards, err)
		}
		if got := auditOfGuest(t, s, repo, second.ID); strings.Join(got, ",") != "guest.create " {
			t.Fatalf("audit of the guest whose arrival was refused = %q", got)
		}
		if got := auditOfGuest(t, s, repo, first.ID); got[len(got)-1] != "arrival.create 2026-03-20" {
			t.Fatalf("audit of the arrival's guest = %q", got)
		}
	})
	t.Run("IdempotentAnswerKeptWithTheArrival", func(t *testing.T) {
		g := NewGuest(t, s, Named("Hu", "Jie"))
		r := &preferences.Replay{Owner: "tok_1", Key: "arrival-1", Hash: []byte("h"), Status: 201,
			Encode: func(v any) ([]byte, error) { return []byte(v.(preferences.Arrival).ID), nil }}
		a, err := s.CreateArrival(preferences.WithReplay(ctx, r), Desk, preferences.Arrival{GuestID: g.ID, ArrivalDate: "2026-03-22", Nights: 1})
		if err != nil || string(r.Body) != a.ID {
			t.Fatalf("kept body %q for arrival %s (%v)", r.Body, a.ID, err)
		}
		again := &preferences.Replay{Owner: "tok_1", Key: "arrival-1", Hash: []byte("h"), Status: 201, Encode: r.Encode}
		_, err = s.CreateArrival(preferences.WithReplay(ctx, again), Desk, preferences.Arrival{GuestID: g.ID, ArrivalDate: "2026-03-22", Nights: 1})
		WantCode(t, err, preferences.ECONFLICT, "Idempotency-Key")
		if cards, err := s.Arrivals(ctx, Desk, "2026-03-22"); err != nil || len(cards) != 1 {
			t.Fatalf("arrivals = %+v, %v; want only the first", cards, err)
		}
	})
	t.Run("ADaysListInOrderWithFlags", func(t *testing.T) {
		zhao := NewGuest(t, s, withBirthday(Named("Zhao", "Yi"), "1990-03-25"))
		bo := NewGuest(t, s, Named("Ang", "Bo"))
		al := NewGuest(t, s, withBirthday(Named("Ang", "Al"), "1990-03-19"))
		out := Start.AddDate(0, -1, 0)
		if err := s.RecordPastStay(ctx, preferences.PastStay{GuestID: bo.ID, Room: "305", CheckIn: out.Add(-24 * time.Hour), CheckOut: out, Nights: 1}); err != nil {
			t.Fatal(err)
		}
		done := Start
		followUps := []preferences.FollowUp{{ID: "f_open", Text: "Ask about the spa", CreatedAt: Start}, {ID: "f_done", Text: "Call back", CreatedAt: Start, DoneAt: &done}}
		if err := repo.Write(ctx, func(tx preferences.Tx) error {
			for _, f := range followUps {
				if err := tx.InsertFollowUp(ctx, zhao.ID, Desk.Name, f); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, g := range []preferences.Guest{zhao, bo, al} {
			arrive(t, g.ID, "2026-03-18", 2, "")
		}
		cards, err := s.Arrivals(ctx, Desk, "2026-03-18")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cards {
			got = append(got, c.Guest.GivenName)
		}
		if strings.Join(got, ",") != "Al,Bo,Yi" {
			t.Fatalf("arrivals in order %v, want Al, Bo, Yi (family, then given name)", got)
		}
		if c := cards[0]; !c.BirthdayDuringStay || c.Returning || c.StaysCount != 0 || c.OpenFollowUps != 0 || c.HasAllergies {
			t.Errorf("Ang Al's card %+v: want only the birthday during the stay", c)
		}
		if c := cards[1]; !c.Returning || c.StaysCount != 1 || c.BirthdayDuringStay {
			t.Errorf("Ang Bo's card %+v: want returning after 1 stay", c)
		}
		if c := cards[2]; c.OpenFollowUps != 1 || c.BirthdayDuringStay || c.Guest.ID != zhao.ID || c.Nights != 2 {
			t.Errorf("Zhao Yi's card %+v: want 1 open follow-up, no birthday (the 25th is after the stay)", c)
		}
		if got := auditOfGuest(t, s, repo, bo.ID); got[len(got)-1] != "arrival.read " {
			t.Errorf("audit of a listed guest = %q, want the list's read last", got)
		}
		_, err = s.Arrivals(ctx, Desk, "18/03/2026")
		WantCode(t, err, preferences.EINVALID, "date")
		_, err = s.Arrivals(ctx, Desk, "2030-03-18")
		WantCode(t, err, preferences.EINVALID, "date")
	})
	t.Run("TodaysByGuestAndReference", func(t *testing.T) {
		g := NewGuest(t, s, Named("Jin", "Hao"))
		first := arrive(t, g.ID, "2026-03-16", 4, "PMS-7")
		clock.Advance(time.Minute)
		arrive(t, g.ID, "2026-03-16", 1, "")
		arrive(t, g.ID, "2026-03-17", 1, "PMS-8")
		for name, find := range map[string]func() (preferences.Arrival, error){
			"guest":     func() (preferences.Arrival, error) { return s.ArrivalToday(ctx, preferences.System, g.ID) },
			"reference": func() (preferences.Arrival, error) { return s.ArrivalByReference(ctx, preferences.System, "PMS-7") },
		} {
			if a, err := find(); err != nil || a.ID != first.ID || a.Nights != 4 {
				t.Errorf("today's arrival by %s = %+v, %v; want the first created, %s", name, a, err, first.ID)
			}
		}
		for _, ref := range []string{"", "PMS-8", "PMS-0"} { // empty, tomorrow's, nobody's
			_, err := s.ArrivalByReference(ctx, preferences.System, ref)
			WantCode(t, err, preferences.ENOTFOUND, "")
		}
		_, err := s.ArrivalToday(ctx, preferences.System, "g_unknown")
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
	// Last, as it moves the clock on: today is the hotel's date, not UTC's.
	t.Run("TodayIsTheHotels", func(t *testing.T) {
		g := NewGuest(t, s, Named("Kong", "Wen"))
		arrive(t, g.ID, "2026-03-17", 2, "")
		_, err := s.ArrivalToday(ctx, preferences.System, g.ID)
		WantCode(t, err, preferences.ENOTFOUND, "")
		clock.Advance(15 * time.Hour) // 16:30 UTC on the 16th is 00:30 on the 17th in Shanghai
		if a, err := s.ArrivalToday(ctx, preferences.System, g.ID); err != nil || a.ArrivalDate != "2026-03-17" {
			t.Fatalf("arrival today just after midnight in Shanghai = %+v, %v", a, err)
		}
	})
}

// withBirthday sets a guest's birthday.
func withBirthday(in preferences.GuestFields, birthday string) preferences.GuestFields {
	in.Birthday = &birthday
	return in
}
