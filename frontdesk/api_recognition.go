package frontdesk

import (
	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
)

func (a *API) recognition(c *fiber.Ctx) error {
	r, err := a.store.Recognition(c.UserContext(), web.ActorOf(c), guestID(c))
	if err != nil {
		return err
	}
	return c.JSON(r)
}
