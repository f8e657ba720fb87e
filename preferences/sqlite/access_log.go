package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"regulars/preferences"
)

// The access log holds the audit entries of staff reads (RecordAccess) in a database file
// of its own beside the main one (regulars.db → regulars-access.db), written in batches by
// a goroutine of its own. In WAL mode every commit to a file makes each reader connection
// of that file drop its page cache: with the reads' audit in the main file, a busy desk's
// reads kept emptying the very caches that serve them, and their batches queued behind
// the changes. Changes keep their audit rows in the main file, in their own transaction.

const (
	// accessBatch bounds how many entries one transaction writes; a queue this long is
	// written at once.
	accessBatch = 16384
	// accessDelay is how long an entry may wait for others to share its commit. Each
	// commit writes every index page its entries touched and waits for an fsync, which
	// on a shared disk holds up the changes' commits: at a second rather than 100 ms a
	// busy desk's entries share far fewer pages and fsyncs (mixed load at 1M: writes
	// answered in 11-14 ms instead of 15-17, reads faster too).
	accessDelay = time.Second
	// accessMaxQueued is how many entries may wait: RecordAccess blocks beyond it, so a
	// disk that cannot keep up slows the reads instead of growing the queue without end.
	accessMaxQueued = 4 * accessBatch
	// accessSpareMax is the largest queue array kept for the next queue (5.5 MB).
	accessSpareMax = 2 * accessBatch
	// accessIndexEvery is how often the entries written since are added to the
	// per-guest index (guest_reads_by_guest). Indexed entry by entry, each one-second
	// batch wrote one index page for about every guest it named, and that grew with the
	// log: a busy desk's batches cost 2.2 % of the service's CPU on a fresh log and 5.6 %
	// after a few minutes of reads. GuestAudit reads the entries not yet indexed from the
	// log's tail, so nothing waits for the index.
	accessIndexEvery = 10 * time.Second
	// accessIndexMax is how many written entries are indexed at once sooner than that:
	// a pass sorts its entries in memory, so a busy desk's ten seconds of reads (about
	// 250k at the bench's rates) are not sorted in one go.
	accessIndexMax = 4 * accessBatch
)

// accessSchema is the access log's schema; user_version tells which one a file has.
const accessSchema = `
CREATE TABLE IF NOT EXISTS guest_reads (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    role     TEXT NOT NULL,
    action   TEXT NOT NULL,
    guest_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS guest_reads_guest ON guest_reads (guest_id, id);
-- Reads of the whole housekeeping board, one row each (see isBoardRead).
CREATE TABLE IF NOT EXISTS board_reads (
    id    INTEGER PRIMARY KEY,
    at    TEXT NOT NULL,
    actor TEXT NOT NULL,
    role  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS board_reads_at ON board_reads (at);
PRAGMA user_version = 1;
`

// accessSchemaV2 replaces the per-entry index of guest reads by a table filled in bulk
// (see accessIndexEvery): the entries up to guest_reads_indexed.up_to are in it.
const accessSchemaV2 = `
CREATE TABLE guest_reads_by_guest (
    guest_id TEXT NOT NULL,
    id       INTEGER NOT NULL,
    PRIMARY KEY (guest_id, id)
) WITHOUT ROWID;
INSERT INTO guest_reads_by_guest (guest_id, id) SELECT guest_id, id FROM guest_reads ORDER BY guest_id, id;
CREATE TABLE guest_reads_indexed (up_to INTEGER NOT NULL);
INSERT INTO guest_reads_indexed (up_to) SELECT coalesce(max(id), 0) FROM guest_reads;
DROP INDEX guest_reads_guest;
PRAGMA user_version = 2;
`

// AccessLogPath returns the access log's file for the database at path: the same name
// with "-access" before the extension. Back it up with the database.
func AccessLogPath(path string) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-access" + ext
}

type accessLog struct {
	write *sql.DB // one connection
	read  *sql.DB
	log   *slog.Logger

	mu     sync.Mutex
	room   *sync.Cond // signalled when the queue is taken
	queue  []preferences.AuditEntry
	spare  []preferences.AuditEntry // the last batch written, emptied: the next queue's array
	closed bool

	// run's own: when the written entries were last added to the per-guest index, and
	// how many were written since
	indexedAt time.Time
	unindexed int

	wake  chan struct{} // capacity 1: the queue has grown
	flush chan chan struct{}
	stop  chan struct{} // closed by close: write what is queued and return
	done  chan struct{} // closed when run has returned
}

// openAccessLog opens (creating if needed) the access log at path and starts its writer.
func openAccessLog(path string, log *slog.Logger) (*accessLog, error) {
	// A small page cache: the writer appends, and reads of the log are rare.
	w, err := sql.Open(writerDriver, dsn(path, false, 4_000))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	var version int
	err = w.QueryRow(`PRAGMA user_version`).Scan(&version)
	if err == nil && version < 1 {
		_, err = w.Exec(accessSchema)
	}
	if err == nil && version < 2 {
		err = migrateAccessLog(w)
	}
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open the access log %s: %w", path, err)
	}
	r, err := sql.Open("sqlite3", dsn(path, true, 2_000))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(2)
	r.SetMaxIdleConns(2)
	a := &accessLog{
		write: w, read: r, log: log,
		wake:  make(chan struct{}, 1),
		flush: make(chan chan struct{}),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	a.room = sync.NewCond(&a.mu)
	go a.run()
	return a, nil
}

// add queues e (dropped after close). It wakes the writer for the first entry of a
// batch, which starts the delay, and for a full batch, which is written at once.
func (a *accessLog) add(e preferences.AuditEntry) {
	a.mu.Lock()
	for len(a.queue) >= accessMaxQueued && !a.closed {
		a.room.Wait()
	}
	if a.closed {
		a.mu.Unlock()
		return
	}
	a.queue = append(a.queue, e)
	n := len(a.queue)
	a.mu.Unlock()
	if n == 1 || n == accessBatch {
		select {
		case a.wake <- struct{}{}:
		default: // a wake-up is pending already; the writer looks at the queue then
		}
	}
}

func (a *accessLog) queued() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.queue)
}

// flushNow waits until every entry queued before it is written.
func (a *accessLog) flushNow(ctx context.Context) {
	done := make(chan struct{})
	select {
	case a.flush <- done:
		<-done
	case <-a.stop:
		<-a.done
	case <-ctx.Done():
	}
}

// close writes what is queued and closes the files; later entries are dropped.
func (a *accessLog) close() error {
	a.mu.Lock()
	a.closed = true
	a.room.Broadcast()
	a.mu.Unlock()
	close(a.stop)
	<-a.done
	return errors.Join(a.read.Close(), a.write.Close())
}

func (a *accessLog) run() {
	defer close(a.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var (
		timeout <-chan time.Time // the oldest queued entry's deadline; nil when none
		flushes []chan struct{}
	)
	for {
		select {
		case <-a.wake:
			if a.queued() < accessBatch {
				if timeout == nil {
					timer.Reset(accessDelay)
					timeout = timer.C
				}
				continue
			}
		case f := <-a.flush:
			flushes = append(flushes, f)
		case <-timeout:
		case <-a.stop:
			a.writeQueued()
			a.indexWritten()
			for _, f := range flushes {
				close(f)
			}
			return
		}
		timer.Stop()
		timeout = nil
		a.writeQueued()
		if a.unindexed >= accessIndexMax || time.Since(a.indexedAt) >= accessIndexEvery {
			a.indexWritten()
		}
		for _, f := range flushes {
			close(f)
		}
		flushes = flushes[:0]
	}
}

// writeQueued takes the whole queue and writes it, accessBatch entries a transaction.
// An entry that cannot be written is logged and lost: a read is never failed for its
// audit.
func (a *accessLog) writeQueued() {
	a.mu.Lock()
	batch := a.queue
	a.queue, a.spare = a.spare, nil
	a.room.Broadcast()
	a.mu.Unlock()
	a.unindexed += len(batch)
	for rest := batch; len(rest) > 0; {
		n := min(len(rest), accessBatch)
		if err := a.writeBatch(rest[:n]); err != nil {
			a.log.Error("audit: write the access log", "entries", n, "err", err)
		}
		rest = rest[n:]
	}
	// The queue's array is used again rather than grown anew from nothing for every
	// batch (at a busy desk's thousands of reads a second, a tenth of all the service
	// allocated, and fresh memory faulted in page by page), unless a backlog grew it past
	// two batches. A full batch's array is kept: entries keep coming while the writer
	// takes it. Its entries are cleared so that it holds no guest's data meanwhile.
	if cap(batch) > accessSpareMax {
		return
	}
	clear(batch)
	a.mu.Lock()
	a.spare = batch[:0]
	a.mu.Unlock()
}

// writeBatch writes entries in one transaction.
func (a *accessLog) writeBatch(entries []preferences.AuditEntry) error {
	return inAccessTx(a.write, func(ctx context.Context, tx *sql.Tx) error {
		return insertEntries(ctx, tx, entries)
	})
}

// insertEntries inserts entries in tx.
func insertEntries(ctx context.Context, tx *sql.Tx, entries []preferences.AuditEntry) error {
	// Whole groups go readRowsPerInsert to a statement and the rest one by one, so that
	// two statement texts serve every batch (the connection caches 64 prepared statements).
	rows := make([]any, 0, readRowsPerInsert*readColumns)
	for i := range entries {
		e := &entries[i]
		at := e.At.UTC().Format(TimeLayout)
		if isBoardRead(*e) {
			if _, err := tx.ExecContext(ctx, insertBoardRead, at, e.Actor, string(e.Role)); err != nil {
				return err
			}
			continue
		}
		rows = append(rows, at, e.Actor, string(e.Role), e.Action, e.GuestID)
		if len(rows) == cap(rows) {
			if _, err := tx.ExecContext(ctx, insertReads, rows...); err != nil {
				return err
			}
			rows = rows[:0]
		}
	}
	for ; len(rows) > 0; rows = rows[readColumns:] {
		if _, err := tx.ExecContext(ctx, insertRead, rows[:readColumns]...); err != nil {
			return err
		}
	}
	return nil
}

// readRowsPerInsert is how many entries one INSERT statement writes: one statement for
// many rows saves a round trip through database/sql and cgo per row.
const (
	readRowsPerInsert = 64
	readColumns       = 5 // of insertRead
	insertRead        = `INSERT INTO guest_reads (at, actor, role, action, guest_id) VALUES (?, ?, ?, ?, ?)`
)

var insertReads = `INSERT INTO guest_reads (at, actor, role, action, guest_id) VALUES ` +
	strings.TrimSuffix(strings.Repeat(`(?, ?, ?, ?, ?), `, readRowsPerInsert), ", ")

// indexWritten adds the entries written since the last time to the per-guest index, in
// guest order, in one transaction. A failure is logged; the entries stay in the tail
// that guestReads reads, and the next time adds them.
//
// OR IGNORE (there is never a duplicate: up_to moves in the same transaction) means
// the INSERT cannot abort half-way, so SQLite keeps no statement journal for it. With
// one, every index page the pass changed was first copied into that journal, in memory
// (temp_store=MEMORY): about 30 MB a pass of 64,000 reads on a log of two million,
// freed to malloc but not to the system. After 5 minutes of the bench's load the
// service's peak RSS was 258 MiB with the journal and 192 MiB without; such a pass
// took 0.1-0.3 s instead of 0.4-0.5.
func (a *accessLog) indexWritten() {
	a.indexedAt, a.unindexed = time.Now(), 0
	err := inAccessTx(a.write, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO guest_reads_by_guest (guest_id, id)
			SELECT guest_id, id FROM guest_reads WHERE id > (SELECT up_to FROM guest_reads_indexed)
			ORDER BY guest_id, id`)
		if err == nil {
			_, err = tx.ExecContext(ctx, `UPDATE guest_reads_indexed SET up_to = (SELECT coalesce(max(id), up_to) FROM guest_reads)`)
		}
		return err
	})
	if err != nil {
		a.log.Error("audit: index the access log", "err", err)
	}
}

// migrateAccessLog moves an access log at version 1 to version 2 in one transaction.
func migrateAccessLog(w *sql.DB) error {
	return inAccessTx(w, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, accessSchemaV2)
		return err
	})
}

// inAccessTx runs fn in a transaction on the access log's writing connection and
// commits it, or rolls it back when fn fails.
func inAccessTx(w *sql.DB, fn func(ctx context.Context, tx *sql.Tx) error) error {
	ctx := context.Background()
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// guestReads returns the reads of the guest, oldest first: those in the per-guest index
// and those written since it was last filled. One statement reads both from the same
// snapshot, so no entry is read twice or missed.
func (a *accessLog) guestReads(ctx context.Context, guestID string) ([]preferences.AuditEntry, error) {
	return scanAudit(a.read.QueryContext(ctx, `SELECT at, actor, role, action, '' FROM (
			SELECT r.id, r.at, r.actor, r.role, r.action FROM guest_reads_by_guest g
				JOIN guest_reads r ON r.id = g.id WHERE g.guest_id = ?1
			UNION ALL
			SELECT id, at, actor, role, action FROM guest_reads
				WHERE id > (SELECT up_to FROM guest_reads_indexed) AND guest_id = ?1)
		ORDER BY id`, guestID))
}

// boardReads returns the board reads from since to until (to now when until is empty).
func (a *accessLog) boardReads(ctx context.Context, since, until string) ([]preferences.AuditEntry, error) {
	return scanAudit(a.read.QueryContext(ctx, `SELECT at, actor, role, ?1, '' FROM board_reads
		WHERE at >= ?2 AND (?3 = '' OR at <= ?3) ORDER BY id`, preferences.ActionBoardRead, since, until))
}

// scanAudit reads rows of (at, actor, role, action, detail) into audit entries.
func scanAudit(rows *sql.Rows, err error) ([]preferences.AuditEntry, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.AuditEntry{}
	for rows.Next() {
		var e preferences.AuditEntry
		var at string
		if err := rows.Scan(&at, &e.Actor, &e.Role, &e.Action, &e.Detail); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
