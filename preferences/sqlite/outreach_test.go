package sqlite_test

import (
	"context"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/preferences/sqlite"
)

// The last check-out per guest follows check-outs (trigger on update) and imported
// stays (trigger on insert), never going back to an older one; the lapse selection
// finds the guest through it.
func TestLastCheckOutKeptByTriggers(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 5, 12, 3, 0, 0, 0, time.UTC)
	db := mustOpen(t, now)
	if _, err := db.PutRoom(ctx, preferences.Actor{Name: "m", Role: preferences.RoleManager}, preferences.Room{Number: "801", Floor: 8, Bed: "king"}); err != nil {
		t.Fatal(err)
	}
	yes, email := true, "ding@example.cn"
	family := "丁"
	g, err := db.CreateGuest(ctx, desk, preferences.GuestFields{FamilyName: &family, Email: &email, MarketingConsent: &yes})
	if err != nil {
		t.Fatal(err)
	}
	lapse := func(from, to time.Time) []preferences.OutreachCandidate {
		t.Helper()
		c, err := db.LapseCandidates(ctx, from, to, "2026-05-12")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	stay, err := db.CheckIn(ctx, desk, g.ID, "801", 2)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := db.OutreachCandidate(ctx, preferences.OutreachLapse, g.ID, "2026-05-12"); !c.InHouse || c.LastCheckOut != nil {
		t.Fatalf("in house: %+v", c)
	}
	if _, err := db.CheckOut(ctx, desk, stay.ID, ""); err != nil {
		t.Fatal(err)
	}
	c := lapse(now.Add(-time.Hour), now.Add(time.Hour))
	if len(c) != 1 || c[0].InHouse || c[0].LastCheckOut == nil || !c[0].LastCheckOut.Equal(now) {
		t.Fatalf("after check-out: %+v", c)
	}
	// An older stay imported afterwards does not move it back.
	old := now.AddDate(-3, 0, 0)
	if err := db.RecordPastStay(ctx, sqlite.PastStay{GuestID: g.ID, Room: "801", CheckIn: old.AddDate(0, 0, -2), CheckOut: old, Nights: 2}); err != nil {
		t.Fatal(err)
	}
	if c := lapse(old.Add(-time.Hour), old.Add(time.Hour)); len(c) != 0 {
		t.Fatalf("older stay became the last check-out: %+v", c)
	}
	if c := lapse(now.Add(-time.Hour), now.Add(time.Hour)); len(c) != 1 {
		t.Fatalf("last check-out lost: %+v", c)
	}
}
