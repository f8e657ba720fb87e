package sqlite

import (
	"context"
	"database/sql"
	"errors"
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

func newGuest(family string) preferences.GuestFields {
	return preferences.GuestFields{FamilyName: &family}
}

// SQLite's own "database or disk is full" (here: the file may not grow past its pages)
// comes out of a write as EUNAVAILABLE storage-full, and nothing of it is stored.
func TestFullDiskIsStorageFull(t *testing.T) {
	db := openWriterTest(t)
	ctx := context.Background()
	var pages int
	if err := db.read.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	limit := func(n int) {
		err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `PRAGMA max_page_count = `+strconv.Itoa(n)) // the writer's connection
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	limit(pages)
	var err error
	stored := 0
	for ; stored < 1000 && err == nil; stored++ { // until a write needs a page more
		_, err = db.CreateGuest(ctx, preferences.Actor{Name: "test"}, newGuest("Full"))
	}
	wantReason(t, err, preferences.ReasonFull, "write past the disk's end")
	var n int
	if err := db.read.QueryRow(`SELECT count(*) FROM guests WHERE family_name = 'Full'`).Scan(&n); err != nil || n != stored-1 {
		t.Fatalf("%d guests stored of %d acknowledged (%v)", n, stored-1, err)
	}
	limit(1 << 30)
	if _, err := db.CreateGuest(ctx, preferences.Actor{Name: "test"}, newGuest("Room")); err != nil {
		t.Fatalf("with room again: %v", err)
	}
}

// Taking the write lock writes nothing, so after a write failed on the storage (here
// the log's fsync) Health reports it, probing with a real write, until one succeeds.
func TestHealthAfterAFailedWrite(t *testing.T) {
	db := openWriterTest(t)
	ctx := context.Background()
	if err := db.Health(ctx); err != nil {
		t.Fatal(err)
	}
	db.writer.sync.sync = func() error { return errors.New("fsync: input/output error") }
	if err := db.inTx(ctx, insertName("lost")); err == nil {
		t.Fatal("the write succeeded")
	}
	wantReason(t, db.Health(ctx), preferences.ReasonFailed, "after the failed write")
	wantReason(t, db.Health(ctx), preferences.ReasonFailed, "still failing")
	db.writer.sync.sync = db.writer.sync.syncWAL
	if err := db.Health(ctx); err != nil {
		t.Fatalf("the storage works again: %v", err)
	}
	if db.failing.Load() != nil {
		t.Error("the failure is still recorded")
	}
}
