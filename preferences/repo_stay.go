package preferences

import (
	"context"
	"time"
)

// StayRepo keeps rooms, arrivals and stays. Stays come back with the floor their room
// has now and Nights left 0: the use case counts nights in the hotel's zone.
type StayRepo interface {
	// UpsertRoom creates or replaces a room of the property (not its occupancy).
	UpsertRoom(ctx context.Context, propertyID string, r Room) error
	// Rooms lists every room of the property with its occupancy, by floor and number.
	Rooms(ctx context.Context, propertyID string) ([]Room, error)
	// RoomByNumber returns a room of the property with its occupancy; ENOTFOUND when
	// there is none.
	RoomByNumber(ctx context.Context, propertyID, number string) (Room, error)

	// InsertStay stores a stay as it is (check-out nil: in house), at its PropertyID.
	// Occupancy is kept by the store: a second open stay of the room or of the guest is
	// an ECONFLICT.
	InsertStay(ctx context.Context, s Stay) error
	// Stays come back with their property's code, name and zone.
	// StayByID returns a stay; ENOTFOUND when there is none.
	StayByID(ctx context.Context, id string) (Stay, error)
	// OpenStayOf returns the guest's stay in house, nil when the guest is not in house.
	OpenStayOf(ctx context.Context, guestID string) (*Stay, error)
	// StaysByGuest lists the guest's stays, the latest check-in first.
	StaysByGuest(ctx context.Context, guestID string) ([]Stay, error)
	// CountGuestStays counts the guest's stays, the one in house included.
	CountGuestStays(ctx context.Context, guestID string) (int, error)
	// CloseOpenStay sets the check-out and spend of the stay if it is still open, and
	// reports whether it was (false: closed already, or no such stay).
	CloseOpenStay(ctx context.Context, id string, checkOut time.Time, spend string) (bool, error)

	// InsertArrival stores a new arrival (no stay yet) at its PropertyID, created at by;
	// ECONFLICT when its reference (when not empty) is another arrival's of the property.
	InsertArrival(ctx context.Context, a Arrival, at time.Time, by string) error
	// ExpectedArrival returns the guest's arrival of date at the property still expected
	// (the first created, should there be several) of a guest not erased; ENOTFOUND
	// otherwise.
	ExpectedArrival(ctx context.Context, propertyID, guestID, date string) (Arrival, error)
	// ExpectedArrivalByReference is ExpectedArrival found by its PMS reference.
	ExpectedArrivalByReference(ctx context.Context, propertyID, reference, date string) (Arrival, error)
	// MarkArrivalCheckedIn turns an expected arrival into one checked in to the stay, and
	// reports whether it was still expected.
	MarkArrivalCheckedIn(ctx context.Context, arrivalID, stayID string) (bool, error)
	// ArrivalsOn lists the property's arrivals of date not cancelled, of guests not erased, in no
	// particular order, with two counts filled in: StaysCount (the guest's closed stays
	// other than the one the arrival was checked in to) and OpenFollowUps. The other
	// fields of the cards are left to the caller.
	ArrivalsOn(ctx context.Context, propertyID, date string) ([]ArrivalCard, error)
}
