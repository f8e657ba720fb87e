package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"regulars/preferences"
)

// The writer is the one goroutine that writes: every change (inTx) and the audit entries
// of reads (RecordAccess) go through it. It takes all the changes waiting and the queued
// audit entries, runs them in one transaction, each change inside its own savepoint,
// commits once (one fsync for the group) and then answers each caller. While it commits,
// the next changes queue up and form the next group, so under load the writes share
// their fsyncs and readers see fewer commits (each commit in WAL mode makes every reader
// connection drop its page cache).

const (
	// groupMax bounds how many changes share one transaction.
	groupMax = 256
	// auditBatch bounds how many audit entries share one transaction.
	auditBatch = 4096
	// auditDelay is how long a read's audit entry may wait for others (or for a change)
	// to share its commit. Committing as fast as entries arrive made every read of a
	// busy desk slower.
	auditDelay = 100 * time.Millisecond
)

// errClosed answers a change asked for after Close.
var errClosed = errors.New("sqlite: the database is closed")

// change is one caller's transaction body waiting for the writer.
type change struct {
	ctx  context.Context
	fn   func(tx *sql.Tx) error
	done chan error // buffered: the writer never waits for the caller
}

type writer struct {
	db      *DB
	changes chan *change
	audit   chan preferences.AuditEntry
	flush   chan chan struct{}
	mu      sync.RWMutex // held for reading while queueing, so that none queues after close
	closed  bool
	stop    chan struct{} // closed by close: finish what is queued and return
	done    chan struct{} // closed when run has returned
	commits atomic.Uint64 // transactions committed, for tests
}

func newWriter(db *DB) *writer {
	w := &writer{
		db:      db,
		changes: make(chan *change, groupMax),
		audit:   make(chan preferences.AuditEntry, 4*auditBatch),
		flush:   make(chan chan struct{}),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	go w.run()
	return w
}

// inTx runs fn in a write transaction and returns once its effects are durable
// (committed) or undone: fn's error, or the commit's. fn shares the transaction with
// other callers' changes, inside a savepoint of its own: when it returns an error only
// its own writes are rolled back. A ctx done before the writer reaches the change skips
// it. fn runs on the writer goroutine: it must use only tx for writes, never call inTx
// or use db.write (that would wait for the writer forever); TestNoChangeWaitsForTheWriter
// checks this. Caches that depend on the change are bumped by the caller after inTx
// returns, that is after the commit.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c := &change{ctx: ctx, fn: fn, done: make(chan error, 1)}
	w := db.writer
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return errClosed
	}
	select {
	case w.changes <- c:
		w.mu.RUnlock()
	case <-ctx.Done():
		w.mu.RUnlock()
		return ctx.Err()
	}
	// Once queued the change may be running: wait for its outcome whatever ctx does.
	return <-c.done
}

// inChange returns the context for the statements of a change: one that is never
// cancelled, so that a statement is not interrupted half-way through the shared
// transaction (SQLite would roll the whole group back) and go-sqlite3 runs it without a
// goroutine watching ctx. The writer skips a change whose ctx ended before it started.
func inChange(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// queueAudit hands a read's audit entry to the writer (dropped after Close).
func (w *writer) queueAudit(e preferences.AuditEntry) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if !w.closed {
		w.audit <- e
	}
}

// flushAudit waits until every audit entry queued before it is committed.
func (w *writer) flushAudit(ctx context.Context) {
	done := make(chan struct{})
	select {
	case w.flush <- done:
		<-done
	case <-w.stop:
		<-w.done
	case <-ctx.Done():
	}
}

func (w *writer) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	close(w.stop)
	<-w.done
}

func (w *writer) run() {
	defer close(w.done)
	var (
		audit   []preferences.AuditEntry
		changes []*change
		flushes []chan struct{}
		timer   = time.NewTimer(time.Hour)
		timeout <-chan time.Time // the oldest waiting audit entry's deadline; nil when none
	)
	timer.Stop()
	for {
		now := false // commit now rather than wait for more audit entries
		select {
		case c := <-w.changes:
			changes, now = append(changes, c), true
		case e := <-w.audit:
			audit = append(audit, e)
		case f := <-w.flush:
			flushes, now = append(flushes, f), true
		case <-timeout:
			timeout, now = nil, true
		case <-w.stop:
			// Close: what was queued before is written; later callers get errClosed.
			changes = w.drainChanges(changes, -1)
			audit = w.drainAudit(audit)
			for len(changes) > 0 || len(audit) > 0 {
				changes, audit = w.commit(changes, audit)
			}
			for _, f := range flushes {
				close(f)
			}
			return
		}
		audit = w.drainAudit(audit)
		if !now && len(audit) < auditBatch {
			if timeout == nil {
				timer.Reset(auditDelay)
				timeout = timer.C
			}
			continue
		}
		changes = w.drainChanges(changes, groupMax)
		for {
			changes, audit = w.commit(changes, audit)
			if len(changes) == 0 && len(audit) < auditBatch {
				break
			}
		}
		for _, f := range flushes {
			close(f)
		}
		flushes = flushes[:0]
		switch {
		case len(audit) == 0 && timeout != nil:
			timer.Stop()
			timeout = nil
		case len(audit) > 0 && timeout == nil:
			timer.Reset(auditDelay)
			timeout = timer.C
		}
	}
}

// drainChanges appends the changes queued now, up to max in all (max < 0: every one).
func (w *writer) drainChanges(changes []*change, max int) []*change {
	for max < 0 || len(changes) < max {
		select {
		case c := <-w.changes:
			changes = append(changes, c)
		default:
			return changes
		}
	}
	return changes
}

// drainAudit appends the audit entries queued now.
func (w *writer) drainAudit(audit []preferences.AuditEntry) []preferences.AuditEntry {
	for n := len(w.audit); n > 0; n-- {
		audit = append(audit, <-w.audit)
	}
	return audit
}

// commit runs up to groupMax changes and up to auditBatch audit entries in one
// transaction and answers the changes it ran. It returns what is left for the next
// transaction: the changes beyond groupMax, and those after a change that broke the
// transaction (SQLite rolls the whole transaction back on an interrupted write, for
// example when a caller's ctx ends mid-statement); the audit entries not written.
func (w *writer) commit(changes []*change, audit []preferences.AuditEntry) (restChanges []*change, restAudit []preferences.AuditEntry) {
	group := changes[:min(len(changes), groupMax)]
	entries := audit[:min(len(audit), auditBatch)]
	tx, err := w.db.write.BeginTx(context.Background(), nil)
	if err != nil {
		for _, c := range group {
			c.done <- err
		}
		w.db.log.Error("sqlite: begin a write transaction", "changes", len(group), "audit_entries", len(entries), "err", err)
		return changes[len(group):], audit[len(entries):]
	}
	var ok []*change // changes whose savepoint was released, waiting for the commit
	for i, c := range group {
		err, broken := runChange(tx, c)
		if broken != nil {
			// The transaction is gone: nothing of it will commit. This change gets its
			// error; those before it fail (they were not written); the rest run again.
			tx.Rollback()
			c.done <- errors.Join(err, broken)
			for _, o := range ok {
				o.done <- fmt.Errorf("sqlite: not written, a change in the same transaction broke it: %w", broken)
			}
			rest := append(group[i+1:len(group):len(group)], changes[len(group):]...)
			return rest, audit
		}
		if err != nil {
			c.done <- err
			continue
		}
		ok = append(ok, c)
	}
	if err := w.writeAudit(tx, entries); err != nil {
		w.db.log.Error("audit: write batch", "entries", len(entries), "err", err)
	}
	err = tx.Commit()
	if err == nil {
		w.commits.Add(1)
	} else {
		w.db.log.Error("sqlite: commit", "changes", len(ok), "audit_entries", len(entries), "err", err)
	}
	for _, c := range ok {
		c.done <- err
	}
	return changes[len(group):], audit[len(entries):]
}

// runChange runs one change inside its own savepoint. err is the change's own outcome
// (its savepoint rolled back when not nil); broken is not nil when the savepoint could
// not be released or rolled back, that is when the transaction itself is gone.
func runChange(tx *sql.Tx, c *change) (err, broken error) {
	if err := c.ctx.Err(); err != nil {
		return err, nil
	}
	bg := context.Background()
	if _, err := tx.ExecContext(bg, `SAVEPOINT change`); err != nil {
		return err, err
	}
	if err = c.fn(tx); err != nil {
		if _, broken = tx.ExecContext(bg, `ROLLBACK TO change`); broken != nil {
			return err, broken
		}
	}
	_, broken = tx.ExecContext(bg, `RELEASE change`)
	return err, broken
}

// writeAudit inserts the audit entries inside tx, in a savepoint: when one fails the
// entries are lost (and logged) but the changes sharing the transaction are not.
func (w *writer) writeAudit(tx *sql.Tx, batch []preferences.AuditEntry) error {
	if len(batch) == 0 {
		return nil
	}
	ctx := context.Background()
	// In guest order the index inserts walk the audit_log_guest B-tree forwards; each
	// guest's entries keep their order, which is all GuestAudit relies on.
	sort.SliceStable(batch, func(i, j int) bool { return batch[i].GuestID < batch[j].GuestID })
	err, broken := runChange(tx, &change{ctx: ctx, fn: func(tx *sql.Tx) error {
		// Whole groups go auditRowsPerInsert to a statement and the rest one by one, so
		// that two statement texts serve every batch (the connection caches 64 prepared
		// statements; one text for every remainder length would push the others out).
		rows := make([]any, 0, auditRowsPerInsert*auditColumns)
		for _, e := range batch {
			at := e.At.UTC().Format(TimeLayout)
			if isBoardRead(e) {
				if _, err := tx.ExecContext(ctx, insertBoardRead, at, e.Actor, string(e.Role)); err != nil {
					return err
				}
				continue
			}
			rows = append(rows, at, e.Actor, string(e.Role), e.Action, e.GuestID, "")
			if len(rows) == cap(rows) {
				if _, err := tx.ExecContext(ctx, auditInsertMany, rows...); err != nil {
					return err
				}
				rows = rows[:0]
			}
		}
		for ; len(rows) > 0; rows = rows[auditColumns:] {
			if _, err := tx.ExecContext(ctx, insertAuditEntry, rows[:auditColumns]...); err != nil {
				return err
			}
		}
		return nil
	}})
	return errors.Join(err, broken)
}

// auditRowsPerInsert is how many read entries one INSERT statement writes: one statement
// for many rows saves a round trip through database/sql and cgo per row.
const (
	auditRowsPerInsert = 64
	auditColumns       = 6 // of insertAuditEntry
)

var auditInsertMany = `INSERT INTO audit_log (at, actor, role, action, guest_id, detail) VALUES ` +
	strings.TrimSuffix(strings.Repeat(`(?, ?, ?, ?, ?, ?), `, auditRowsPerInsert), ", ")
