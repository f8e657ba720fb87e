package frontdesk

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// arrivalInput is the body of POST /api/arrivals.
type arrivalInput struct {
	GuestID     string `json:"guest_id"`
	ArrivalDate string `json:"arrival_date"`
	Nights      int    `json:"nights"`
	Reference   string `json:"reference"`
}

func (a *API) createArrival(c *fiber.Ctx) error {
	var in arrivalInput
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	arr, err := a.store.CreateArrival(c.UserContext(), web.ActorOf(c), preferences.Arrival{
		GuestID: in.GuestID, ArrivalDate: in.ArrivalDate, Nights: in.Nights, Reference: in.Reference})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(arr)
}

// listArrivals lists a day's arrivals (today at the caller's property, in its zone, by
// default).
func (a *API) listArrivals(c *fiber.Ctx) error {
	date := strings.Clone(c.Query("date"))
	if date == "" {
		var err error
		if date, err = a.store.TodayOf(c.UserContext(), web.ActorOf(c)); err != nil {
			return err
		}
	}
	cards, err := a.store.Arrivals(c.UserContext(), web.ActorOf(c), date)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"date": date, "arrivals": cards})
}
