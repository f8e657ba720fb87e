package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"regulars/preferences"
)

// testProperties covers a group of several properties: codes, rooms of the same number
// at two properties, each property's board, arrivals and lock-outs, staff scopes, and
// the card at one property of a guest who stayed at another.
func testProperties(t *testing.T, open Opener) {
	ctx := context.Background()
	s, clock := Service(t, open)

	t.Run("BadAndTakenCodes", func(t *testing.T) {
		for _, code := range []string{"", "A", "west lake", "ABCDEFGHIJKLMNOPQ", "-WL", "WL_1"} {
			_, err := s.AddProperty(ctx, preferences.Property{Code: code, Name: "West Lake", TimeZone: "Asia/Shanghai"})
			WantCode(t, err, preferences.EINVALID, "code")
		}
		_, err := s.AddProperty(ctx, preferences.Property{Code: "WL", Name: "West Lake", TimeZone: "Mars/Olympus"})
		WantCode(t, err, preferences.EINVALID, "tz")
		_, err = s.AddProperty(ctx, preferences.Property{Code: "main", Name: "Another", TimeZone: "Asia/Shanghai"})
		WantCode(t, err, preferences.ECONFLICT, "code")
	})

	// Before a second property, a group-scope manager needs no ?property.
	if _, err := s.Rooms(ctx, Manager); err != nil {
		t.Fatalf("rooms of a group of one = %v", err)
	}
	wl, err := s.AddProperty(ctx, preferences.Property{Code: " wl-2 ", Name: "West Lake", TimeZone: "Asia/Urumqi", Phone: "+86 571 0000"})
	if err != nil || wl.Code != "WL-2" {
		t.Fatalf("add West Lake = %+v, %v", wl, err)
	}
	list, err := s.Properties(ctx)
	if err != nil || len(list) != 2 || list[0].Code != "MAIN" || list[1].Code != "WL-2" || list[1].TimeZone != "Asia/Urumqi" {
		t.Fatalf("properties = %+v, %v", list, err)
	}
	at := func(a preferences.Actor, p preferences.Property) preferences.Actor { a.PropertyID = p.ID; return a }
	atCode := func(a preferences.Actor, code string) preferences.Actor { a.Chosen = code; return a }
	mainDesk, wlDesk := at(Desk, list[0]), at(Desk, list[1])

	t.Run("GroupScopeMustChoose", func(t *testing.T) {
		_, err := s.Rooms(ctx, Manager)
		WantCode(t, err, preferences.EINVALID, "property")
		_, err = s.HousekeepingBoard(ctx, Manager)
		WantCode(t, err, preferences.EINVALID, "property")
		_, err = s.Rooms(ctx, atCode(Manager, "NOPE"))
		WantCode(t, err, preferences.EINVALID, "property")
	})

	t.Run("SameRoomNumberAtTwoProperties", func(t *testing.T) {
		for _, a := range []preferences.Actor{atCode(Manager, "MAIN"), atCode(Manager, "wl-2")} {
			for _, r := range []preferences.Room{{Number: "2101", Floor: 21, View: "river", Bed: "king"}, {Number: "305", Floor: 3, Bed: "twin"}} {
				if _, err := s.PutRoom(ctx, a, r); err != nil {
					t.Fatalf("put room %s for %s: %v", r.Number, a.Chosen, err)
				}
			}
		}
		qin, sun := NewGuest(t, s, Named("Qin", "Lan")), NewGuest(t, s, Named("Sun", "Mei"))
		if _, err := s.CheckIn(ctx, mainDesk, qin.ID, "2101", 2); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckIn(ctx, wlDesk, sun.ID, "2101", 2); err != nil {
			t.Fatalf("check-in to West Lake's 2101 while MAIN's is taken: %v", err)
		}
		for _, a := range []preferences.Actor{mainDesk, wlDesk} {
			rooms, err := s.Rooms(ctx, a)
			if err != nil || len(rooms) != 2 || rooms[0].Number != "305" || rooms[0].Occupied || !rooms[1].Occupied {
				t.Fatalf("rooms of %s = %+v, %v", a.PropertyID, rooms, err)
			}
		}
		board, err := s.HousekeepingBoard(ctx, at(Maid, list[1]))
		if err != nil || len(board) != 1 || board[0].GuestID != sun.ID {
			t.Fatalf("West Lake's board = %+v, %v", board, err)
		}
		if board, err := s.HousekeepingBoard(ctx, atCode(Manager, "MAIN")); err != nil || len(board) != 1 || board[0].GuestID != qin.ID {
			t.Fatalf("MAIN's board for a group manager = %+v, %v", board, err)
		}
	})

	t.Run("ClerkOfOnePropertyNamesAnother", func(t *testing.T) {
		_, err := s.HousekeepingBoard(ctx, atCode(at(Maid, list[0]), "WL-2"))
		WantCode(t, err, preferences.EFORBIDDEN, "")
		_, err = s.Rooms(ctx, atCode(mainDesk, "WL-2"))
		WantCode(t, err, preferences.EFORBIDDEN, "")
		if _, err := s.Rooms(ctx, atCode(mainDesk, "main")); err != nil {
			t.Fatalf("a clerk naming their own property: %v", err)
		}
	})

	t.Run("CardAtAnotherProperty", func(t *testing.T) {
		in := Named("丁", "伟")
		in.Salutation = Ptr("丁总")
		ding := NewGuest(t, s, in)
		st, err := s.CheckIn(ctx, mainDesk, ding.ID, "305", 3)
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(3 * 24 * time.Hour)
		if _, err := s.CheckOut(ctx, wlDesk, st.ID, ""); preferences.ErrorCode(err) != preferences.ENOTFOUND {
			t.Fatalf("check-out of MAIN's stay by West Lake's desk = %v, want ENOTFOUND", err)
		}
		if _, err := s.CheckOut(ctx, mainDesk, st.ID, "300"); err != nil {
			t.Fatal(err)
		}
		here, err := s.Recognition(ctx, mainDesk, ding.ID)
		if err != nil || here.FirstStayHere || here.Property != "MAIN" {
			t.Fatalf("card at MAIN = %+v, %v", here, err)
		}
		r, err := s.Recognition(ctx, wlDesk, ding.ID)
		if err != nil || !r.Returning || !r.FirstStayHere || r.StaysCount != 1 || r.Property != "WL-2" || r.LastStay == nil ||
			r.LastStay.Property != "MAIN" || r.LastStay.Room != "305" || r.LastStay.Nights != 3 {
			t.Fatalf("card at West Lake = %+v, %v", r, err)
		}
		// West Lake's free rooms only: its 2101 is taken, so 305 alone.
		if got := suggested(r); !slices.Equal(got, []string{"305"}) {
			t.Fatalf("suggested at West Lake = %v", got)
		}
		stays, err := s.GuestStays(ctx, wlDesk, ding.ID)
		if err != nil || len(stays) != 1 || stays[0].Property != "MAIN" {
			t.Fatalf("stays seen at West Lake = %+v, %v", stays, err)
		}
	})

	t.Run("FeedbackNamesItsProperty", func(t *testing.T) {
		g := NewGuest(t, s, Named("Wu", "Fei"))
		f, err := s.AddFeedback(ctx, wlDesk, g.ID, preferences.FeedbackInput{Kind: "complaint", Text: "too sweet"})
		if err != nil || f.Property != "WL-2" {
			t.Fatalf("feedback at West Lake = %+v, %v", f, err)
		}
		if _, err := s.ResolveFeedback(ctx, wlDesk, f.ID, preferences.Resolution{Resolution: "sorry", FollowUp: "less sugar"}); err != nil {
			t.Fatal(err)
		}
		// A group manager naming no property records feedback of no property.
		if f, err := s.AddFeedback(ctx, Manager, g.ID, preferences.FeedbackInput{Kind: "request", Text: "call"}); err != nil || f.Property != "" {
			t.Fatalf("feedback of the group = %+v, %v", f, err)
		}
		// The follow-up shows at the other property, naming where it arose.
		r, err := s.Recognition(ctx, mainDesk, g.ID)
		if err != nil || len(r.FollowUps) != 1 || r.FollowUps[0].Property != "WL-2" {
			t.Fatalf("follow-ups on the card at MAIN = %+v, %v", r.FollowUps, err)
		}
	})

	t.Run("ArrivalsAndLockoutsPerProperty", func(t *testing.T) {
		g := NewGuest(t, s, Named("Zhou", "Yi"))
		today := clock.Now().In(Shanghai).Format(preferences.DateLayout)
		if _, err := s.CreateArrival(ctx, wlDesk, preferences.Arrival{GuestID: g.ID, ArrivalDate: today, Nights: 1, Reference: "R-1"}); err != nil {
			t.Fatal(err)
		}
		// The same PMS reference at the other property is another booking.
		if _, err := s.CreateArrival(ctx, mainDesk, preferences.Arrival{GuestID: g.ID, ArrivalDate: today, Nights: 2, Reference: "R-1"}); err != nil {
			t.Fatalf("the same reference at another property: %v", err)
		}
		for _, a := range []preferences.Actor{mainDesk, wlDesk} {
			cards, err := s.Arrivals(ctx, a, today)
			if err != nil || len(cards) != 1 || cards[0].PropertyID != a.PropertyID {
				t.Fatalf("arrivals of %s = %+v, %v", a.PropertyID, cards, err)
			}
		}
		kiosk := preferences.Actor{ID: "d_1", Name: "lobby", Role: preferences.RoleKiosk, TokenID: "t_1", PropertyID: wl.ID}
		for range 2 {
			if _, err := s.RecordKioskFailure(ctx, kiosk, clock.Now(), time.Minute, 2); err != nil {
				t.Fatal(err)
			}
		}
		if locks, err := s.KioskThrottles(ctx, wlDesk, clock.Now().Add(-time.Hour)); err != nil || len(locks) != 1 {
			t.Fatalf("West Lake's lock-outs = %+v, %v", locks, err)
		}
		if locks, err := s.KioskThrottles(ctx, mainDesk, clock.Now().Add(-time.Hour)); err != nil || len(locks) != 0 {
			t.Fatalf("MAIN's lock-outs = %+v, %v", locks, err)
		}
	})

	t.Run("TodayInThePropertysZone", func(t *testing.T) {
		la, err := s.AddProperty(ctx, preferences.Property{Code: "LA", Name: "Pacific", TimeZone: "America/Los_Angeles"})
		if err != nil {
			t.Fatal(err)
		}
		laDesk := at(Desk, la)
		// Shanghai's morning is the evening before in Los Angeles.
		shanghai := clock.Now().In(Shanghai).Format(preferences.DateLayout)
		pacific := clock.Now().In(mustZone("America/Los_Angeles")).Format(preferences.DateLayout)
		if shanghai == pacific {
			t.Fatalf("the suite's clock (%v) gives both zones one date", clock.Now())
		}
		for a, want := range map[*preferences.Actor]string{&mainDesk: shanghai, &laDesk: pacific} {
			if got, err := s.TodayOf(ctx, *a); err != nil || got != want {
				t.Fatalf("today at %s = %q, %v; want %q", a.PropertyID, got, err, want)
			}
		}
		g := NewGuest(t, s, Named("Lee", "Ann"))
		if _, err := s.CreateArrival(ctx, laDesk, preferences.Arrival{GuestID: g.ID, ArrivalDate: pacific, Nights: 1}); err != nil {
			t.Fatal(err)
		}
		if a, err := s.ArrivalToday(ctx, laDesk, g.ID); err != nil || a.ArrivalDate != pacific {
			t.Fatalf("today's arrival in Los Angeles = %+v, %v", a, err)
		}
	})

	t.Run("StaffScopes", func(t *testing.T) {
		_, err := s.CreateUser(ctx, "desk.nowhere", preferences.RoleFrontDesk)
		WantCode(t, err, preferences.EINVALID, "property")
		_, err = s.CreateScopedToken(ctx, preferences.RoleKiosk, "kiosk.nowhere", 0, "")
		WantCode(t, err, preferences.EINVALID, "property")
		_, err = s.CreateScopedUser(ctx, "desk.nope", preferences.RoleFrontDesk, "NOPE")
		WantCode(t, err, preferences.EINVALID, "property")
		pw, err := s.CreateScopedUser(ctx, "desk.wl", preferences.RoleFrontDesk, "wl-2")
		if err != nil {
			t.Fatal(err)
		}
		if a, err := s.Authenticate(ctx, "desk.wl", pw); err != nil || a.PropertyID != wl.ID {
			t.Fatalf("West Lake's clerk = %+v, %v", a, err)
		}
		tok, err := s.CreateToken(ctx, preferences.RoleManager, "group manager")
		if err != nil {
			t.Fatal(err)
		}
		if a, err := s.TokenActor(ctx, tok); err != nil || a.PropertyID != "" {
			t.Fatalf("a manager's token without --property = %+v, %v; want the group's scope", a, err)
		}
	})
}
