package preferences

import (
	"strings"
	"time"
)

// Limits on stays and arrivals.
const (
	MaxNights       = 365
	MaxReferenceLen = 40
)

// Normalize trims the arrival's text fields.
func (a *Arrival) Normalize() {
	a.GuestID = strings.TrimSpace(a.GuestID)
	a.ArrivalDate = strings.TrimSpace(a.ArrivalDate)
	a.Reference = strings.TrimSpace(a.Reference)
}

// Validate checks an arrival as sent by a client.
func (a *Arrival) Validate() error {
	var v Invalid
	if a.GuestID == "" {
		v.Add("guest_id", "is required")
	}
	if _, err := ParseDate(a.ArrivalDate); err != nil {
		v.Add("arrival_date", "must be a real date as YYYY-MM-DD")
	}
	if err := ValidateNights(a.Nights); err != nil {
		v.Merge("nights", err)
	}
	text(&v, "reference", a.Reference, MaxReferenceLen, false)
	return v.Err()
}

// ValidateNights checks a number of nights: 1 to MaxNights.
func ValidateNights(n int) error {
	if n < 1 || n > MaxNights {
		return FieldErr("", "must be between 1 and %d", MaxNights)
	}
	return nil
}

// ParseDate parses a YYYY-MM-DD calendar date (midnight UTC).
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return t, FieldErr("", "must be a real date as YYYY-MM-DD")
	}
	return t, nil
}
