package frontdesk_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"regulars/internal/testkit"
)

// M is a JSON object in a test body.
type M = map[string]any

// expect calls the API and fails unless the status is want; it returns the response.
func (f *fixture) expect(t *testing.T, want int, method, path, token string, body any) testkit.Response {
	t.Helper()
	r := f.call(t, method, path, token, body)
	if r.Status != want {
		t.Fatalf("%s %s = %d %s, want %d", method, path, r.Status, r.Body, want)
	}
	return r
}

// problemField fails unless r is a problem naming field.
func problemField(t *testing.T, r testkit.Response, status int, field string) {
	t.Helper()
	if r.Status != status || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("status %d (%s) %s, want %d problem+json", r.Status, r.Header.Get("Content-Type"), r.Body, status)
	}
	if field == "" {
		return
	}
	var p struct {
		Errors []struct{ Field, Message string } `json:"errors"`
	}
	r.JSON(t, &p)
	for _, e := range p.Errors {
		if e.Field == field {
			return
		}
	}
	t.Fatalf("problem %s does not name field %q", r.Body, field)
}

// today is the hotel's date on the store's clock (the test config's zone is Asia/Shanghai).
func (f *fixture) today() string { return f.app.Store.Today() }

// hotelRooms puts a few rooms: 2102 meets all of Ding's wishes, the others some.
func (f *fixture) hotelRooms(t *testing.T) {
	t.Helper()
	rooms := map[string]M{
		"2102": {"floor": 21, "view": "river", "bed": "king", "quiet": true, "features": []string{"internet", "bathtub"}},
		"2101": {"floor": 21, "view": "river", "bed": "twin", "features": []string{"internet"}},
		"2305": {"floor": 23, "view": "park", "bed": "king", "quiet": true, "features": []string{"internet", "hypoallergenic"}},
		"1201": {"floor": 12, "view": "river", "bed": "king", "features": []string{"internet"}},
		"306":  {"floor": 3, "view": "garden", "bed": "queen", "smoking": true},
	}
	for n, body := range rooms {
		f.expect(t, 200, "PUT", "/api/rooms/"+n, f.manager, body)
	}
}

// guest creates a guest with an English name and returns the id.
func (f *fixture) guest(t *testing.T, family string) string {
	t.Helper()
	r := f.expect(t, 201, "POST", "/api/guests", f.desk, M{"family_name": family, "language": "en"})
	return r.Map(t)["id"].(string)
}

func str(t *testing.T, m M, key string) string {
	t.Helper()
	s, _ := m[key].(string)
	return s
}

func list(t *testing.T, r testkit.Response, key string) []M {
	t.Helper()
	var obj map[string]json.RawMessage
	var out []M
	if err := json.Unmarshal(r.Body, &obj); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
	if err := json.Unmarshal(obj[key], &out); err != nil {
		t.Fatalf("decode %s of %s: %v", key, r.Body, err)
	}
	return out
}

// count runs a count query on the store; a broken query fails the test rather than
// counting none.
func (f *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	return testkit.Count(t, f.app, query, args...)
}

// auditActions returns the actions in a guest's audit log.
func (f *fixture) auditActions(t *testing.T, guestID string) []string {
	t.Helper()
	var out []string
	for _, e := range list(t, f.expect(t, 200, "GET", "/api/guests/"+guestID+"/audit", f.manager, nil), "entries") {
		out = append(out, str(t, e, "action"))
	}
	return out
}

// shiftClock makes the store's clock run d from the real time (0: the real time again).
func (f *fixture) shiftClock(d time.Duration) {
	testkit.StoreClock(f.app).Shift(d)
}

// day is the hotel's date n days from the store's today (its clock, which tests may fix).
func (f *fixture) day(n int) string {
	return f.app.Store.Now().In(f.app.Config.Location).AddDate(0, 0, n).Format("2006-01-02")
}
