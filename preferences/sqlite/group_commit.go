package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sync"
	"sync/atomic"

	"regulars/preferences"
	"regulars/preferences/sqlstore"
)

// groupWriter runs the engine's writes on its one writing connection, every change that
// is waiting in one transaction, each in a savepoint of its own, with one commit. A
// commit with synchronous=FULL waits for the disk; callers arriving meanwhile share the
// next one, so the service writes as many changes a second as callers bring, not as the
// disk can sync (the mixed row and the outbox's claims of make bench).
type groupWriter struct {
	pool  *sql.DB
	store *sqlstore.Store

	mu      sync.Mutex
	waiting []*pendingWrite // the next group
	closed  bool
	wake    chan struct{} // a change is waiting, or the writer is closing
	done    chan struct{} // the loop has ended
	groups  atomic.Int64  // transactions run, for tests
}

// pendingWrite is one caller's change, answered once its group has committed.
type pendingWrite struct {
	ctx    context.Context
	fn     func(preferences.Tx) error
	result chan error
}

// maxGroup bounds a group, so that one commit's callers are not held too long.
const maxGroup = 64

var errWriterClosed = errors.New("sqlite: the database is closed")

func startGroupWriter(pool *sql.DB, store *sqlstore.Store) *groupWriter {
	w := &groupWriter{pool: pool, store: store, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go w.loop()
	return w
}

// Write runs fn in the next group and returns its result once the group has committed.
// A caller whose context has ended by its turn is not run.
func (w *groupWriter) Write(ctx context.Context, fn func(preferences.Tx) error) error {
	p := &pendingWrite{ctx: ctx, fn: fn, result: make(chan error, 1)}
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return errWriterClosed
	}
	w.waiting = append(w.waiting, p)
	w.mu.Unlock()
	w.signal()
	return <-p.result
}

func (w *groupWriter) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// queued is how many changes wait for the next group.
func (w *groupWriter) queued() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.waiting)
}

// close runs the changes already waiting and then stops.
func (w *groupWriter) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.signal()
	<-w.done
}

func (w *groupWriter) loop() {
	defer close(w.done)
	for range w.wake {
		for {
			w.mu.Lock()
			n := min(len(w.waiting), maxGroup)
			group := w.waiting[:n]
			w.waiting = slices.Clone(w.waiting[n:]) // the group's entries leave the backing array
			closed := w.closed
			w.mu.Unlock()
			if n == 0 {
				if closed {
					return
				}
				break
			}
			w.commit(group)
		}
	}
}

// commit runs the group in one transaction and answers each caller. A change that
// fails is rolled back to its savepoint and the others go on; a failure of the
// transaction itself (the disk full, the commit refused) answers every caller with it,
// since none of their changes was kept.
func (w *groupWriter) commit(group []*pendingWrite) {
	w.groups.Add(1)
	results := make([]error, len(group))
	ctx := context.Background()
	conn, err := w.pool.Conn(ctx)
	if err == nil {
		err = sqlstore.InTransaction(ctx, conn, "BEGIN IMMEDIATE", func() error {
			if len(group) == 1 { // alone: its failure rolls the transaction back, no savepoint needed
				results[0] = w.run(conn, group[0])
				return results[0]
			}
			for i, p := range group {
				if results[i] = w.runInSavepoint(conn, p); errors.Is(results[i], errTransactionLost) {
					return results[i]
				}
			}
			return nil
		})
	}
	for i, p := range group {
		switch {
		case len(group) == 1 && results[i] != nil:
		case err != nil:
			results[i] = w.store.Classify(err)
		}
		p.result <- results[i]
	}
}

// errTransactionLost: SQLite rolled the whole transaction back on an error (a full
// disk, an I/O error), so no savepoint of the group is left to return to.
var errTransactionLost = errors.New("sqlite: the group's transaction was rolled back")

// runInSavepoint runs one change of a group; its failure undoes only its own statements.
func (w *groupWriter) runInSavepoint(conn *sql.Conn, p *pendingWrite) error {
	ctx := context.Background()
	if _, err := conn.ExecContext(ctx, "SAVEPOINT change"); err != nil {
		return errors.Join(errTransactionLost, err)
	}
	err := w.run(conn, p)
	if err != nil {
		if _, rbErr := conn.ExecContext(ctx, "ROLLBACK TO change"); rbErr != nil {
			return errors.Join(errTransactionLost, err, rbErr)
		}
	}
	if _, relErr := conn.ExecContext(ctx, "RELEASE change"); relErr != nil {
		return errors.Join(errTransactionLost, relErr)
	}
	return err
}

// run runs a change unless its caller has gone; once begun, it is finished whatever its
// caller does (see sqlstore's In).
func (w *groupWriter) run(conn *sql.Conn, p *pendingWrite) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	return w.store.In(conn, p.fn)
}
