package frontdesk

import (
	"encoding/json"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// contactFlashes are the contact pages' confirmations (see flashes).
var contactFlashes = map[string]string{
	"contact":       "Contact logged.",
	"keep-in-touch": "Keep-in-touch rhythm saved.",
}

// keepInTouchPage is how many due guests /manager/keep-in-touch shows at a time.
const keepInTouchPage = 50

// contactsData is the guest's contact page: the whole list and the form to log one.
type contactsData struct {
	Flash    string
	Error    string
	Bad      map[string]bool // the fields in error: marked, the first focused
	Guest    preferences.GuestProfile
	Contacts []preferences.Contact
	Channels []string
	Form     preferences.ContactInput // what was typed, kept on an error
	Repeat   *preferences.MaterialAlreadySent
	Days     string // the rhythm as typed
}

// mountContacts registers the guest's contact page and the manager's keep-in-touch list.
func (p *Pages) mountContacts(app fiber.Router, staff *web.Staff) {
	staff.AddNav("Keep in touch", "/manager/keep-in-touch", preferences.RoleManager)
	fd := staff.Pages(preferences.RoleFrontDesk, preferences.RoleManager)
	app.Get("/frontdesk/guests/:id/contacts", fd, p.contactsPage)
	app.Post("/frontdesk/guests/:id/contacts", fd, p.logContact)
	app.Post("/frontdesk/guests/:id/keep-in-touch", fd, p.setKeepInTouch)
	app.Get("/manager/keep-in-touch", staff.Pages(preferences.RoleManager), p.keepInTouchPage)
}

func (p *Pages) contactsPage(c *fiber.Ctx) error {
	return p.renderContacts(c, contactsData{Form: preferences.ContactInput{Channel: preferences.ContactCall}}, fiber.StatusOK)
}

// renderContacts shows the guest's contacts with d's form, error and flash.
func (p *Pages) renderContacts(c *fiber.Ctx, d contactsData, status int) error {
	ctx, actor, id := c.UserContext(), web.ActorOf(c), param(c, "id")
	var err error
	if d.Guest, err = p.store.GuestProfile(ctx, actor, id); err != nil {
		return err
	}
	if d.Contacts, err = p.store.GuestContacts(ctx, actor, id); err != nil {
		return err
	}
	if d.Error == "" && d.Repeat == nil {
		d.Flash = flash(c)
		if d.Flash == "" {
			d.Flash = contactFlashes[c.Query("msg")]
		}
	}
	if d.Days == "" && d.Guest.KeepInTouchDays != nil {
		d.Days = strconv.Itoa(*d.Guest.KeepInTouchDays)
	}
	d.Channels = preferences.ContactChannels
	return p.views.Render(c, status, "contacts", "Contacts · "+d.Guest.DisplayName(), d)
}

// logContact logs a contact from the form. Bad input and a repeated material show the
// page again with what was typed; a repeat offers to log it anyway (confirm).
func (p *Pages) logContact(c *fiber.Ctx) error {
	id := param(c, "id")
	in := preferences.ContactInput{Channel: form(c, "channel"), Material: form(c, "material"), Note: form(c, "note"),
		Confirm: form(c, "confirm") == "1"}
	_, err := p.store.LogContact(c.UserContext(), web.ActorOf(c), id, in)
	if err == nil {
		return c.Redirect("/frontdesk/guests/"+id+"/contacts?msg=contact", fiber.StatusSeeOther)
	}
	d := contactsData{Form: in}
	var sent *preferences.MaterialAlreadySent
	switch {
	case errors.As(err, &sent):
		d.Repeat = sent
	case preferences.ErrorCode(err) == preferences.EINVALID:
		d.Error, d.Bad = problemText(err), badFields(err)
	default:
		return err
	}
	return p.renderContacts(c, d, web.StatusFor(err))
}

// setKeepInTouch sets the rhythm from the form, or stops it (the stop button, or an
// empty number).
func (p *Pages) setKeepInTouch(c *fiber.Ctx) error {
	id, days := param(c, "id"), form(c, "days")
	raw := json.RawMessage("null")
	if form(c, "stop") == "" && days != "" {
		if _, err := strconv.Atoi(days); err != nil {
			days = strconv.Quote(days) // refused as not a number, kept as typed
		}
		raw = json.RawMessage(days)
	}
	_, err := p.store.UpdateGuest(c.UserContext(), web.ActorOf(c), id, preferences.GuestFields{KeepInTouchDays: raw})
	if preferences.ErrorCode(err) == preferences.EINVALID {
		d := contactsData{Form: preferences.ContactInput{Channel: preferences.ContactCall}, Days: form(c, "days"),
			Error: problemText(err), Bad: badFields(err)}
		return p.renderContacts(c, d, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/frontdesk/guests/"+id+"/contacts?msg=keep-in-touch", fiber.StatusSeeOther)
}

// badFields are the fields an EINVALID error names.
func badFields(err error) map[string]bool {
	bad := map[string]bool{}
	for _, f := range web.ProblemFor(err).Errors {
		bad[f.Field] = true
	}
	return bad
}

type keepInTouchData struct {
	Due        []preferences.KeepInTouchDue
	Total      int
	From, To   int // the guests shown, counted from 1
	Prev, Next int // the pages before and after; 0 for none
}

// keepInTouchPage is /manager/keep-in-touch: the guests whose next contact is due, the
// longest due first, a page at a time (?page=N).
func (p *Pages) keepInTouchPage(c *fiber.Ctx) error {
	page, err := strconv.Atoi(c.Query("page", "1"))
	if err != nil || page < 1 {
		page = 1
	}
	offset := (page - 1) * keepInTouchPage
	due, total, err := p.store.KeepInTouchDue(c.UserContext(), web.ActorOf(c), keepInTouchPage, offset)
	if err != nil {
		return err
	}
	d := keepInTouchData{Due: due, Total: total, From: offset + 1, To: offset + len(due)}
	if page > 1 {
		d.Prev = page - 1
	}
	if offset+len(due) < total {
		d.Next = page + 1
	}
	return p.views.Render(c, fiber.StatusOK, "keepintouch", "Keep in touch", d)
}

// channelName is a contact channel in words.
func channelName(ch string) string {
	switch ch {
	case preferences.ContactMaterial:
		return "Material sent"
	case "":
		return ""
	}
	return string(ch[0]-'a'+'A') + ch[1:]
}
