package benchdata

import (
	"fmt"

	"regulars/preferences"
)

// The generated hotel: 30 floors of 20 rooms.
const (
	Floors        = 30
	RoomsPerFloor = 20
)

// RoomNumber names room k (0 ≤ k < Floors*RoomsPerFloor): "101" … "3020".
func RoomNumber(k int) string { return fmt.Sprintf("%d%02d", 1+k/RoomsPerFloor, 1+k%RoomsPerFloor) }

// RoomAt describes room k. Rooms 1-5 of a floor face the river, 6-10 and 16-20 the city,
// 11-15 the park (garden below floor 10); rooms 11-20 are away from the lifts.
func RoomAt(k int) preferences.Room {
	floor, pos := 1+k/RoomsPerFloor, 1+k%RoomsPerFloor
	r := preferences.Room{Number: RoomNumber(k), Floor: floor, Bed: []string{"king", "twin", "queen", "king", "double"}[pos%5]}
	switch {
	case pos <= 5:
		r.View = "river"
	case pos >= 11 && pos <= 15 && floor >= 10:
		r.View = "park"
	case pos >= 11 && pos <= 15:
		r.View = "garden"
	default:
		r.View = "city"
	}
	r.Quiet = pos > 10
	if floor >= 5 {
		r.Features = append(r.Features, "internet")
	}
	if pos%4 == 1 {
		r.Features = append(r.Features, "bathtub")
	}
	if pos%5 == 0 {
		r.Features = append(r.Features, "hypoallergenic")
	}
	if floor == 2 && pos == 1 {
		r.Features = append(r.Features, "accessible")
	}
	r.Smoking = floor == 3 && pos >= 19
	return r
}
