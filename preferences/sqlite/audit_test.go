package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

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
