package frontdesk

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// checkInInput is the body of POST /api/stays; nights 0 (or left out) takes the nights
// of the guest's arrival today.
type checkInInput struct {
	GuestID string `json:"guest_id"`
	Room    string `json:"room"`
	Nights  int    `json:"nights"`
}

func (a *API) checkIn(c *fiber.Ctx) error {
	var in checkInInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	var v preferences.Invalid
	if in.GuestID == "" {
		v.Add("guest_id", "is required")
	}
	if in.Room == "" {
		v.Add("room", "is required")
	}
	if in.Nights < 0 {
		v.Add("nights", "must be between 1 and %d", preferences.MaxNights)
	}
	if err := v.Err(); err != nil {
		return err
	}
	s, err := a.store.CheckIn(c.UserContext(), web.ActorOf(c), in.GuestID, in.Room, in.Nights)
	if err != nil {
		return err
	}
	c.Location("/api/guests/" + s.GuestID + "/stays")
	return c.Status(fiber.StatusCreated).JSON(s)
}

// checkOutInput is the optional body of POST /api/stays/{id}/checkout.
type checkOutInput struct {
	Spend string `json:"spend"`
}

// checkedOut is a closed stay with the follow-ups to act on at departure (always listed).
type checkedOut struct {
	preferences.Stay
	FollowUps []preferences.FollowUp `json:"follow_ups"`
}

func (a *API) checkOut(c *fiber.Ctx) error {
	var in checkOutInput
	if len(bytes.TrimSpace(c.Body())) > 0 {
		if err := web.DecodeJSON(c, &in); err != nil {
			return err
		}
	}
	s, err := a.store.CheckOut(c.UserContext(), web.ActorOf(c), pathParam(c, "id"), in.Spend)
	if err != nil {
		return err
	}
	out := checkedOut{Stay: s, FollowUps: s.FollowUps}
	if out.FollowUps == nil {
		out.FollowUps = []preferences.FollowUp{}
	}
	return c.JSON(out)
}

func (a *API) guestStays(c *fiber.Ctx) error {
	stays, err := a.store.GuestStays(c.UserContext(), web.ActorOf(c), guestID(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"stays": stays})
}
