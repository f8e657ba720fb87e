package web

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"regulars/preferences"
)

// PropertyCookie keeps the property a group-scope manager chose on the staff pages, so
// that every page and form after the picker acts in it.
const PropertyCookie = "regulars_property"

// propertyLister lists the group's properties, for the picker.
type propertyLister interface {
	Properties(ctx context.Context) ([]preferences.Property, error)
}

// choosePageProperty gives a group-scope staff page its property: ?property=CODE (kept
// in PropertyCookie from then on), else the one kept. Accounts of one property act in
// theirs; naming another is refused by the use cases.
func (s *Staff) choosePageProperty(c *fiber.Ctx, actor preferences.Actor) preferences.Actor {
	if actor.PropertyID != "" {
		return actor
	}
	if code := strings.ToUpper(strings.TrimSpace(c.Query("property"))); code != "" {
		c.Cookie(&fiber.Cookie{Name: PropertyCookie, Value: code, Path: "/", HTTPOnly: true, Secure: secureCookie(c),
			SameSite: fiber.CookieSameSiteStrictMode})
		actor.Chosen = code
	} else if code := c.Cookies(PropertyCookie); code != "" {
		actor.Chosen = strings.Clone(code)
	}
	return actor
}

// picker lists the properties a group-scope actor may choose from on the pages: none for
// an account of one property, or a group of one.
func (s *Staff) picker(c *fiber.Ctx, actor preferences.Actor) ([]PropertyChoice, error) {
	lister, ok := s.store.(propertyLister)
	if actor.PropertyID != "" || !ok {
		return nil, nil
	}
	list, err := lister.Properties(c.UserContext())
	if err != nil || len(list) < 2 {
		return nil, err
	}
	out := make([]PropertyChoice, len(list))
	for i, p := range list {
		out[i] = PropertyChoice{Code: p.Code, Name: p.Shown(), Chosen: p.Code == actor.Chosen}
	}
	return out, nil
}

// PropertyChoice is one property of the picker.
type PropertyChoice struct {
	Code, Name string
	Chosen     bool
}
