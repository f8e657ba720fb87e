package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/preferences"
)

// openWriterTest opens a database in t.TempDir() with a table for the tests' changes.
func openWriterTest(t *testing.T) *DB { return openWriterTestClock(t, nil) }

// openWriterTestClock is openWriterTest with clock as the writer's clock (nil: the real
// one).
func openWriterTestClock(t *testing.T, clock clockwork.Clock) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "regulars.db"), Options{Secret: []byte("0123456789abcdef0123"), Location: time.UTC, clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// Prompt: a fake clock would hold it back for good.
	err = db.inTxPrompt(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.Exec(`CREATE TABLE writer_test (name TEXT PRIMARY KEY)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// insertName is a change that writes one row.
func insertName(name string) func(ctx context.Context, tx *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO writer_test (name) VALUES (?)`, name)
		return err
	}
}

// hasName reads through the read pool, as any reader would.
func hasName(t *testing.T, db *DB, name string) bool {
	t.Helper()
	var n int
	if err := db.read.QueryRow(`SELECT count(*) FROM writer_test WHERE name = ?`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// holdWriter starts a change that keeps the writer busy until release is called, so
// that the changes asked for meanwhile queue up. It returns once the writer runs it.
func holdWriter(t *testing.T, db *DB) (release func()) {
	t.Helper()
	running, hold := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		err := db.inTx(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
			close(running)
			<-hold
			return insertName(fmt.Sprintf("holder %p", hold))(ctx, tx)
		})
		if err != nil {
			t.Error(err)
		}
	}()
	<-running
	return func() { close(hold); wg.Wait() }
}

// waitQueued waits until n changes are queued for the writer.
func waitQueued(t *testing.T, db *DB, n int) {
	t.Helper()
	waitUntil(t, fmt.Sprintf("%d changes queued", n), func() bool { return len(db.writer.changes) >= n })
}

// waitUntil polls cond until it holds; the deadline only keeps a broken test from
// hanging.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain for %s", what)
		}
	}
}

// Changes asked for while the writer is busy share one commit, and each caller is
// answered only once its change is committed.
func TestConcurrentChangesShareCommits(t *testing.T) {
	db := openWriterTest(t)
	release := holdWriter(t, db)
	before := db.writer.commits.Load()
	const n = 100
	errs := make(chan error, n)
	for i := range n {
		name := fmt.Sprintf("g%d", i)
		go func() {
			err := db.inTx(context.Background(), insertName(name))
			if err == nil && !hasName(t, db, name) {
				err = fmt.Errorf("%s answered before its commit is visible", name)
			}
			errs <- err
		}()
	}
	waitQueued(t, db, n)
	release()
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	// One commit for the holder's group, one for the hundred queued behind it.
	if got := db.writer.commits.Load() - before; got != 2 {
		t.Fatalf("%d changes took %d commits, want 2", n+1, got)
	}
}

// A failing change among others is rolled back alone and gets its own error; the
// others in the same transaction commit.
func TestFailingChangeRollsBackAlone(t *testing.T) {
	db := openWriterTest(t)
	release := holdWriter(t, db)
	before := db.writer.commits.Load()
	refused := errors.New("refused")
	type result struct {
		name string
		err  error
	}
	results := make(chan result, 4)
	ask := func(name string, fn func(ctx context.Context, tx *sql.Tx) error) {
		go func() { results <- result{name, db.inTx(context.Background(), fn)} }()
	}
	ask("first", insertName("first"))
	waitQueued(t, db, 1)
	ask("failing", func(ctx context.Context, tx *sql.Tx) error {
		if err := insertName("failing")(ctx, tx); err != nil {
			return err
		}
		return refused // after writing: the write must be undone
	})
	waitQueued(t, db, 2)
	ask("duplicate", insertName("first")) // a constraint error inside the same transaction
	waitQueued(t, db, 3)
	ask("last", insertName("last"))
	waitQueued(t, db, 4)
	release()
	got := map[string]error{}
	for range 4 {
		r := <-results
		got[r.name] = r.err
	}
	if got["first"] != nil || got["last"] != nil {
		t.Fatalf("the good changes failed: %v", got)
	}
	if !errors.Is(got["failing"], refused) {
		t.Fatalf("the failing change got %v, want its own error", got["failing"])
	}
	if !isUnique(got["duplicate"]) {
		t.Fatalf("the duplicate got %v, want a unique violation", got["duplicate"])
	}
	if !hasName(t, db, "first") || !hasName(t, db, "last") || hasName(t, db, "failing") {
		t.Fatal("want first and last written and nothing of the failing change")
	}
	if n := db.writer.commits.Load() - before; n != 2 {
		t.Fatalf("%d commits, want 2 (the holder's, then the four queued behind it)", n)
	}
}

// A change whose ctx ends while it waits is skipped: its caller gets ctx's error and
// nothing of it is written.
func TestCancelledChangeIsSkipped(t *testing.T) {
	db := openWriterTest(t)
	release := holdWriter(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- db.inTx(ctx, insertName("cancelled")) }()
	waitQueued(t, db, 1)
	cancel()
	release()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if hasName(t, db, "cancelled") {
		t.Fatal("a cancelled change was written")
	}
}

// A change that breaks the shared transaction itself (here by ending it, as SQLite does
// when a write is interrupted) fails with those before it in the transaction, none of
// which is half-written; the changes after it run in a new transaction and commit.
func TestBrokenTransactionFailsWholeAndTheRestCommit(t *testing.T) {
	db := openWriterTest(t)
	release := holdWriter(t, db)
	type result struct {
		name string
		err  error
	}
	results := make(chan result, 3)
	ask := func(name string, fn func(ctx context.Context, tx *sql.Tx) error, queued int) {
		go func() { results <- result{name, db.inTx(context.Background(), fn)} }()
		waitQueued(t, db, queued)
	}
	ask("before", insertName("before"), 1)
	ask("breaker", func(ctx context.Context, tx *sql.Tx) error {
		if err := insertName("breaker")(ctx, tx); err != nil {
			return err
		}
		_, err := tx.Exec(`ROLLBACK`)
		return err
	}, 2)
	ask("after", insertName("after"), 3)
	release()
	got := map[string]error{}
	for range 3 {
		r := <-results
		got[r.name] = r.err
	}
	if got["before"] == nil || got["breaker"] == nil {
		t.Fatalf("want the changes of the broken transaction failed: %v", got)
	}
	if got["after"] != nil {
		t.Fatalf("the change after the broken transaction failed: %v", got["after"])
	}
	if hasName(t, db, "before") || hasName(t, db, "breaker") || !hasName(t, db, "after") {
		t.Fatal("want only the change after the broken transaction written")
	}
}

// The audit entries of reads go to the access log: recording and flushing them commits
// nothing to the main file, so its readers keep their page caches.
func TestReadAuditsLeaveTheMainFileAlone(t *testing.T) {
	db := openWriterTest(t)
	ctx := context.Background()
	actor := preferences.Actor{Name: "desk", Role: preferences.RoleFrontDesk}
	before := db.writer.commits.Load()
	for range 3 {
		db.RecordAccess(ctx, actor, "g_audited", preferences.ActionRead)
	}
	db.FlushAudit(ctx)
	if got := db.writer.commits.Load() - before; got != 0 {
		t.Fatalf("%d commits to the main file for reads, want 0", got)
	}
	if n := accessReads(t, db, "g_audited"); n != 3 {
		t.Fatalf("%d reads in the access log, want 3", n)
	}
	var n int
	if err := db.read.QueryRow(`SELECT count(*) FROM audit_log WHERE guest_id = 'g_audited'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d read entries in the main file (err %v), want 0", n, err)
	}
}

func accessReads(t *testing.T, db *DB, guestID string) int {
	t.Helper()
	var n int
	if err := db.access.read.QueryRow(`SELECT count(*) FROM guest_reads WHERE guest_id = ?`, guestID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Close commits what is queued; a change asked for afterwards fails at once.
func TestCloseCommitsQueuedChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "regulars.db")
	db, err := Open(path, Options{Secret: []byte("0123456789abcdef0123")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.Exec(`CREATE TABLE writer_test (name TEXT PRIMARY KEY)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db.RecordAccess(ctx, preferences.Actor{Name: "desk", Role: preferences.RoleFrontDesk}, "g_closing", preferences.ActionRead)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.inTx(ctx, insertName("late")); !errors.Is(err, errClosed) {
		t.Fatalf("a change after Close got %v, want errClosed", err)
	}
	db, err = Open(path, Options{Secret: []byte("0123456789abcdef0123")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := accessReads(t, db, "g_closing"); n != 1 {
		t.Fatalf("the entry queued before Close: %d rows, want 1", n)
	}
}

// A change whose caller gives up while it runs still runs to its end: its statements
// get the caller's ctx without the cancellation, so none is interrupted half-way
// through the shared transaction.
func TestChangeRunsToItsEndWhenItsCallerGivesUp(t *testing.T) {
	db := openWriterTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		cancel()
		_, err := tx.ExecContext(ctx, `INSERT INTO writer_test (name) VALUES ('given up')`)
		return err
	})
	if err != nil {
		t.Fatalf("the change got %v, want it committed", err)
	}
	if !hasName(t, db, "given up") {
		t.Fatal("the change was not written")
	}
}

// A busy writer (one that has just committed) holds a change back for groupLinger, so
// that changes asked for meanwhile share its commit; a prompt change is not held back,
// nor, after a few, one caller's changes one after another, nor a change on an idle
// writer. The writer's clock is a fake one that only the test moves: a change is held
// back while the writer waits on its timer.
func TestBusyWriterGathersChanges(t *testing.T) {
	clock := clockwork.NewFakeClock()
	db := openWriterTestClock(t, clock)
	ctx := context.Background()
	ask := func(name string, prompt bool) chan error {
		t.Helper()
		c := &change{ctx: ctx, fn: insertName(name), prompt: prompt}
		if err := db.enqueue(c); err != nil {
			t.Fatal(err)
		}
		return c.done
	}
	// heldBack waits for the change's answer or for the writer to wait on its timer:
	// while the clock stands still only one of them can come.
	heldBack := func(done chan error) bool {
		t.Helper()
		wctx, cancel := context.WithCancel(ctx)
		defer cancel()
		waiting := make(chan error, 1)
		go func() { waiting <- clock.BlockUntilContext(wctx, 1) }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			return false
		case <-waiting:
			return true
		}
	}
	atOnce := func(done chan error, what string) {
		t.Helper()
		if heldBack(done) {
			t.Fatalf("%s was held back", what)
		}
	}
	busy := func(round int) { // the writer commits a group of two prompt changes
		t.Helper()
		clock.Advance(busyWithin) // idle, so that the holder is not held back
		release := holdWriter(t, db)
		a, b := ask(fmt.Sprintf("a%d", round), true), ask(fmt.Sprintf("b%d", round), true)
		waitQueued(t, db, 2)
		release()
		atOnce(a, "a prompt change")
		atOnce(b, "a prompt change")
	}

	busy(1)
	before := db.writer.commits.Load()
	first := ask("first", false)
	if !heldBack(first) {
		t.Fatal("a busy writer committed a lone change at once")
	}
	clock.Advance(groupLinger - time.Nanosecond)
	second := ask("second", false)
	waitUntil(t, "the writer to take the second change", func() bool { return len(db.writer.changes) == 0 })
	clock.Advance(time.Nanosecond) // the linger is over
	atOnce(first, "the first change after the linger")
	atOnce(second, "the second change after the linger")
	if n := db.writer.commits.Load() - before; n != 1 {
		t.Errorf("two changes while busy took %d commits, want 1", n)
	}

	busy(2)
	atOnce(ask("prompt", true), "a prompt change on a busy writer")

	// One caller, one change after another: after loneGroups groups of one the writer
	// stops holding them back.
	busy(3)
	for i := range loneGroups {
		done := ask(fmt.Sprintf("lone%d", i), false)
		if !heldBack(done) {
			t.Fatalf("lone change %d of a busy writer was committed at once", i)
		}
		clock.Advance(groupLinger)
		atOnce(done, "a lone change after the linger")
	}
	for i := range 3 {
		atOnce(ask(fmt.Sprintf("run%d", i), false), "a change of a lone caller")
	}

	busy(4)
	clock.Advance(busyWithin)
	atOnce(ask("idle", false), "a change on an idle writer")
}
