package preferences

import (
	"cmp"
	"context"
	"slices"
	"strings"
)

// HousekeepingBoard lists the occupied rooms of the actor's property by floor and number, each with the guest's
// allergies (most severe first), laundry and amenity instructions and the notes
// addressed to housekeeping: nothing else of the guest (no name, contact, document,
// birthday or spend). The read is recorded once, in board_reads; a guest's audit shows
// it while the guest is in house.
func (s *Service) HousekeepingBoard(ctx context.Context, actor Actor) ([]HousekeepingRoom, error) {
	var rows []BoardRow
	err := s.repo.Read(ctx, func(tx Tx) error {
		p, err := s.propertyOf(ctx, tx, actor)
		if err == nil {
			rows, err = tx.BoardRows(ctx, p.ID)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	board := make([]HousekeepingRoom, len(rows))
	for i, b := range rows {
		p := b.Preferences
		board[i] = HousekeepingRoom{GuestID: b.GuestID, Room: b.Room, Floor: b.Floor, Allergies: bySeverity(p.Allergies),
			Laundry: p.Housekeeping.Laundry, Amenities: listOrEmpty(p.Housekeeping.Amenities), Notes: listOrEmpty(b.Notes)}
	}
	// By floor, then number in byte order, whatever the engine's collation.
	slices.SortStableFunc(board, func(a, b HousekeepingRoom) int {
		return cmp.Or(cmp.Compare(a.Floor, b.Floor), strings.Compare(a.Room, b.Room))
	})
	s.recordRead(actor, "", ActionBoardRead)
	return board, nil
}

// bySeverity returns the allergies with the most severe first, otherwise in their order.
func bySeverity(a []Allergy) []Allergy {
	rank := map[string]int{"severe": 0, "moderate": 1, "mild": 2}
	out := append([]Allergy{}, a...)
	slices.SortStableFunc(out, func(x, y Allergy) int { return cmp.Compare(rank[x.Severity], rank[y.Severity]) })
	return out
}

// listOrEmpty is list, or an empty list for nil: clients always see arrays.
func listOrEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
