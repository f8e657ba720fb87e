package preferences

import "context"

// StayRepo keeps rooms, arrivals and stays.
type StayRepo interface {
	// UpsertRoom creates or replaces a room (not its occupancy).
	UpsertRoom(ctx context.Context, r Room) error
	// Rooms lists every room with its occupancy, by floor and number.
	Rooms(ctx context.Context) ([]Room, error)
	// InsertStay stores a stay as it is (check-out nil: in house). Occupancy is kept by
	// the store: a second open stay of the room or of the guest is an ECONFLICT.
	InsertStay(ctx context.Context, s Stay) error
}
