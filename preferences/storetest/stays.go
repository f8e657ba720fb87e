package storetest

import (
	"context"
	"testing"
	"time"

	"regulars/preferences"
)

// testStays covers rooms, arrivals and stays.
func testStays(t *testing.T, open Opener) {
	ctx := context.Background()
	s, _ := Service(t, open)

	t.Run("RoomsPutAndListed", func(t *testing.T) {
		PutRooms(t, s, preferences.Room{Number: "801", Floor: 8, View: "River", Bed: "king", Features: []string{"bathtub"}},
			preferences.Room{Number: "305", Floor: 3, Bed: "twin", Quiet: true})
		// Putting a room again replaces it.
		PutRooms(t, s, preferences.Room{Number: "801", Floor: 8, View: "city", Bed: "king"})
		rooms, err := s.Rooms(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rooms) != 2 || rooms[0].Number != "305" || !rooms[0].Quiet || rooms[1].View != "city" ||
			len(rooms[1].Features) != 0 || rooms[0].Occupied {
			t.Fatalf("rooms = %+v", rooms)
		}
		_, err = s.PutRoom(ctx, Manager, preferences.Room{Number: "9 9", Floor: 9, Bed: "king"})
		WantCode(t, err, preferences.EINVALID, "number")
	})
	t.Run("PastStayNeedsAKnownRoom", func(t *testing.T) {
		g := NewGuest(t, s, Named("Ding", "Wei"))
		out := Start.AddDate(0, -2, 0)
		err := s.RecordPastStay(ctx, preferences.PastStay{GuestID: g.ID, Room: "305", CheckIn: out.Add(-48 * time.Hour), CheckOut: out, Nights: 2})
		if err != nil {
			t.Fatal(err)
		}
		err = s.RecordPastStay(ctx, preferences.PastStay{GuestID: g.ID, Room: "nowhere", CheckIn: out.Add(-48 * time.Hour), CheckOut: out, Nights: 2})
		if err == nil {
			t.Fatal("a stay in an unknown room was stored")
		}
	})
}

// PutRooms puts rooms as the manager does and fails t when that fails.
func PutRooms(t *testing.T, s *preferences.Service, rooms ...preferences.Room) {
	t.Helper()
	for _, r := range rooms {
		if _, err := s.PutRoom(context.Background(), Manager, r); err != nil {
			t.Fatalf("put room %s: %v", r.Number, err)
		}
	}
}
