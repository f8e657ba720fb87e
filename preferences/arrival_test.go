package preferences_test

import (
	"testing"

	"regulars/preferences"
)

// An arrival lies within ArrivalYears (2) of the hotel's today, both ends included; a
// leap day's window ends on 1 March.
func TestParseArrivalDateWindow(t *testing.T) {
	for _, tt := range []struct {
		date, today string
		ok          bool
	}{
		{"2027-06-15", "2027-06-15", true},
		{"2025-06-15", "2027-06-15", true},
		{"2029-06-15", "2027-06-15", true},
		{"2025-06-14", "2027-06-15", false},
		{"2029-06-16", "2027-06-15", false},
		{"9999-12-31", "2027-06-15", false},
		{"1899-01-01", "2027-06-15", false},
		{"2030-03-01", "2028-02-29", true},
		{"2030-03-02", "2028-02-29", false},
		{"2027-02-30", "2027-06-15", false},
		{"", "2027-06-15", false},
	} {
		_, err := preferences.ParseArrivalDate("arrival_date", tt.date, tt.today)
		if (err == nil) != tt.ok {
			t.Errorf("%q on %s: %v, want ok %v", tt.date, tt.today, err, tt.ok)
		}
		if err != nil && err.(*preferences.Error).Fields[0].Field != "arrival_date" {
			t.Errorf("%q: %v does not name arrival_date", tt.date, err)
		}
	}
}
