package frontdesk

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// guestDetail is a guest with preferences and stay count, as GET /api/guests/{id} returns it.
type guestDetail struct {
	preferences.Guest
	Preferences preferences.Preferences `json:"preferences"`
	StaysCount  int                     `json:"stays_count"`
}

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
	ctx, id := c.UserContext(), guestID(c)
	g, err := a.store.Guest(ctx, id)
	if err != nil {
		return err
	}
	d := guestDetail{Guest: g}
	if d.Preferences, err = a.store.Preferences(ctx, id); err != nil {
		return err
	}
	if d.StaysCount, err = a.store.StaysCount(ctx, id); err != nil {
		return err
	}
	a.store.RecordAccess(ctx, web.ActorOf(c), id, preferences.ActionRead)
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
	ctx := c.UserContext()
	guests, err := a.store.SearchGuests(ctx, c.Query("q"), 50)
	if err != nil {
		return err
	}
	actor := web.ActorOf(c)
	for _, g := range guests {
		a.store.RecordAccess(ctx, actor, g.ID, preferences.ActionSearch)
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
	ctx := c.UserContext()
	g, err := a.store.LookupGuest(ctx, in.DocumentType, in.DocumentNumber)
	if err != nil {
		return err
	}
	a.store.RecordAccess(ctx, web.ActorOf(c), g.ID, preferences.ActionLookup)
	return c.JSON(g)
}

func (a *API) eraseGuest(c *fiber.Ctx) error {
	if err := a.store.EraseGuest(c.UserContext(), web.ActorOf(c), guestID(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *API) exportGuest(c *fiber.Ctx) error {
	ctx, id := c.UserContext(), guestID(c)
	ex, err := a.store.ExportGuest(ctx, id)
	if err != nil {
		return err
	}
	a.store.RecordAccess(ctx, web.ActorOf(c), id, preferences.ActionExport)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="guest-`+id+`.json"`)
	return c.JSON(ex)
}

func (a *API) guestAudit(c *fiber.Ctx) error {
	return guestRecords(a, c, preferences.ActionAuditRead, "entries", a.store.GuestAudit)
}

func (a *API) consentHistory(c *fiber.Ctx) error {
	return guestRecords(a, c, preferences.ActionRead, "consent", a.store.ConsentHistory)
}

// guestRecords answers {key: records} for an existing guest and audits the read.
func guestRecords[T any](a *API, c *fiber.Ctx, action, key string, list func(ctx context.Context, id string) ([]T, error)) error {
	ctx, id := c.UserContext(), guestID(c)
	if _, err := a.store.Guest(ctx, id); err != nil {
		return err
	}
	records, err := list(ctx, id)
	if err != nil {
		return err
	}
	a.store.RecordAccess(ctx, web.ActorOf(c), id, action)
	return c.JSON(fiber.Map{key: records})
}
