package sqlite

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"regulars/preferences"
)

// busyWriter holds the writer in a change until the returned release is called, so that
// the changes written meanwhile wait for the next group.
func busyWriter(t *testing.T, db *DB) (release func(), finished <-chan error) {
	t.Helper()
	started, hold, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- db.Write(context.Background(), func(tx preferences.Tx) error {
			close(started)
			<-hold
			return tx.AppendAudit(context.Background(), auditOf("holder"))
		})
	}()
	<-started
	return func() { close(hold) }, done
}

func auditOf(guestID string) preferences.AuditEntry {
	return preferences.AuditEntry{At: time.Now(), Actor: "test", Role: preferences.RoleManager, Action: "test.write", GuestID: guestID}
}

// waitQueued waits until n changes wait for the next group.
func waitQueued(t *testing.T, db *DB, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); db.writer.queued() < n; runtime.Gosched() {
		if time.Now().After(deadline) {
			t.Fatalf("%d changes queued, want %d", db.writer.queued(), n)
		}
	}
}

func auditRows(t *testing.T, db *DB, guestID string) int {
	t.Helper()
	var n int
	if err := db.read.QueryRow(`SELECT count(*) FROM audit_log WHERE guest_id = ?`, guestID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Changes that arrive while a commit is under way share the next one; a change that
// fails is undone alone, and its caller gets its own error.
func TestChangesWaitingShareOneCommit(t *testing.T) {
	db := openTestDB(t, t.TempDir()+"/regulars.db")
	before := db.writer.groups.Load()
	release, held := busyWriter(t, db)
	refused := errors.New("refused by its use case")
	results := make(chan error, 5)
	for i := range 5 {
		go func() {
			results <- db.Write(context.Background(), func(tx preferences.Tx) error {
				if err := tx.AppendAudit(context.Background(), auditOf(fmt.Sprint("g", i))); err != nil {
					return err
				}
				if i == 2 {
					return refused
				}
				return nil
			})
		}()
	}
	waitQueued(t, db, 5)
	release()
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	failed := 0
	for range 5 {
		if err := <-results; err != nil {
			if !errors.Is(err, refused) {
				t.Fatalf("a change failed with %v", err)
			}
			failed++
		}
	}
	if failed != 1 {
		t.Fatalf("%d changes failed, want 1", failed)
	}
	if got := db.writer.groups.Load() - before; got != 2 {
		t.Errorf("%d transactions for the held change and the five waiting, want 2", got)
	}
	for i := range 5 {
		want := 1
		if i == 2 {
			want = 0
		}
		if got := auditRows(t, db, fmt.Sprint("g", i)); got != want {
			t.Errorf("change %d: %d rows, want %d", i, got, want)
		}
	}
}

// A caller that gives up while its change waits finds it not made.
func TestAChangeWhoseCallerLeftIsNotRun(t *testing.T) {
	db := openTestDB(t, t.TempDir()+"/regulars.db")
	release, held := busyWriter(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	go func() {
		result <- db.Write(ctx, func(tx preferences.Tx) error { return tx.AppendAudit(ctx, auditOf("gone")) })
	}()
	waitQueued(t, db, 1)
	cancel()
	release()
	<-held
	if err := <-result; !errors.Is(err, context.Canceled) {
		t.Fatalf("the left caller's change answered %v", err)
	}
	if n := auditRows(t, db, "gone"); n != 0 {
		t.Errorf("the left caller's change was made (%d rows)", n)
	}
}

// Closing runs the changes already waiting; a change after that is refused.
func TestCloseFinishesTheWaitingChanges(t *testing.T) {
	db := openTestDB(t, t.TempDir()+"/regulars.db")
	release, held := busyWriter(t, db)
	result := make(chan error, 1)
	go func() {
		result <- db.Write(context.Background(), func(tx preferences.Tx) error {
			return tx.AppendAudit(context.Background(), auditOf("last"))
		})
	}()
	waitQueued(t, db, 1)
	closed := make(chan struct{})
	go func() { db.writer.close(); close(closed) }()
	release()
	<-held
	if err := <-result; err != nil {
		t.Fatalf("the waiting change: %v", err)
	}
	<-closed
	if n := auditRows(t, db, "last"); n != 1 {
		t.Errorf("the waiting change left %d rows", n)
	}
	if err := db.Write(context.Background(), func(preferences.Tx) error { return nil }); !errors.Is(err, errWriterClosed) {
		t.Errorf("a change after closing: %v", err)
	}
}
