package sqlstore

import (
	"context"

	"regulars/preferences"
)

// auditChunk bounds the rows of one INSERT: 6 values each stay under every engine's
// limit of parameters.
const auditChunk = 500

// AppendAudit stores entries. A read of the housekeeping board (no guest) goes to
// board_reads: a guest's audit derives it from the guest's stays, since the board shows
// exactly the guests in house.
func (t *tx) AppendAudit(ctx context.Context, entries ...preferences.AuditEntry) error {
	var guests []preferences.AuditEntry
	for _, e := range entries {
		if e.Action == preferences.ActionBoardRead && e.GuestID == "" {
			if _, err := t.exec(ctx, `INSERT INTO board_reads (at, actor, role) VALUES (?, ?, ?)`, t.at(e.At), e.Actor, string(e.Role)); err != nil {
				return err
			}
			continue
		}
		guests = append(guests, e)
	}
	return t.appendGuestAudit(ctx, guests)
}

func (t *tx) appendGuestAudit(ctx context.Context, entries []preferences.AuditEntry) error {
	for len(entries) > 0 {
		n := min(len(entries), auditChunk)
		args := make([]any, 0, 6*n)
		for _, e := range entries[:n] {
			args = append(args, t.at(e.At), e.Actor, string(e.Role), e.Action, e.GuestID, e.Detail)
		}
		q := `INSERT INTO audit_log (at, actor, role, action, guest_id, detail) VALUES ` + repeatRows(n, 6)
		if _, err := t.exec(ctx, q, args...); err != nil {
			return err
		}
		entries = entries[n:]
	}
	return nil
}

func (t *tx) GuestAuditEntries(ctx context.Context, guestID string) ([]preferences.AuditEntry, error) {
	rows, err := t.query(ctx, `SELECT at, actor, role, action, detail FROM audit_log WHERE guest_id = ? ORDER BY id`, guestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []preferences.AuditEntry
	for rows.Next() {
		e := preferences.AuditEntry{GuestID: guestID}
		if err := rows.Scan(scanAt(&e.At), &e.Actor, &e.Role, &e.Action, &e.Detail); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// repeatRows returns "(?, …), (?, …)" for n rows of width values.
func repeatRows(n, width int) string {
	row := "(" + placeholders(width) + ")"
	b := make([]byte, 0, n*(len(row)+2))
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, row...)
	}
	return string(b)
}
