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
	ctx := c.UserContext()
	list, err := a.store.FeedbackList(ctx, strings.Clone(c.Query("status")))
	if err != nil {
		return err
	}
	actor, seen := web.ActorOf(c), map[string]bool{}
	for _, f := range list {
		if !seen[f.GuestID] {
			seen[f.GuestID] = true
			a.store.RecordAccess(ctx, actor, f.GuestID, preferences.ActionFeedbackRead)
		}
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
