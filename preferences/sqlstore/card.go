package sqlstore

import (
	"context"
	"database/sql"
	"slices"

	"regulars/preferences"
)

// CardFacts reads the card's facts: on PostgreSQL in one statement (cardPostgres),
// elsewhere with a few queries, the guest's first (ENOTFOUND for an unknown or erased
// guest).
func (t *tx) CardFacts(ctx context.Context, guestID, today string) (preferences.CardFacts, error) {
	if t.s.d.Name == "postgres" {
		return t.cardFactsPostgres(ctx, guestID, today)
	}
	return t.cardFactsPortable(ctx, guestID, today)
}

// cardFactsPortable reads the card's facts with a few queries in any engine.
func (t *tx) cardFactsPortable(ctx context.Context, guestID, today string) (preferences.CardFacts, error) {
	var f preferences.CardFacts
	var err error
	if f.Guest, err = t.GuestByID(ctx, guestID); err != nil {
		return f, err
	}
	if f.Preferences, err = t.GuestPreferences(ctx, guestID); err != nil {
		return f, err
	}
	if err = t.cardStays(ctx, guestID, &f); err != nil {
		return f, err
	}
	if f.Arrival, err = t.cardArrival(ctx, guestID, today); err != nil {
		return f, err
	}
	if f.FollowUps, err = t.OpenFollowUps(ctx, guestID); err != nil {
		return f, err
	}
	if f.Notes, err = t.GuestNotes(ctx, guestID); err != nil {
		return f, err
	}
	f.FreeRooms, err = t.cardFreeRooms(ctx)
	return f, err
}

// cardStays reads the guest's open stay, last closed stay and number of stays in one
// query: at most two rows, each with the count (no row: no stay at all).
func (t *tx) cardStays(ctx context.Context, guestID string, f *preferences.CardFacts) error {
	rows, err := t.query(ctx, `SELECT s.id, s.room, COALESCE(r.floor, 0), s.check_in, s.check_out, s.planned_nights, s.spend,
			(SELECT count(*) FROM stays c WHERE c.guest_id = s.guest_id)
		FROM stays s LEFT JOIN rooms r ON r.number = s.room
		WHERE s.guest_id = ? AND (s.check_out IS NULL OR s.id = (SELECT l.id FROM stays l
			WHERE l.guest_id = ? AND l.check_out IS NOT NULL ORDER BY l.check_in DESC, l.id LIMIT 1))`, guestID, guestID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		s := preferences.Stay{GuestID: guestID}
		if err := rows.Scan(&s.ID, &s.Room, &s.Floor, scanAt(&s.CheckIn), scanAtOrNil(&s.CheckOut), &s.PlannedNights, &s.Spend,
			&f.StaysCount); err != nil {
			return err
		}
		if s.CheckOut == nil {
			f.InHouse = &s
		} else {
			f.LastStay = &s
		}
	}
	return rows.Err()
}

// cardArrival returns the guest's first expected arrival dated today, nil for none.
func (t *tx) cardArrival(ctx context.Context, guestID, today string) (*preferences.Arrival, error) {
	var a preferences.Arrival
	err := t.row(ctx, `SELECT id, guest_id, arrival_date, nights, reference, status, COALESCE(stay_id, '') FROM arrivals
		WHERE guest_id = ? AND arrival_date = ? AND status = ? ORDER BY created_at, id LIMIT 1`,
		guestID, today, preferences.ArrivalExpected).Scan(&a.ID, &a.GuestID, &a.ArrivalDate, &a.Nights, &a.Reference, &a.Status, &a.StayID)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// cardFreeRooms lists the rooms nobody is in, by floor and number: only those are read
// (at a million guests about 150 of 600 rooms), since each decodes its features.
func (t *tx) cardFreeRooms(ctx context.Context) ([]preferences.Room, error) {
	return keptRead(ctx, t, &t.s.freeRooms, "rooms", func() ([]preferences.Room, error) { return t.readFreeRooms(ctx) }, cloneRooms)
}

// cloneRooms copies rooms and their features, so that a caller changing them changes no
// kept copy.
func cloneRooms(rooms []preferences.Room) []preferences.Room {
	out := slices.Clone(rooms)
	for i := range out {
		out[i].Features = slices.Clone(out[i].Features)
	}
	return out
}

// readFreeRooms reads the free rooms from the tables.
func (t *tx) readFreeRooms(ctx context.Context) ([]preferences.Room, error) {
	rows, err := t.query(ctx, roomSelect+`WHERE NOT EXISTS (SELECT 1 FROM stays s WHERE s.room = r.number AND s.check_out IS NULL)
		ORDER BY r.floor, r.number`)
	return scanEach(rows, err, scanRoom)
}
