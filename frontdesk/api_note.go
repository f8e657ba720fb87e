package frontdesk

import (
	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// noteInput is the body of POST /api/guests/{id}/notes.
type noteInput struct {
	Department string `json:"department"`
	Text       string `json:"text"`
}

func (a *API) addNote(c *fiber.Ctx) error {
	var in noteInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	n, err := a.store.AddNote(c.UserContext(), web.ActorOf(c), guestID(c), preferences.Note{Department: in.Department, Text: in.Text})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(n)
}
