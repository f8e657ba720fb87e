package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"regulars/preferences"
)

// TwoOnOne returns two repositories on one fresh database, as two instances of the
// service (or two processes on one SQLite file) have.
type TwoOnOne func(t *testing.T) (preferences.Repository, preferences.Repository)

// RunInstances checks what several instances on one database rely on: a read an engine
// keeps in memory (the board, the free rooms) follows every change another instance
// makes, at once; one instance claims each scheduled run; the sign-in throttles and
// the kiosk sessions are shared.
func RunInstances(t *testing.T, open TwoOnOne) {
	ctx := context.Background()
	repoA, repoB := open(t)
	a := serviceOn(t, repoA)
	b := serviceOn(t, repoB)
	PutRooms(t, b, preferences.Room{Number: "801", Floor: 8, Bed: "king"}, preferences.Room{Number: "802", Floor: 8, Bed: "king"})
	ding := NewGuest(t, b, Named("Ding", "Wei"))
	lin := NewGuest(t, b, Named("Lin", "Yu"))

	boardOf := func(s *preferences.Service) []preferences.HousekeepingRoom {
		t.Helper()
		board, err := s.HousekeepingBoard(ctx, Maid)
		if err != nil {
			t.Fatal(err)
		}
		return board
	}
	freeOn := func(s *preferences.Service, guestID string) []string {
		t.Helper()
		card, err := s.Recognition(ctx, Desk, guestID)
		if err != nil {
			t.Fatal(err)
		}
		var rooms []string
		for _, r := range card.SuggestedRooms {
			rooms = append(rooms, r.Number)
		}
		slices.Sort(rooms)
		return rooms
	}
	// A reads (and may keep) the empty board and both free rooms.
	if len(boardOf(a)) != 0 || !slices.Equal(freeOn(a, lin.ID), []string{"801", "802"}) {
		t.Fatal("a new hotel's board is not empty or its rooms not free")
	}
	// B checks Ding in: A sees him on the board and the room taken.
	stay, err := b.CheckIn(ctx, Desk, ding.ID, "801", 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := boardOf(a); len(got) != 1 || got[0].Room != "801" {
		t.Fatalf("A's board after B's check-in = %+v", got)
	}
	if got := freeOn(a, lin.ID); !slices.Equal(got, []string{"802"}) {
		t.Fatalf("A's free rooms after B's check-in = %v", got)
	}
	// B changes his allergies, then adds a housekeeping note: A's board shows each.
	peanuts := preferences.Preferences{Allergies: []preferences.Allergy{{Allergen: "peanuts", Severity: "severe"}}}
	if _, err := b.SetPreferences(ctx, Desk, ding.ID, peanuts, []string{preferences.SectionAllergies}); err != nil {
		t.Fatal(err)
	}
	if got := boardOf(a); len(got[0].Allergies) != 1 || got[0].Allergies[0].Allergen != "peanuts" {
		t.Fatalf("A's board after B's allergy change = %+v", got)
	}
	if _, err := b.AddNote(ctx, Desk, ding.ID, preferences.Note{Department: preferences.DeptHousekeeping, Text: "Extra towels"}); err != nil {
		t.Fatal(err)
	}
	if got := boardOf(a); !slices.Equal(got[0].Notes, []string{"Extra towels"}) {
		t.Fatalf("A's board after B's note = %+v", got)
	}
	// A note and allergies of a guest not in house are not on the board until that
	// guest checks in, and then they are.
	if _, err := b.AddNote(ctx, Desk, lin.ID, preferences.Note{Department: preferences.DeptHousekeeping, Text: "Quiet please"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetPreferences(ctx, Desk, lin.ID, peanuts, []string{preferences.SectionAllergies}); err != nil {
		t.Fatal(err)
	}
	if got := boardOf(a); len(got) != 1 {
		t.Fatalf("A's board shows a guest not in house: %+v", got)
	}
	linStay, err := b.CheckIn(ctx, Desk, lin.ID, "802", 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := boardOf(a); len(got) != 2 || !slices.Equal(got[1].Notes, []string{"Quiet please"}) || len(got[1].Allergies) != 1 {
		t.Fatalf("A's board after Lin's check-in on B = %+v", got)
	}
	if _, err := b.CheckOut(ctx, Desk, linStay.ID, ""); err != nil {
		t.Fatal(err)
	}
	// A caller changing what it got changes nothing kept.
	got := boardOf(a)
	got[0].Notes[0], got[0].Allergies[0].Allergen = "changed", "changed"
	if again := boardOf(a); again[0].Notes[0] != "Extra towels" || again[0].Allergies[0].Allergen != "peanuts" {
		t.Fatalf("a caller's change reached the kept board: %+v", again)
	}
	// B moves room 802 to another floor, then checks Ding out: A follows both.
	PutRooms(t, b, preferences.Room{Number: "802", Floor: 9, Bed: "king"})
	card, err := a.Recognition(ctx, Desk, lin.ID)
	if err != nil || len(card.SuggestedRooms) != 1 || card.SuggestedRooms[0].Floor != 9 {
		t.Fatalf("A's card after B moved a room: %+v (%v)", card.SuggestedRooms, err)
	}
	if _, err := b.CheckOut(ctx, Desk, stay.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := boardOf(a); len(got) != 0 {
		t.Fatalf("A's board after B's check-out = %+v", got)
	}
	if got := freeOn(a, lin.ID); !slices.Equal(got, []string{"801", "802"}) {
		t.Fatalf("A's free rooms after B's check-out = %v", got)
	}
	// While Lin is in house, Ding's allergies change away from the hotel; when he comes
	// back, A's board shows what he has now, and Lin's row is still right.
	if _, err := b.CheckIn(ctx, Desk, lin.ID, "802", 1); err != nil {
		t.Fatal(err)
	}
	if got := boardOf(a); len(got) != 1 || got[0].Room != "802" {
		t.Fatalf("A's board with Lin back = %+v", got)
	}
	dust := preferences.Preferences{Allergies: []preferences.Allergy{{Allergen: "dust", Severity: "mild"}}}
	if _, err := b.SetPreferences(ctx, Desk, ding.ID, dust, []string{preferences.SectionAllergies}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.CheckIn(ctx, Desk, ding.ID, "801", 1); err != nil {
		t.Fatal(err)
	}
	got = boardOf(a)
	if len(got) != 2 || got[0].Room != "801" || len(got[0].Allergies) != 1 || got[0].Allergies[0].Allergen != "dust" ||
		got[1].Room != "802" || !slices.Equal(got[1].Notes, []string{"Quiet please"}) {
		t.Fatalf("A's board with Ding back = %+v", got)
	}
	t.Run("ScheduledRuns", func(t *testing.T) { testScheduledRuns(t, a, b) })
	t.Run("SignInThrottles", func(t *testing.T) { testSignInThrottles(t, a, b) })
	t.Run("KioskSessions", func(t *testing.T) { testKioskSessions(t, a, b) })
	t.Run("KioskFailures", func(t *testing.T) { testKioskFailures(t, a, b) })
}

// serviceOn is the use cases over repo on the real clock, closed when t ends.
func serviceOn(t *testing.T, repo preferences.Repository) *preferences.Service {
	t.Helper()
	s, err := preferences.NewService(repo, preferences.ServiceOptions{Secret: Secret, Location: Shanghai})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// testConcurrentBoardReads reads the board and cards from many goroutines while rooms
// change hands: every read succeeds (a read that gives way to another's refill of a kept
// copy runs again; it never fails for it), and once the changes are over the board is
// exactly the rooms in use.
func testConcurrentBoardReads(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := Service(t, open)
	var rooms []preferences.Room
	for i := range 8 {
		rooms = append(rooms, preferences.Room{Number: fmt.Sprint(900 + i), Floor: 9, Bed: "king"})
	}
	PutRooms(t, s, rooms...)
	guests := make([]preferences.Guest, len(rooms))
	for i := range guests {
		guests[i] = NewGuest(t, s, Named("Guest", fmt.Sprint(i)))
	}
	stop := make(chan struct{})
	errs := make(chan error, 16)
	var readers sync.WaitGroup
	for r := range 12 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				if r%2 == 0 {
					_, err = s.HousekeepingBoard(ctx, Maid)
				} else {
					_, err = s.Recognition(ctx, Desk, guests[r%len(guests)].ID)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	var stays []preferences.Stay
	for i, g := range guests {
		st, err := s.CheckIn(ctx, Desk, g.ID, rooms[i].Number, 1)
		if err != nil {
			t.Fatal(err)
		}
		stays = append(stays, st)
	}
	for _, st := range stays[:4] {
		if _, err := s.CheckOut(ctx, Desk, st.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a read beside the changes failed: %v", err)
	}
	board, err := s.HousekeepingBoard(ctx, Maid)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range board {
		got = append(got, r.Room)
	}
	if want := []string{"904", "905", "906", "907"}; !slices.Equal(got, want) {
		t.Fatalf("board after the changes = %v, want %v", got, want)
	}
}
