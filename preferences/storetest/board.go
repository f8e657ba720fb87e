package storetest

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
)

// testBoard covers the housekeeping board and the record of its reads.
func testBoard(t *testing.T, open Opener) {
	ctx := context.Background()
	s, repo, clock := ServiceRepo(t, open)
	PutRooms(t, s,
		preferences.Room{Number: "2101", Floor: 21, Bed: "king"},
		preferences.Room{Number: "5b", Floor: 5, Bed: "king"},
		preferences.Room{Number: "5C", Floor: 5, Bed: "king"},
		preferences.Room{Number: "305", Floor: 3, Bed: "twin"},
		preferences.Room{Number: "306", Floor: 3, Bed: "twin"})

	t.Run("EmptyHouse", func(t *testing.T) {
		board, err := s.HousekeepingBoard(ctx, Maid)
		if err != nil || board == nil || len(board) != 0 {
			t.Fatalf("board of an empty house = %#v, %v", board, err)
		}
	})

	in := Named("丁", "伟")
	in.Email, in.Phone, in.Birthday = Ptr("ding@example.cn"), Ptr("13800138000"), Ptr("1980-03-18")
	ding := NewGuest(t, s, in)
	p := preferences.Preferences{
		Allergies: []preferences.Allergy{
			{Allergen: "dust", Severity: "mild"}, {Allergen: "peanuts", Severity: "severe", Instructions: "no nuts in the minibar"},
			{Allergen: "feathers", Severity: "moderate"}},
		Housekeeping: preferences.HousekeepingPrefs{Laundry: "no starch", Amenities: []string{"extra towels"}},
		Dining:       preferences.DiningPrefs{Breakfast: "congee-secret"},
		Notes:        "general-secret",
	}
	if _, err := s.SetPreferences(ctx, Desk, ding.ID, p, preferences.Sections); err != nil {
		t.Fatal(err)
	}
	for _, n := range []preferences.Note{{Department: "housekeeping", Text: "turn-down at 21:00"}, {Department: "kitchen", Text: "kitchen-secret"},
		{Department: "front_office", Text: "front-secret"}, {Department: "housekeeping", Text: "do not disturb before 10"}} {
		if _, err := s.AddNote(ctx, Desk, ding.ID, n); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute)
	}
	cardStay(t, repo, ding.ID, "2101", Start, nil, 3)
	for _, room := range []string{"5b", "305", "5C"} {
		cardStay(t, repo, NewGuest(t, s, Named("Guest", room)).ID, room, Start, nil, 1)
	}
	// A guest who has left is not on the board; neither are their notes.
	left := NewGuest(t, s, Named("Left", "Already"))
	if _, err := s.AddNote(ctx, Desk, left.ID, preferences.Note{Department: "housekeeping", Text: "left-secret"}); err != nil {
		t.Fatal(err)
	}
	out := Start.Add(-time.Hour)
	cardStay(t, repo, left.ID, "306", out.Add(-48*time.Hour), &out, 2)

	t.Run("InHouseRoomsInOrder", func(t *testing.T) {
		board, err := s.HousekeepingBoard(ctx, Maid)
		if err != nil {
			t.Fatal(err)
		}
		var rooms []string
		for _, r := range board {
			rooms = append(rooms, r.Room)
		}
		// By floor, then number in byte order ("5C" before "5b").
		if !reflect.DeepEqual(rooms, []string{"305", "5C", "5b", "2101"}) {
			t.Fatalf("board rooms = %v", rooms)
		}
		d := board[3]
		want := preferences.HousekeepingRoom{GuestID: ding.ID, Room: "2101", Floor: 21,
			Allergies: []preferences.Allergy{p.Allergies[1], p.Allergies[2], p.Allergies[0]}, // most severe first
			Laundry:   "no starch", Amenities: []string{"extra towels"},
			Notes: []string{"do not disturb before 10", "turn-down at 21:00"}} // housekeeping's only, newest first
		if !reflect.DeepEqual(d, want) {
			t.Fatalf("Ding's room = %+v\nwant %+v", d, want)
		}
		if e := board[0]; e.Allergies == nil || e.Amenities == nil || e.Notes == nil || e.Laundry != "" {
			t.Fatalf("a room with no instructions = %#v, want empty lists", e)
		}
		// Nothing else of the guest reaches housekeeping.
		body, err := json.Marshal(board)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{ding.ID, "丁", "ding@example.cn", "13800138000", "1980", "secret"} {
			if strings.Contains(string(body), secret) {
				t.Errorf("the board shows %q: %s", secret, body)
			}
		}
	})
	t.Run("ErasedGuestInHouse", func(t *testing.T) {
		if err := s.EraseGuest(ctx, Manager, ding.ID); err != nil {
			t.Fatal(err)
		}
		// The room is still occupied and still to be cleaned; nothing of the guest is left.
		board, err := s.HousekeepingBoard(ctx, Maid)
		if err != nil || len(board) != 4 || board[3].Room != "2101" || len(board[3].Allergies) != 0 ||
			len(board[3].Notes) != 0 || board[3].Laundry != "" {
			t.Fatalf("board after the erasure of a guest in house = %+v, %v", board, err)
		}
	})
	t.Run("ReadIsRecordedOnce", func(t *testing.T) {
		since := clock.Now().Add(time.Second)
		clock.Advance(time.Minute)
		for _, actor := range []preferences.Actor{Maid, Manager} {
			if _, err := s.HousekeepingBoard(ctx, actor); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.FlushAudit(ctx); err != nil {
			t.Fatal(err)
		}
		var reads, guest []preferences.AuditEntry
		err := repo.Read(ctx, func(tx preferences.Tx) (err error) {
			if reads, err = tx.BoardReads(ctx, since); err != nil {
				return err
			}
			guest, err = tx.GuestAuditEntries(ctx, ding.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []preferences.AuditEntry{
			{At: clock.Now().UTC(), Actor: Maid.Name, Role: Maid.Role, Action: preferences.ActionBoardRead},
			{At: clock.Now().UTC(), Actor: Manager.Name, Role: Manager.Role, Action: preferences.ActionBoardRead}}
		if !reflect.DeepEqual(reads, want) {
			t.Fatalf("board reads since %v = %+v, want %+v", since, reads, want)
		}
		// Not one audit row per guest on the board: a guest's audit derives them.
		for _, e := range guest {
			if e.Action == preferences.ActionBoardRead {
				t.Fatalf("a board read in the guest's audit_log: %+v", e)
			}
		}
	})
}
