package sqlstore

import (
	"context"
	"slices"
	"time"

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

// cardFactsPortable reads the card's facts with a few queries in any engine. SQLite
// sorts even two rows in a sorter it sets up for the statement (about 10 µs a query at
// a million guests), so the short lists are put in order here instead.
func (t *tx) cardFactsPortable(ctx context.Context, guestID, propertyID, today string) (preferences.CardFacts, error) {
	var f preferences.CardFacts
	var err error
	if f.Guest, f.Preferences, err = t.cardGuest(ctx, guestID); err != nil {
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

// cardGuest reads the guest (ENOTFOUND when unknown or erased), its documents and its
// preferences in one statement.
func (t *tx) cardGuest(ctx context.Context, guestID string) (preferences.Guest, preferences.Preferences, error) {
	g, raw, err := t.guestRow(ctx, `g.preferences`, `g.id = ?`, guestID)
	if err != nil {
		return g, preferences.Preferences{}, err
	}
	p, err := decodePreferences(raw)
	return g, p, err
}

// cardStays reads the guest's stays at every property to find the open one, the last
// closed one (latest check-in, then lowest id), their number and the number of closed
// ones at the property; a regular has tens, not thousands.
func (t *tx) cardStays(ctx context.Context, guestID, propertyID string, f *preferences.CardFacts) error {
	rows, err := t.query(ctx, staySelect+`s.guest_id = ?`, guestID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s preferences.Stay
		if err := rows.Scan(stayDest(&s)...); err != nil {
			return err
		}
		f.StaysCount++
		if s.CheckOut != nil && s.PropertyID == propertyID {
			f.StaysHere++
		}
		switch last := f.LastStay; {
		case s.CheckOut == nil:
			f.InHouse = &s
		case last == nil || s.CheckIn.After(last.CheckIn) || s.CheckIn.Equal(last.CheckIn) && s.ID < last.ID:
			f.LastStay = &s
		}
	}
	return rows.Err()
}

// cardArrival returns the guest's first expected arrival at the property dated today
// (by creation, then id), nil for none.
func (t *tx) cardArrival(ctx context.Context, guestID, propertyID, today string) (*preferences.Arrival, error) {
	rows, err := t.query(ctx, `SELECT `+arrivalColumns+`, a.created_at FROM arrivals a
		WHERE a.guest_id = ? AND a.property_id = ? AND a.arrival_date = ? AND a.status = ?`,
		guestID, propertyID, today, preferences.ArrivalExpected)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var first *preferences.Arrival
	var firstAt time.Time
	for rows.Next() {
		var a preferences.Arrival
		var at time.Time
		if err := rows.Scan(append(arrivalDest(&a), scanAt(&at))...); err != nil {
			return nil, err
		}
		if first == nil || at.Before(firstAt) || at.Equal(firstAt) && a.ID < first.ID {
			first, firstAt = &a, at
		}
	}
	return first, rows.Err()
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
	n := 0
	for _, r := range rooms {
		n += len(r.Features)
	}
	features := make([]string, 0, n) // one array for all the rooms' features
	out := slices.Clone(rooms)
	for i := range out {
		if out[i].Features != nil {
			out[i].Features = copyInto(&features, out[i].Features)
		}
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
