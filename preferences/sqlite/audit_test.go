package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/preferences/sqlite"
)

// Reads queued with RecordAccess are all written: more than a batch at once, on a
// flush, and what is still queued when the database closes.
func TestRecordAccessWritesEveryEntry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "regulars.db")
	open := func() *sqlite.DB {
		t.Helper()
		db, err := sqlite.Open(path, sqlite.Options{Secret: []byte("0123456789abcdef0123")})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	ctx := context.Background()
	reads := func(db *sqlite.DB, guestID string) int {
		t.Helper()
		entries, err := db.GuestAudit(ctx, guestID) // flushes the queue first
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range entries {
			if e.Action == preferences.ActionRead && e.Actor == desk.Name {
				n++
			}
		}
		return n
	}
	db := open()
	family := "丁"
	g, err := db.CreateGuest(ctx, desk, preferences.GuestFields{FamilyName: &family})
	if err != nil {
		t.Fatal(err)
	}
	const many = 70000 // more than a batch, more than may wait in the queue
	for range many {
		db.RecordAccess(ctx, desk, g.ID, preferences.ActionRead)
	}
	if got := reads(db, g.ID); got != many {
		t.Fatalf("after a flush %d reads are audited, want %d", got, many)
	}
	for range 7 {
		db.RecordAccess(ctx, desk, g.ID, preferences.ActionRead)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = open()
	defer db.Close()
	if got := reads(db, g.ID); got != many+7 {
		t.Fatalf("after closing %d reads are audited, want %d", got, many+7)
	}
}

// Reads of several guests written in one batch keep, for each guest, the order in which
// they were recorded (the batch is written in guest order).
func TestRecordAccessKeepsEachGuestsOrder(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, time.Date(2026, 5, 10, 8, 0, 0, 0, time.UTC))
	a, b := mustGuest(t, db, "丁", nil), mustGuest(t, db, "李", nil)
	for i := range 300 {
		g := []string{a.ID, b.ID}[i%3%2] // an uneven interleaving
		db.RecordAccess(ctx, preferences.Actor{Name: fmt.Sprintf("desk %03d", i), Role: preferences.RoleFrontDesk}, g, preferences.ActionRead)
	}
	for _, g := range []string{a.ID, b.ID} {
		entries, err := db.GuestAudit(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		var actors []string
		for _, e := range entries {
			if e.Action == preferences.ActionRead && strings.HasPrefix(e.Actor, "desk ") {
				actors = append(actors, e.Actor)
			}
		}
		if len(actors) < 100 || !slices.IsSorted(actors) {
			t.Errorf("guest %s: %d reads, in order %v", g, len(actors), slices.IsSorted(actors))
		}
	}
}
