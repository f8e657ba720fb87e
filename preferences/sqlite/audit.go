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

// RecordAccess queues an audit entry for a read; the writer commits the entries in
// batches, with the changes of the moment, so that reads do not each wait for a commit.
// Close writes what is queued.
func (db *DB) RecordAccess(ctx context.Context, actor preferences.Actor, guestID, action string) {
	db.writer.queueAudit(preferences.AuditEntry{At: db.now(), Actor: actor.Name, Role: actor.Role, Action: action, GuestID: guestID})
}

// FlushAudit waits until every queued audit entry is written.
func (db *DB) FlushAudit(ctx context.Context) { db.writer.flushAudit(ctx) }

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
