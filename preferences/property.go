package preferences

import (
	"regexp"
	"strings"
)

// Property is one hotel of the group. Rooms, stays, arrivals, the housekeeping board,
// kiosks and their lock-outs belong to one; guests, their documents, preferences,
// consent, notes, feedback, follow-ups and the audit log are the group's.
type Property struct {
	ID       string `json:"-"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	TimeZone string `json:"time_zone"` // IANA; "" until the service's start names it: the group's zone
	Address  string `json:"address,omitempty"`
	Phone    string `json:"phone,omitempty"`
	// FromConfig: the property of a group of one, which follows REGULARS_PROPERTY_CODE,
	// REGULARS_HOTEL_NAME and REGULARS_TZ at each start of the service.
	FromConfig bool `json:"-"`
}

// MainPropertyID is the ID of the property the migrations make: the one a database from
// before properties became, and the first of a new one (FromConfig).
const MainPropertyID = "p_main"

// MainPropertyCode is the code of the property a database from before properties
// became, unless REGULARS_PROPERTY_CODE names another.
const MainPropertyCode = "MAIN"

var propertyCodeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{1,15}$`)

// PropertyCodeRule says what a property code may be.
const PropertyCodeRule = "must be 2 to 16 of A-Z, 0-9 and '-', starting with a letter or digit"

// ValidPropertyCode reports whether s can be a property's code.
func ValidPropertyCode(s string) bool { return propertyCodeRE.MatchString(s) }

// Normalize trims the property's fields; codes are upper case.
func (p *Property) Normalize() {
	p.Code = strings.ToUpper(strings.TrimSpace(p.Code))
	p.Name = strings.TrimSpace(p.Name)
	p.TimeZone = strings.TrimSpace(p.TimeZone)
	p.Address = strings.TrimSpace(p.Address)
	p.Phone = strings.TrimSpace(p.Phone)
}

// Validate checks a property's fields: every field error at once.
func (p *Property) Validate() error {
	var v Invalid
	if !ValidPropertyCode(p.Code) {
		v.Add("code", PropertyCodeRule)
	}
	if p.Name == "" {
		v.Add("name", "is required")
	}
	checkText(&v, "name", &p.Name, 200)
	if _, err := LoadZone(p.TimeZone); err != nil {
		v.Add("tz", "must be an IANA time zone, such as Asia/Shanghai")
	}
	checkText(&v, "address", &p.Address, 500)
	checkText(&v, "phone", &p.Phone, 50)
	return v.Err()
}

// Shown is the property's name, or its code while it has none.
func (p Property) Shown() string {
	if p.Name == "" {
		return p.Code
	}
	return p.Name
}
