package sqlite

import (
	"context"
	"database/sql"
	"time"

	"regulars/preferences"
)

// PastStay is a completed stay loaded from history (demo data, imports). Nights is the
// planned (booked) nights; the nights reported are counted from CheckIn and CheckOut.
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

const stayColumns = `s.id, s.guest_id, s.room, COALESCE(r.floor, 0), s.check_in, s.check_out, s.planned_nights, s.spend`

const stayFrom = ` FROM stays s LEFT JOIN rooms r ON r.number = s.room `

// scanStay reads a row of stayColumns; Nights is counted in the hotel's zone.
func (db *DB) scanStay(row scanner) (preferences.Stay, error) {
	var s preferences.Stay
	var in string
	var out sql.NullString
	if err := row.Scan(&s.ID, &s.GuestID, &s.Room, &s.Floor, &in, &out, &s.PlannedNights, &s.Spend); err != nil {
		return s, err
	}
	s.CheckIn, s.CheckOut = parseTime(in), nullTime(out)
	s.Nights = preferences.StayNights(s.CheckIn, s.CheckOut, s.PlannedNights, db.loc)
	return s, nil
}

func (db *DB) stay(ctx context.Context, q querier, id string) (preferences.Stay, error) {
	s, err := db.scanStay(q.QueryRowContext(ctx, `SELECT `+stayColumns+stayFrom+`WHERE s.id = ?`, id))
	if err == sql.ErrNoRows {
		return s, notFound("stay")
	}
	return s, err
}

func (db *DB) stays(ctx context.Context, q querier, where string, args ...any) ([]preferences.Stay, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+stayColumns+stayFrom+`WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.Stay{}
	for rows.Next() {
		s, err := db.scanStay(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// GuestStays lists the guest's stays, newest first.
func (db *DB) GuestStays(ctx context.Context, guestID string) ([]preferences.Stay, error) {
	if _, err := db.guest(ctx, db.read, guestID); err != nil {
		return nil, err
	}
	return db.stays(ctx, db.read, `s.guest_id = ? ORDER BY s.check_in DESC, s.id`, guestID)
}

var (
	errRoomOccupied = preferences.Errorf(preferences.ECONFLICT, "The room is occupied.")
	errInHouse      = preferences.Errorf(preferences.ECONFLICT, "The guest is already checked in.")
	errNoRoom       = preferences.Errorf(preferences.ENOTFOUND, "No suitable room is free.")
)

// CheckIn starts a stay in one write transaction: the guest and room must exist, the
// room must be free and the guest not in house (ECONFLICT otherwise); the guest's
// expected arrival for today is marked checked in. nights 0 takes the arrival's nights.
func (db *DB) CheckIn(ctx context.Context, actor preferences.Actor, guestID, room string, nights int) (preferences.Stay, error) {
	return db.checkIn(ctx, guestID, nights, func(tx *sql.Tx, nights int, arrival string) (preferences.Stay, error) {
		return db.checkInTx(ctx, tx, actor, guestID, room, nights, arrival)
	})
}

// CheckInBestRoom checks the guest in to the free room ranked first for their
// preferences. The choice and the insert happen in one write transaction, so two
// callers never get the same room; should a room be taken anyway (a backend with
// concurrent writers), the next one is tried.
func (db *DB) CheckInBestRoom(ctx context.Context, actor preferences.Actor, guestID string, nights int) (preferences.Stay, error) {
	return db.checkIn(ctx, guestID, nights, func(tx *sql.Tx, nights int, arrival string) (preferences.Stay, error) {
		p, err := db.preferences(ctx, tx, guestID)
		if err != nil {
			return preferences.Stay{}, err
		}
		free, err := db.freeRooms(ctx, tx)
		if err != nil {
			return preferences.Stay{}, err
		}
		for _, r := range preferences.RankRooms(p, free) {
			s, err := db.checkInTx(ctx, tx, actor, guestID, r.Number, nights, arrival)
			if err != errRoomOccupied {
				return s, err
			}
		}
		return preferences.Stay{}, errNoRoom
	})
}

// checkIn checks nights, then in one write transaction checks the guest (prepareCheckIn)
// and lets insert start the stay with the nights and today's arrival id ("" if none).
func (db *DB) checkIn(ctx context.Context, guestID string, nights int,
	insert func(tx *sql.Tx, nights int, arrival string) (preferences.Stay, error)) (preferences.Stay, error) {
	if err := checkNights(nights); err != nil {
		return preferences.Stay{}, err
	}
	var s preferences.Stay
	var version uint64
	err := db.inTxThen(ctx, func(ctx context.Context, tx *sql.Tx) error {
		arrival, err := db.prepareCheckIn(ctx, tx, guestID, &nights)
		if err != nil {
			return err
		}
		if s, err = insert(tx, nights, arrival); err != nil {
			return err
		}
		if version, err = openStaysVersionTx(ctx, tx); err != nil {
			return err
		}
		return db.keepAnswer(ctx, tx, guestID, func() (any, error) { return s, nil })
	}, func() { db.stayChanged(version, s.Room, s.GuestID) })
	return s, err
}

// checkNights accepts 0 (take the arrival's nights) or a valid number of nights.
func checkNights(n int) error {
	if n == 0 || preferences.ValidateNights(n) == nil {
		return nil
	}
	return preferences.FieldErr("nights", "must be between 1 and %d", preferences.MaxNights)
}

// prepareCheckIn checks the guest and returns today's expected arrival id ("" if none),
// filling nights from it when 0.
func (db *DB) prepareCheckIn(ctx context.Context, tx *sql.Tx, guestID string, nights *int) (string, error) {
	// The guests row knows whether the guest is in house and has expected arrivals
	// (migration 0010): most check-ins need no look at the arrivals.
	var inHouse, expected bool
	err := tx.QueryRowContext(ctx, `SELECT g.open_stay_id IS NOT NULL, g.expected_arrivals > 0
		FROM guests g WHERE g.id = ? AND g.erased_at IS NULL`, guestID).Scan(&inHouse, &expected)
	if err == sql.ErrNoRows {
		return "", notFound("guest")
	}
	if err != nil {
		return "", err
	}
	if inHouse {
		return "", errInHouse
	}
	a, err := preferences.Arrival{}, notFound("arrival")
	if expected {
		a, err = db.guestArrivalToday(ctx, tx, guestID)
	}
	if preferences.ErrorCode(err) == preferences.ENOTFOUND {
		if *nights == 0 {
			return "", preferences.FieldErr("nights", "is required when the guest has no arrival today")
		}
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if *nights == 0 {
		*nights = a.Nights
	}
	return a.ID, nil
}

func (db *DB) checkInTx(ctx context.Context, tx *sql.Tx, actor preferences.Actor, guestID, room string, nights int, arrivalID string) (preferences.Stay, error) {
	var occupied bool
	var floor int
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM stays WHERE room = r.number AND check_out IS NULL), r.floor
		FROM rooms r WHERE r.number = ?`, room).Scan(&occupied, &floor)
	if err == sql.ErrNoRows {
		return preferences.Stay{}, notFound("room")
	}
	if err != nil {
		return preferences.Stay{}, err
	}
	if occupied {
		return preferences.Stay{}, errRoomOccupied
	}
	id, in := newID("s"), db.nowText()
	_, err = tx.ExecContext(ctx, `INSERT INTO stays (id, guest_id, room, check_in, planned_nights) VALUES (?, ?, ?, ?, ?)`,
		id, guestID, room, in, nights)
	if isUnique(err) {
		return preferences.Stay{}, errRoomOccupied
	}
	if err != nil {
		return preferences.Stay{}, err
	}
	if arrivalID != "" {
		if _, err := tx.ExecContext(ctx, `UPDATE arrivals SET status = 'checked_in', stay_id = ? WHERE id = ?`, id, arrivalID); err != nil {
			return preferences.Stay{}, err
		}
	}
	if err := db.auditTx(ctx, tx, actor, guestID, preferences.ActionCheckIn, "room "+room); err != nil {
		return preferences.Stay{}, err
	}
	// The stay as stored, as scanStay would read it back.
	st := preferences.Stay{ID: id, GuestID: guestID, Room: room, Floor: floor, CheckIn: parseTime(in), PlannedNights: nights}
	st.Nights = preferences.StayNights(st.CheckIn, nil, nights, db.loc)
	return st, nil
}

// CheckOut closes an open stay with the spend (a decimal string, stored as given) and
// returns it with the guest's open follow-ups. ECONFLICT when it is already closed.
func (db *DB) CheckOut(ctx context.Context, actor preferences.Actor, stayID, spend string) (preferences.Stay, error) {
	if err := preferences.ValidateSpend(spend); err != nil {
		return preferences.Stay{}, err
	}
	var s preferences.Stay
	var version uint64
	err := db.inTxThen(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		if s, err = db.stay(ctx, tx, stayID); err != nil {
			return err
		}
		if s.CheckOut != nil {
			return preferences.Errorf(preferences.ECONFLICT, "The stay is already checked out.")
		}
		out := db.nowText()
		if _, err := tx.ExecContext(ctx, `UPDATE stays SET check_out = ?, spend = ? WHERE id = ?`, out, spend, stayID); err != nil {
			return err
		}
		if err := db.auditTx(ctx, tx, actor, s.GuestID, preferences.ActionCheckOut, "room "+s.Room); err != nil {
			return err
		}
		// The stay as stored now, as scanStay would read it back.
		s.CheckOut, s.Spend = nullTime(sql.NullString{String: out, Valid: true}), spend
		s.Nights = preferences.StayNights(s.CheckIn, s.CheckOut, s.PlannedNights, db.loc)
		// Most guests have no open follow-up; the guests row counts them (migration 0010).
		// The open stays' version, bumped by the update, comes with it (for stayChanged).
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT open_follow_ups, (`+openStaysVersionQuery+`) FROM guests WHERE id = ?`,
			s.GuestID).Scan(&open, &version); err != nil {
			return err
		}
		s.FollowUps = []preferences.FollowUp{}
		if open > 0 {
			s.FollowUps, err = db.openFollowUps(ctx, tx, s.GuestID)
		}
		return err
	}, func() { db.stayChanged(version, s.Room, "") })
	return s, err
}
