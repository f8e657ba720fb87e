package sqlstore

import (
	"context"
	"database/sql"
	"slices"

	"regulars/preferences"
)

// CardFacts reads the card's facts at a property: on PostgreSQL in one statement
// (cardPostgres), elsewhere with a few queries, the guest's first (ENOTFOUND for an
// unknown or erased guest).
func (t *tx) CardFacts(ctx context.Context, guestID, propertyID, today string) (preferences.CardFacts, error) {
	if t.s.d.Name == "postgres" {
		return t.cardFactsPostgres(ctx, guestID, propertyID, today)
	}
	return t.cardFactsPortable(ctx, guestID, propertyID, today)
}

// cardFactsPortable reads the card's facts with a few queries in any engine.
func (t *tx) cardFactsPortable(ctx context.Context, guestID, propertyID, today string) (preferences.CardFacts, error) {
	var f preferences.CardFacts
	var err error
	if f.Guest, err = t.GuestByID(ctx, guestID); err != nil {
		return f, err
	}
	if f.Preferences, err = t.GuestPreferences(ctx, guestID); err != nil {
		return f, err
	}
	if err = t.cardStays(ctx, guestID, propertyID, &f); err != nil {
		return f, err
	}
	if f.Arrival, err = t.cardArrival(ctx, guestID, propertyID, today); err != nil {
		return f, err
	}
	if f.FollowUps, err = t.OpenFollowUps(ctx, guestID); err != nil {
		return f, err
	}
	if f.Notes, err = t.GuestNotes(ctx, guestID); err != nil {
		return f, err
	}
	f.FreeRooms, err = t.cardFreeRooms(ctx, propertyID)
	return f, err
}

// cardStays reads the guest's open stay, last closed stay (at any property), number of
// stays and of closed stays at the property in one query: at most two rows, each with
// the counts (no row: no stay at all).
func (t *tx) cardStays(ctx context.Context, guestID, propertyID string, f *preferences.CardFacts) error {
	rows, err := t.query(ctx, `SELECT `+stayColumns+`, (SELECT count(*) FROM stays c WHERE c.guest_id = s.guest_id),
			(SELECT count(*) FROM stays h WHERE h.guest_id = s.guest_id AND h.property_id = ? AND h.check_out IS NOT NULL)
		FROM stays s`+stayJoins+`
		WHERE s.guest_id = ? AND (s.check_out IS NULL OR s.id = (SELECT l.id FROM stays l
			WHERE l.guest_id = ? AND l.check_out IS NOT NULL ORDER BY l.check_in DESC, l.id LIMIT 1))`, propertyID, guestID, guestID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s preferences.Stay
		if err := rows.Scan(append(stayDest(&s), &f.StaysCount, &f.StaysHere)...); err != nil {
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

// cardArrival returns the guest's first expected arrival at the property dated today,
// nil for none.
func (t *tx) cardArrival(ctx context.Context, guestID, propertyID, today string) (*preferences.Arrival, error) {
	var a preferences.Arrival
	err := t.row(ctx, `SELECT `+arrivalColumns+` FROM arrivals a
		WHERE a.guest_id = ? AND a.property_id = ? AND a.arrival_date = ? AND a.status = ? ORDER BY a.created_at, a.id LIMIT 1`,
		guestID, propertyID, today, preferences.ArrivalExpected).Scan(arrivalDest(&a)...)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// cardFreeRooms lists the property's rooms nobody is in, by floor and number: only
// those are read (at a million guests about 150 of 600 rooms), since each decodes its
// features.
func (t *tx) cardFreeRooms(ctx context.Context, propertyID string) ([]preferences.Room, error) {
	return keptRead(ctx, t, &t.s.freeRooms, "rooms", propertyID,
		func() ([]preferences.Room, error) { return t.readFreeRooms(ctx, propertyID) }, cloneRooms)
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
func (t *tx) readFreeRooms(ctx context.Context, propertyID string) ([]preferences.Room, error) {
	rows, err := t.query(ctx, roomSelect+`WHERE r.property_id = ? AND NOT EXISTS (SELECT 1 FROM stays s
			WHERE s.property_id = r.property_id AND s.room = r.number AND s.check_out IS NULL)
		ORDER BY r.floor, r.number`, propertyID)
	return scanEach(rows, err, scanRoom)
}
