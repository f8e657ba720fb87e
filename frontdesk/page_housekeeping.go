package frontdesk

import (
	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

type boardFloor struct {
	Floor int
	Rooms []preferences.HousekeepingRoom
}

// boardPage is the housekeeping board: occupied rooms by floor with allergies first.
// It shows only what the store's HousekeepingRoom carries: no name, id, contact,
// document, birthday or spend. Each room read is audited against its guest.
func (p *Pages) boardPage(c *fiber.Ctx) error {
	ctx, actor := c.UserContext(), web.ActorOf(c)
	rooms, err := p.store.HousekeepingBoard(ctx)
	if err != nil {
		return err
	}
	// One entry for the board; each guest's audit shows it while they are in house.
	p.store.RecordAccess(ctx, actor, "", preferences.ActionBoardRead)
	var floors []boardFloor
	for _, r := range rooms {
		if len(floors) == 0 || floors[len(floors)-1].Floor != r.Floor {
			floors = append(floors, boardFloor{Floor: r.Floor})
		}
		floors[len(floors)-1].Rooms = append(floors[len(floors)-1].Rooms, r)
	}
	return p.views.Render(c, fiber.StatusOK, "board", "Housekeeping", map[string]any{"Floors": floors, "Count": len(rooms)})
}
