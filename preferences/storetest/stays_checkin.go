package storetest

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/preferences"
)

// testCheckInOut covers check-in to a named room, check-out and a guest's stays, in the
// order of a stay. It moves the clock a week on, to days no other part uses.
func testCheckInOut(t *testing.T, s *preferences.Service, repo preferences.Repository, clock *clockwork.FakeClock) {
	ctx := context.Background()
	clock.Advance(7 * 24 * time.Hour)
	today, checkIn := s.Today(), clock.Now()
	PutRooms(t, s, preferences.Room{Number: "2102", Floor: 21, Bed: "king"},
		preferences.Room{Number: "305", Floor: 3, Bed: "twin"}, preferences.Room{Number: "306", Floor: 3, Bed: "twin"})
	ding, other, third := NewGuest(t, s, Named("Ding", "Wei")), NewGuest(t, s, Named("Other", "One")), NewGuest(t, s, Named("Third", "Two"))
	for _, a := range []preferences.Arrival{{GuestID: ding.ID, Nights: 7, Reference: "PMS-101"}, {GuestID: other.ID, Nights: 1}} {
		a.ArrivalDate = today
		if _, err := s.CreateArrival(ctx, Desk, a); err != nil {
			t.Fatal(err)
		}
	}
	var stay preferences.Stay // Ding's, from the first subtest on

	t.Run("ConsumesTodaysArrival", func(t *testing.T) {
		var err error
		stay, err = s.CheckIn(ctx, Desk, ding.ID, "2102", 0)
		if err != nil {
			t.Fatal(err)
		}
		if stay.ID == "" || stay.Nights != 7 || stay.PlannedNights != 7 || stay.Floor != 21 || stay.CheckOut != nil || !stay.CheckIn.Equal(checkIn) {
			t.Fatalf("stay = %+v, want 7 nights from the arrival, floor 21, open since now", stay)
		}
		_, err = s.ArrivalToday(ctx, preferences.System, ding.ID)
		WantCode(t, err, preferences.ENOTFOUND, "") // no longer expected
		cards, err := s.Arrivals(ctx, Desk, today)
		if err != nil || len(cards) != 2 {
			t.Fatalf("arrivals = %+v, %v", cards, err)
		}
		// The expected arrival comes first, though Ding sorts before Other.
		if c := cards[1]; c.GuestID != ding.ID || c.Status != preferences.ArrivalCheckedIn || c.StayID != stay.ID || c.Returning || c.StaysCount != 0 {
			t.Fatalf("cards = %+v, want Other expected, then Ding checked in to %s and not returning", cards, stay.ID)
		}
		wantFree(t, s, "305,306,801") // 801: put by the rooms' test
		if n, err := s.StaysCount(ctx, ding.ID); err != nil || n != 1 {
			t.Fatalf("stays count = %d, %v; want the stay in house", n, err)
		}
		if got := auditOfGuest(t, s, repo, ding.ID); !slices.Contains(got, "stay.checkin room 2102") {
			t.Fatalf("audit = %q, want the check-in", got)
		}
	})
	t.Run("Refusals", func(t *testing.T) {
		for _, c := range []struct {
			name        string
			guest, room string
			nights      int
			code, field string
		}{
			{"in house", ding.ID, "305", 2, preferences.ECONFLICT, ""},
			{"occupied", other.ID, "2102", 2, preferences.ECONFLICT, ""},
			{"unknown room", other.ID, "9999", 2, preferences.ENOTFOUND, ""},
			{"unknown guest", "g_nobody", "305", 2, preferences.ENOTFOUND, ""},
			{"negative nights", other.ID, "305", -1, preferences.EINVALID, "nights"},
			{"too many nights", other.ID, "305", preferences.MaxNights + 1, preferences.EINVALID, "nights"},
			{"no nights and no arrival", third.ID, "305", 0, preferences.EINVALID, "nights"},
		} {
			_, err := s.CheckIn(ctx, Desk, c.guest, c.room, c.nights)
			if preferences.ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
				continue
			}
			WantCode(t, err, c.code, c.field)
		}
		wantNotCheckedIn(t, s, repo, other.ID)
	})
	t.Run("FailedCheckInLeavesNothing", func(t *testing.T) {
		// The Idempotency-Key is in use: the answer cannot be kept, the last step of the
		// check-in's transaction, so nothing of it stays.
		kept := &preferences.Replay{Owner: "tok_1", Key: "dup", Hash: []byte("h"), Status: 201,
			Encode: func(any) ([]byte, error) { return []byte("{}"), nil }}
		if _, err := s.CreateArrival(preferences.WithReplay(ctx, kept), Desk,
			preferences.Arrival{GuestID: third.ID, ArrivalDate: "2026-04-01", Nights: 1}); err != nil {
			t.Fatal(err)
		}
		again := *kept
		_, err := s.CheckIn(preferences.WithReplay(ctx, &again), Desk, other.ID, "305", 0)
		WantCode(t, err, preferences.ECONFLICT, "Idempotency-Key")
		wantNotCheckedIn(t, s, repo, other.ID)
		wantFree(t, s, "305,306,801")
	})
	t.Run("DayUse", func(t *testing.T) {
		in, err := s.CheckIn(ctx, Desk, other.ID, "306", 0)
		if err != nil || in.Nights != 1 {
			t.Fatalf("check-in = %+v, %v; want the arrival's night", in, err)
		}
		// 00:30 to 08:30 in Shanghai, the same day: no night, though UTC's date changed.
		clock.Advance(8 * time.Hour)
		out, err := s.CheckOut(ctx, Desk, in.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if out.Nights != 0 || out.PlannedNights != 1 || out.FollowUps == nil || len(out.FollowUps) != 0 {
			t.Fatalf("day use = %#v, want 0 nights of 1 planned and no follow-ups ([])", out)
		}
		// The stay of an arrival never counts on the arrival's card, even once closed.
		cards, err := s.Arrivals(ctx, Desk, today)
		if err != nil || len(cards) != 2 || cards[1].GuestID != other.ID || cards[1].Returning || cards[1].StaysCount != 0 {
			t.Fatalf("cards = %+v, %v; want Other checked in and not returning", cards, err)
		}
	})
	t.Run("CheckOut", func(t *testing.T) {
		done := Start
		if err := repo.Write(ctx, func(tx preferences.Tx) error {
			for _, f := range []preferences.FollowUp{{ID: "f_1", Text: "Send flowers", CreatedAt: Start}, {ID: "f_2", Text: "Call back", CreatedAt: Start, DoneAt: &done}} {
				if err := tx.InsertFollowUp(ctx, ding.ID, Desk.Name, f); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		_, err := s.CheckOut(ctx, Desk, stay.ID, "12,50")
		WantCode(t, err, preferences.EINVALID, "spend")
		_, err = s.CheckOut(ctx, Desk, "s_unknown", "")
		WantCode(t, err, preferences.ENOTFOUND, "")
		// 2 nights after check-in in Shanghai (3 by UTC's dates); an instant the store keeps
		// to the microsecond.
		clock.Advance(48*time.Hour + 123456*time.Microsecond)
		out, err := s.CheckOut(ctx, Desk, stay.ID, "18650.50")
		if err != nil {
			t.Fatal(err)
		}
		if out.Spend != "18650.50" || out.CheckOut == nil || out.Nights != 2 || out.PlannedNights != 7 ||
			len(out.FollowUps) != 1 || out.FollowUps[0].Text != "Send flowers" {
			t.Fatalf("checked out %+v, want spend 18650.50, 2 nights of 7, the open follow-up", out)
		}
		stays, err := s.GuestStays(ctx, Desk, ding.ID)
		if err != nil || len(stays) != 1 {
			t.Fatalf("stays = %+v, %v", stays, err)
		}
		out.FollowUps = nil
		if !reflect.DeepEqual(out, stays[0]) {
			t.Fatalf("check-out returned %+v, stored %+v", out, stays[0])
		}
		_, err = s.CheckOut(ctx, Desk, stay.ID, "1.00")
		WantCode(t, err, preferences.ECONFLICT, "")
		if again, _ := s.GuestStays(ctx, Desk, ding.ID); again[0].Spend != "18650.50" || !again[0].CheckOut.Equal(*out.CheckOut) {
			t.Fatalf("a second check-out changed the stay: %+v", again[0])
		}
		if got := auditOfGuest(t, s, repo, ding.ID); strings.Count(strings.Join(got, ","), "stay.checkout room 2102") != 1 {
			t.Fatalf("audit = %q, want one check-out", got)
		}
	})
	t.Run("GuestStaysNewestFirst", func(t *testing.T) {
		again, err := s.CheckIn(ctx, Desk, ding.ID, "305", 3)
		if err != nil {
			t.Fatal(err)
		}
		PutRooms(t, s, preferences.Room{Number: "2102", Floor: 22, Bed: "king"}) // the floor follows the room
		stays, err := s.GuestStays(ctx, Desk, ding.ID)
		if err != nil || len(stays) != 2 || stays[0].ID != again.ID || stays[0].Nights != 3 || stays[1].ID != stay.ID || stays[1].Floor != 22 {
			t.Fatalf("stays = %+v, %v; want the open one in 305, then the closed one on floor 22", stays, err)
		}
		if n, err := s.StaysCount(ctx, ding.ID); err != nil || n != 2 {
			t.Fatalf("stays count = %d, %v; want 2", n, err)
		}
		if got := auditOfGuest(t, s, repo, ding.ID); got[len(got)-1] != "stays.read " {
			t.Fatalf("audit = %q, want the stays' read last", got)
		}
		_, err = s.GuestStays(ctx, Desk, "g_unknown")
		WantCode(t, err, preferences.ENOTFOUND, "")
		if n, err := s.StaysCount(ctx, "g_unknown"); err != nil || n != 0 {
			t.Fatalf("stays count of nobody = %d, %v; want 0", n, err)
		}
	})
}

// wantNotCheckedIn fails t unless the guest's arrival today is still expected, the
// guest has no stay and their audit has no check-in.
func wantNotCheckedIn(t *testing.T, s *preferences.Service, repo preferences.Repository, guestID string) {
	t.Helper()
	ctx := context.Background()
	if a, err := s.ArrivalToday(ctx, preferences.System, guestID); err != nil || a.Status != preferences.ArrivalExpected {
		t.Fatalf("arrival today = %+v, %v; want it still expected", a, err)
	}
	if n, err := s.StaysCount(ctx, guestID); err != nil || n != 0 {
		t.Fatalf("stays count = %d, %v; want 0", n, err)
	}
	if got := auditOfGuest(t, s, repo, guestID); strings.Contains(strings.Join(got, ","), preferences.ActionCheckIn) {
		t.Fatalf("audit = %q, want no check-in", got)
	}
}

// wantFree fails t unless the free rooms are those listed (comma-separated), in order.
func wantFree(t *testing.T, s *preferences.Service, want string) {
	t.Helper()
	free, err := s.FreeRooms(context.Background(), preferences.System)
	var got []string
	for _, r := range free {
		got = append(got, r.Number)
	}
	if err != nil || strings.Join(got, ",") != want {
		t.Fatalf("free rooms = %v, %v; want %s", got, err, want)
	}
}
