package frontdesk

import (
	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
)

// housekeepingBoard lists occupied rooms with allergies, laundry, amenities and
// housekeeping notes only; reading a guest's instructions is audited per guest.
func (a *API) housekeepingBoard(c *fiber.Ctx) error {
	rooms, err := a.store.HousekeepingBoard(c.UserContext(), web.ActorOf(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"rooms": rooms})
}
