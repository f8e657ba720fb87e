package sqlite

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"regulars/preferences"
)

var testManager = preferences.Actor{Name: "boss", Role: preferences.RoleManager}

// erasableGuest creates a guest whose name and preferences (set twice) hold sentinel.
func erasableGuest(t *testing.T, db *DB, sentinel string) string {
	t.Helper()
	ctx := context.Background()
	name := sentinel + "-family"
	g, err := db.CreateGuest(ctx, testDesk, preferences.GuestFields{FamilyName: &name})
	if err != nil {
		t.Fatal(err)
	}
	for _, notes := range []string{sentinel + "-old", sentinel + "-new"} {
		if _, err := db.SetPreferences(ctx, testDesk, g.ID, preferences.Preferences{Notes: notes}, []string{preferences.SectionNotes}); err != nil {
			t.Fatal(err)
		}
	}
	return g.ID
}

// erasureFixture opens a store with a guest to erase, whose values hold sentinel (found
// in the files), and n other guests.
func erasureFixture(t *testing.T, sentinel string, n int) (db *DB, path, id string, others []string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "regulars.db")
	db = openTestDB(t, path)
	id = erasableGuest(t, db, sentinel)
	for i := range n {
		others = append(others, erasableGuest(t, db, fmt.Sprintf("other%d", i)))
	}
	if len(filesHolding(t, path, sentinel)) == 0 {
		t.Fatal("the sentinel is in no file before the erasure")
	}
	return db, path, id, others
}

// filesHolding names the files of the database at path (itself, its log) that hold s.
func filesHolding(t *testing.T, path, s string) []string {
	t.Helper()
	var out []string
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(s)) {
			out = append(out, filepath.Base(p))
		}
	}
	return out
}

// waitUntilGone polls until no file of the database holds s, for at most a few retries
// of the checkpointer.
func waitUntilGone(t *testing.T, path, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * truncateRetry)
	for {
		files := filesHolding(t, path, s)
		if len(files) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q is still in %v after %v", s, files, 10*truncateRetry)
		}
		time.Sleep(truncateRetry / 10)
	}
}

// TestEraseUnderLoad erases a guest while other guests are written and read without a
// pause: the erasure and the writes around it go on, and the guest's values leave the
// database file and its log (at once, or at one of the checkpointer's retries).
func TestEraseUnderLoad(t *testing.T) {
	const sentinel = "Quenthrax"
	db, path, id, others := erasureFixture(t, sentinel, 8)
	ctx := context.Background()

	var (
		stop     atomic.Bool
		wg       sync.WaitGroup
		slowest  atomic.Int64 // the slowest write, ns
		writes   atomic.Int64
		loadErrs = make(chan error, 8)
	)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				g := others[(w*2+i)%len(others)]
				start := time.Now()
				notes := fmt.Sprintf("note %d of writer %d", i, w)
				_, err := db.SetPreferences(ctx, testDesk, g, preferences.Preferences{Notes: notes}, []string{preferences.SectionNotes})
				if err == nil {
					_, err = db.Guest(ctx, others[(w+i)%len(others)])
				}
				if err != nil {
					loadErrs <- err
					return
				}
				d := int64(time.Since(start))
				for old := slowest.Load(); d > old && !slowest.CompareAndSwap(old, d); old = slowest.Load() {
				}
				writes.Add(1)
			}
		}()
	}
	for writes.Load() < 100 && len(loadErrs) == 0 {
		time.Sleep(time.Millisecond) // until the load is running
	}
	start := time.Now()
	if err := db.EraseGuest(ctx, testManager, id); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	before := writes.Load()
	for writes.Load() < before+100 && len(loadErrs) == 0 {
		time.Sleep(time.Millisecond) // writes go on after the erasure
	}
	stop.Store(true)
	wg.Wait()
	close(loadErrs)
	for err := range loadErrs {
		t.Fatal(err)
	}
	t.Logf("erasure under load: %v; %d writes, the slowest %v", took, writes.Load(), time.Duration(slowest.Load()))
	waitUntilGone(t, path, sentinel)
}

// TestEraseWhileAReaderHoldsTheLog: a read transaction begun before the erasure keeps
// the log from being emptied. The erasure still returns at once, writes go on, and once
// the reader ends the checkpointer empties the log.
func TestEraseWhileAReaderHoldsTheLog(t *testing.T) {
	const sentinel = "Morvalisk"
	db, path, id, others := erasureFixture(t, sentinel, 1)
	other := others[0]
	ctx := context.Background()

	// A query half-way through its rows reads one snapshot until it is closed.
	reader, err := db.read.QueryContext(ctx, `SELECT id FROM guests`)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	if !reader.Next() {
		t.Fatal(reader.Err())
	}
	start := time.Now()
	if err := db.EraseGuest(ctx, testManager, id); err != nil {
		t.Fatal(err)
	}
	t.Logf("erasure with a reader holding the log: %v", time.Since(start))
	if _, err := db.SetPreferences(ctx, testDesk, other, preferences.Preferences{Notes: "after"}, []string{preferences.SectionNotes}); err != nil {
		t.Fatal(err)
	}
	if files := filesHolding(t, path, sentinel); len(files) == 0 {
		t.Fatal("the log was emptied although a reader held a snapshot from before the erasure")
	}
	if err := reader.Close(); err != nil {
		t.Fatal(err)
	}
	waitUntilGone(t, path, sentinel)
}
