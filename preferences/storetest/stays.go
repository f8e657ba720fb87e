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
	// One hotel for the rooms, arrivals and stays (each part on dates of its own), one for
	// the best room, whose rooms must all be free at first: a database costs PostgreSQL
	// about a second here.
	s, repo, clock := ServiceRepo(t, open)

	t.Run("RoomsPutAndListed", func(t *testing.T) {
		PutRooms(t, s, preferences.Room{Number: "801", Floor: 8, View: "River", Bed: "king", Features: []string{"bathtub"}},
			preferences.Room{Number: "305", Floor: 3, Bed: "twin", Quiet: true})
		// Putting a room again replaces it.
		PutRooms(t, s, preferences.Room{Number: "801", Floor: 8, View: "city", Bed: "king"})
		rooms, err := s.Rooms(ctx, preferences.System)
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
	t.Run("Arrivals", func(t *testing.T) { testArrivals(t, s, repo, clock) })
	t.Run("CheckInAndOut", func(t *testing.T) { testCheckInOut(t, s, repo, clock) })
	t.Run("Erased", func(t *testing.T) { testStaysErased(t, s) }) // needs the guest part's EraseGuest
	t.Run("BestRoom", func(t *testing.T) {
		s, repo, _ := ServiceRepo(t, open)
		t.Run("InTurn", func(t *testing.T) { testBestRoom(t, s, repo) })
		t.Run("Preferences", func(t *testing.T) { testBestRoomPreferences(t, s) }) // needs SetPreferences
		t.Run("Taken", func(t *testing.T) { testBestRoomTaken(t, s, repo) })
		t.Run("Race", func(t *testing.T) { testBestRoomRace(t, s) })
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

// auditOfGuest flushes the reads' entries and returns the guest's audit log as
// "action detail" lines, oldest first.
func auditOfGuest(t *testing.T, s *preferences.Service, repo preferences.Repository, guestID string) []string {
	t.Helper()
	ctx := context.Background()
	if err := s.FlushAudit(ctx); err != nil {
		t.Fatal(err)
	}
	var entries []preferences.AuditEntry
	if err := repo.Read(ctx, func(tx preferences.Tx) (err error) {
		entries, err = tx.GuestAuditEntries(ctx, guestID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Action + " " + e.Detail
	}
	return out
}
