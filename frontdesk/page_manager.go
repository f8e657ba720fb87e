package frontdesk

import (
	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

type managerData struct {
	Flash    string
	Error    string
	Feedback []preferences.Feedback // open complaints, requests and compliments, oldest first
	Rooms    []preferences.Room
	Floors   []roomFloor
	Occupied int
}

// roomFloor is one floor's rooms, in the order the store lists them.
type roomFloor struct {
	Floor int
	Rooms []preferences.Room
}

// managerPage lists open feedback (complaints, requests, compliments) oldest first with
// its age, each with a resolve form, and the rooms with their occupancy.
func (p *Pages) managerPage(c *fiber.Ctx) error {
	return p.renderManager(c, fiber.StatusOK, "")
}

func (p *Pages) renderManager(c *fiber.Ctx, status int, errMsg string) error {
	ctx, actor := c.UserContext(), web.ActorOf(c)
	open, err := p.store.FeedbackList(ctx, actor, preferences.FeedbackOpen)
	if err != nil {
		return err
	}
	d := managerData{Flash: flash(c), Error: errMsg}
	d.Feedback = open
	// A group-scope manager of several properties sees the rooms of the one named by
	// ?property=CODE, and none while naming none.
	if d.Rooms, err = p.store.Rooms(ctx, actor); err != nil && preferences.ErrorCode(err) != preferences.EINVALID {
		return err
	}
	for _, r := range d.Rooms {
		if r.Occupied {
			d.Occupied++
		}
		if n := len(d.Floors); n == 0 || d.Floors[n-1].Floor != r.Floor {
			d.Floors = append(d.Floors, roomFloor{Floor: r.Floor})
		}
		d.Floors[len(d.Floors)-1].Rooms = append(d.Floors[len(d.Floors)-1].Rooms, r)
	}
	return p.views.Render(c, status, "manager", "Manager", d)
}

func (p *Pages) resolveFeedback(c *fiber.Ctx) error {
	r := preferences.Resolution{Resolution: form(c, "resolution"), FollowUp: form(c, "follow_up")}
	if _, err := p.store.ResolveFeedback(c.UserContext(), web.ActorOf(c), param(c, "id"), r); err != nil {
		if preferences.ErrorCode(err) == preferences.EINVALID {
			return p.renderManager(c, fiber.StatusUnprocessableEntity, problemText(err))
		}
		return err
	}
	return c.Redirect("/manager?msg=resolved", fiber.StatusSeeOther)
}
