package kiosk

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// guestPrefs are the preferences a guest sees and may change at the kiosk: the room,
// breakfast, allergies and laundry. Staff notes and the rest stay at the desk.
type guestPrefs struct {
	Room         roomPrefs             `json:"room"`
	Dining       diningPrefs           `json:"dining"`
	Allergies    []preferences.Allergy `json:"allergies"`
	Housekeeping laundryPrefs          `json:"housekeeping"`
}

type roomPrefs struct {
	MinFloor int    `json:"min_floor"`
	View     string `json:"view"`
	Bed      string `json:"bed"`
	Quiet    bool   `json:"quiet"`
}

type diningPrefs struct {
	Breakfast string `json:"breakfast"`
}

type laundryPrefs struct {
	Laundry string `json:"laundry"`
}

func viewPrefs(p preferences.Preferences) guestPrefs {
	allergies := p.Allergies
	if allergies == nil {
		allergies = []preferences.Allergy{}
	}
	return guestPrefs{
		Room:         roomPrefs{MinFloor: p.Room.MinFloor, View: p.Room.View, Bed: p.Room.Bed, Quiet: p.Room.Quiet},
		Dining:       diningPrefs{Breakfast: p.Dining.Breakfast},
		Allergies:    allergies,
		Housekeeping: laundryPrefs{Laundry: p.Housekeeping.Laundry},
	}
}

// prefsPatch is a guest's change: only the sections and fields sent are changed.
type prefsPatch struct {
	Room *struct {
		MinFloor *int    `json:"min_floor"`
		View     *string `json:"view"`
		Bed      *string `json:"bed"`
		Quiet    *bool   `json:"quiet"`
	} `json:"room"`
	Dining *struct {
		Breakfast *string `json:"breakfast"`
	} `json:"dining"`
	Allergies    *[]preferences.Allergy `json:"allergies"`
	Housekeeping *struct {
		Laundry *string `json:"laundry"`
	} `json:"housekeeping"`
}

// apply merges the patch into p and returns the sections it touches.
func (in prefsPatch) apply(p *preferences.Preferences) []string {
	var sections []string
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	if r := in.Room; r != nil {
		if r.MinFloor != nil {
			p.Room.MinFloor = *r.MinFloor
		}
		set(&p.Room.View, r.View)
		set(&p.Room.Bed, r.Bed)
		if r.Quiet != nil {
			p.Room.Quiet = *r.Quiet
		}
		sections = append(sections, preferences.SectionRoom)
	}
	if in.Dining != nil {
		set(&p.Dining.Breakfast, in.Dining.Breakfast)
		sections = append(sections, preferences.SectionDining)
	}
	if in.Allergies != nil {
		p.Allergies = *in.Allergies
		sections = append(sections, preferences.SectionAllergies)
	}
	if in.Housekeeping != nil {
		set(&p.Housekeeping.Laundry, in.Housekeeping.Laundry)
		sections = append(sections, preferences.SectionHousekeeping)
	}
	return sections
}

// patchPreferences saves the guest's own changes, recorded like a staff change with
// this kiosk as the actor; the desk and housekeeping see them at once.
func (k *Kiosk) patchPreferences(c *fiber.Ctx) error {
	sess, err := k.sessions.touch(c.UserContext(), c.Params("session"), deviceKey(c))
	if err != nil {
		return err
	}
	var in prefsPatch
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	ctx := c.UserContext()
	p, err := k.store.Preferences(ctx, preferences.System, sess.GuestID)
	if err != nil {
		return err
	}
	sections := in.apply(&p)
	saved, err := k.store.SetPreferences(ctx, web.ActorOf(c), sess.GuestID, p, sections)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"preferences": viewPrefs(saved)})
}

// checkinResponse is the guest's room: what the kiosk shows, large.
type checkinResponse struct {
	Room   string `json:"room"`
	Floor  int    `json:"floor"`
	Nights int    `json:"nights"`
}

// checkIn gives the guest the best free room for their preferences and ends the
// session. When nothing suitable is free the guest is sent to the desk (409).
func (k *Kiosk) checkIn(c *fiber.Ctx) error {
	id := c.Params("session")
	sess, err := k.sessions.touch(c.UserContext(), id, deviceKey(c))
	if err != nil {
		return err
	}
	// Ended whatever the outcome; an end that fails leaves it to end when idle.
	defer k.sessions.end(context.WithoutCancel(c.UserContext()), id)
	stay, err := k.store.CheckInBestRoom(c.UserContext(), web.ActorOf(c), sess.GuestID, sess.Nights)
	switch preferences.ErrorCode(err) {
	case preferences.ENOTFOUND, preferences.ECONFLICT:
		return preferences.Errorf(preferences.ECONFLICT,
			"We could not choose a room for you here. Please see the front desk; we will look after you.")
	}
	if err != nil {
		return err
	}
	return c.JSON(checkinResponse{Room: stay.Room, Floor: stay.Floor, Nights: stay.Nights})
}

// listThrottles shows the front desk when kiosks were locked out (the last 24 hours).
func (k *Kiosk) listThrottles(c *fiber.Ctx) error {
	now := k.cfg.Clock.Now()
	list, err := k.store.KioskThrottles(c.UserContext(), web.ActorOf(c), now.Add(-24*time.Hour))
	if err != nil {
		return err
	}
	for i := range list { // active by the kiosk's clock, which decides the lock-outs
		list[i].Active = now.Before(list[i].Until)
	}
	return c.JSON(fiber.Map{"throttles": list})
}

// allowRepair lets the kiosk token named in the path pair one device again. Its device
// is unpaired at once: a kiosk that was lost or broken stops working before a new one
// is paired.
func (k *Kiosk) allowRepair(c *fiber.Ctx) error {
	name, err := url.PathUnescape(c.Params("name"))
	if err != nil || strings.TrimSpace(name) == "" {
		return preferences.FieldErr("name", "must be the kiosk token's name, URL-encoded")
	}
	n, err := k.store.AllowKioskRepair(c.UserContext(), name)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"kiosk": name, "unpaired": n})
}
