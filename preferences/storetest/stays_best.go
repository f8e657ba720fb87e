package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"regulars/preferences"
)

// testBestRoom covers the check-in to the best free room, one guest after another.
// The guests state no preferences: rooms with more features come first, then higher
// floors, and smoking rooms last.
func testBestRoom(t *testing.T, s *preferences.Service, repo preferences.Repository) {
	ctx := context.Background()
	PutRooms(t, s, preferences.Room{Number: "101", Floor: 1, Bed: "king", Smoking: true, Features: []string{"bathtub", "desk", "sofa"}},
		preferences.Room{Number: "502", Floor: 5, Bed: "king"},
		preferences.Room{Number: "501", Floor: 5, Bed: "king", Features: []string{"bathtub"}},
		preferences.Room{Number: "901", Floor: 9, Bed: "king"})
	guests := make([]preferences.Guest, 5)
	for i := range guests {
		guests[i] = NewGuest(t, s, Named("Guest", fmt.Sprint(i)))
	}
	if _, err := s.CreateArrival(ctx, Desk, preferences.Arrival{GuestID: guests[0].ID, ArrivalDate: "2026-03-16", Nights: 3}); err != nil {
		t.Fatal(err)
	}

	_, err := s.CheckInBestRoom(ctx, Desk, guests[1].ID, 0)
	WantCode(t, err, preferences.EINVALID, "nights") // no arrival today
	_, err = s.CheckInBestRoom(ctx, Desk, guests[1].ID, -2)
	WantCode(t, err, preferences.EINVALID, "nights")
	_, err = s.CheckInBestRoom(ctx, Desk, "g_unknown", 1)
	WantCode(t, err, preferences.ENOTFOUND, "")

	var got []string
	for i, g := range guests[:4] {
		nights := 1
		if i == 0 {
			nights = 0 // the arrival's
		}
		st, err := s.CheckInBestRoom(ctx, Desk, g.ID, nights)
		if err != nil {
			t.Fatalf("guest %d: %v", i, err)
		}
		got = append(got, st.Room)
		if i == 0 && (st.Nights != 3 || st.Floor != 5) {
			t.Fatalf("first stay %+v, want the arrival's 3 nights on floor 5", st)
		}
	}
	if fmt.Sprint(got) != "[501 901 502 101]" {
		t.Fatalf("rooms taken in turn = %v, want 501 (a feature), 901 (higher), 502, 101 (smoking)", got)
	}
	if a, err := s.Arrivals(ctx, Desk, "2026-03-16"); err != nil || len(a) != 1 || a[0].Status != preferences.ArrivalCheckedIn {
		t.Fatalf("arrivals = %+v, %v; want the first guest's checked in", a, err)
	}
	_, err = s.CheckInBestRoom(ctx, Desk, guests[4].ID, 1)
	WantCode(t, err, preferences.ENOTFOUND, "") // every room taken
	_, err = s.CheckInBestRoom(ctx, Desk, guests[0].ID, 1)
	WantCode(t, err, preferences.ECONFLICT, "") // in house
	if audit := auditOfGuest(t, s, repo, guests[1].ID); audit[len(audit)-1] != "stay.checkin room 901" {
		t.Fatalf("audit = %q, want the check-in to 901", audit)
	}
}

// testBestRoomTaken covers a room taken by another request between the read of the free
// rooms and the insert of the stay, which a race leaves to chance: a second service on
// the same store reads the rooms as all free while it is told to. The rooms before are
// all taken.
func testBestRoomTaken(t *testing.T, s *preferences.Service, repo preferences.Repository) {
	ctx := context.Background()
	stale := 1
	late, _ := Service(t, func(*testing.T) preferences.Repository { return staleRooms{repo, &stale} })
	PutRooms(t, s, preferences.Room{Number: "1201", Floor: 12, Bed: "king"})
	g := NewGuest(t, s, Named("Late", "Comer"))
	st, err := late.CheckInBestRoom(ctx, Desk, g.ID, 1)
	if err != nil || st.Room != "1201" {
		t.Fatalf("check-in after the best room was taken = %+v, %v; want the next room, 1201", st, err)
	}
	if audit := auditOfGuest(t, late, repo, g.ID); strings.Count(strings.Join(audit, ","), preferences.ActionCheckIn) != 1 {
		t.Fatalf("audit = %q, want one check-in", audit)
	}
	// Rooms that always look free but never are: the tries end, and nothing is stored.
	stale = 1 << 30
	other := NewGuest(t, s, Named("Late", "Again"))
	_, err = late.CheckInBestRoom(ctx, Desk, other.ID, 1)
	WantCode(t, err, preferences.ECONFLICT, "")
	if n, err := s.StaysCount(ctx, other.ID); err != nil || n != 0 {
		t.Fatalf("stays of the guest refused = %d, %v; want 0", n, err)
	}
}

// staleRooms is a repository whose transactions list every room as free while *left > 0,
// counting down.
type staleRooms struct {
	preferences.Repository
	left *int
}

func (r staleRooms) Write(ctx context.Context, fn func(preferences.Tx) error) error {
	return r.Repository.Write(ctx, func(tx preferences.Tx) error { return fn(staleTx{tx, r.left}) })
}

type staleTx struct {
	preferences.Tx
	left *int
}

func (t staleTx) Rooms(ctx context.Context, propertyID string) ([]preferences.Room, error) {
	rooms, err := t.Tx.Rooms(ctx, propertyID)
	if *t.left > 0 {
		*t.left--
		for i := range rooms {
			rooms[i].Occupied = false
		}
	}
	return rooms, err
}

// testBestRoomRace checks guests in at once: more guests than rooms, each to the best
// free room. Every room goes to one guest, the others hear that no room is left, and
// nothing else fails. Racing check-outs of one stay, check-ins of one guest and
// check-ins to one named room end with one winner. The rooms before are all taken.
func testBestRoomRace(t *testing.T, s *preferences.Service) {
	ctx := context.Background()
	const rooms, guests = 6, 8
	for i := range rooms {
		PutRooms(t, s, preferences.Room{Number: fmt.Sprint(1001 + i), Floor: 10, Bed: "king"})
	}
	ids := make([]string, guests)
	for i := range ids {
		ids[i] = NewGuest(t, s, Named("Racer", fmt.Sprint(i))).ID
	}
	stays := make([]preferences.Stay, guests)
	// Connections opened first: else each check-in waits for a new one and they run in
	// turn, not at once (PostgreSQL).
	race(guests, func(int) error { _, err := s.Rooms(ctx, preferences.System); return err })
	errs := race(guests, func(i int) (err error) {
		stays[i], err = s.CheckInBestRoom(ctx, Desk, ids[i], 2)
		return err
	})
	taken, noRoom := map[string]int{}, 0
	for i, err := range errs {
		switch {
		case err == nil:
			taken[stays[i].Room]++
		case preferences.ErrorCode(err) == preferences.ENOTFOUND:
			noRoom++
		default:
			t.Errorf("guest %d: %v", i, err)
		}
	}
	if len(taken) != rooms || noRoom != guests-rooms {
		t.Fatalf("rooms taken %v and %d without a room, want %d rooms once each and %d without", taken, noRoom, rooms, guests-rooms)
	}
	for room, n := range taken {
		if n != 1 {
			t.Errorf("room %s went to %d guests", room, n)
		}
	}

	// One stay, checked out twice at once: one check-out closes it.
	var first preferences.Stay
	for _, st := range stays {
		if st.ID != "" {
			first = st
			break
		}
	}
	wantOneWinner(t, "check-out", race(2, func(int) error { _, err := s.CheckOut(ctx, Desk, first.ID, ""); return err }))
	// One guest, checked in twice at once: one stay.
	wantOneWinner(t, "check-in", race(2, func(int) error { _, err := s.CheckInBestRoom(ctx, Desk, first.GuestID, 1); return err }))
	if n, err := s.StaysCount(ctx, first.GuestID); err != nil || n != 2 {
		t.Fatalf("stays of the guest checked in twice at once = %d, %v; want 2 (the first and one more)", n, err)
	}
	// Several guests, one named room, at once: one gets it.
	PutRooms(t, s, preferences.Room{Number: "1301", Floor: 13, Bed: "king"})
	racers := make([]string, 4)
	for i := range racers {
		racers[i] = NewGuest(t, s, Named("Racer", fmt.Sprint("named ", i))).ID
	}
	wantOneWinner(t, "check-in to 1301", race(len(racers), func(i int) error {
		_, err := s.CheckIn(ctx, Desk, racers[i], "1301", 1)
		return err
	}))
}

// race runs f(0)…f(n-1) at once and returns their errors.
func race(n int, f func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = f(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// wantOneWinner fails t unless exactly one of errs is nil and the others ECONFLICTs.
func wantOneWinner(t *testing.T, what string, errs []error) {
	t.Helper()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else if preferences.ErrorCode(err) != preferences.ECONFLICT {
			t.Errorf("%s: %v, want success or ECONFLICT", what, err)
		}
	}
	if won != 1 {
		t.Errorf("%s: %d of %d succeeded, want 1", what, won, len(errs))
	}
}
