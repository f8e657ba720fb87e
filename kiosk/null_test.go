package kiosk_test

import (
	"bytes"
	"net/http"
	"testing"

	"regulars/preferences"
)

// The kiosk decodes with the desk's strict decoder: a body that is not an object, or a
// null section or field, is a 422 naming it, and the guest's allergy stays on file.
func TestKioskRefusesNull(t *testing.T) {
	h := newHotel(t, nil)
	s := h.identifyDing()
	prefs := "/api/kiosk/sessions/" + s + "/preferences"
	for _, tt := range []struct{ method, path, body, field string }{
		{"PATCH", prefs, `null`, "body"},
		{"PATCH", prefs, `[]`, "body"},
		{"PATCH", prefs, `{"allergies":null}`, "allergies"},
		{"PATCH", prefs, `{"room":{"min_floor":null}}`, "room.min_floor"},
		{"PATCH", prefs, `{"housekeeping":{"laundry":null}}`, "housekeeping.laundry"},
		{"POST", "/api/kiosk/identify", `null`, "body"},
	} {
		r := h.kioskCall(tt.method, tt.path, tt.body)
		if r.Status != http.StatusUnprocessableEntity || !bytes.Contains(r.Body, []byte(`"field":"`+tt.field+`"`)) {
			t.Errorf("%s %s: %d %s, want 422 naming %s", tt.path, tt.body, r.Status, r.Body, tt.field)
		}
	}
	var p preferences.Preferences
	h.call("GET", "/api/guests/"+h.ding+"/preferences", "", h.desk, nil).JSON(t, &p)
	if len(p.Allergies) != 1 || p.Allergies[0].Allergen != "laundry detergent" || p.Room.MinFloor != 20 ||
		p.Housekeeping.Laundry != "soap only, no detergent" {
		t.Errorf("stored preferences changed: %+v", p)
	}
}
