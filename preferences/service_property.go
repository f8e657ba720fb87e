package preferences

import (
	"context"
	"strings"
	"time"
)

// AddProperty adds a hotel to the group; ECONFLICT naming code when the code is taken.
func (s *Service) AddProperty(ctx context.Context, p Property) (Property, error) {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return p, err
	}
	p.ID, p.FromConfig = NewID("p"), false
	err := s.repo.Write(ctx, func(tx Tx) error { return tx.InsertProperty(ctx, p) })
	if ErrorCode(err) == ECONFLICT {
		return p, &Error{Code: ECONFLICT, Message: "A property with this code exists.",
			Fields: []FieldError{{Field: "code", Message: "is taken by another property"}}}
	}
	return p, err
}

// Properties lists the group's properties by code.
func (s *Service) Properties(ctx context.Context) ([]Property, error) {
	var list []Property
	err := s.repo.Read(ctx, func(tx Tx) (err error) { list, err = tx.Properties(ctx); return err })
	return list, err
}

// ConfigureProperty names the property of a group of one (the one a database from
// before properties became) after the configuration: REGULARS_PROPERTY_CODE,
// REGULARS_HOTEL_NAME and REGULARS_TZ. It runs at each start of the service.
func (s *Service) ConfigureProperty(ctx context.Context, code, name string) error {
	p := Property{Code: code, Name: name, TimeZone: s.loc.String()}
	p.Normalize()
	if p.Code == "" {
		p.Code = MainPropertyCode
	}
	if !ValidPropertyCode(p.Code) {
		return FieldErr("REGULARS_PROPERTY_CODE", PropertyCodeRule)
	}
	if p.TimeZone == "Local" {
		p.TimeZone = ""
	}
	err := s.repo.Write(ctx, func(tx Tx) error { return tx.ConfigureProperty(ctx, p.Code, p.Name, p.TimeZone) })
	if ErrorCode(err) == ECONFLICT {
		return FieldErr("REGULARS_PROPERTY_CODE", "%s is the code of another property of the group", p.Code)
	}
	return err
}

// PropertyOf returns the property actor acts in (see propertyOf).
func (s *Service) PropertyOf(ctx context.Context, actor Actor) (Property, error) {
	var p Property
	err := s.repo.Read(ctx, func(tx Tx) (err error) { p, err = s.propertyOf(ctx, tx, actor); return err })
	return p, err
}

// propertyOf returns the property actor acts in: its own; for the group's scope the one
// it chose (?property=CODE), or the only one of a group of one. EINVALID naming
// property when a group-scope actor must choose and did not, or chose an unknown code;
// EFORBIDDEN when an actor of one property names another.
func (s *Service) propertyOf(ctx context.Context, tx Tx, actor Actor) (Property, error) {
	chosen := strings.ToUpper(strings.TrimSpace(actor.Chosen))
	if actor.PropertyID != "" {
		p, err := tx.PropertyByID(ctx, actor.PropertyID)
		if err == nil && chosen != "" && chosen != p.Code {
			return p, Errorf(EFORBIDDEN, "This account acts for property %s only.", p.Code)
		}
		return p, err
	}
	if chosen != "" {
		p, err := tx.PropertyByCode(ctx, chosen)
		if ErrorCode(err) == ENOTFOUND {
			return p, FieldErr("property", "names no property of the group")
		}
		return p, err
	}
	list, err := tx.Properties(ctx)
	if err != nil {
		return Property{}, err
	}
	if len(list) != 1 {
		return Property{}, FieldErr("property", "is required: the group has %d properties; add ?property=CODE", len(list))
	}
	return list[0], nil
}

// optionalProperty is propertyOf where a property is told if known: the empty
// Property where a group-scope actor of a group of several chose none.
func (s *Service) optionalProperty(ctx context.Context, tx Tx, actor Actor) (Property, error) {
	p, err := s.propertyOf(ctx, tx, actor)
	if err != nil && actor.PropertyID == "" && actor.Chosen == "" && ErrorCode(err) == EINVALID {
		return Property{}, nil
	}
	return p, err
}

// TodayOf is the calendar date, YYYY-MM-DD, at the property the actor acts in, in its
// zone (see propertyOf for the errors).
func (s *Service) TodayOf(ctx context.Context, actor Actor) (string, error) {
	p, err := s.PropertyOf(ctx, actor)
	if err != nil {
		return "", err
	}
	return s.today(p), nil
}

// today is the property's calendar date, YYYY-MM-DD, in its zone.
func (s *Service) today(p Property) string {
	return s.clock.Now().In(s.zone(p.TimeZone)).Format(DateLayout)
}

// zone is the named zone, loaded once; the group's for "" or a name not known here.
func (s *Service) zone(name string) *time.Location { return ZoneNamed(name, s.loc) }
