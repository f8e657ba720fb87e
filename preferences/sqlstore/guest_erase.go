package sqlstore

import (
	"context"
	"database/sql"
	"time"
)

// eraseStatements, with the deletion of the letters, remove or blank every copy of a guest's personal data; each takes the
// guest ID as its only argument. This list is the one place where a table that keeps
// guest values adds its redaction: a copy missing here survives erasure. The audit trail
// keeps who, when and what kind of action (audit_log, the sections of
// preference_changes), never a value.
var eraseStatements = []string{
	`DELETE FROM guest_documents WHERE guest_id = ?`,
	`DELETE FROM consent_events WHERE guest_id = ?`,
	`UPDATE preference_changes SET old_value = '', new_value = '' WHERE guest_id = ?`,
	`UPDATE stays SET spend = '' WHERE guest_id = ?`,
	`DELETE FROM follow_ups WHERE guest_id = ?`,
	`DELETE FROM feedback WHERE guest_id = ?`,
	`DELETE FROM guest_notes WHERE guest_id = ?`,
	`DELETE FROM arrivals WHERE guest_id = ?`,
	`DELETE FROM idempotency_keys WHERE guest_id = ?`, // kept answers about the guest
	`DELETE FROM guest_contacts WHERE guest_id = ?`,
	`DELETE FROM keep_in_touch WHERE guest_id = ?`,
}

func (t *tx) EraseGuestData(ctx context.Context, guestID string, at time.Time) ([]string, error) {
	// The guest's row first: its lock makes a concurrent change of the guest wait for
	// this erasure, then find the guest erased (their writes are conditional on that).
	ok, err := t.changed(t.exec(ctx, `UPDATE guests SET family_name = '', given_name = '', salutation = '', email = '',
		phone = '', birthday = '', birthday_md = '', time_zone = '', marketing_consent = ?, consent_at = NULL,
		consent_channel = '', consent_by = '', preferences = '{}', search_text = '', erased_at = ?, updated_at = ?
		WHERE id = ? AND erased_at IS NULL`, false, t.at(at), t.at(at), guestID))
	if err == nil && !ok {
		err = notFound("guest")
	}
	if err != nil {
		return nil, err
	}
	for _, stmt := range eraseStatements {
		if _, err := t.exec(ctx, stmt, guestID); err != nil {
			return nil, err
		}
	}
	// The letters' Message-IDs as they are deleted: a letter queued meanwhile is not missed.
	return exportRows(ctx, t, func(r *sql.Rows) (id string, err error) { return id, r.Scan(&id) },
		`DELETE FROM outreach_messages WHERE guest_id = ? RETURNING message_id`, guestID)
}
