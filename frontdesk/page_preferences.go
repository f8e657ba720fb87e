package frontdesk

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"regulars/internal/web"
	"regulars/preferences"
)

type prefsData struct {
	Guest      preferences.Guest
	Prefs      preferences.Preferences
	Allergies  []preferences.Allergy // the guest's plus blank rows to add more
	Beds       []string
	Severities []string
	Errors     []preferences.FieldError
}

// blankAllergyRows is how many empty allergy rows the form offers for new ones.
const blankAllergyRows = 2

func (p *Pages) preferencesPage(c *fiber.Ctx) error {
	d, err := p.store.GuestProfile(c.UserContext(), web.ActorOf(c), param(c, "id"))
	if err != nil {
		return err
	}
	return p.renderPrefs(c, fiber.StatusOK, d.Guest, d.Preferences, nil)
}

func (p *Pages) renderPrefs(c *fiber.Ctx, status int, g preferences.Guest, prefs preferences.Preferences, errs []preferences.FieldError) error {
	d := prefsData{Guest: g, Prefs: prefs, Beds: preferences.Beds, Severities: preferences.Severities, Errors: errs}
	d.Allergies = append(append([]preferences.Allergy{}, prefs.Allergies...), make([]preferences.Allergy, blankAllergyRows)...)
	return p.views.Render(c, status, "preferences", "Preferences · "+g.DisplayName(), d)
}

// savePreferences replaces every section with the form's values; invalid input shows
// the form again with the values typed and the rule each field broke.
func (p *Pages) savePreferences(c *fiber.Ctx) error {
	ctx, id := c.UserContext(), param(c, "id")
	prefs := preferencesForm(c)
	if _, err := p.store.SetPreferences(ctx, web.ActorOf(c), id, prefs, preferences.Sections); err != nil {
		if preferences.ErrorCode(err) != preferences.EINVALID {
			return err
		}
		g, gerr := p.store.Guest(ctx, web.ActorOf(c), id)
		if gerr != nil {
			return gerr
		}
		pr := web.ProblemFor(err)
		errs := pr.Errors
		if len(errs) == 0 {
			errs = []preferences.FieldError{{Field: "preferences", Message: pr.Detail}}
		}
		return p.renderPrefs(c, fiber.StatusUnprocessableEntity, g, prefs, errs)
	}
	return c.Redirect("/frontdesk/guests/"+id+"?msg=preferences", fiber.StatusSeeOther)
}

// preferencesForm reads the preferences form. Lists are typed comma- or line-separated;
// allergy rows with no allergen are dropped.
func preferencesForm(c *fiber.Ctx) preferences.Preferences {
	var pr preferences.Preferences
	if s := form(c, "min_floor"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			n = -1 // reported by validation as out of range
		}
		pr.Room.MinFloor = n
	}
	pr.Room.View = form(c, "view")
	pr.Room.Bed = form(c, "bed")
	pr.Room.Quiet = form(c, "quiet") != ""
	pr.Room.Smoking = form(c, "smoking") != ""
	pr.Room.Features = splitList(form(c, "features"))
	pr.Dining.Breakfast = form(c, "breakfast")
	pr.Dining.Dietary = splitList(form(c, "dietary"))
	pr.Allergies = []preferences.Allergy{}
	for i := 0; i < preferences.MaxAllergies+blankAllergyRows; i++ {
		n := strconv.Itoa(i)
		a := preferences.Allergy{Allergen: form(c, "allergen_"+n), Severity: form(c, "severity_"+n), Instructions: form(c, "instructions_"+n)}
		if a.Allergen != "" || a.Instructions != "" {
			pr.Allergies = append(pr.Allergies, a)
		}
	}
	pr.Housekeeping.Laundry = form(c, "laundry")
	pr.Housekeeping.Amenities = splitList(form(c, "amenities"))
	pr.Notes = form(c, "notes")
	return pr
}

// splitList splits a typed list on commas (also the Chinese ,、) and line breaks.
func splitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == '\n' || r == '\r'
	})
	out := []string{}
	for _, x := range parts {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
