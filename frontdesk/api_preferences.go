package frontdesk

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

func (a *API) showPreferences(c *fiber.Ctx) error {
	p, err := a.store.Preferences(c.UserContext(), web.ActorOf(c), guestID(c))
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// replacePreferences replaces every section. Allergies must be sent, [] to remove them
// all: a body that merely left them out used to erase a guest's severe allergies.
func (a *API) replacePreferences(c *fiber.Ctx) error {
	var p preferences.Preferences
	if err := web.DecodeJSON(c, &p); err != nil {
		return err
	}
	if p.Allergies == nil { // left out: the decoder refuses null, and [] decodes non-nil
		return preferences.FieldErr(preferences.SectionAllergies, "is required: send [] to remove every allergy")
	}
	return a.savePreferences(c, p, preferences.Sections)
}

// patchPreferences replaces only the sections present in the body.
func (a *API) patchPreferences(c *fiber.Ctx) error {
	p, sections, err := DecodePreferencePatch(c)
	if err != nil {
		return err
	}
	return a.savePreferences(c, p, sections)
}

// DecodePreferencePatch decodes a PATCH body of preferences strictly and returns the
// sections it holds; the kiosk uses it too.
func DecodePreferencePatch(c *fiber.Ctx) (preferences.Preferences, []string, error) {
	var p preferences.Preferences
	if err := web.DecodeJSON(c, &p); err != nil {
		return p, nil, err
	}
	var present map[string]json.RawMessage
	if err := json.Unmarshal(c.Body(), &present); err != nil {
		return p, nil, preferences.FieldErr("body", "must be a JSON object")
	}
	var sections []string
	for _, s := range preferences.Sections {
		if _, ok := present[s]; ok {
			sections = append(sections, s)
		}
	}
	return p, sections, nil
}

func (a *API) savePreferences(c *fiber.Ctx, p preferences.Preferences, sections []string) error {
	saved, err := a.store.SetPreferences(c.UserContext(), web.ActorOf(c), guestID(c), p, sections)
	if err != nil {
		return err
	}
	return c.JSON(saved)
}

func (a *API) preferenceHistory(c *fiber.Ctx) error {
	return guestRecords(c, "changes", a.store.PreferenceHistory)
}
