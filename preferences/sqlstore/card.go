package sqlstore

import (
	"context"
	"slices"
	"time"

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

// cardFactsPortable reads the card's facts with a few queries in any engine. SQLite
// sorts even two rows in a sorter it sets up for the statement (about 10 µs a query at
// a million guests), so the short lists are put in order here instead.
func (t *tx) cardFactsPortable(ctx context.Context, guestID, today string) (preferences.CardFacts, error) {
	var f preferences.CardFacts
	var err error
	if f.Guest, f.Preferences, err = t.cardGuest(ctx, guestID); err != nil {
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

// cardStays reads the guest's stays to find the open one, the last closed one (latest
// check-in, then lowest id) and their number; a regular has tens, not thousands.
func (t *tx) cardStays(ctx context.Context, guestID string, f *preferences.CardFacts) error {
	rows, err := t.query(ctx, `SELECT s.id, s.room, COALESCE(r.floor, 0), s.check_in, s.check_out, s.planned_nights, s.spend
		FROM stays s LEFT JOIN rooms r ON r.number = s.room WHERE s.guest_id = ?`, guestID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		s := preferences.Stay{GuestID: guestID}
		if err := rows.Scan(&s.ID, &s.Room, &s.Floor, scanAt(&s.CheckIn), scanAtOrNil(&s.CheckOut), &s.PlannedNights, &s.Spend); err != nil {
			return err
		}
		f.StaysCount++
		switch last := f.LastStay; {
		case s.CheckOut == nil:
			f.InHouse = &s
		case last == nil || s.CheckIn.After(last.CheckIn) || s.CheckIn.Equal(last.CheckIn) && s.ID < last.ID:
			f.LastStay = &s
		}
	}
	return rows.Err()
}

// cardArrival returns the guest's first expected arrival dated today (by creation, then
// id), nil for none.
func (t *tx) cardArrival(ctx context.Context, guestID, today string) (*preferences.Arrival, error) {
	rows, err := t.query(ctx, `SELECT id, guest_id, arrival_date, nights, reference, status, COALESCE(stay_id, ''), created_at
		FROM arrivals WHERE guest_id = ? AND arrival_date = ? AND status = ?`, guestID, today, preferences.ArrivalExpected)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var first *preferences.Arrival
	var firstAt time.Time
	for rows.Next() {
		var a preferences.Arrival
		var at time.Time
		if err := rows.Scan(&a.ID, &a.GuestID, &a.ArrivalDate, &a.Nights, &a.Reference, &a.Status, &a.StayID, scanAt(&at)); err != nil {
			return nil, err
		}
		if first == nil || at.Before(firstAt) || at.Equal(firstAt) && a.ID < first.ID {
			first, firstAt = &a, at
		}
	}
	return first, rows.Err()
}

// cardFreeRooms lists the rooms nobody is in, by floor and number: only those are read
// (at a million guests about 150 of 600 rooms), since each decodes its features.
func (t *tx) cardFreeRooms(ctx context.Context) ([]preferences.Room, error) {
	return keptRead(ctx, t, &t.s.freeRooms, "rooms", func() ([]preferences.Room, error) { return t.readFreeRooms(ctx) }, cloneRooms)
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
func (t *tx) readFreeRooms(ctx context.Context) ([]preferences.Room, error) {
	rows, err := t.query(ctx, roomSelect+`WHERE NOT EXISTS (SELECT 1 FROM stays s WHERE s.room = r.number AND s.check_out IS NULL)
		ORDER BY r.floor, r.number`)
	return scanEach(rows, err, scanRoom)
}
