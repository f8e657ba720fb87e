package sqlite

import (
	"context"

	"regulars/preferences"
)

// isBoardRead reports whether an audit entry records a read of the whole housekeeping
// board: RecordAccess with action ActionBoardRead and no guest ID. Such reads are kept
// once in board_reads, and GuestAudit shows them for every guest in house at the time
// (a board of 400 rooms would otherwise write 400 audit rows per read).
func isBoardRead(e preferences.AuditEntry) bool {
	return e.GuestID == "" && e.Action == preferences.ActionBoardRead
}

const insertBoardRead = `INSERT INTO board_reads (at, actor, role) VALUES (?, ?, ?)`

// boardReadsOf returns the board reads made while the guest was in house.
func (db *DB) boardReadsOf(ctx context.Context, q querier, guestID string) ([]preferences.AuditEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT b.at, b.actor, b.role FROM stays s
		JOIN board_reads b ON b.at >= s.check_in AND (s.check_out IS NULL OR b.at <= s.check_out)
		WHERE s.guest_id = ? ORDER BY b.id`, guestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.AuditEntry{}
	for rows.Next() {
		e := preferences.AuditEntry{Action: preferences.ActionBoardRead}
		var at string
		if err := rows.Scan(&at, &e.Actor, &e.Role); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
