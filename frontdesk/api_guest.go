package frontdesk

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// guestID copies the id path parameter: Fiber reuses its buffers after the handler returns.
func guestID(c *fiber.Ctx) string { return strings.Clone(c.Params("id")) }

func (a *API) createGuest(c *fiber.Ctx) error {
	var in preferences.GuestFields
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	g, err := a.store.CreateGuest(c.UserContext(), web.ActorOf(c), in)
	if err != nil {
		return err
	}
	c.Location("/api/guests/" + g.ID)
	return c.Status(fiber.StatusCreated).JSON(g)
}

func (a *API) showGuest(c *fiber.Ctx) error {
	d, err := a.store.GuestProfile(c.UserContext(), web.ActorOf(c), guestID(c))
	if err != nil {
		return err
	}
	return c.JSON(d)
}

func (a *API) updateGuest(c *fiber.Ctx) error {
	var in preferences.GuestFields
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	g, err := a.store.UpdateGuest(c.UserContext(), web.ActorOf(c), guestID(c), in)
	if err != nil {
		return err
	}
	return c.JSON(g)
}

func (a *API) searchGuests(c *fiber.Ctx) error {
	guests, err := a.store.SearchGuests(c.UserContext(), web.ActorOf(c), c.Query("q"), 50)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"guests": guests})
}

type lookupRequest struct {
	DocumentType   string `json:"document_type"`
	DocumentNumber string `json:"document_number"`
}

func (a *API) lookupGuest(c *fiber.Ctx) error {
	var in lookupRequest
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	g, err := a.store.LookupGuest(c.UserContext(), web.ActorOf(c), in.DocumentType, in.DocumentNumber)
	if err != nil {
		return err
	}
	return c.JSON(g)
}

func (a *API) eraseGuest(c *fiber.Ctx) error {
	if err := a.store.EraseGuest(c.UserContext(), web.ActorOf(c), guestID(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *API) exportGuest(c *fiber.Ctx) error {
	id := guestID(c)
	ex, err := a.store.ExportGuest(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="guest-`+id+`.json"`)
	return c.JSON(ex)
}

func (a *API) guestAudit(c *fiber.Ctx) error {
	return guestRecords(c, "entries", a.store.GuestAudit)
}

func (a *API) consentHistory(c *fiber.Ctx) error {
	return guestRecords(c, "consent", a.store.ConsentHistory)
}

// guestRecords answers {key: records} of a guest; the use case audits the read.
func guestRecords[T any](c *fiber.Ctx, key string, list func(ctx context.Context, actor preferences.Actor, id string) ([]T, error)) error {
	records, err := list(c.UserContext(), web.ActorOf(c), guestID(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{key: records})
}
