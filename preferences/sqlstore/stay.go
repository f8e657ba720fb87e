package sqlstore

import (
	"context"

	"regulars/preferences"
)

func (t *tx) InsertStay(ctx context.Context, s preferences.Stay) error {
	_, err := t.exec(ctx, `INSERT INTO stays (id, guest_id, room, check_in, check_out, planned_nights, spend)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, s.ID, s.GuestID, s.Room, t.at(s.CheckIn), t.atOrNull(s.CheckOut), s.PlannedNights, s.Spend)
	return err
}
