package frontdesk_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// notObjects are bodies that are valid JSON but not an object. Decoded into a request
// they left it zero: a PUT of null erased every preference, severe allergies included.
var notObjects = []string{`null`, ` null `, `[]`, `[{"notes":"x"}]`, `"x"`, `0`, `true`}

// nullGuest is a guest with a severe allergy and other preferences, and a stay in 2102.
func (f *fixture) nullGuest(t *testing.T) (id, stay string) {
	t.Helper()
	f.hotelRooms(t)
	id = f.guest(t, "Null")
	f.expect(t, 200, "PUT", "/api/guests/"+id+"/preferences", f.desk, M{
		"room":      M{"min_floor": 20, "view": "river", "features": []string{"internet"}},
		"allergies": []M{{"allergen": "peanuts", "severity": "severe", "instructions": "no nuts in the room"}},
		"notes":     "likes the river",
	})
	stay = str(t, f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": id, "room": "2102", "nights": 2}).Map(t), "id")
	return id, stay
}

// stored is what the service keeps of the guest: profile, preferences, stays and rooms.
func (f *fixture) stored(t *testing.T, id string) string {
	t.Helper()
	var b bytes.Buffer
	for _, path := range []string{"/api/guests/" + id, "/api/guests/" + id + "/preferences", "/api/guests/" + id + "/stays", "/api/rooms"} {
		b.Write(f.expect(t, 200, "GET", path, f.manager, nil).Body)
	}
	return b.String()
}

// Every JSON endpoint refuses a body that is not an object with a 422 naming the body,
// and nothing stored changes: the preferences (with the severe allergy) are intact, the
// stay is still open, the room keeps its floor.
func TestBodyMustBeObject(t *testing.T) {
	f := newFixture(t)
	id, stay := f.nullGuest(t)
	before := f.stored(t, id)
	for _, route := range []struct{ method, path string }{
		{"PUT", "/api/guests/" + id + "/preferences"},
		{"PATCH", "/api/guests/" + id + "/preferences"},
		{"POST", "/api/stays/" + stay + "/checkout"},
		{"PUT", "/api/rooms/2102"},
		{"POST", "/api/guests"},
		{"PATCH", "/api/guests/" + id},
		{"POST", "/api/arrivals"},
		{"POST", "/api/guests/" + id + "/feedback"},
		{"POST", "/api/guests/" + id + "/notes"},
		{"POST", "/api/guests/lookup"},
	} {
		for _, body := range notObjects {
			r := f.call(t, route.method, route.path, f.manager, body)
			problemField(t, r, 422, "body")
			if !strings.Contains(string(r.Body), "must be a JSON object") {
				t.Errorf("%s %s %s: %s", route.method, route.path, body, r.Body)
			}
		}
	}
	if after := f.stored(t, id); after != before {
		t.Fatalf("stored data changed:\nbefore %s\nafter  %s", before, after)
	}
	// An empty body still means "no spend" at check-out.
	f.expect(t, 200, "POST", "/api/stays/"+stay+"/checkout", f.desk, "")
}

// A null field is a 422 naming it by its path; nothing is stored as zero or erased.
func TestNullFieldRefused(t *testing.T) {
	f := newFixture(t)
	id, stay := f.nullGuest(t)
	before := f.stored(t, id)
	prefs := "/api/guests/" + id + "/preferences"
	for _, tt := range []struct {
		method, path, body, field string
	}{
		{"PUT", "/api/rooms/2102", `{"floor":null,"view":"river","bed":"king"}`, "floor"},
		{"PUT", "/api/rooms/2102", `{"floor":21,"features":["internet",null]}`, "features[1]"},
		{"PATCH", prefs, `{"allergies":null}`, "allergies"},
		{"PUT", prefs, `{"allergies":null}`, "allergies"},
		{"PATCH", prefs, `{"room":null}`, "room"},
		{"PATCH", prefs, `{"room":{"min_floor":null}}`, "room.min_floor"},
		{"PATCH", prefs, `{"notes":null}`, "notes"},
		{"PATCH", prefs, `{"allergies":[{"allergen":"peanuts","severity":null}]}`, "allergies[0].severity"},
		{"PUT", prefs, `{"room":{},"allergies":[],"dining":{"breakfast":null}}`, "dining.breakfast"},
		{"POST", "/api/stays/" + stay + "/checkout", `{"spend":null}`, "spend"},
		{"POST", "/api/guests", `{"family_name":"New","email":null}`, "email"},
		{"PATCH", "/api/guests/" + id, `{"family_name":null}`, "family_name"},
		{"PATCH", "/api/guests/" + id, `{"marketing_consent":null}`, "marketing_consent"},
		{"POST", "/api/arrivals", `{"guest_id":"` + id + `","arrival_date":null,"nights":1}`, "arrival_date"},
	} {
		r := f.call(t, tt.method, tt.path, f.manager, tt.body)
		problemField(t, r, 422, tt.field)
		if !strings.Contains(string(r.Body), "must not be null") {
			t.Errorf("%s %s %s: %s", tt.method, tt.path, tt.body, r.Body)
		}
	}
	if after := f.stored(t, id); after != before {
		t.Fatalf("stored data changed:\nbefore %s\nafter  %s", before, after)
	}
	// "" clears a text field.
	if p := f.expect(t, 200, "PATCH", prefs, f.desk, M{"notes": ""}).Map(t); p["notes"] != "" || len(p["allergies"].([]any)) != 1 {
		t.Fatalf("cleared notes = %v", p)
	}
}

// A PUT replaces every section, so it must say what becomes of the allergies: one that
// leaves them out is refused, and only an explicit [] removes them all. The audit shows
// what was removed.
func TestRemovingAllergiesIsExplicit(t *testing.T) {
	f := newFixture(t)
	id, _ := f.nullGuest(t)
	prefs := "/api/guests/" + id + "/preferences"
	before := f.stored(t, id)

	r := f.call(t, "PUT", prefs, f.desk, M{"room": M{"min_floor": 3}, "notes": "no allergies sent"})
	problemField(t, r, 422, "allergies")
	if !strings.Contains(string(r.Body), "send [] to remove every allergy") {
		t.Errorf("the problem does not say how to remove allergies: %s", r.Body)
	}
	if after := f.stored(t, id); after != before {
		t.Fatalf("a refused PUT changed stored data:\nbefore %s\nafter  %s", before, after)
	}
	// A PATCH without allergies leaves them alone.
	if p := f.expect(t, 200, "PATCH", prefs, f.desk, M{"notes": "patched"}).Map(t); len(p["allergies"].([]any)) != 1 {
		t.Fatalf("a PATCH without allergies removed them: %v", p)
	}

	p := f.expect(t, 200, "PUT", prefs, f.desk, M{"room": M{"min_floor": 20}, "allergies": []M{}}).Map(t)
	if len(p["allergies"].([]any)) != 0 {
		t.Fatalf("allergies after PUT []: %v", p)
	}
	if b := f.expect(t, 200, "GET", "/api/guests/"+id, f.desk, nil).Body; strings.Contains(string(b), "peanuts") {
		t.Fatalf("the guest still shows the allergy: %s", b)
	}

	// The change, old → new, in the audit and in the preference history.
	removed := func(entries []M) bool {
		for _, e := range entries {
			old, _ := json.Marshal(e["old"])
			nw, _ := json.Marshal(e["new"])
			if e["action"] == "preferences.change" && e["section"] == "allergies" && e["actor"] == "test frontdesk" &&
				string(old) == `[{"allergen":"peanuts","instructions":"no nuts in the room","severity":"severe"}]` &&
				string(nw) == "[]" {
				return true
			}
		}
		return false
	}
	audit := list(t, f.expect(t, 200, "GET", "/api/guests/"+id+"/audit", f.manager, nil), "entries")
	if !removed(audit) {
		t.Errorf("the audit does not show the allergy removed: %v", audit)
	}
	if h := list(t, f.expect(t, 200, "GET", prefs+"/history", f.desk, nil), "changes"); !removed(h) {
		t.Errorf("the history does not show the allergy removed: %v", h)
	}
}
