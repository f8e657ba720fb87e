package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"regulars/preferences"
)

// testCards covers the recognition card.
func testCards(t *testing.T, open Opener) {
	ctx := context.Background()
	s, repo, clock := ServiceRepo(t, open)
	PutRooms(t, s,
		preferences.Room{Number: "2101", Floor: 21, View: "river", Bed: "king"},
		preferences.Room{Number: "2102", Floor: 21, View: "river", Bed: "king", Features: []string{"internet"}},
		preferences.Room{Number: "1201", Floor: 12, View: "city", Bed: "twin"},
		preferences.Room{Number: "901", Floor: 9, View: "river", Bed: "king", Smoking: true},
		preferences.Room{Number: "305", Floor: 3, View: "garden", Bed: "twin", Quiet: true})
	// Room 1201 is taken by someone else for the whole test.
	cardStay(t, repo, NewGuest(t, s, Named("Sun", "Mei")).ID, "1201", Start.Add(-24*time.Hour), nil, 3)

	t.Run("FirstTimeGuest", func(t *testing.T) {
		in := Named("丁", "伟")
		in.Salutation = Ptr("丁总")
		g := NewGuest(t, s, in)
		r := card(t, s, g.ID)
		if r.Returning || r.StaysCount != 0 || r.LastStay != nil || r.InHouse != nil || r.Arrival != nil ||
			r.Greeting != "丁总,欢迎您入住!" || r.BirthdayDuringStay || r.FollowUps == nil || len(r.FollowUps) != 0 ||
			r.Notes == nil || len(r.Notes) != 0 || r.Guest.ID != g.ID || r.Preferences.Allergies == nil {
			t.Fatalf("first-time card = %+v", r)
		}
		// No room preferences: every free room, the smoking one last, never the occupied one.
		if got := suggested(r); !slices.Equal(got, []string{"2102", "2101", "305", "901"}) {
			t.Fatalf("suggested rooms = %v", got)
		}
	})
	t.Run("ReturningGuest", func(t *testing.T) {
		in := Named("丁", "强")
		in.Salutation = Ptr("丁总")
		g := NewGuest(t, s, in)
		older := time.Date(2025, 6, 1, 6, 0, 0, 0, time.UTC)
		last := time.Date(2026, 1, 10, 6, 0, 0, 0, time.UTC) // 14:00 in Shanghai
		for _, in := range []time.Time{last, older} {        // stored newest first: order is the store's job
			p := preferences.PastStay{GuestID: g.ID, Room: "2102", CheckIn: in, CheckOut: in.Add(45 * time.Hour), Nights: 3, Spend: "1200.00"}
			if err := s.RecordPastStay(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		r := card(t, s, g.ID)
		if !r.Returning || r.StaysCount != 2 || r.InHouse != nil || r.Greeting != "丁总,欢迎您再次入住!" {
			t.Fatalf("returning card = %+v", r)
		}
		l := r.LastStay
		// Left on the second morning: 2 nights stayed of 3 planned; the floor is the room's.
		if l == nil || !l.CheckIn.Equal(last) || l.Nights != 2 || l.PlannedNights != 3 || l.Floor != 21 ||
			l.Spend != "1200.00" || l.Room != "2102" || l.GuestID != g.ID {
			t.Fatalf("last stay = %+v", l)
		}
	})
	t.Run("LastStayFloorFollowsTheRoom", func(t *testing.T) {
		g := NewGuest(t, s, Named("Gao", "Yu"))
		PutRooms(t, s, preferences.Room{Number: "1801", Floor: 18, Bed: "king"})
		out := Start.AddDate(0, -1, 0)
		cardStay(t, repo, g.ID, "1801", out.Add(-24*time.Hour), &out, 1)
		PutRooms(t, s, preferences.Room{Number: "1801", Floor: 19, Bed: "king"})
		if r := card(t, s, g.ID); r.LastStay == nil || r.LastStay.Floor != 19 {
			t.Fatalf("last stay after its room moved to floor 19 = %+v", r.LastStay)
		}
	})
	t.Run("InHouseGuest", func(t *testing.T) {
		g := NewGuest(t, s, Named("Qian", "Li"))
		cardStay(t, repo, g.ID, "2101", Start.Add(-2*time.Hour), nil, 4)
		r := card(t, s, g.ID)
		// In house on a first stay: not yet returning.
		if r.InHouse == nil || r.InHouse.Room != "2101" || r.InHouse.Nights != 4 || r.InHouse.CheckOut != nil ||
			r.LastStay != nil || r.Returning || r.StaysCount != 1 || r.Greeting != "Welcome, Li Qian!" {
			t.Fatalf("in-house card = %+v (in house %+v)", r, r.InHouse)
		}
		if got := suggested(r); slices.Contains(got, "2101") || slices.Contains(got, "1201") {
			t.Fatalf("suggested rooms %v include an occupied room", got)
		}
		// Back again after a past stay: returning, both stays counted.
		out := Start.AddDate(0, -1, 0)
		cardStay(t, repo, g.ID, "305", out.Add(-72*time.Hour), &out, 3)
		r = card(t, s, g.ID)
		if !r.Returning || r.StaysCount != 2 || r.InHouse == nil || r.InHouse.Room != "2101" || r.LastStay == nil || r.LastStay.Room != "305" {
			t.Fatalf("in-house returning card = %+v", r)
		}
	})
	t.Run("FollowUpsAndNotes", func(t *testing.T) {
		g := NewGuest(t, s, Named("Zhou", "Xun"))
		done := Start.Add(-time.Hour)
		err := repo.Write(ctx, func(tx preferences.Tx) error {
			for _, f := range []preferences.FollowUp{
				{ID: "f_open2", Text: "send flowers", CreatedAt: Start.Add(-time.Hour)},
				{ID: "f_done", Text: "fix the lamp", CreatedAt: Start.Add(-3 * time.Hour), DoneAt: &done},
				{ID: "f_open1", Text: "apologise for the noise", CreatedAt: Start.Add(-2 * time.Hour)},
			} {
				if err := tx.InsertFollowUp(ctx, g.ID, Desk.Name, f); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []preferences.Note{{Department: "kitchen", Text: "no coriander"}, {Department: "housekeeping", Text: "extra pillows"}} {
			if _, err := s.AddNote(ctx, Desk, g.ID, n); err != nil {
				t.Fatal(err)
			}
			clock.Advance(time.Minute)
		}
		r := card(t, s, g.ID)
		if len(r.FollowUps) != 2 || r.FollowUps[0].ID != "f_open1" || r.FollowUps[1].ID != "f_open2" {
			t.Fatalf("open follow-ups, oldest first = %+v", r.FollowUps)
		}
		if len(r.Notes) != 2 || r.Notes[0].Text != "extra pillows" || r.Notes[1].Department != "kitchen" {
			t.Fatalf("notes, newest first = %+v", r.Notes)
		}
	})
	t.Run("BirthdayDuringStay", func(t *testing.T) {
		// In house since Start (16 March, Shanghai) for 3 nights: the 18th is in, the 20th not.
		for birthday, want := range map[string]bool{"1980-03-18": true, "1980-03-19": true, "1980-03-20": false, "1980-03-15": false} {
			in := Named("Wang", "Fang")
			in.Birthday = Ptr(birthday)
			g := NewGuest(t, s, in)
			cardStay(t, repo, g.ID, cardFreeRoom(t, s), Start, nil, 3)
			if r := card(t, s, g.ID); r.BirthdayDuringStay != want {
				t.Errorf("birthday %s during a stay from 16 March for 3 nights = %v, want %v", birthday, r.BirthdayDuringStay, want)
			}
		}
		// With no stay nor arrival: tonight counts (the 16th and 17th).
		in := Named("Wang", "Lei")
		in.Birthday = Ptr("1990-03-17")
		if r := card(t, s, NewGuest(t, s, in).ID); !r.BirthdayDuringStay {
			t.Error("a birthday tomorrow morning is not during tonight's stay")
		}
	})
	t.Run("TodaysArrival", func(t *testing.T) {
		in := Named("Hu", "Ge")
		in.Birthday = Ptr("1985-03-18") // not tonight (16th to 17th); in a 2-night stay from today
		g := NewGuest(t, s, in)
		today := Start.In(Shanghai)
		for _, day := range []time.Time{today.AddDate(0, 0, 1), today} {
			if _, err := s.CreateArrival(ctx, Desk, preferences.Arrival{GuestID: g.ID, ArrivalDate: day.Format(preferences.DateLayout), Nights: 2}); err != nil {
				t.Fatal(err)
			}
		}
		r := card(t, s, g.ID)
		if r.Arrival == nil || r.Arrival.ArrivalDate != today.Format(preferences.DateLayout) || r.Arrival.Nights != 2 || !r.BirthdayDuringStay {
			t.Fatalf("card with an arrival today = %+v (arrival %+v)", r, r.Arrival)
		}
	})
	t.Run("SuggestedRoomsHonourPreferences", func(t *testing.T) {
		g := NewGuest(t, s, Named("Li", "Na"))
		p := preferences.Preferences{Room: preferences.RoomPrefs{MinFloor: 20, View: "river", Bed: "king", Features: []string{"internet"}}}
		if _, err := s.SetPreferences(ctx, Desk, g.ID, p, preferences.Sections); err != nil {
			t.Fatal(err)
		}
		r := card(t, s, g.ID)
		got := suggested(r)
		// 2101 and 1201 are taken; 901 smokes and the guest does not.
		if len(got) == 0 || got[0] != "2102" || slices.Contains(got, "901") || slices.Contains(got, "2101") || slices.Contains(got, "1201") {
			t.Fatalf("suggested rooms = %v", got)
		}
		if best := r.SuggestedRooms[0]; !slices.Equal(best.Reasons, []string{"floor 21 ≥ 20", "river view", "king bed", "internet"}) {
			t.Fatalf("reasons for the best room = %v", best.Reasons)
		}
		if r.Preferences.Room.View != "river" {
			t.Fatalf("card preferences = %+v", r.Preferences)
		}
	})
	t.Run("UnknownGuest", func(t *testing.T) {
		_, err := s.Recognition(ctx, Desk, "g_unknown")
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
	t.Run("ErasedGuest", func(t *testing.T) {
		g := NewGuest(t, s, Named("Gone", "Soon"))
		if err := s.EraseGuest(ctx, Manager, g.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.Recognition(ctx, Desk, g.ID)
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
	t.Run("ReadIsAudited", func(t *testing.T) {
		g := NewGuest(t, s, Named("Ma", "Yun"))
		card(t, s, g.ID)
		if _, err := s.Recognition(ctx, Desk, "g_unknown"); err == nil {
			t.Fatal("no error for an unknown guest")
		}
		if err := s.FlushAudit(ctx); err != nil {
			t.Fatal(err)
		}
		var reads, unknown []preferences.AuditEntry
		err := repo.Read(ctx, func(tx preferences.Tx) (err error) {
			if reads, err = tx.GuestAuditEntries(ctx, g.ID); err != nil {
				return err
			}
			unknown, err = tx.GuestAuditEntries(ctx, "g_unknown")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		n := len(reads)
		if n == 0 || reads[n-1].Action != preferences.ActionRecognition || reads[n-1].Actor != Desk.Name || len(unknown) != 0 {
			t.Fatalf("audit = %+v, of the unknown guest %+v", reads, unknown)
		}
	})
}

// card reads a guest's card as the front desk does and fails t when that fails.
func card(t *testing.T, s *preferences.Service, guestID string) preferences.Recognition {
	t.Helper()
	r, err := s.Recognition(context.Background(), Desk, guestID)
	if err != nil {
		t.Fatalf("card of %s: %v", guestID, err)
	}
	return r
}

// suggested lists the card's suggested rooms' numbers.
func suggested(r preferences.Recognition) []string {
	out := []string{}
	for _, room := range r.SuggestedRooms {
		out = append(out, room.Number)
	}
	return out
}

// cardStay stores a stay of the guest in room (out nil: in house) and fails t when that
// fails.
func cardStay(t *testing.T, repo preferences.Repository, guestID, room string, in time.Time, out *time.Time, nights int) {
	t.Helper()
	st := preferences.Stay{ID: preferences.NewID("s"), GuestID: guestID, PropertyID: preferences.MainPropertyID, Room: room, CheckIn: in, CheckOut: out, PlannedNights: nights}
	if err := repo.Write(context.Background(), func(tx preferences.Tx) error { return tx.InsertStay(context.Background(), st) }); err != nil {
		t.Fatalf("stay of %s in %s: %v", guestID, room, err)
	}
}

// cardFreeRoom puts a new room on floor 1 and returns its number.
func cardFreeRoom(t *testing.T, s *preferences.Service) string {
	t.Helper()
	r := preferences.Room{Number: "1" + preferences.NewID("r")[2:6], Floor: 1, Bed: "twin"}
	PutRooms(t, s, r)
	return r.Number
}
