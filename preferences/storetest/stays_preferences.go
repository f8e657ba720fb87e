package storetest

import (
	"context"
	"testing"

	"regulars/preferences"
)

// testBestRoomPreferences: the best room meets the guest's floor, view and bed; a guest
// who states room preferences but not smoking never gets a smoking room, one with none
// at all does. An allergy to feathers ranks a hypoallergenic room first. The rooms before
// are all taken; so are the ones it puts, when it ends.
func testBestRoomPreferences(t *testing.T, s *preferences.Service) {
	ctx := context.Background()
	PutRooms(t, s, preferences.Room{Number: "2001", Floor: 20, View: "city", Bed: "king"},
		preferences.Room{Number: "2002", Floor: 20, View: "river", Bed: "king"},
		preferences.Room{Number: "2003", Floor: 20, View: "river", Bed: "king", Smoking: true, Features: []string{"sofa"}},
		preferences.Room{Number: "1901", Floor: 19, View: "river", Bed: "twin", Features: []string{"hypoallergenic"}})
	wants := preferences.Preferences{Room: preferences.RoomPrefs{MinFloor: 20, View: "river", Bed: "king"}}
	choosy := func(family string, p preferences.Preferences) string {
		g := NewGuest(t, s, Named(family, "Choosy"))
		if _, err := s.SetPreferences(ctx, Desk, g.ID, p, preferences.Sections); err != nil {
			t.Fatal(err)
		}
		return g.ID
	}
	checkIn := func(guestID string) string {
		t.Helper()
		st, err := s.CheckInBestRoom(ctx, Desk, guestID, 1)
		if err != nil {
			t.Fatal(err)
		}
		return st.Room
	}
	if room := checkIn(choosy("First", wants)); room != "2002" {
		t.Fatalf("best room = %s, want 2002 (floor, view and bed)", room)
	}
	if room := checkIn(choosy("Second", wants)); room != "2001" {
		t.Fatalf("next best room = %s, want 2001 (floor and bed; 2003 smokes)", room)
	}
	feathers := preferences.Preferences{Allergies: []preferences.Allergy{{Allergen: "feathers", Severity: "severe"}}}
	if room := checkIn(choosy("Sneezy", feathers)); room != "1901" {
		t.Fatalf("room of a guest allergic to feathers = %s, want the hypoallergenic 1901", room)
	}
	_, err := s.CheckInBestRoom(ctx, Desk, choosy("Third", wants), 1)
	WantCode(t, err, preferences.ENOTFOUND, "") // only the smoking room is left
	if room := checkIn(NewGuest(t, s, Named("Easy", "Going")).ID); room != "2003" {
		t.Fatalf("room of a guest with no preferences = %s, want the smoking 2003, the last free", room)
	}
}

// testStaysErased: an erased guest has no arrival, no stays to read and cannot check
// in; a stay of theirs still open can be closed, as an anonymous record. It runs after
// testCheckInOut, on its hotel (306 and 801 free).
func testStaysErased(t *testing.T, s *preferences.Service) {
	ctx := context.Background()
	today := s.Today()
	leaving, gone := NewGuest(t, s, Named("Leaving", "Soon")), NewGuest(t, s, Named("Gone", "Away"))
	stay, err := s.CheckIn(ctx, Desk, leaving.ID, "306", 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateArrival(ctx, Desk, preferences.Arrival{GuestID: gone.ID, ArrivalDate: today, Nights: 1, Reference: "PMS-GONE"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{leaving.ID, gone.ID} {
		if err := s.EraseGuest(ctx, Manager, id); err != nil {
			t.Fatal(err)
		}
	}
	cards, err := s.Arrivals(ctx, Desk, today)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cards {
		if c.GuestID == gone.ID {
			t.Fatalf("arrivals list the erased guest: %+v", c)
		}
	}
	_, err = s.ArrivalToday(ctx, preferences.System, gone.ID)
	WantCode(t, err, preferences.ENOTFOUND, "")
	_, err = s.ArrivalByReference(ctx, preferences.System, "PMS-GONE")
	WantCode(t, err, preferences.ENOTFOUND, "")
	_, err = s.GuestStays(ctx, Desk, leaving.ID)
	WantCode(t, err, preferences.ENOTFOUND, "")
	_, err = s.CheckIn(ctx, Desk, gone.ID, "801", 1)
	WantCode(t, err, preferences.ENOTFOUND, "")
	_, err = s.CreateArrival(ctx, Desk, preferences.Arrival{GuestID: gone.ID, ArrivalDate: today, Nights: 1})
	WantCode(t, err, preferences.ENOTFOUND, "")
	if out, err := s.CheckOut(ctx, Desk, stay.ID, "99.00"); err != nil || out.CheckOut == nil {
		t.Fatalf("check-out of an erased guest's stay = %+v, %v", out, err)
	}
}
