package sqlite_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/preferences/sqlite"
)

// TestBoardReadsInGuestAudit: one entry per board read, shown in the audit of every
// guest in house at the time and of nobody else.
func TestBoardReadsInGuestAudit(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 5, 10, 8, 0, 0, 0, time.UTC)
	db := mustOpen(t, now)
	db.Now = func() time.Time { return now }
	mustRooms(t, db, preferences.Room{Number: "2101", Floor: 21, Bed: "king"}, preferences.Room{Number: "2102", Floor: 21, Bed: "king"})
	in, later, never := mustGuest(t, db, "丁", nil), mustGuest(t, db, "李", nil), mustGuest(t, db, "王", nil)
	hk := preferences.Actor{Name: "hk", Role: preferences.RoleHousekeeping}
	readBoard := func() {
		now = now.Add(time.Minute)
		db.RecordAccess(ctx, hk, "", preferences.ActionBoardRead)
		now = now.Add(time.Minute)
	}
	stay, err := db.CheckIn(ctx, desk, in.ID, "2101", 2)
	if err != nil {
		t.Fatal(err)
	}
	readBoard() // in house: in
	if _, err := db.CheckOut(ctx, desk, stay.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CheckIn(ctx, desk, later.ID, "2102", 2); err != nil {
		t.Fatal(err)
	}
	readBoard() // in house: later
	readBoard()
	db.FlushAudit(ctx)
	count := func(g preferences.Guest) int {
		t.Helper()
		entries, err := db.GuestAudit(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range entries {
			if e.Action == preferences.ActionBoardRead {
				if e.Actor != "hk" || e.Role != preferences.RoleHousekeeping {
					t.Errorf("board read entry %+v", e)
				}
				n++
			}
		}
		return n
	}
	if got := [3]int{count(in), count(later), count(never)}; got != [3]int{1, 2, 0} {
		t.Errorf("board reads in the audits of in, later, never = %v, want [1 2 0]", got)
	}
}

// A database from before the access log kept reads in its own audit_log and
// board_reads: GuestAudit still shows them, beside the reads in the access log.
func TestGuestAuditShowsReadsKeptInTheMainFile(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 5, 10, 8, 0, 0, 0, time.UTC)
	db := mustOpen(t, now)
	db.Now = func() time.Time { return now }
	mustRooms(t, db, preferences.Room{Number: "2101", Floor: 21, Bed: "king"})
	g := mustGuest(t, db, "丁", nil)
	if _, err := db.CheckIn(ctx, desk, g.ID, "2101", 2); err != nil {
		t.Fatal(err)
	}
	old := now.Add(time.Minute).Format(sqlite.TimeLayout)
	if _, err := db.Writer().Exec(`INSERT INTO audit_log (at, actor, role, action, guest_id) VALUES (?, 'old desk', 'frontdesk', ?, ?)`,
		old, preferences.ActionRead, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer().Exec(`INSERT INTO board_reads (at, actor, role) VALUES (?, 'old hk', 'housekeeping')`, old); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute)
	db.RecordAccess(ctx, desk, g.ID, preferences.ActionRead)
	db.RecordAccess(ctx, preferences.Actor{Name: "hk", Role: preferences.RoleHousekeeping}, "", preferences.ActionBoardRead)
	entries, err := db.GuestAudit(ctx, g.ID) // flushes the access log first
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e.Action == preferences.ActionRead || e.Action == preferences.ActionBoardRead {
			got = append(got, e.Actor+" "+e.Action)
		}
	}
	want := []string{"old desk " + preferences.ActionRead, "old hk " + preferences.ActionBoardRead,
		desk.Name + " " + preferences.ActionRead, "hk " + preferences.ActionBoardRead}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("reads in the audit:\n got %q\nwant %q", got, want)
	}
}
