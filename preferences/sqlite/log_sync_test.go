package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
)

// A change is answered only once the log's fsync after its commit has returned, and
// with that fsync's error; the writer meanwhile commits the next group.
func TestChangesWaitForTheLogSync(t *testing.T) {
	db := openWriterTest(t)
	release := make(chan error)
	started := make(chan struct{}, 8)
	db.writer.sync.sync = func() error {
		started <- struct{}{}
		return <-release
	}
	first := make(chan error, 1)
	go func() { first <- db.inTx(context.Background(), insertName("first")) }()
	<-started // the first group committed and its fsync is running
	before := db.writer.commits.Load()
	second := make(chan error, 1)
	go func() { second <- db.inTx(context.Background(), insertName("second")) }()
	// The writer does not wait for the fsync: it commits the second group and hands it
	// to logSync, whose fsync for the first still runs.
	waitUntil(t, "the second group committed while the first group's fsync runs", func() bool {
		return db.writer.commits.Load() > before && len(db.writer.sync.groups) == 1
	})
	select {
	case err := <-first:
		t.Fatalf("answered before its fsync returned: %v", err)
	case err := <-second:
		t.Fatalf("answered before any fsync after its commit: %v", err)
	default:
	}
	release <- nil
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	<-started // the second group's fsync
	disk := errors.New("disk on fire")
	release <- disk
	if err := <-second; !errors.Is(err, disk) {
		t.Fatalf("got %v, want the fsync's error", err)
	}
}

// The writer's own connection commits without an fsync (logSync does it); the pool's
// other connection, for writes outside the writer, keeps synchronous=FULL.
func TestOnlyTheWritersConnectionLeavesTheSyncToLogSync(t *testing.T) {
	db := openWriterTest(t)
	ctx := context.Background()
	if err := db.inTx(ctx, insertName("x")); err != nil { // the writer holds its connection now
		t.Fatal(err)
	}
	var mode int
	if err := db.write.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != 2 { // FULL
		t.Fatalf("synchronous = %d outside the writer, want 2 (FULL)", mode)
	}
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&mode)
	})
	if err != nil {
		t.Fatal(err)
	}
	if mode != 1 { // NORMAL
		t.Fatalf("synchronous = %d in the writer, want 1 (NORMAL)", mode)
	}
}

// inTxThen's function runs at the commit, before the fsync (so before the caller hears),
// and never for a change that failed.
func TestCommittedRunsAtTheCommit(t *testing.T) {
	db := openWriterTest(t)
	ctx := context.Background()
	release := make(chan error)
	db.writer.sync.sync = func() error { return <-release }
	ran := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- db.inTxThen(ctx, insertName("once"), func() { close(ran) }) }()
	<-ran
	select {
	case err := <-done:
		t.Fatalf("the caller heard (%v) before the fsync returned", err)
	default:
	}
	release <- nil
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	db.writer.sync.sync = db.writer.sync.syncWAL
	if err := db.inTxThen(ctx, insertName("once"), func() { t.Error("ran for a change that failed") }); err == nil {
		t.Fatal("a second row with the same name was written")
	}
}

// A database that cannot be in WAL mode (here in memory, whose journal is "memory") is
// refused at Open, naming the mode: the readers and logSync need the log.
func TestOpenNeedsWAL(t *testing.T) {
	db, err := Open(":memory:", Options{Secret: []byte("0123456789abcdef0123")})
	if err == nil {
		db.Close()
		t.Fatal("opened a database that is not in WAL mode")
	}
	if !strings.Contains(err.Error(), "WAL mode") || !strings.Contains(err.Error(), `"memory"`) {
		t.Fatalf("error %q does not say which mode", err)
	}
}
