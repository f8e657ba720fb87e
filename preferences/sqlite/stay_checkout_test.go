package sqlite_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"regulars/preferences"
)

// The stay CheckOut returns (built without reading it back) is the stay as stored; a
// check-in of an unknown guest is ENOTFOUND and of one in house ECONFLICT.
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
	out.FollowUps = stays[0].FollowUps
	if !reflect.DeepEqual(out, stays[0]) {
		t.Fatalf("check-out returned %+v, stored %+v", out, stays[0])
	}
	if out.Nights != 2 || out.Spend != "1280.50" || out.CheckOut == nil {
		t.Fatalf("check-out %+v", out)
	}
}
