package sqlite_test

import (
	"context"
	"testing"
	"time"

	"regulars/preferences"
)

// TestStayNightsCountHotelDates: a closed stay reports the nights actually stayed,
// counted in hotel dates (Asia/Shanghai), on every read; an open stay its planned nights.
func TestStayNightsCountHotelDates(t *testing.T) {
	shanghai := func(day, hour int) time.Time {
		return time.Date(2026, 5, day, hour, 0, 0, 0, time.FixedZone("CST", 8*3600)).UTC()
	}
	now := shanghai(1, 22)
	db := mustOpen(t, now)
	db.Now = func() time.Time { return now }
	ctx := context.Background()
	mustRooms(t, db, preferences.Room{Number: "2102", Floor: 21, Bed: "king"})
	g := mustGuest(t, db, "丁", nil)
	want := func(what string, s preferences.Stay, nights, planned int) {
		t.Helper()
		if s.Nights != nights || s.PlannedNights != planned {
			t.Errorf("%s: nights %d planned %d, want %d and %d", what, s.Nights, s.PlannedNights, nights, planned)
		}
	}
	onlyStay := func(what string, id string) preferences.Stay {
		t.Helper()
		stays, err := db.GuestStays(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stays {
			if s.ID == id {
				return s
			}
		}
		t.Fatalf("%s: stay %s not in %v", what, id, stays)
		return preferences.Stay{}
	}

	// Booked for 7 nights, arriving at 22:00 on 1 May, leaving at 07:00 on 3 May: 2 nights
	// (in UTC the check-out is still 2 May: only hotel dates count).
	early, err := db.CheckIn(ctx, desk, g.ID, "2102", 7)
	if err != nil {
		t.Fatal(err)
	}
	want("check-in", early, 7, 7)
	now = shanghai(2, 12)
	want("open stay the next day", onlyStay("open", early.ID), 7, 7)
	now = shanghai(3, 7)
	out, err := db.CheckOut(ctx, desk, early.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	want("check-out", out, 2, 7)
	want("stays list", onlyStay("closed", early.ID), 2, 7)
	r, err := db.Recognition(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.LastStay == nil {
		t.Fatal("no last stay on the card")
	}
	want("recognition last stay", *r.LastStay, 2, 7)

	// A day use: in at 07:00 and out at 10:00 on 10 May (9 and 10 May in UTC): 0 nights.
	now = shanghai(10, 7)
	day, err := db.CheckIn(ctx, desk, g.ID, "2102", 1)
	if err != nil {
		t.Fatal(err)
	}
	now = shanghai(10, 10)
	if out, err = db.CheckOut(ctx, desk, day.ID, ""); err != nil {
		t.Fatal(err)
	}
	want("day use", out, 0, 1)

	ex, err := db.ExportGuest(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	exported, _ := ex.Extra["stays"].([]map[string]any)
	if len(exported) != 2 {
		t.Fatalf("exported stays = %v", ex.Extra["stays"])
	}
	for i, w := range [][2]int{{2, 7}, {0, 1}} { // oldest first
		if exported[i]["nights"] != w[0] || exported[i]["planned_nights"] != w[1] {
			t.Errorf("exported stay %d = %v, want nights %d planned_nights %d", i, exported[i], w[0], w[1])
		}
	}
}
