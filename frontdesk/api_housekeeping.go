package frontdesk

import (
	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// housekeepingBoard lists occupied rooms with allergies, laundry, amenities and
// housekeeping notes only; reading a guest's instructions is audited per guest.
func (a *API) housekeepingBoard(c *fiber.Ctx) error {
	ctx := c.UserContext()
	rooms, err := a.store.HousekeepingBoard(ctx)
	if err != nil {
		return err
	}
	actor := web.ActorOf(c)
	// One entry for the board; each guest's audit shows it while they are in house.
	a.store.RecordAccess(ctx, actor, "", preferences.ActionBoardRead)
	body, err := a.board.encode(rooms)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(body)
}
