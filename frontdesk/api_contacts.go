package frontdesk

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// Pages of GET /api/keep-in-touch.
const (
	defaultKeepInTouchPage = 50
	maxKeepInTouchPage     = 200
)

// mountContacts registers the contact log and the keep-in-touch list. The list is the
// desk's as well as the manager's: the desk sets the rhythms (sales work on desk
// accounts), and it names no more than a profile shows the desk.
func (a *API) mountContacts(r fiber.Router, once fiber.Handler) {
	r.Post("/guests/:id/contacts", desk, once, a.logContact)
	r.Get("/guests/:id/contacts", desk, a.guestContacts)
	r.Get("/keep-in-touch", desk, a.keepInTouch)
}

func (a *API) logContact(c *fiber.Ctx) error {
	var in preferences.ContactInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	contact, err := a.store.LogContact(c.UserContext(), web.ActorOf(c), guestID(c), in)
	if err != nil {
		return alreadySentProblem(c, err)
	}
	return c.Status(fiber.StatusCreated).JSON(contact)
}

// repeatProblem is the 409 of a repeated material: the problem with who sent it and when.
type repeatProblem struct {
	web.Problem
	SentBy string    `json:"sent_by"`
	SentAt time.Time `json:"sent_at"`
}

// alreadySentProblem answers a repeated material's refusal with sent_by and sent_at;
// any other error goes on to the error handler.
func alreadySentProblem(c *fiber.Ctx, err error) error {
	var sent *preferences.MaterialAlreadySent
	if !errors.As(err, &sent) {
		return err
	}
	p := web.ProblemFor(err)
	p.Errors = []preferences.FieldError{{Field: "material", Message: "was sent to this guest within 180 days"}}
	if err := c.Status(p.Status).JSON(repeatProblem{Problem: p, SentBy: sent.SentBy, SentAt: sent.SentAt}); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/problem+json")
	return nil
}

func (a *API) guestContacts(c *fiber.Ctx) error {
	list, err := a.store.GuestContacts(c.UserContext(), web.ActorOf(c), guestID(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"contacts": list})
}

func (a *API) keepInTouch(c *fiber.Ctx) error {
	limit, err := queryNumber(c, "limit", defaultKeepInTouchPage, 1, maxKeepInTouchPage)
	if err != nil {
		return err
	}
	offset, err := queryNumber(c, "offset", 0, 0, 1_000_000)
	if err != nil {
		return err
	}
	list, total, err := a.store.KeepInTouchDue(c.UserContext(), web.ActorOf(c), limit, offset)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"guests": list, "total": total, "limit": limit, "offset": offset})
}

// queryNumber reads a whole-number query parameter within lo..hi; def when absent.
func queryNumber(c *fiber.Ctx, name string, def, lo, hi int) (int, error) {
	s := c.Query(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, preferences.FieldErr(name, "must be a whole number from %d to %d", lo, hi)
	}
	return n, nil
}
