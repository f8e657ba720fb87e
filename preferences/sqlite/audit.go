package sqlite

import (
	"context"
	"database/sql"
	"sort"

	"regulars/preferences"
)

const insertAuditEntry = `INSERT INTO audit_log (at, actor, role, action, guest_id, detail) VALUES (?, ?, ?, ?, ?, ?)`

// auditTx writes an audit entry inside a change's own transaction.
func (db *DB) auditTx(ctx context.Context, tx *sql.Tx, actor preferences.Actor, guestID, action, detail string) error {
	_, err := tx.ExecContext(ctx, insertAuditEntry,
		db.nowText(), actor.Name, string(actor.Role), action, guestID, detail)
	return err
}

// RecordAccess queues an audit entry for a read. It is written to the access log within
// accessDelay (a second), in a batch with the other reads of the moment, so that reads neither wait
// for a commit nor make the main file's readers drop their caches. Close writes what is
// queued.
func (db *DB) RecordAccess(ctx context.Context, actor preferences.Actor, guestID, action string) {
	db.access.add(preferences.AuditEntry{At: db.now(), Actor: actor.Name, Role: actor.Role, Action: action, GuestID: guestID})
}

// FlushAudit waits until every queued audit entry is written.
func (db *DB) FlushAudit(ctx context.Context) { db.access.flushNow(ctx) }

// GuestAudit returns the guest's audit entries, oldest first: the changes (with the
// preference changes old → new) from the main file, the reads from the access log (and
// the reads the main file kept before the access log existed), and the housekeeping
// board reads made while the guest was in house.
func (db *DB) GuestAudit(ctx context.Context, guestID string) ([]preferences.AuditEntry, error) {
	db.FlushAudit(ctx)
	// A preference change's entry is its preference_changes row (with old → new); the
	// audit_log rows of that action are older duplicates, from before that was so.
	out, err := scanAudit(db.read.QueryContext(ctx, `SELECT at, actor, role, action, detail FROM audit_log
		WHERE guest_id = ? AND action <> ? ORDER BY id`, guestID, preferences.ActionPrefsChange))
	if err != nil {
		return nil, err
	}
	reads, err := db.access.guestReads(ctx, guestID)
	if err != nil {
		return nil, err
	}
	out = append(out, reads...)
	changes, err := db.PreferenceHistory(ctx, guestID)
	if err != nil {
		return nil, err
	}
	out = append(out, changes...)
	boards, err := db.boardReadsOf(ctx, guestID)
	if err != nil {
		return nil, err
	}
	out = append(out, boards...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}
