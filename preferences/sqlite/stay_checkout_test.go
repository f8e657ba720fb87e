package sqlite_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"regulars/preferences"
)

// The stays CheckIn and CheckOut return (built without reading them back) are the stay
// as stored; a check-in of an unknown guest is ENOTFOUND and of one in house ECONFLICT.
func TestCheckOutReturnsTheStoredStay(t *testing.T) {
	ctx := context.Background()
	in := time.Date(2026, 5, 10, 6, 0, 0, 0, time.UTC)
	db := mustOpen(t, in)
	mustRooms(t, db, preferences.Room{Number: "2101", Floor: 21, Bed: "king"})
	g := mustGuest(t, db, "丁", nil)
	_, err := db.CheckIn(ctx, desk, "g_unknown", "2101", 2)
	wantCode(t, err, preferences.ENOTFOUND)
	s, err := db.CheckIn(ctx, desk, g.ID, "2101", 2)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := db.GuestStays(ctx, g.ID)
	if err != nil || len(stored) != 1 || !reflect.DeepEqual(s, stored[0]) {
		t.Fatalf("check-in returned %+v, stored %+v (%v)", s, stored, err)
	}
	_, err = db.CheckIn(ctx, desk, g.ID, "2101", 2)
	wantCode(t, err, preferences.ECONFLICT)
	db.Now = func() time.Time { return in.Add(49*time.Hour + 123456*time.Microsecond) }
	out, err := db.CheckOut(ctx, desk, s.ID, "1280.50")
	if err != nil {
		t.Fatal(err)
	}
	stays, err := db.GuestStays(ctx, g.ID)
	if err != nil || len(stays) != 1 {
		t.Fatalf("stays %+v, err %v", stays, err)
	}
	if out.FollowUps == nil || len(out.FollowUps) != 0 {
		t.Fatalf("follow-ups of a guest with none: %#v, want []", out.FollowUps)
	}
	out.FollowUps = stays[0].FollowUps
	if !reflect.DeepEqual(out, stays[0]) {
		t.Fatalf("check-out returned %+v, stored %+v", out, stays[0])
	}
	if out.Nights != 2 || out.Spend != "1280.50" || out.CheckOut == nil {
		t.Fatalf("check-out %+v", out)
	}
}

// Check-out lists the guest's open follow-ups (the guests row says whether there are
// any) and leaves out those done.
func TestCheckOutListsOpenFollowUps(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, time.Date(2026, 5, 10, 6, 0, 0, 0, time.UTC))
	mustRooms(t, db, preferences.Room{Number: "2101", Floor: 21, Bed: "king"})
	g := mustGuest(t, db, "丁", nil)
	mustFollowUp(t, db, g.ID, "call back")
	mustFollowUp(t, db, g.ID, "send flowers")
	card, err := db.Recognition(ctx, g.ID)
	if err != nil || len(card.FollowUps) != 2 {
		t.Fatalf("card follow-ups %+v, %v", card.FollowUps, err)
	}
	done := card.FollowUps[0]
	if done.Text != "call back" {
		done = card.FollowUps[1] // created at the same time: ordered by their ids
	}
	if _, err := db.FollowUpDone(ctx, desk, done.ID); err != nil {
		t.Fatal(err)
	}
	s, err := db.CheckIn(ctx, desk, g.ID, "2101", 1)
	if err != nil {
		t.Fatal(err)
	}
	out, err := db.CheckOut(ctx, desk, s.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(out.FollowUps) != 1 || out.FollowUps[0].Text != "send flowers" {
		t.Fatalf("check-out follow-ups %+v, want [send flowers]", out.FollowUps)
	}
}
