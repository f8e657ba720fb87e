package sqlite

import (
	"context"
	"database/sql"
	"time"

	"regulars/preferences"
)

// cardRow is what one query reads for the recognition card: the guest with documents
// and preferences, the stay count and the last stay (kept in the guests row, migration
// 0008), the current stay's id and whether there is anything to read for an expected
// arrival, open follow-ups and notes (most guests have none; kept in the guests row,
// migration 0010), and the open stays' version for the free rooms.
type cardRow struct {
	guest                     preferences.Guest
	prefs                     string
	staysCount                int
	last                      lastStayRow
	inHouse                   sql.NullString
	arrival, followUps, notes bool // arrival: an expected one of any date
	openStaysVersion          uint64
}

// lastStayRow is the copy of the last stay in the guests row; all NULL when none.
type lastStayRow struct {
	id, room, in, out, spend sql.NullString
	planned                  sql.NullInt64
}

// stay returns the last stay of the guest, nil when there is none. Its floor is the
// room's in rooms, 0 when the room is no longer in the hotel's list (as the stays'
// reads join rooms).
func (r *lastStayRow) stay(guestID string, rooms *roomList, loc *time.Location) *preferences.Stay {
	if !r.id.Valid {
		return nil
	}
	s := &preferences.Stay{ID: r.id.String, GuestID: guestID, Room: r.room.String, Floor: rooms.floor(r.room.String),
		CheckIn: parseTime(r.in.String), CheckOut: nullTime(r.out), PlannedNights: int(r.planned.Int64), Spend: r.spend.String}
	s.Nights = preferences.StayNights(s.CheckIn, s.CheckOut, s.PlannedNights, loc)
	return s
}

// cardQuery uses sub-queries rather than joins: a join to stays here cost several
// times the whole query.
const cardQuery = `SELECT ` + guestColumns + `, g.preferences, g.stays_count,
		g.last_stay_id, g.last_stay_room, g.last_stay_check_in, g.last_stay_check_out, g.last_stay_planned_nights, g.last_stay_spend,
		g.open_stay_id, g.expected_arrivals > 0, g.open_follow_ups > 0, g.notes_count > 0,
		(` + openStaysVersionQuery + `)
	FROM guests g WHERE g.id = ? AND g.erased_at IS NULL`

// cardExtraColumns is the number of cardQuery's columns after guestColumns.
const cardExtraColumns = 13

// card reads the card's row of a guest; ENOTFOUND for an unknown or erased guest.
func (db *DB) card(ctx context.Context, id string) (cardRow, error) {
	var c cardRow
	r := make(driverRow, guestColumnCount+cardExtraColumns)
	if err := db.readRow(ctx, r, cardQuery, id); err == sql.ErrNoRows {
		return c, notFound("guest")
	} else if err != nil {
		return c, err
	}
	c.guest = guestFrom(r)
	r = r[guestColumnCount:]
	c.prefs, c.staysCount = r.text(0), int(r.integer(1))
	c.last = lastStayRow{id: r.nullText(2), room: r.nullText(3), in: r.nullText(4),
		out: r.nullText(5), planned: r.nullInteger(6), spend: r.nullText(7)}
	c.inHouse = r.nullText(8)
	c.arrival, c.followUps, c.notes = r.integer(9) != 0, r.integer(10) != 0, r.integer(11) != 0
	c.openStaysVersion = uint64(r.integer(12))
	return c, nil
}

// guestArrivalToday is arrivalToday for a guest already read through q (so known not
// erased): it leaves out the join that checks the guest again.
func (db *DB) guestArrivalToday(ctx context.Context, q querier, guestID string) (preferences.Arrival, error) {
	a, err := scanArrival(q.QueryRowContext(ctx, `SELECT `+arrivalColumns+` FROM arrivals a
		WHERE a.guest_id = ? AND a.arrival_date = ? AND a.status = 'expected' ORDER BY a.created_at, a.id LIMIT 1`,
		guestID, db.today()))
	if err == sql.ErrNoRows {
		return a, notFound("arrival")
	}
	return a, err
}
