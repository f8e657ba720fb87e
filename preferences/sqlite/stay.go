package sqlite

import (
	"context"
	"time"
)

// PastStay is a completed stay loaded from history (demo data, imports).
type PastStay struct {
	GuestID           string
	Room              string
	CheckIn, CheckOut time.Time
	Nights            int
	Spend             string
}

// RecordPastStay stores a completed stay as history.
func (db *DB) RecordPastStay(ctx context.Context, s PastStay) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO stays (id, guest_id, room, check_in, check_out, planned_nights, spend)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, newID("s"), s.GuestID, s.Room, s.CheckIn.UTC().Format(TimeLayout),
		s.CheckOut.UTC().Format(TimeLayout), s.Nights, s.Spend)
	return err
}
