package frontdesk

import (
	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// roomInput is the body of PUT /api/rooms/{number}; the number comes from the path.
type roomInput struct {
	Floor    int      `json:"floor"`
	View     string   `json:"view"`
	Bed      string   `json:"bed"`
	Quiet    bool     `json:"quiet"`
	Smoking  bool     `json:"smoking"`
	Features []string `json:"features"`
}

func (a *API) putRoom(c *fiber.Ctx) error {
	var in roomInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	r, err := a.store.PutRoom(c.UserContext(), web.ActorOf(c), preferences.Room{Number: pathParam(c, "number"),
		Floor: in.Floor, View: in.View, Bed: in.Bed, Quiet: in.Quiet, Smoking: in.Smoking, Features: in.Features})
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (a *API) listRooms(c *fiber.Ctx) error {
	rooms, err := a.store.Rooms(c.UserContext(), web.ActorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"rooms": rooms})
}
