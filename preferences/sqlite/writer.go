package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
)

// The writer is the one goroutine that writes changes (inTx): it takes all the changes
// waiting, runs them in one transaction, each inside its own savepoint, and commits once;
// logSync answers each caller once an fsync of the log has made the commit durable (one
// fsync for the groups committed meanwhile), while the writer runs the next group. While
// it commits, the next changes queue up and form the next group, so under load the
// writes share their commits and fsyncs, and readers see fewer commits (each commit in
// WAL mode makes every reader connection drop its page cache). The audit entries of
// reads go to the access log instead (access_log.go).

// groupMax bounds how many changes share one transaction.
const groupMax = 256

// Under a burst of writes (the writer committed within busyWithin) the writer holds a
// group back until its oldest change has waited groupLinger, so that more changes join
// it, as PostgreSQL's commit_delay does when other transactions are active. Changes
// that queued during the previous commit have waited already and go at once. Groups of
// one or two changes became groups of several, and every commit saved is an fsync and
// a page-cache reset for each reader. An idle writer commits at once, and so does a
// group with a prompt change (inTxPrompt): a caller that waits for each commit before
// its next step, as each outbox connection does, would lose the wait each step. A
// caller writing alone, one change after another, would lose it too: after
// loneGroups transactions of one change in a row the writer stops holding groups back
// until a group of several shows that others write at the same time.
const (
	groupLinger = 2 * time.Millisecond
	busyWithin  = 10 * time.Millisecond
	loneGroups  = 4
)

// errClosed answers a change asked for after Close.
var errClosed = errors.New("sqlite: the database is closed")

// change is one caller's transaction body waiting for the writer.
type change struct {
	ctx  context.Context
	fn   func(ctx context.Context, tx *sql.Tx) error
	done chan error // buffered: the writer never waits for the caller
	// prompt: the writer does not hold the group back for more changes (see groupLinger)
	prompt bool
	queued time.Time
	// committed, when set, runs on the writer right after the commit that includes the
	// change (before its fsync; never when the change or the commit failed)
	committed func()
}

type writer struct {
	db      *DB
	conn    *sql.Conn // the writer's own connection, synchronous=NORMAL (see logSync)
	sync    *logSync
	changes chan *change
	mu      sync.RWMutex // held for reading while queueing, so that none queues after close
	closed  bool
	stop    chan struct{}   // closed by close: finish what is queued and return
	done    chan struct{}   // closed when run has returned
	commits atomic.Uint64   // transactions committed, for tests
	clock   clockwork.Clock // times the group commit; tests use a fake one
}

func newWriter(db *DB, path string, clock clockwork.Clock) *writer {
	w := &writer{
		db:      db,
		sync:    newLogSync(path, db.log, db.noteWrite),
		changes: make(chan *change, groupMax),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
		clock:   clock,
	}
	go w.run()
	return w
}

// inTx runs fn in a write transaction and returns once its effects are durable
// (committed) or undone: fn's error, or the commit's. fn shares the transaction with
// other callers' changes, inside a savepoint of its own: when it returns an error only
// its own writes are rolled back. A ctx done before the writer reaches the change skips
// it; once started, fn gets ctx without its cancellation, so that no statement is
// interrupted half-way through the shared transaction (SQLite would roll the whole group
// back) and go-sqlite3 runs each without a goroutine watching ctx: fn must use that ctx
// for its statements. fn runs on the writer goroutine: it must use only tx for writes, never call inTx
// or use db.write (that would wait for the writer forever); TestNoChangeWaitsForTheWriter
// checks this. Caches that depend on the change are bumped by the caller after inTx
// returns, that is after the commit (or at the commit, with inTxThen).
func (db *DB) inTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return db.queueChange(&change{ctx: ctx, fn: fn})
}

// inTxThen is inTx, and runs committed on the writer goroutine as soon as the change is
// committed, before the callers hear (which is after the fsync): for the in-process
// caches that follow a change (stayChanged), so that they do not lag behind the readers,
// who see the change from the commit on. committed must be quick and must not write.
func (db *DB) inTxThen(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error, committed func()) error {
	return db.queueChange(&change{ctx: ctx, fn: fn, committed: committed})
}

// inTxPrompt is inTx for a caller whose throughput is bound by the commit's latency:
// the writer starts the transaction without waiting for more changes to join it.
func (db *DB) inTxPrompt(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return db.queueChange(&change{ctx: ctx, fn: fn, prompt: true})
}

func (db *DB) queueChange(c *change) error {
	if err := db.enqueue(c); err != nil {
		return err
	}
	// Once queued the change may be running: wait for its outcome whatever ctx does.
	return StorageError(<-c.done)
}

// enqueue hands c to the writer, which then answers on c.done.
func (db *DB) enqueue(c *change) error {
	ctx := c.ctx
	if err := ctx.Err(); err != nil {
		return err
	}
	if damaged := db.damaged.Load(); damaged != nil {
		return damaged // the integrity check failed: nothing more is written to the file
	}
	w := db.writer
	c.done, c.queued = make(chan error, 1), w.clock.Now()
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return errClosed
	}
	select {
	case w.changes <- c:
		return nil
	case <-ctx.Done():
		return ctx.Err()
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
	defer w.sync.close()
	defer w.release()
	var changes []*change
	var lastCommit time.Time
	lone := 0 // transactions of one change in a row
	for {
		select {
		case c := <-w.changes:
			changes = append(changes, c)
		case <-w.stop:
			// Close: what was queued before is written; later callers get errClosed.
			changes = w.drainChanges(changes, -1)
			for len(changes) > 0 {
				changes = w.commit(changes)
			}
			return
		}
		changes = w.drainChanges(changes, groupMax)
		busy := lone < loneGroups && w.clock.Since(lastCommit) < busyWithin
		if busy && !slices.ContainsFunc(changes, isPrompt) {
			// Changes that queued during the last commit have waited already.
			changes = w.gather(changes, groupLinger-w.clock.Since(changes[0].queued))
		}
		if len(changes) == 1 {
			lone++
		} else {
			lone = 0
		}
		for len(changes) > 0 {
			changes = w.commit(changes)
		}
		lastCommit = w.clock.Now()
	}
}

// gather waits up to wait for more changes; it stops early at groupMax, at a prompt
// change, and at close.
func (w *writer) gather(changes []*change, wait time.Duration) []*change {
	if wait <= 0 {
		return changes
	}
	t := w.clock.NewTimer(wait)
	defer t.Stop()
	for len(changes) < groupMax {
		select {
		case c := <-w.changes:
			changes = append(changes, c)
			if c.prompt {
				return changes
			}
		case <-t.Chan():
			return changes
		case <-w.stop:
			return changes
		}
	}
	return changes
}

func isPrompt(c *change) bool { return c.prompt }

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

// commit runs up to groupMax changes in one transaction and answers the changes it ran.
// It returns what is left for the next transaction: the changes beyond groupMax, and
// those after a change that broke the transaction (SQLite rolls the whole transaction
// back on an interrupted write, for example when a caller's ctx ends mid-statement).
func (w *writer) commit(changes []*change) (rest []*change) {
	group := changes[:min(len(changes), groupMax)]
	tx, err := w.begin()
	if err != nil {
		for _, c := range group {
			c.done <- err
		}
		w.db.log.Error("sqlite: begin a write transaction", "changes", len(group), "err", err)
		w.db.noteWrite(err)
		return changes[len(group):]
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
			return append(group[i+1:len(group):len(group)], changes[len(group):]...)
		}
		if err != nil {
			c.done <- err
			continue
		}
		ok = append(ok, c)
	}
	if err = tx.Commit(); err != nil {
		w.db.log.Error("sqlite: commit", "changes", len(ok), "err", err)
		w.db.noteWrite(err)
		for _, c := range ok {
			c.done <- err
		}
		return changes[len(group):]
	}
	w.commits.Add(1)
	w.db.noteWrite(nil)
	for _, c := range ok {
		if c.committed != nil {
			c.committed()
		}
	}
	if len(ok) > 0 {
		w.sync.groups <- ok // answered once the log is on disk
	}
	return changes[len(group):]
}

// begin starts a transaction on the writer's own connection, taking it from the pool
// the first time (and again after an error). The pool's other connection serves the
// few writes made outside the writer (bulk loads, sessions) with synchronous=FULL.
func (w *writer) begin() (*sql.Tx, error) {
	ctx := context.Background()
	if w.conn == nil {
		conn, err := w.db.write.Conn(ctx)
		if err != nil {
			return nil, err
		}
		if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
			conn.Close()
			return nil, err
		}
		w.conn = conn
	}
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		w.release()
	}
	return tx, err
}

// release gives the writer's connection back to the pool, as durable as the others.
func (w *writer) release() {
	if w.conn == nil {
		return
	}
	w.conn.ExecContext(context.Background(), `PRAGMA synchronous = FULL`) // a broken connection is dropped anyway
	w.conn.Close()
	w.conn = nil
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
	if err = c.fn(context.WithoutCancel(c.ctx), tx); err != nil {
		if _, broken = tx.ExecContext(bg, `ROLLBACK TO change`); broken != nil {
			return err, broken
		}
	}
	_, broken = tx.ExecContext(bg, `RELEASE change`)
	return err, broken
}
