package preferences

import (
	"context"
	"slices"
	"time"
)

// PutRoom creates or replaces a room of the actor's property.
func (s *Service) PutRoom(ctx context.Context, actor Actor, r Room) (Room, error) {
	r.Normalize()
	if err := r.Validate(); err != nil {
		return r, err
	}
	r.UpdatedAt = s.Now()
	err := s.repo.Write(ctx, func(tx Tx) error {
		p, err := s.propertyOf(ctx, tx, actor)
		if err != nil {
			return err
		}
		return tx.UpsertRoom(ctx, p.ID, r)
	})
	return r, err
}

// Rooms lists every room of the actor's property with its occupancy, by floor and number.
func (s *Service) Rooms(ctx context.Context, actor Actor) ([]Room, error) {
	var rooms []Room
	err := s.repo.Read(ctx, func(tx Tx) error {
		p, err := s.propertyOf(ctx, tx, actor)
		if err == nil {
			rooms, err = tx.Rooms(ctx, p.ID)
		}
		return err
	})
	return rooms, err
}

// PastStay is a completed stay loaded from history (demo data, imports). Nights is the
// planned (booked) nights; the nights reported are counted from CheckIn and CheckOut.
// Property is the code of the property ("": the only one).
type PastStay struct {
	Property          string
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
	return s.repo.Write(ctx, func(tx Tx) error {
		prop, err := s.propertyOf(ctx, tx, Actor{Chosen: p.Property})
		if err != nil {
			return err
		}
		stay.PropertyID = prop.ID
		return tx.InsertStay(ctx, stay)
	})
}

// FreeRooms lists the rooms of the actor's property nobody is in, by floor and number.
func (s *Service) FreeRooms(ctx context.Context, actor Actor) ([]Room, error) {
	rooms, err := s.Rooms(ctx, actor)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(rooms, func(r Room) bool { return r.Occupied }), nil
}
