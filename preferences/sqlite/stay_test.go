package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"regulars/internal/benchdata"
	"regulars/preferences"
	"regulars/preferences/sqlite"
)

var desk = preferences.Actor{Name: "clerk", Role: preferences.RoleFrontDesk}

func mustOpen(t *testing.T, now time.Time) *sqlite.DB {
	t.Helper()
	db := openAt(t, filepath.Join(t.TempDir(), "regulars.db"), now)
	t.Cleanup(func() { db.Close() })
	return db
}

// generatedHotel is mustOpen with a generated hotel of 300 guests, 40 in house,
// bulk-loaded without indexes as the benchmarks' is.
func generatedHotel(t *testing.T, now time.Time) *sqlite.DB {
	t.Helper()
	db := mustOpen(t, now)
	if err := benchdata.Generate(context.Background(), db, benchdata.Options{Guests: 300, Occupied: 40,
		Secret: []byte("0123456789abcdef0123"), Now: now}); err != nil {
		t.Fatal(err)
	}
	return db
}

// openAt opens the database at path as mustOpen does, but the caller closes it.
func openAt(t *testing.T, path string, now time.Time) *sqlite.DB {
	t.Helper()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(path, sqlite.Options{Secret: []byte("0123456789abcdef0123"), Location: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return now }
	return db
}

func mustGuest(t *testing.T, db *sqlite.DB, family string, p *preferences.Preferences) preferences.Guest {
	t.Helper()
	ctx := context.Background()
	g, err := db.CreateGuest(ctx, desk, preferences.GuestFields{FamilyName: &family})
	if err != nil {
		t.Fatal(err)
	}
	if p != nil {
		if _, err := db.SetPreferences(ctx, desk, g.ID, *p, preferences.Sections); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

func mustRooms(t *testing.T, db *sqlite.DB, rooms ...preferences.Room) {
	t.Helper()
	for _, r := range rooms {
		if _, err := db.PutRoom(context.Background(), desk, r); err != nil {
			t.Fatal(err)
		}
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if preferences.ErrorCode(err) != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
}

func TestCheckInUsesHotelDateAndConflicts(t *testing.T) {
	// 17:30 UTC on 10 May is 01:30 on 11 May in Shanghai: today's arrivals are the 11th's.
	db := mustOpen(t, time.Date(2026, 5, 10, 17, 30, 0, 0, time.UTC))
	ctx := context.Background()
	mustRooms(t, db, preferences.Room{Number: "2102", Floor: 21, Bed: "king"}, preferences.Room{Number: "305", Floor: 3, Bed: "twin"})
	ding := mustGuest(t, db, "丁", nil)
	other := mustGuest(t, db, "Other", nil)
	a, err := db.CreateArrival(ctx, desk, preferences.Arrival{GuestID: ding.ID, ArrivalDate: "2026-05-11", Nights: 7, Reference: "PMS-1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.CreateArrival(ctx, desk, preferences.Arrival{GuestID: other.ID, ArrivalDate: "2026-05-11", Nights: 1, Reference: "PMS-1"})
	wantCode(t, err, preferences.ECONFLICT)

	s, err := db.CheckIn(ctx, desk, ding.ID, "2102", 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Nights != 7 || s.Floor != 21 || s.CheckOut != nil {
		t.Errorf("stay = %+v, want 7 nights from the arrival, floor 21, open", s)
	}
	cards, err := db.Arrivals(ctx, "2026-05-11")
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != 1 || cards[0].ID != a.ID || cards[0].Status != preferences.ArrivalCheckedIn || cards[0].StayID != s.ID {
		t.Errorf("arrivals = %+v, want the arrival checked in to %s", cards, s.ID)
	}
	_, err = db.CheckIn(ctx, desk, ding.ID, "305", 2)
	wantCode(t, err, preferences.ECONFLICT) // in house
	_, err = db.CheckIn(ctx, desk, other.ID, "2102", 2)
	wantCode(t, err, preferences.ECONFLICT) // occupied
	_, err = db.CheckIn(ctx, desk, other.ID, "9999", 2)
	wantCode(t, err, preferences.ENOTFOUND)
	_, err = db.CheckIn(ctx, desk, "g_nobody", "305", 2)
	wantCode(t, err, preferences.ENOTFOUND)
	_, err = db.CheckIn(ctx, desk, other.ID, "305", -1)
	wantCode(t, err, preferences.EINVALID)
	_, err = db.CheckIn(ctx, desk, other.ID, "305", 0) // no arrival: nights required
	wantCode(t, err, preferences.EINVALID)

	_, err = db.CheckOut(ctx, desk, s.ID, "12,50")
	wantCode(t, err, preferences.EINVALID)
	out, err := db.CheckOut(ctx, desk, s.ID, "18650.50")
	if err != nil {
		t.Fatal(err)
	}
	if out.Spend != "18650.50" || out.CheckOut == nil {
		t.Errorf("checked out = %+v, want spend 18650.50 and a check-out time", out)
	}
	_, err = db.CheckOut(ctx, desk, s.ID, "")
	wantCode(t, err, preferences.ECONFLICT)
}

func TestCheckInBestRoomRace(t *testing.T) {
	db := mustOpen(t, time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC))
	ctx := context.Background()
	mustRooms(t, db,
		preferences.Room{Number: "2101", Floor: 21, View: "river", Bed: "king"},
		preferences.Room{Number: "2102", Floor: 21, View: "river", Bed: "king", Features: []string{"internet"}},
		preferences.Room{Number: "305", Floor: 3, View: "garden", Bed: "twin"})
	p := &preferences.Preferences{Room: preferences.RoomPrefs{MinFloor: 20, View: "river", Bed: "king", Features: []string{"internet"}}}
	const n = 5
	guests := make([]preferences.Guest, n)
	for i := range guests {
		guests[i] = mustGuest(t, db, "Guest", p)
	}
	var wg sync.WaitGroup
	rooms := make([]string, n)
	errs := make([]error, n)
	for i := range guests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := db.CheckInBestRoom(ctx, desk, guests[i].ID, 2)
			rooms[i], errs[i] = s.Room, err
		}()
	}
	wg.Wait()
	got := map[string]int{}
	failed := 0
	for i := range rooms {
		if errs[i] != nil {
			wantCode(t, errs[i], preferences.ENOTFOUND)
			failed++
			continue
		}
		got[rooms[i]]++
	}
	if failed != 2 || got["2102"] != 1 || got["2101"] != 1 || got["305"] != 1 {
		t.Errorf("rooms = %v with %d failures, want 2102, 2101, 305 once each and 2 with no room", got, failed)
	}
	// The first guest to be served got the best room; a smoking-free, occupied-free board.
	board, err := db.HousekeepingBoard(ctx)
	if err != nil || len(board) != 3 {
		t.Fatalf("board = %v, %v; want 3 occupied rooms", board, err)
	}
}

func TestFeedbackFollowUpLifecycle(t *testing.T) {
	db := mustOpen(t, time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC))
	ctx := context.Background()
	g := mustGuest(t, db, "丁", nil)
	f, err := db.AddFeedback(ctx, desk, g.ID, preferences.FeedbackInput{Kind: "complaint", Text: "pastry too sweet"})
	if err != nil {
		t.Fatal(err)
	}
	if f.Status != "open" || f.GuestName != "丁" {
		t.Errorf("feedback = %+v", f)
	}
	_, err = db.AddFeedback(ctx, desk, g.ID, preferences.FeedbackInput{Kind: "rant", Text: "x"})
	wantCode(t, err, preferences.EINVALID)
	_, err = db.AddFeedback(ctx, desk, g.ID, preferences.FeedbackInput{Kind: "request", Text: "x", StayID: "s_none"})
	wantCode(t, err, preferences.EINVALID)
	r, err := db.ResolveFeedback(ctx, desk, f.ID, preferences.Resolution{Resolution: "recipe changed", FollowUp: "give a box of the new pastry at check-out"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != "resolved" || r.FollowUp == nil || r.FollowUp.Text != "give a box of the new pastry at check-out" {
		t.Fatalf("resolved = %+v", r)
	}
	_, err = db.ResolveFeedback(ctx, desk, f.ID, preferences.Resolution{Resolution: "again"})
	wantCode(t, err, preferences.ECONFLICT)
	open, _ := db.FeedbackList(ctx, "open")
	if len(open) != 0 {
		t.Errorf("open feedback = %v, want none", open)
	}
	fu, _ := db.OpenFollowUps(ctx, g.ID)
	if len(fu) != 1 {
		t.Fatalf("open follow-ups = %v, want 1", fu)
	}
	if _, err := db.FollowUpDone(ctx, desk, fu[0].ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.FollowUpDone(ctx, desk, fu[0].ID)
	wantCode(t, err, preferences.ECONFLICT)
	if fu, _ = db.OpenFollowUps(ctx, g.ID); len(fu) != 0 {
		t.Errorf("open follow-ups after done = %v", fu)
	}
	// Erasure removes feedback, follow-ups and notes.
	if _, err := db.AddNote(ctx, desk, g.ID, preferences.Note{Department: "kitchen", Text: "less sugar"}); err != nil {
		t.Fatal(err)
	}
	const deskRows = `SELECT (SELECT count(*) FROM feedback) + (SELECT count(*) FROM follow_ups) + (SELECT count(*) FROM guest_notes)`
	if countRows(t, db, deskRows) == 0 {
		t.Fatal("no front-desk rows before the erasure")
	}
	if err := db.EraseGuest(ctx, desk, g.ID); err != nil {
		t.Fatal(err)
	}
	if left := countRows(t, db, deskRows); left != 0 {
		t.Errorf("%d front-desk rows left after erasure", left)
	}
}

// The desk's arrival list says "Returning · 1 stay" before and after the guest checks in:
// the stay of this arrival never counts, not even when the guest leaves the same day.
func TestArrivalStaysCountIgnoresThisArrivalsStay(t *testing.T) {
	now := time.Date(2026, 5, 1, 4, 0, 0, 0, time.UTC)
	db := mustOpen(t, now)
	db.Now = func() time.Time { return now }
	ctx := context.Background()
	mustRooms(t, db, preferences.Room{Number: "2102", Floor: 21, Bed: "king"}, preferences.Room{Number: "305", Floor: 3, Bed: "twin"})
	ding, newbie := mustGuest(t, db, "丁", nil), mustGuest(t, db, "New", nil)
	past, err := db.CheckIn(ctx, desk, ding.ID, "2102", 3)
	if err != nil {
		t.Fatal(err)
	}
	now = now.AddDate(0, 0, 3)
	if _, err := db.CheckOut(ctx, desk, past.ID, ""); err != nil {
		t.Fatal(err)
	}
	now = time.Date(2026, 5, 11, 4, 0, 0, 0, time.UTC) // noon in Shanghai
	for i, g := range []preferences.Guest{ding, newbie} {
		if _, err := db.CreateArrival(ctx, desk, preferences.Arrival{GuestID: g.ID, ArrivalDate: "2026-05-11", Nights: 2, Reference: "PMS-" + g.FamilyName}); err != nil {
			t.Fatalf("arrival %d: %v", i, err)
		}
	}
	want := func(step string) {
		t.Helper()
		cards, err := db.Arrivals(ctx, "2026-05-11")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, c := range cards {
			got[c.Guest.FamilyName] = fmt.Sprint(c.Returning, " ", c.StaysCount)
		}
		if got["丁"] != "true 1" || got["New"] != "false 0" {
			t.Errorf("%s: returning/stays = %v, want 丁 true 1, New false 0", step, got)
		}
	}
	want("expected")
	var stays []preferences.Stay
	for _, c := range []struct{ id, room string }{{ding.ID, "2102"}, {newbie.ID, "305"}} {
		s, err := db.CheckIn(ctx, desk, c.id, c.room, 0)
		if err != nil {
			t.Fatal(err)
		}
		stays = append(stays, s)
	}
	want("checked in")
	for _, s := range stays {
		if _, err := db.CheckOut(ctx, desk, s.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	want("left the same day")
}

// The card's last stay has its room's floor as the hotel's room list has it now: after
// a room is moved to another floor the card follows at once.
func TestCardLastStayFloorFollowsRooms(t *testing.T) {
	db := mustOpen(t, time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC))
	ctx := context.Background()
	mustRooms(t, db, preferences.Room{Number: "2102", Floor: 21, Bed: "king"})
	ding := mustGuest(t, db, "丁", nil)
	s, err := db.CheckIn(ctx, desk, ding.ID, "2102", 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CheckOut(ctx, desk, s.ID, "100.00"); err != nil {
		t.Fatal(err)
	}
	floor := func() int {
		t.Helper()
		r, err := db.Recognition(ctx, ding.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.LastStay == nil || r.LastStay.Room != "2102" {
			t.Fatalf("last stay = %+v, want room 2102", r.LastStay)
		}
		return r.LastStay.Floor
	}
	if got := floor(); got != 21 {
		t.Errorf("last stay's floor = %d, want 21", got)
	}
	mustRooms(t, db, preferences.Room{Number: "2102", Floor: 22, Bed: "king"})
	if got := floor(); got != 22 {
		t.Errorf("after the room moved, last stay's floor = %d, want 22", got)
	}
	stays, err := db.GuestStays(ctx, ding.ID)
	if err != nil || len(stays) != 1 || stays[0].Floor != 22 {
		t.Errorf("stays = %+v (%v), want one on floor 22, as the card", stays, err)
	}
}
