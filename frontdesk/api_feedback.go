package frontdesk

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

func (a *API) addFeedback(c *fiber.Ctx) error {
	var in preferences.FeedbackInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	f, err := a.store.AddFeedback(c.UserContext(), web.ActorOf(c), guestID(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(f)
}

func (a *API) resolveFeedback(c *fiber.Ctx) error {
	var in preferences.Resolution
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	f, err := a.store.ResolveFeedback(c.UserContext(), web.ActorOf(c), pathParam(c, "id"), in)
	if err != nil {
		return err
	}
	return c.JSON(f)
}

// listFeedback lists feedback by status (default all), oldest first with age in days.
func (a *API) listFeedback(c *fiber.Ctx) error {
	list, err := a.store.FeedbackList(c.UserContext(), web.ActorOf(c), strings.Clone(c.Query("status")))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"feedback": list})
}

func (a *API) followUpDone(c *fiber.Ctx) error {
	f, err := a.store.FollowUpDone(c.UserContext(), web.ActorOf(c), pathParam(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(f)
}
