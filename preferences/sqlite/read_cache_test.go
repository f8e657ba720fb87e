package sqlite_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
)

// TestCachedReadsFollowChanges: the housekeeping board and the recognition card's free
// rooms are cached, and every kind of change shows at once.
func TestCachedReadsFollowChanges(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, time.Date(2026, 5, 10, 8, 0, 0, 0, time.UTC))
	mustRooms(t, db, preferences.Room{Number: "2101", Floor: 21, Bed: "king"}, preferences.Room{Number: "2102", Floor: 21, Bed: "king"})
	g := mustGuest(t, db, "丁", nil)
	other := mustGuest(t, db, "李", nil)

	suggested := func() []string {
		t.Helper()
		r, err := db.Recognition(ctx, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range r.SuggestedRooms {
			out = append(out, s.Number)
		}
		return out
	}
	board := func() []preferences.HousekeepingRoom {
		t.Helper()
		b, err := db.HousekeepingBoard(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if got := suggested(); len(got) != 2 || len(board()) != 0 {
		t.Fatalf("before check-in: suggested %v, board %v", got, board())
	}
	stay, err := db.CheckIn(ctx, desk, g.ID, "2101", 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := suggested(); len(got) != 1 || got[0] != "2102" {
		t.Errorf("after check-in: suggested %v, want [2102]", got)
	}
	if b := board(); len(b) != 1 || b[0].Room != "2101" || b[0].Laundry != "" {
		t.Errorf("after check-in: board %+v", b)
	}
	p := preferences.Preferences{Housekeeping: preferences.HousekeepingPrefs{Laundry: "soap only"}}
	if _, err := db.SetPreferences(ctx, desk, g.ID, p, []string{preferences.SectionHousekeeping}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddNote(ctx, desk, g.ID, preferences.Note{Department: preferences.DeptHousekeeping, Text: "extra towels"}); err != nil {
		t.Fatal(err)
	}
	if b := board(); len(b) != 1 || b[0].Laundry != "soap only" || len(b[0].Notes) != 1 || b[0].Notes[0] != "extra towels" {
		t.Errorf("after preference change and note: board %+v", b)
	}
	mustRooms(t, db, preferences.Room{Number: "2103", Floor: 21, Bed: "twin"})
	if got := suggested(); len(got) != 2 {
		t.Errorf("after a new room: suggested %v, want 2102 and 2103", got)
	}
	if _, err := db.CheckOut(ctx, desk, stay.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := suggested(); len(got) != 3 || len(board()) != 0 {
		t.Errorf("after check-out: suggested %v, board %v", got, board())
	}
}

// TestBoardCacheOnlyFollowsGuestsInHouse: a change to a guest who is not in house
// leaves the cached board as it is; the same change to one in house shows at once.
func TestBoardCacheOnlyFollowsGuestsInHouse(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, time.Date(2026, 5, 10, 8, 0, 0, 0, time.UTC))
	mustRooms(t, db, preferences.Room{Number: "2101", Floor: 21, Bed: "king"})
	in, out := mustGuest(t, db, "丁", nil), mustGuest(t, db, "李", nil)
	if _, err := db.CheckIn(ctx, desk, in.ID, "2101", 2); err != nil {
		t.Fatal(err)
	}
	laundry := func() string {
		t.Helper()
		b, err := db.HousekeepingBoard(ctx)
		if err != nil || len(b) != 1 {
			t.Fatalf("board %v, %v", b, err)
		}
		return b[0].Laundry
	}
	set := func(g preferences.Guest, l string) {
		t.Helper()
		p := preferences.Preferences{Housekeeping: preferences.HousekeepingPrefs{Laundry: l}}
		if _, err := db.SetPreferences(ctx, desk, g.ID, p, []string{preferences.SectionHousekeeping}); err != nil {
			t.Fatal(err)
		}
	}
	if got := laundry(); got != "" {
		t.Fatalf("laundry %q", got)
	}
	set(out, "press shirts")
	if got := laundry(); got != "" {
		t.Errorf("after a change to a guest not in house: laundry %q", got)
	}
	set(in, "soap only")
	if got := laundry(); got != "soap only" {
		t.Errorf("after a change to the guest in house: laundry %q, want soap only", got)
	}
	if err := db.EraseGuest(ctx, preferences.Actor{Name: "boss", Role: preferences.RoleManager}, in.ID); err != nil {
		t.Fatal(err)
	}
	if got := laundry(); got != "" {
		t.Errorf("after erasure: laundry %q, want none", got)
	}
}

// TestSuggestionsFollowPreferences: the ranked free rooms are kept per stored
// preferences; guests with other preferences, and a guest whose preferences change,
// get their own ranking.
func TestSuggestionsFollowPreferences(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, time.Date(2026, 5, 10, 8, 0, 0, 0, time.UTC))
	mustRooms(t, db, preferences.Room{Number: "2101", Floor: 21, Bed: "king"}, preferences.Room{Number: "305", Floor: 3, Bed: "twin"})
	twin := preferences.Preferences{Room: preferences.RoomPrefs{Bed: "twin"}}
	a, b := mustGuest(t, db, "丁", &twin), mustGuest(t, db, "李", &twin)
	c := mustGuest(t, db, "王", nil)
	first := func(id string) string {
		t.Helper()
		r, err := db.Recognition(ctx, id)
		if err != nil || len(r.SuggestedRooms) == 0 {
			t.Fatalf("card: %+v, %v", r.SuggestedRooms, err)
		}
		return r.SuggestedRooms[0].Number
	}
	if first(a.ID) != "305" || first(b.ID) != "305" || first(c.ID) != "2101" {
		t.Errorf("first rooms %s %s %s, want 305 305 2101", first(a.ID), first(b.ID), first(c.ID))
	}
	king := preferences.Preferences{Room: preferences.RoomPrefs{Bed: "king"}}
	if _, err := db.SetPreferences(ctx, desk, a.ID, king, []string{preferences.SectionRoom}); err != nil {
		t.Fatal(err)
	}
	if first(a.ID) != "2101" || first(b.ID) != "305" {
		t.Errorf("after a's change: %s %s, want 2101 305", first(a.ID), first(b.ID))
	}
	if _, err := db.CheckIn(ctx, desk, c.ID, "305", 1); err != nil {
		t.Fatal(err)
	}
	if first(b.ID) != "2101" {
		t.Errorf("after 305 was taken: %s, want 2101", first(b.ID))
	}
}

// TestBoardByFloorAndRoom: the board lists the occupied rooms by floor, then number, and
// follows a room moved to another floor.
func TestBoardByFloorAndRoom(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, time.Date(2026, 5, 10, 8, 0, 0, 0, time.UTC))
	room := func(number string, floor int) preferences.Room {
		return preferences.Room{Number: number, Floor: floor, Bed: "king"}
	}
	mustRooms(t, db, room("902", 9), room("1201", 12), room("901", 9), room("A-1", 1))
	for i, room := range []string{"1201", "901", "A-1", "902"} {
		g := mustGuest(t, db, string(rune('A'+i)), nil)
		if _, err := db.CheckIn(ctx, desk, g.ID, room, 1); err != nil {
			t.Fatal(err)
		}
	}
	order := func() string {
		t.Helper()
		b, err := db.HousekeepingBoard(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, r := range b {
			s = append(s, fmt.Sprintf("%d:%s", r.Floor, r.Room))
		}
		return strings.Join(s, " ")
	}
	if got, want := order(), "1:A-1 9:901 9:902 12:1201"; got != want {
		t.Errorf("board %q, want %q", got, want)
	}
	mustRooms(t, db, room("1201", 2))
	if got, want := order(), "1:A-1 2:1201 9:901 9:902"; got != want {
		t.Errorf("after moving 1201 to floor 2: board %q, want %q", got, want)
	}
}
