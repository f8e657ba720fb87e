package preferences

import (
	"context"
	"errors"
	"slices"
	"time"
)

// checkInAttempts bounds the tries of a check-in whose room or guest another check-in
// (another connection or instance) took between reading and inserting: each lost race
// means a check-in that won, so a desk's few concurrent check-ins settle well within it.
const checkInAttempts = 8

// errCheckInRaced marks a check-in that another one beat to the room or the guest: the
// use case tries again, reading anew. After the last attempt it is the answer.
var errCheckInRaced = &Error{Code: ECONFLICT, Message: "Another check-in took the room or the guest at the same moment; try again."}

// CheckIn starts a stay in the named room of the actor's property in one transaction:
// the guest and the room must exist (ENOTFOUND), the room be free and the guest not in
// house anywhere in the group (ECONFLICT). The guest's expected arrival for today at the
// property is marked checked in; nights 0 takes its nights.
func (s *Service) CheckIn(ctx context.Context, actor Actor, guestID, room string, nights int) (Stay, error) {
	return s.checkIn(ctx, actor, guestID, nights, func(tx Tx, p Property) (Room, error) {
		r, err := tx.RoomByNumber(ctx, p.ID, room)
		if err == nil && r.Occupied {
			err = Errorf(ECONFLICT, "The room is occupied.")
		}
		return r, err
	})
}

// CheckInBestRoom checks the guest in to the free room that best meets their preferences
// (BestRooms); ENOTFOUND when no room suits. Two racing check-ins never share a room: the
// store refuses the second stay and it tries the next best room.
func (s *Service) CheckInBestRoom(ctx context.Context, actor Actor, guestID string, nights int) (Stay, error) {
	return s.checkIn(ctx, actor, guestID, nights, func(tx Tx, at Property) (Room, error) {
		p, err := tx.GuestPreferences(ctx, guestID)
		if err != nil {
			return Room{}, err
		}
		rooms, err := tx.Rooms(ctx, at.ID)
		if err != nil {
			return Room{}, err
		}
		best := BestRooms(p, rooms, 1) // occupied rooms are never suggested
		if len(best) == 0 {
			return Room{}, Errorf(ENOTFOUND, "No suitable room is free.")
		}
		return rooms[slices.IndexFunc(rooms, func(r Room) bool { return r.Number == best[0].Number })], nil
	})
}

// checkIn checks nights (0: the arrival's), then runs checkInOnce with the room pick
// chooses, again while another check-in wins the race for the room or the guest.
func (s *Service) checkIn(ctx context.Context, actor Actor, guestID string, nights int, pick func(Tx, Property) (Room, error)) (Stay, error) {
	if nights != 0 && ValidateNights(nights) != nil {
		return Stay{}, FieldErr("nights", "must be between 1 and %d", MaxNights)
	}
	for attempt := 1; ; attempt++ {
		st, err := s.checkInOnce(ctx, actor, guestID, nights, pick)
		if !errors.Is(err, errCheckInRaced) || attempt == checkInAttempts {
			return st, err
		}
	}
}

// checkInOnce is one transaction of a check-in: the guest, today's arrival, the room,
// the stay, the arrival checked in, the audit entry and the idempotent answer.
func (s *Service) checkInOnce(ctx context.Context, actor Actor, guestID string, nights int, pick func(Tx, Property) (Room, error)) (Stay, error) {
	var st Stay
	err := s.repo.Write(ctx, func(tx Tx) error {
		p, err := s.propertyOf(ctx, tx, actor)
		if err != nil {
			return err
		}
		if err := tx.LockGuest(ctx, guestID); err != nil {
			return err
		}
		// The room is read before the guest's stay: a check-in of the same guest by another
		// request, committed in between, shows as the guest in house, not as no room left.
		// The room's refusal is answered after the guest's own.
		room, refused := pick(tx, p)
		if c := ErrorCode(refused); refused != nil && c != ENOTFOUND && c != ECONFLICT {
			return refused
		}
		open, err := tx.OpenStayOf(ctx, guestID)
		if err != nil {
			return err
		}
		if open != nil {
			return Errorf(ECONFLICT, "The guest is already checked in.")
		}
		arrival, err := tx.ExpectedArrival(ctx, p.ID, guestID, s.today(p))
		switch {
		case ErrorCode(err) == ENOTFOUND && nights == 0:
			return FieldErr("nights", "is required when the guest has no arrival today")
		case ErrorCode(err) == ENOTFOUND:
		case err != nil:
			return err
		case nights == 0:
			nights = arrival.Nights
		}
		if refused != nil {
			return refused
		}
		st = Stay{ID: NewID("s"), GuestID: guestID, Room: room.Number, Floor: room.Floor,
			CheckIn: s.Now().Truncate(time.Microsecond), PlannedNights: nights, // as stored
			PropertyID: p.ID, Property: p.Code, PropertyName: p.Name, PropertyZone: p.TimeZone}
		if err := tx.InsertStay(ctx, st); err != nil {
			return raced(err)
		}
		if arrival.ID != "" {
			ok, err := tx.MarkArrivalCheckedIn(ctx, arrival.ID, st.ID)
			if err != nil {
				return err
			}
			if !ok { // checked in or cancelled since it was read: read anew
				return errCheckInRaced
			}
		}
		if err := tx.AppendAudit(ctx, s.audit(actor, guestID, ActionCheckIn, "room "+room.Number)); err != nil {
			return err
		}
		st = s.withNights(st)
		return s.keepAnswer(ctx, tx, guestID, st)
	})
	if err != nil {
		return Stay{}, err
	}
	return st, nil
}

// raced turns the store's refusal of a second open stay of the room or guest into
// errCheckInRaced.
func raced(err error) error {
	if ErrorCode(err) == ECONFLICT {
		return errCheckInRaced
	}
	return err
}

// CheckOut closes an open stay with the spend (a decimal string, optional, stored as
// given), and returns it with the guest's open follow-ups to act on at departure.
// ENOTFOUND for a stay at another property than the one the actor acts in (a
// group-scope manager naming none may close any); ECONFLICT when the stay is closed
// already, also when two check-outs race.
func (s *Service) CheckOut(ctx context.Context, actor Actor, stayID, spend string) (Stay, error) {
	if err := ValidateSpend(spend); err != nil {
		return Stay{}, err
	}
	var st Stay
	err := s.repo.Write(ctx, func(tx Tx) (err error) {
		if st, err = tx.StayByID(ctx, stayID); err != nil {
			return err
		}
		if err := s.ownStay(ctx, tx, actor, st); err != nil {
			return err
		}
		out := s.Now().Truncate(time.Microsecond) // as stored
		closed, err := tx.CloseOpenStay(ctx, stayID, out, spend)
		if err != nil {
			return err
		}
		if !closed {
			return Errorf(ECONFLICT, "The stay is already checked out.")
		}
		if err := tx.AppendAudit(ctx, s.audit(actor, st.GuestID, ActionCheckOut, "room "+st.Room)); err != nil {
			return err
		}
		st.CheckOut, st.Spend = &out, spend
		st = s.withNights(st)
		st.FollowUps, err = tx.OpenFollowUps(ctx, st.GuestID)
		return err
	})
	return st, err
}

// ownStay refuses, as not found, a stay at another property than the actor's.
func (s *Service) ownStay(ctx context.Context, tx Tx, actor Actor, st Stay) error {
	p, err := s.optionalProperty(ctx, tx, actor)
	if err != nil {
		return err
	}
	if p.ID != "" && p.ID != st.PropertyID {
		return Errorf(ENOTFOUND, "No such stay at property %s.", p.Code)
	}
	return nil
}

// GuestStays lists the stays of a guest not erased (ENOTFOUND otherwise) at every
// property of the group, newest first; the read is audited.
func (s *Service) GuestStays(ctx context.Context, actor Actor, guestID string) ([]Stay, error) {
	var stays []Stay
	err := s.repo.Read(ctx, func(tx Tx) (err error) {
		if _, err = tx.GuestByID(ctx, guestID); err != nil {
			return err
		}
		stays, err = tx.StaysByGuest(ctx, guestID)
		return err
	})
	if err != nil {
		return nil, err
	}
	for i := range stays {
		stays[i] = s.withNights(stays[i])
	}
	s.recordRead(actor, guestID, ActionStaysRead)
	return stays, nil
}

// StaysCount returns how many stays the guest has had, the current one included (0 for
// an unknown guest).
func (s *Service) StaysCount(ctx context.Context, guestID string) (int, error) {
	var n int
	err := s.repo.Read(ctx, func(tx Tx) (err error) { n, err = tx.CountGuestStays(ctx, guestID); return err })
	return n, err
}

// withNights fills in the nights the stay counts as, in its property's zone.
func (s *Service) withNights(st Stay) Stay {
	st.Nights = StayNights(st.CheckIn, st.CheckOut, st.PlannedNights, s.zone(st.PropertyZone))
	return st
}
