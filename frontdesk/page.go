package frontdesk

import (
	"embed"
	"html/template"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

//go:embed templates/*.html
var pageTemplates embed.FS

//go:embed static
var pageStatic embed.FS

// PageStore is what the staff pages need of the preferences store.
type PageStore interface {
	preferences.GuestStore
	preferences.PreferenceStore
	preferences.AuditLog
	preferences.StayStore
	preferences.RoomStore
	preferences.ContactStore
}

// Pages are the server-rendered staff pages: /frontdesk, /housekeeping and /manager.
// Handlers call the store directly; every read of a guest is audited.
type Pages struct {
	store PageStore
	loc   *time.Location
	views *web.Views
}

// NewPages returns the staff pages on store, showing times in loc (the hotel's zone).
func NewPages(store PageStore, loc *time.Location) *Pages {
	p := &Pages{store: store, loc: loc}
	p.views = web.MustParseViews(mustSub("templates"), template.FuncMap{
		"date":        p.date,
		"datetime":    p.datetime,
		"sevclass":    severityClass,
		"deptname":    departmentName,
		"fullname":    fullName,
		"field":       fieldLabel,
		"nights":      stayNights,
		"channelname": channelName,
	})
	return p
}

// Mount registers the pages and their navigation on app, guarded by staff.
func (p *Pages) Mount(app fiber.Router, staff *web.Staff) {
	const (
		desk = preferences.RoleFrontDesk
		hk   = preferences.RoleHousekeeping
	)
	web.Static(app, "/static/frontdesk", pageStatic, "static")
	staff.AddNav("Front desk", "/frontdesk", desk)
	staff.AddNav("Housekeeping", "/housekeeping", hk)
	staff.AddNav("Manager", "/manager")
	staff.SetHome(preferences.RoleFrontDesk, "/frontdesk")
	staff.SetHome(preferences.RoleHousekeeping, "/housekeeping")
	staff.SetHome(preferences.RoleManager, "/manager")

	fd := staff.Pages(desk, preferences.RoleManager)
	app.Get("/frontdesk", fd, p.deskPage)
	app.Post("/frontdesk/lookup", fd, p.lookupDocument)
	app.Get("/frontdesk/guests/new", fd, p.newGuestPage)
	app.Post("/frontdesk/guests/new", fd, p.createGuest)
	app.Get("/frontdesk/guests/:id", fd, p.guestPage)
	app.Post("/frontdesk/guests/:id/checkin", fd, p.checkIn)
	app.Post("/frontdesk/guests/:id/feedback", fd, p.addFeedback)
	app.Post("/frontdesk/guests/:id/notes", fd, p.addNote)
	app.Get("/frontdesk/guests/:id/preferences", fd, p.preferencesPage)
	app.Post("/frontdesk/guests/:id/preferences", fd, p.savePreferences)
	app.Post("/frontdesk/stays/:id/checkout", fd, p.checkOut)
	app.Post("/frontdesk/follow-ups/:id/done", fd, p.followUpDone)

	app.Get("/housekeeping", staff.Pages(hk, preferences.RoleManager), p.boardPage)

	mg := staff.Pages(preferences.RoleManager)
	app.Get("/manager", mg, p.managerPage)
	app.Post("/manager/feedback/:id/resolve", mg, p.resolveFeedback)
	p.mountContacts(app, staff)
}

// flashes are the confirmations a redirect can ask for with ?msg=; the URL carries only
// the code, never guest data.
var flashes = map[string]string{
	"checked_in":  "Checked in.",
	"created":     "Guest created. Add their preferences as you learn them.",
	"feedback":    "Feedback recorded.",
	"note":        "Note sent to the department.",
	"preferences": "Preferences saved.",
	"done":        "Follow-up marked done.",
	"resolved":    "Feedback resolved.",
	"revoked":     "Revoked: the token is refused from its next request on.",
	"re-pair":     "The kiosk's device is unpaired: open /kiosk?pair=TOKEN once on the new device.",
	"disabled":    "Login disabled: its sessions have ended and it cannot sign in.",
	"enabled":     "Login enabled: it can sign in again.",
}

func flash(c *fiber.Ctx) string { return flashes[c.Query("msg")] }

// param copies a path parameter: Fiber reuses its buffers after the handler returns.
func param(c *fiber.Ctx, name string) string { return strings.Clone(c.Params(name)) }

// form copies a trimmed form value.
func form(c *fiber.Ctx, name string) string {
	return strings.TrimSpace(strings.Clone(c.FormValue(name)))
}

func (p *Pages) date(t any) string {
	switch v := t.(type) {
	case time.Time:
		return v.In(p.loc).Format("2 Jan 2006")
	case *time.Time:
		if v != nil {
			return v.In(p.loc).Format("2 Jan 2006")
		}
	}
	return ""
}

func (p *Pages) datetime(t time.Time) string { return t.In(p.loc).Format("2 Jan 2006 15:04") }

func severityClass(s string) string {
	switch s {
	case "severe", "moderate", "mild":
		return s
	}
	return "moderate"
}

func departmentName(d string) string {
	switch d {
	case preferences.DeptHousekeeping:
		return "Housekeeping"
	case preferences.DeptFrontOffice:
		return "Front office"
	case preferences.DeptKitchen:
		return "Kitchen"
	}
	return d
}

func mustSub(dir string) fs.FS {
	sub, err := fs.Sub(pageTemplates, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// fullName writes a Chinese name family name first without a space, others given name first.
func fullName(g preferences.Guest) string {
	if g.Language == preferences.LangZH {
		return g.FamilyName + g.GivenName
	}
	return strings.TrimSpace(g.GivenName + " " + g.FamilyName)
}

// stayNights describes a stay's nights: planned while open; once closed the nights
// stayed, "day use" for none, with the booked nights when they differ.
func stayNights(s preferences.Stay) string {
	text := "day use"
	if s.Nights > 0 || s.CheckOut == nil {
		text = plural(s.Nights, "night")
	}
	if s.CheckOut != nil && s.Nights != s.PlannedNights {
		text += " (booked " + plural(s.PlannedNights, "night") + ")"
	}
	return text
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
