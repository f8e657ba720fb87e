package preferences

import (
	"strings"
	"time"
)

// Limits on stays and arrivals.
const (
	MaxNights       = 365
	MaxReferenceLen = 40
	// ArrivalYears is how far from the hotel's today an arrival may be dated, either
	// way: a date further out (9999-12-31, 1899-01-01) is a slip of the keyboard.
	ArrivalYears = 2
)

// Normalize trims the arrival's text fields.
func (a *Arrival) Normalize() {
	a.GuestID = strings.TrimSpace(a.GuestID)
	a.ArrivalDate = strings.TrimSpace(a.ArrivalDate)
	a.Reference = strings.TrimSpace(a.Reference)
}

// Validate checks an arrival as sent by a client; today is the hotel's date.
func (a *Arrival) Validate(today string) error {
	var v Invalid
	if a.GuestID == "" {
		v.Add("guest_id", "is required")
	}
	if _, err := ParseArrivalDate("arrival_date", a.ArrivalDate, today); err != nil {
		v.Merge("", err)
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

// ParseArrivalDate parses the date of an arrival, or of a day's arrivals, and checks that
// it lies within ArrivalYears of today (the hotel's date); errors name field.
func ParseArrivalDate(field, s, today string) (time.Time, error) {
	day, err := ParseDate(s)
	if err != nil {
		return day, FieldErr(field, "must be a real date as YYYY-MM-DD")
	}
	t, err := ParseDate(today)
	if err != nil {
		return day, err
	}
	from, to := t.AddDate(-ArrivalYears, 0, 0), t.AddDate(ArrivalYears, 0, 0)
	if day.Before(from) || day.After(to) {
		return day, FieldErr(field, "must be within %d years of today: from %s to %s",
			ArrivalYears, from.Format(DateLayout), to.Format(DateLayout))
	}
	return day, nil
}
