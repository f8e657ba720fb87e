package scheduler

import (
	"embed"
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

//go:embed pages/*.html
var pageFS embed.FS

var unsubscribePage = template.Must(template.ParseFS(pageFS, "pages/unsubscribe.html"))

// API serves the outreach routes: the manager's JSON API and the guests' unsubscribe page.
type API struct {
	s *Scheduler
}

// NewAPI returns the outreach API of s.
func NewAPI(s *Scheduler) *API { return &API{s: s} }

var manager = web.Allow(preferences.RoleManager)

// Mount registers the manager's routes on r (the authenticated /api group).
func (a *API) Mount(r fiber.Router) {
	r.Get("/outreach/messages", manager, a.listMessages)
	r.Post("/outreach/:kind/run", manager, a.run)
	r.Get("/outreach/:kind/explain/:guest_id", manager, a.explain)
	a.mountBounces(r)
}

// MountPublic registers the unsubscribe page, which needs no login: GET shows it and
// changes nothing, POST (RFC 8058 one-click) unsubscribes at once.
func (a *API) MountPublic(r fiber.Router) {
	r.Get("/u/:token", a.unsubscribeShow)
	r.Post("/u/:token", a.unsubscribe)
}

type runRequest struct {
	Date   string `json:"date"`
	DryRun *bool  `json:"dry_run"` // only an explicit false sends
}

func (a *API) run(c *fiber.Ctx) error {
	kind, err := preferences.ParseOutreachKind(c.Params("kind"))
	if err != nil {
		return err
	}
	var in runRequest
	if len(c.Body()) > 0 {
		if err := web.DecodeJSON(c, &in); err != nil {
			return err
		}
	}
	if in.Date == "" {
		in.Date = a.s.Today()
	}
	dry := in.DryRun == nil || *in.DryRun
	var recipients []Recipient
	if dry {
		recipients, err = a.s.Run(c.UserContext(), kind, in.Date, true)
	} else {
		// Answered once the letters are queued; the background sender sends them.
		recipients, err = a.s.Queue(c.UserContext(), kind, in.Date)
	}
	if err != nil {
		return err
	}
	for _, r := range recipients {
		a.s.store.RecordAccess(c.UserContext(), web.ActorOf(c), r.GuestID, preferences.ActionOutreachRead)
	}
	return c.JSON(fiber.Map{"kind": kind, "date": in.Date, "dry_run": dry, "recipients": recipients})
}

func (a *API) explain(c *fiber.Ctx) error {
	kind, err := preferences.ParseOutreachKind(c.Params("kind"))
	if err != nil {
		return err
	}
	day := c.Query("date")
	if day == "" {
		day = a.s.Today()
	}
	id := c.Params("guest_id")
	ex, err := a.s.Explain(c.UserContext(), kind, id, day)
	if err != nil {
		return err
	}
	a.s.store.RecordAccess(c.UserContext(), web.ActorOf(c), id, preferences.ActionOutreachRead)
	return c.JSON(struct {
		GuestID string                   `json:"guest_id"`
		Kind    preferences.OutreachKind `json:"kind"`
		Date    string                   `json:"date"`
		Explanation
	}{id, kind, day, ex})
}

func (a *API) listMessages(c *fiber.Ctx) error {
	status := c.Query("status")
	if err := preferences.CheckOutboxStatus(status); err != nil {
		return err
	}
	limit := 200
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return preferences.FieldErr("limit", "must be a number from 1 to 1000")
		}
		limit = n
	}
	msgs, err := a.s.store.OutreachMessages(c.UserContext(), web.ActorOf(c), status, limit)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"messages": msgs})
}

// errBadLink is the one answer to a forged, altered or unknown link.
func errBadLink() error {
	return preferences.Errorf(preferences.ENOTFOUND, "This unsubscribe link is not valid.")
}

// guestOf returns the guest a token names, or the one 404 for any bad link.
func (a *API) guestOf(c *fiber.Ctx) (preferences.Guest, error) {
	id, ok := a.s.unsub.GuestID(c.Params("token"))
	if !ok {
		return preferences.Guest{}, errBadLink()
	}
	g, err := a.s.store.Guest(c.UserContext(), preferences.System, id)
	if preferences.ErrorCode(err) == preferences.ENOTFOUND {
		return g, errBadLink()
	}
	return g, err
}

func (a *API) unsubscribeShow(c *fiber.Ctx) error {
	if _, err := a.guestOf(c); err != nil {
		return err
	}
	return a.page(c, false)
}

func (a *API) unsubscribe(c *fiber.Ctx) error {
	g, err := a.guestOf(c)
	if err != nil {
		return err
	}
	if g.MarketingConsent {
		if err := a.s.store.RecordConsent(c.UserContext(), g.ID, false, preferences.ChannelEmailLink, "guest"); err != nil {
			return err
		}
	}
	return a.page(c, true)
}

func (a *API) page(c *fiber.Ctx, done bool) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return unsubscribePage.Execute(c.Response().BodyWriter(), struct {
		Hotel string
		Done  bool
	}{a.s.cfg.HotelName, done})
}
