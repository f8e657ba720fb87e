package frontdesk

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

type deskData struct {
	Flash      string
	Error      string
	Query      string
	Results    []preferences.Guest
	Searched   bool
	DocType    string
	DocTypes   []string
	Arrivals   []preferences.ArrivalCard
	CheckedIn  int // arrivals already checked in
	Today      string
	TodayLabel string
}

// deskPage is /frontdesk: search by name, email or phone (?q=), the document look-up
// form, and today's arrivals with their flags.
func (p *Pages) deskPage(c *fiber.Ctx) error {
	d := deskData{Flash: flash(c), Query: form(c, "q")}
	if d.Query != "" {
		if err := p.search(c, &d); err != nil {
			return err
		}
	}
	return p.renderDesk(c, fiber.StatusOK, &d)
}

func (p *Pages) search(c *fiber.Ctx, d *deskData) error {
	guests, err := p.store.SearchGuests(c.UserContext(), web.ActorOf(c), d.Query, 30)
	if err != nil {
		return err
	}
	d.Results, d.Searched = guests, true
	return nil
}

func (p *Pages) renderDesk(c *fiber.Ctx, status int, d *deskData) error {
	today, err := p.store.TodayOf(c.UserContext(), web.ActorOf(c)) // the property's date
	if err != nil {
		return err
	}
	d.Today = today
	day, err := time.ParseInLocation(preferences.DateLayout, d.Today, p.loc)
	if err != nil {
		return err
	}
	d.TodayLabel = day.Format("Monday 2 January") // the store's day, which may not be the machine's
	arrivals, err := p.store.Arrivals(c.UserContext(), web.ActorOf(c), d.Today)
	if err != nil {
		return err
	}
	for _, a := range arrivals {
		if a.Status == preferences.ArrivalCheckedIn {
			d.CheckedIn++
		}
	}
	d.Arrivals = arrivals
	d.DocTypes = []string{preferences.DocCNResidentID, preferences.DocPassport, "other"}
	if d.DocType == "" {
		d.DocType = preferences.DocCNResidentID
	}
	return p.views.Render(c, status, "desk", "Front desk", d)
}

// lookupDocument finds a guest by a document number typed into the POST form; the number
// never appears in a URL, a log line or the page that answers.
func (p *Pages) lookupDocument(c *fiber.Ctx) error {
	docType := form(c, "document_type")
	g, err := p.store.LookupGuest(c.UserContext(), web.ActorOf(c), docType, form(c, "document_number"))
	if err == nil {
		return c.Redirect("/frontdesk/guests/"+g.ID, fiber.StatusSeeOther)
	}
	switch preferences.ErrorCode(err) {
	case preferences.ENOTFOUND:
		return p.renderDesk(c, fiber.StatusNotFound, &deskData{DocType: docType, Error: "No guest holds this document."})
	case preferences.EINVALID:
		return p.renderDesk(c, fiber.StatusUnprocessableEntity, &deskData{DocType: docType, Error: problemText(err)})
	}
	return err
}

// problemText is a domain error as one sentence for a page.
func problemText(err error) string {
	pr := web.ProblemFor(err)
	msg := pr.Detail
	if msg == "" {
		msg = pr.Title
	}
	for _, fe := range pr.Errors {
		msg += " " + fieldLabel(fe.Field) + ": " + fe.Message + "."
	}
	return msg
}

// fieldLabel turns a problem's field path into words for a page:
// "documents[0].number" → "Document number", "allergies[1].severity" → "Allergy 2
// severity", "room.min_floor" → "Lowest floor" (the preferences form's label).
func fieldLabel(f string) string {
	if m := indexedField.FindStringSubmatch(f); m != nil {
		n, _ := strconv.Atoi(m[2])
		switch m[1] {
		case "documents":
			return "Document " + words(m[3])
		case "allergies":
			return "Allergy " + strconv.Itoa(n+1) + " " + words(m[3])
		}
	}
	if i := strings.LastIndex(f, "."); i >= 0 {
		f = f[i+1:]
	}
	switch f {
	case "number":
		return "Document number"
	case "type":
		return "Document type"
	case "min_floor":
		return "Lowest floor"
	}
	w := words(f)
	if w == "" {
		return "Input"
	}
	return strings.ToUpper(w[:1]) + w[1:]
}

var indexedField = regexp.MustCompile(`^([a-z_]+)\[(\d+)\]\.([a-z_]+)$`)

func words(s string) string { return strings.ReplaceAll(s, "_", " ") }
