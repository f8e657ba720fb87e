package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/preferences/sqlite"
)

// A check-in and check-out through another handle on the same file (as another process
// would do them) show at once in the cached free rooms and board of this one.
func TestCachedReadsFollowAnotherProcess(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "regulars.db")
	open := func() *sqlite.DB {
		db, err := sqlite.Open(path, sqlite.Options{Secret: []byte("0123456789abcdef0123"), Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	db, other := open(), open()
	mustRooms(t, db, preferences.Room{Number: "2101", Floor: 21, Bed: "king"}, preferences.Room{Number: "2102", Floor: 21, Bed: "king"})
	g, li := mustGuest(t, db, "丁", nil), mustGuest(t, db, "李", nil)
	state := func() (int, int) {
		t.Helper()
		r, err := db.Recognition(ctx, li.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.HousekeepingBoard(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(r.SuggestedRooms), len(b)
	}
	if free, board := state(); free != 2 || board != 0 {
		t.Fatalf("before: %d free, %d on the board", free, board)
	}
	stay, err := other.CheckIn(ctx, desk, g.ID, "2101", 2)
	if err != nil {
		t.Fatal(err)
	}
	if free, board := state(); free != 1 || board != 1 {
		t.Fatalf("after the other's check-in: %d free, %d on the board", free, board)
	}
	if _, err := other.CheckOut(ctx, desk, stay.ID, ""); err != nil {
		t.Fatal(err)
	}
	if free, board := state(); free != 2 || board != 0 {
		t.Fatalf("after the other's check-out: %d free, %d on the board", free, board)
	}
	// A room the other added is not in this one's cached rooms: its guest shows on
	// floor 0, first on the board, until this process's rooms change.
	mustRooms(t, other, preferences.Room{Number: "305", Floor: 3, Bed: "twin"})
	if _, err := other.CheckIn(ctx, desk, g.ID, "305", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := other.CheckIn(ctx, desk, li.ID, "2102", 1); err != nil {
		t.Fatal(err)
	}
	b, err := db.HousekeepingBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 2 || b[0].Room != "305" || b[0].Floor != 0 || b[1].Room != "2102" || b[1].Floor != 21 {
		t.Errorf("board with a room added elsewhere: %+v", b)
	}
}
