package sqlite

import (
	"context"
	"errors"
	sqlite3 "github.com/mattn/go-sqlite3"
	"strconv"
	"strings"
	"testing"

	"regulars/preferences"
)

func wantReason(t *testing.T, err error, reason, step string) {
	t.Helper()
	var de *preferences.Error
	if !errors.As(err, &de) || de.Code != preferences.EUNAVAILABLE || de.Reason != reason {
		t.Fatalf("%s: %v, want EUNAVAILABLE %s", step, err, reason)
	}
	if strings.Contains(de.Message, "/") {
		t.Errorf("%s: the message names a file: %q", step, de.Message)
	}
}

// SQLite's own "database or disk is full" (here: the file may not grow past its pages)
// comes out of a write as EUNAVAILABLE storage-full, and nothing of it is stored.
func TestFullDiskIsStorageFull(t *testing.T) {
	db := openWriterTest(t)
	svc := serviceOn(t, db)
	ctx := context.Background()
	var pages int
	if err := db.read.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	limit := func(n int) {
		if _, err := db.write.Exec(`PRAGMA max_page_count = ` + strconv.Itoa(n)); err != nil { // the writing connection
			t.Fatal(err)
		}
	}
	limit(pages)
	var err error
	stored := 0
	for ; stored < 1000 && err == nil; stored++ { // until a write needs a page more
		_, err = svc.CreateGuest(ctx, testDesk, newGuest("Full"))
	}
	wantReason(t, err, preferences.ReasonFull, "write past the disk's end")
	var n int
	if err := db.read.QueryRow(`SELECT count(*) FROM guests WHERE family_name = 'Full'`).Scan(&n); err != nil || n != stored-1 {
		t.Fatalf("%d guests stored of %d acknowledged (%v)", n, stored-1, err)
	}
	limit(1 << 30)
	if _, err := svc.CreateGuest(ctx, testDesk, newGuest("Room")); err != nil {
		t.Fatalf("with room again: %v", err)
	}
}

// A write that failed on the storage is remembered: Health then probes with a real
// write (taking the lock writes nothing) and forgets the failure once one succeeds.
func TestHealthAfterAFailedWrite(t *testing.T) {
	db := openWriterTest(t)
	ctx := context.Background()
	if err := db.Health(ctx); err != nil {
		t.Fatal(err)
	}
	db.noteWrite(sqlite3.Error{Code: sqlite3.ErrIoErr})
	if db.failing.Load() == nil {
		t.Fatal("the failed write is not remembered")
	}
	if err := db.Health(ctx); err != nil {
		t.Fatalf("the storage works again: %v", err)
	}
	if db.failing.Load() != nil {
		t.Error("the failure is still recorded after a write succeeded")
	}
}
