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

// boardReadsOf returns the board reads made while the guest was in house: from the
// access log, and those the main file kept before the access log existed.
func (db *DB) boardReadsOf(ctx context.Context, guestID string) ([]preferences.AuditEntry, error) {
	out, err := scanAudit(db.read.QueryContext(ctx, `SELECT b.at, b.actor, b.role, ?1, '' FROM stays s
		JOIN board_reads b ON b.at >= s.check_in AND (s.check_out IS NULL OR b.at <= s.check_out)
		WHERE s.guest_id = ?2 ORDER BY b.id`, preferences.ActionBoardRead, guestID))
	if err != nil {
		return nil, err
	}
	stays, err := db.read.QueryContext(ctx, `SELECT check_in, coalesce(check_out, '') FROM stays
		WHERE guest_id = ? ORDER BY check_in`, guestID)
	if err != nil {
		return nil, err
	}
	defer stays.Close()
	for stays.Next() {
		var in, until string
		if err := stays.Scan(&in, &until); err != nil {
			return nil, err
		}
		reads, err := db.access.boardReads(ctx, in, until)
		if err != nil {
			return nil, err
		}
		out = append(out, reads...)
	}
	return out, stays.Err()
}
