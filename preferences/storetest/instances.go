package storetest

import (
	"context"
	"slices"
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
