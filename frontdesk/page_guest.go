package frontdesk

import (
	"regexp"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// topRooms is how many suggested rooms the card shows before "more rooms".
const topRooms = 4

type guestData struct {
	Flash       string
	Error       string
	Card        preferences.Recognition
	TopRooms    []preferences.SuggestedRoom // shown first
	MoreRooms   []preferences.SuggestedRoom // behind "more rooms"
	Nights      int
	Kinds       []string
	Departments []string
}

// guestPage is the recognition card: greeting, last stay, preferences with allergies
// first, follow-ups, notes, suggested rooms with one-click check-in, and check-out for a
// guest in house.
func (p *Pages) guestPage(c *fiber.Ctx) error {
	return p.renderGuest(c, param(c, "id"), fiber.StatusOK, "")
}

// renderGuest shows the card of guest id with status and, when not empty, an error
// message from the action that failed.
func (p *Pages) renderGuest(c *fiber.Ctx, id string, status int, errMsg string) error {
	card, err := p.store.Recognition(c.UserContext(), web.ActorOf(c), id)
	if err != nil {
		return err
	}
	d := guestData{Flash: flash(c), Error: errMsg, Card: card, Nights: 1,
		Kinds: preferences.FeedbackKinds, Departments: preferences.Departments}
	if errMsg != "" {
		d.Flash = ""
	}
	d.TopRooms = card.SuggestedRooms
	if len(d.TopRooms) > topRooms {
		d.TopRooms, d.MoreRooms = card.SuggestedRooms[:topRooms], card.SuggestedRooms[topRooms:]
	}
	if card.Arrival != nil && card.Arrival.Nights > 0 {
		d.Nights = card.Arrival.Nights
	}
	return p.views.Render(c, status, "guest", card.Guest.DisplayName(), d)
}

// actionFailed re-shows the guest's card with the error of a failed action when it is
// the user's to fix (bad input, a conflict such as an occupied room); other errors go on.
func (p *Pages) actionFailed(c *fiber.Ctx, guestID string, err error) error {
	switch preferences.ErrorCode(err) {
	case preferences.EINVALID, preferences.ECONFLICT:
		return p.renderGuest(c, guestID, web.StatusFor(err), problemText(err))
	}
	return err
}

func (p *Pages) checkIn(c *fiber.Ctx) error {
	id := param(c, "id")
	nights, err := strconv.Atoi(form(c, "nights"))
	if err != nil {
		return p.actionFailed(c, id, preferences.FieldErr("nights", "must be a whole number"))
	}
	if _, err := p.store.CheckIn(c.UserContext(), web.ActorOf(c), id, form(c, "room"), nights); err != nil {
		return p.actionFailed(c, id, err)
	}
	return c.Redirect("/frontdesk/guests/"+id+"?msg=checked_in", fiber.StatusSeeOther)
}

type checkoutData struct {
	Stay  preferences.Stay
	Guest preferences.Guest
}

// checkOut closes a stay and shows the follow-ups to act on before the guest leaves.
func (p *Pages) checkOut(c *fiber.Ctx) error {
	ctx := c.UserContext()
	guestID := form(c, "guest_id")
	stay, err := p.store.CheckOut(ctx, web.ActorOf(c), param(c, "id"), form(c, "spend"))
	if err != nil {
		if guestID != "" {
			return p.actionFailed(c, guestID, err)
		}
		return err
	}
	g, err := p.store.Guest(ctx, web.ActorOf(c), stay.GuestID)
	if err != nil {
		return err
	}
	return p.views.Render(c, fiber.StatusOK, "checkout", "Checked out", checkoutData{Stay: stay, Guest: g})
}

func (p *Pages) addFeedback(c *fiber.Ctx) error {
	id := param(c, "id")
	in := preferences.FeedbackInput{Kind: form(c, "kind"), Text: form(c, "text"), StayID: form(c, "stay_id")}
	if _, err := p.store.AddFeedback(c.UserContext(), web.ActorOf(c), id, in); err != nil {
		return p.actionFailed(c, id, err)
	}
	return c.Redirect("/frontdesk/guests/"+id+"?msg=feedback", fiber.StatusSeeOther)
}

func (p *Pages) addNote(c *fiber.Ctx) error {
	id := param(c, "id")
	n := preferences.Note{Department: form(c, "department"), Text: form(c, "text")}
	if _, err := p.store.AddNote(c.UserContext(), web.ActorOf(c), id, n); err != nil {
		return p.actionFailed(c, id, err)
	}
	return c.Redirect("/frontdesk/guests/"+id+"?msg=note", fiber.StatusSeeOther)
}

// followUpDone marks a follow-up done and returns to the page it was done from.
func (p *Pages) followUpDone(c *fiber.Ctx) error {
	if _, err := p.store.FollowUpDone(c.UserContext(), web.ActorOf(c), param(c, "id")); err != nil {
		return err
	}
	back := "/frontdesk"
	if g := form(c, "guest_id"); g != "" && safeID.MatchString(g) {
		back = "/frontdesk/guests/" + g
	}
	return c.Redirect(back+"?msg=done", fiber.StatusSeeOther)
}

// safeID matches the store's opaque ids, so a redirect built from a form value stays on
// this site.
var safeID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
