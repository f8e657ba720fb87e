package scheduler

import (
	"embed"
	"html/template"
	"io/fs"
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

//go:embed views/*.html
var viewFS embed.FS

// Pages is the outreach part of /manager: the outbox by status and tomorrow's recipients.
type Pages struct {
	s     *Scheduler
	views *web.Views
}

// NewPages parses the page templates (a broken one panics at start).
func NewPages(s *Scheduler) *Pages {
	sub, err := fs.Sub(viewFS, "views")
	if err != nil {
		panic(err)
	}
	p := &Pages{s: s}
	p.views = web.MustParseViews(sub, template.FuncMap{"datetime": p.datetime})
	return p
}

// Mount registers /manager/outreach (managers only) and its navigation link.
func (p *Pages) Mount(app fiber.Router, staff *web.Staff) {
	staff.AddNav("Outreach", "/manager/outreach", preferences.RoleManager)
	app.Get("/manager/outreach", staff.Pages(preferences.RoleManager), p.outreachPage)
}

func (p *Pages) datetime(t time.Time) string {
	return t.In(p.s.cfg.Location).Format("2 Jan 2006 15:04")
}

type statusCount struct {
	Status string
	Count  int
	Active bool
}

type outreachData struct {
	Status    string
	Counts    []statusCount
	Messages  []preferences.OutreachMessage
	Tomorrow  string
	Birthdays []Recipient
	Lapses    []Recipient
}

func (p *Pages) outreachPage(c *fiber.Ctx) error {
	ctx, actor := c.UserContext(), web.ActorOf(c)
	d := outreachData{Status: c.Query("status")}
	if err := preferences.CheckOutboxStatus(d.Status); err != nil {
		return err
	}
	counts, err := p.s.store.OutreachCounts(ctx)
	if err != nil {
		return err
	}
	for _, st := range preferences.OutboxStatuses {
		d.Counts = append(d.Counts, statusCount{Status: st, Count: counts[st], Active: st == d.Status})
	}
	if d.Messages, err = p.s.store.OutreachMessages(ctx, actor, d.Status, 100); err != nil {
		return err
	}
	tomorrow := p.s.clock.Now().In(p.s.cfg.Location).AddDate(0, 0, 1)
	d.Tomorrow = tomorrow.Format(preferences.DateLayout)
	// Tomorrow's own birthdays: a late greeting still due (the grace) goes today.
	d.Birthdays, _, err = p.s.queue(ctx, preferences.OutreachBirthday, d.Tomorrow, true,
		func(c preferences.OutreachCandidate) bool { return preferences.BornOn(c, tomorrow) })
	if err != nil {
		return err
	}
	if d.Lapses, err = p.s.Run(ctx, preferences.OutreachLapse, d.Tomorrow, true); err != nil {
		return err
	}
	for _, r := range append(d.Birthdays, d.Lapses...) {
		p.s.store.RecordAccess(ctx, actor, r.GuestID, preferences.ActionOutreachRead)
	}
	return p.views.Render(c, fiber.StatusOK, "outreach", "Outreach", d)
}
