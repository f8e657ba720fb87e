package frontdesk

import (
	"bytes"
	"strings"

	"github.com/emersion/go-vcard"
	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

// guestVCard answers the guest's contact data as a vCard 4.0; the read is audited as
// any read of the guest. Documents are never in it.
func (a *API) guestVCard(c *fiber.Ctx) error {
	g, err := a.store.Guest(c.UserContext(), web.ActorOf(c), guestID(c))
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := vcard.NewEncoder(&b).Encode(GuestCard(g)); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/vcard; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="guest-`+g.ID+`.vcf"`)
	return c.Send(b.Bytes())
}

// GuestCard is a guest's contact card (vCard 4.0): names, email, phone, birthday and
// language, nothing else.
func GuestCard(g preferences.Guest) vcard.Card {
	card := vcard.Card{}
	card.SetValue(vcard.FieldVersion, "4.0")
	card.SetValue(vcard.FieldKind, string(vcard.KindIndividual))
	card.SetValue(vcard.FieldFormattedName, preferences.FullName(g.FamilyName, g.GivenName))
	card.SetName(&vcard.Name{FamilyName: g.FamilyName, GivenName: g.GivenName})
	if g.Email != "" {
		card.SetValue(vcard.FieldEmail, g.Email)
	}
	if g.Phone != "" {
		card.SetValue(vcard.FieldTelephone, g.Phone)
	}
	if g.Birthday != "" { // RFC 6350 writes dates in the basic format: 19750512
		card.SetValue(vcard.FieldBirthday, strings.ReplaceAll(g.Birthday, "-", ""))
	}
	if g.Language != "" {
		card.SetValue(vcard.FieldLanguage, g.Language)
	}
	return card
}
