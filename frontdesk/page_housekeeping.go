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
	rooms, err := p.store.HousekeepingBoard(c.UserContext(), web.ActorOf(c))
	if err != nil {
		return err
	}
	var floors []boardFloor
	for _, r := range rooms {
		if len(floors) == 0 || floors[len(floors)-1].Floor != r.Floor {
			floors = append(floors, boardFloor{Floor: r.Floor})
		}
		floors[len(floors)-1].Rooms = append(floors[len(floors)-1].Rooms, r)
	}
	return p.views.Render(c, fiber.StatusOK, "board", "Housekeeping", map[string]any{"Floors": floors, "Count": len(rooms)})
}
