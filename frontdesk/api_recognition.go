package frontdesk

import (
	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

func (a *API) recognition(c *fiber.Ctx) error {
	ctx, id := c.UserContext(), guestID(c)
	r, err := a.store.Recognition(ctx, id)
	if err != nil {
		return err
	}
	a.store.RecordAccess(ctx, web.ActorOf(c), id, preferences.ActionRecognition)
	return c.JSON(r)
}
