package frontdesk

import (
	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// newGuestForm is what the new-guest form shows again after a mistake. It never holds
// the document number: a number typed once is not sent back into the page.
type newGuestForm struct {
	FamilyName, GivenName, Salutation, Email, Phone, Birthday, Language, DocType string
	Consent                                                                      bool
	DocTypes                                                                     []string
	Errors                                                                       []preferences.FieldError
}

// newGuestPage shows the form for a guest the hotel does not know yet (a walk-in).
func (p *Pages) newGuestPage(c *fiber.Ctx) error {
	return p.renderNewGuest(c, fiber.StatusOK, newGuestForm{Language: preferences.LangZH, DocType: preferences.DocCNResidentID})
}

func (p *Pages) renderNewGuest(c *fiber.Ctx, status int, f newGuestForm) error {
	f.DocTypes = []string{preferences.DocCNResidentID, preferences.DocPassport, "other"}
	return p.views.Render(c, status, "newguest", "New guest", f)
}

// createGuest stores the new guest and opens their card; invalid input shows the form
// again with each field's rule (and an empty document number).
func (p *Pages) createGuest(c *fiber.Ctx) error {
	f := newGuestForm{FamilyName: form(c, "family_name"), GivenName: form(c, "given_name"), Salutation: form(c, "salutation"),
		Email: form(c, "email"), Phone: form(c, "phone"), Birthday: form(c, "birthday"), Language: form(c, "language"),
		DocType: form(c, "document_type"), Consent: form(c, "marketing_consent") != ""}
	in := preferences.GuestFields{FamilyName: &f.FamilyName, GivenName: &f.GivenName, Salutation: &f.Salutation,
		Email: &f.Email, Phone: &f.Phone, Language: &f.Language, MarketingConsent: &f.Consent}
	if f.Birthday != "" {
		in.Birthday = &f.Birthday
	}
	if number := form(c, "document_number"); number != "" {
		in.Documents = &[]preferences.DocumentInput{{Type: f.DocType, Number: number}}
	}
	g, err := p.store.CreateGuest(c.UserContext(), web.ActorOf(c), in)
	switch preferences.ErrorCode(err) {
	case preferences.EINVALID, preferences.ECONFLICT:
		pr := web.ProblemFor(err)
		f.Errors = pr.Errors
		if len(f.Errors) == 0 {
			f.Errors = []preferences.FieldError{{Field: "guest", Message: pr.Detail}}
		}
		return p.renderNewGuest(c, web.StatusFor(err), f)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/frontdesk/guests/"+g.ID+"?msg=created", fiber.StatusSeeOther)
}
