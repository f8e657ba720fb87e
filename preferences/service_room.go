package preferences

import (
	"context"
	"slices"
	"time"
)

// PutRoom creates or replaces a room.
func (s *Service) PutRoom(ctx context.Context, actor Actor, r Room) (Room, error) {
	r.Normalize()
	if err := r.Validate(); err != nil {
		return r, err
	}
	r.UpdatedAt = s.Now()
	err := s.repo.Write(ctx, func(tx Tx) error { return tx.UpsertRoom(ctx, r) })
	return r, err
}

// Rooms lists every room with its occupancy, by floor and number.
func (s *Service) Rooms(ctx context.Context) ([]Room, error) {
	var rooms []Room
	err := s.repo.Read(ctx, func(tx Tx) (err error) { rooms, err = tx.Rooms(ctx); return err })
	return rooms, err
}

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
func (s *Service) RecordPastStay(ctx context.Context, p PastStay) error {
	out := p.CheckOut
	stay := Stay{ID: NewID("s"), GuestID: p.GuestID, Room: p.Room, CheckIn: p.CheckIn, CheckOut: &out, PlannedNights: p.Nights, Spend: p.Spend}
	return s.repo.Write(ctx, func(tx Tx) error { return tx.InsertStay(ctx, stay) })
}

// FreeRooms lists the rooms nobody is in, by floor and number.
func (s *Service) FreeRooms(ctx context.Context) ([]Room, error) {
	rooms, err := s.Rooms(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(rooms, func(r Room) bool { return r.Occupied }), nil
}
