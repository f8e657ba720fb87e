package sqlite

import (
	"context"
	"database/sql"
	"sort"
	"time"

	"regulars/preferences"
)

// auditTx writes an audit entry inside a change's own transaction.
func (db *DB) auditTx(ctx context.Context, tx *sql.Tx, actor preferences.Actor, guestID, action, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, role, action, guest_id, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		db.nowText(), actor.Name, string(actor.Role), action, guestID, detail)
	return err
}

// RecordAccess queues an audit entry for a read; entries are written in batches by one
// goroutine so that reads do not each wait for a commit. Close writes what is queued.
func (db *DB) RecordAccess(ctx context.Context, actor preferences.Actor, guestID, action string) {
	db.audit.queue <- preferences.AuditEntry{At: db.now(), Actor: actor.Name, Role: actor.Role, Action: action, GuestID: guestID}
}

// FlushAudit waits until every queued audit entry is written.
func (db *DB) FlushAudit(ctx context.Context) {
	done := make(chan struct{})
	select {
	case db.audit.flush <- done:
		<-done
	case <-ctx.Done():
	}
}

// GuestAudit returns the guest's audit entries with preference changes (old → new), oldest first.
func (db *DB) GuestAudit(ctx context.Context, guestID string) ([]preferences.AuditEntry, error) {
	db.FlushAudit(ctx)
	rows, err := db.read.QueryContext(ctx, `SELECT at, actor, role, action, detail FROM audit_log
		WHERE guest_id = ? AND action <> ? ORDER BY id`, guestID, preferences.ActionPrefsChange)
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
	if err := rows.Err(); err != nil {
		return nil, err
	}
	changes, err := db.PreferenceHistory(ctx, guestID)
	if err != nil {
		return nil, err
	}
	out = append(out, changes...)
	boards, err := db.boardReadsOf(ctx, db.read, guestID)
	if err != nil {
		return nil, err
	}
	out = append(out, boards...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

type auditWriter struct {
	db    *DB
	queue chan preferences.AuditEntry
	flush chan chan struct{}
	done  chan struct{}
}

func newAuditWriter(db *DB) *auditWriter {
	w := &auditWriter{db: db, queue: make(chan preferences.AuditEntry, 4*auditBatch), flush: make(chan chan struct{}), done: make(chan struct{})}
	go w.run()
	return w
}

const (
	auditBatch = 4096
	// auditDelay is how long a read's audit entry may wait for others to share its
	// commit. Every commit makes each reader connection drop its page cache (WAL mode),
	// so committing as fast as entries arrive made every read of a busy desk slower.
	auditDelay = 100 * time.Millisecond
)

func (w *auditWriter) run() {
	defer close(w.done)
	batch := make([]preferences.AuditEntry, 0, auditBatch)
	for {
		select {
		case e, open := <-w.queue:
			if open {
				batch, open = w.gather(append(batch, e))
			}
			w.write(batch)
			batch = batch[:0]
			if !open {
				return
			}
		case done := <-w.flush:
			for n := len(w.queue); n > 0; n-- {
				batch = append(batch, <-w.queue)
			}
			w.write(batch)
			batch = batch[:0]
			close(done)
		}
	}
}

// gather appends the entries that arrive within auditDelay of the first, up to
// auditBatch, or until a flush is asked for; open is false once the queue is closed.
func (w *auditWriter) gather(batch []preferences.AuditEntry) (_ []preferences.AuditEntry, open bool) {
	timer := time.NewTimer(auditDelay)
	defer timer.Stop()
	for len(batch) < auditBatch {
		select {
		case e, ok := <-w.queue:
			if !ok {
				return batch, false
			}
			batch = append(batch, e)
		case done := <-w.flush:
			for n := len(w.queue); n > 0; n-- {
				batch = append(batch, <-w.queue)
			}
			w.write(batch)
			close(done)
			return batch[:0], true
		case <-timer.C:
			return batch, true
		}
	}
	return batch, true
}

func (w *auditWriter) write(batch []preferences.AuditEntry) {
	if len(batch) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// In guest order the index inserts walk the audit_log_guest B-tree forwards; each
	// guest's entries keep their order, which is all GuestAudit relies on.
	sort.SliceStable(batch, func(i, j int) bool { return batch[i].GuestID < batch[j].GuestID })
	err := w.db.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO audit_log (at, actor, role, action, guest_id, detail) VALUES (?, ?, ?, ?, ?, '')`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, e := range batch {
			at := e.At.UTC().Format(TimeLayout)
			if isBoardRead(e) {
				if _, err := tx.ExecContext(ctx, insertBoardRead, at, e.Actor, string(e.Role)); err != nil {
					return err
				}
				continue
			}
			if _, err := stmt.ExecContext(ctx, at, e.Actor, string(e.Role), e.Action, e.GuestID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		w.db.log.Error("audit: write batch", "entries", len(batch), "err", err)
	}
}

func (w *auditWriter) close() {
	close(w.queue)
	<-w.done
}
