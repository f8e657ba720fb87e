package frontdesk_test

import (
	"strings"
	"testing"
	"time"

	"regulars/internal/testkit"
)

// Arrival dates lie within two years of the hotel's today (the store's clock, fixed
// here), when recorded and when listed.
func TestArrivalDateWindow(t *testing.T) {
	f := newFixture(t)
	id := f.guest(t, "Window")
	loc := f.app.Config.Location
	testkit.StoreClock(f.app).Set(time.Date(2027, 6, 15, 23, 30, 0, 0, loc))
	defer f.shiftClock(0)

	for _, date := range []string{"9999-12-31", "1899-01-01", "2025-06-14", "2029-06-16"} {
		r := f.call(t, "POST", "/api/arrivals", f.desk, M{"guest_id": id, "arrival_date": date, "nights": 1})
		problemField(t, r, 422, "arrival_date")
		if !strings.Contains(string(r.Body), "within 2 years of today: from 2025-06-15 to 2029-06-15") {
			t.Errorf("%s: the problem does not give the window: %s", date, r.Body)
		}
		problemField(t, f.call(t, "GET", "/api/arrivals?date="+date, f.desk, nil), 422, "date")
	}
	for _, date := range []string{f.day(1), "2025-06-15", "2029-06-15"} {
		f.expect(t, 201, "POST", "/api/arrivals", f.desk, M{"guest_id": id, "arrival_date": date, "nights": 1})
		if cards := list(t, f.expect(t, 200, "GET", "/api/arrivals?date="+date, f.desk, nil), "arrivals"); len(cards) != 1 {
			t.Errorf("arrivals of %s = %v", date, cards)
		}
	}
	if f.day(1) != "2027-06-16" {
		t.Errorf("tomorrow = %s, want the hotel's 2027-06-16", f.day(1))
	}
}
