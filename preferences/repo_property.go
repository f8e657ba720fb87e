package preferences

import "context"

// PropertyRepo keeps the properties of the group.
type PropertyRepo interface {
	// InsertProperty stores a new property; ECONFLICT when its code is taken.
	InsertProperty(ctx context.Context, p Property) error
	// Properties lists every property, by code.
	Properties(ctx context.Context) ([]Property, error)
	// PropertyByID and PropertyByCode return one property; ENOTFOUND when none.
	PropertyByID(ctx context.Context, id string) (Property, error)
	PropertyByCode(ctx context.Context, code string) (Property, error)
	// ConfigureProperty sets the code, name and zone of the property that follows the
	// configuration (FromConfig); ECONFLICT when another property has the code.
	ConfigureProperty(ctx context.Context, code, name, timeZone string) error
}
