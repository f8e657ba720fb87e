package frontdesk_test

import (
	"encoding/json"
	"testing"
)

// FuzzGuestBody posts arbitrary bodies to POST /api/guests and PATCH /api/guests/{id}:
// the answer is always a success or a 4xx problem naming a field, never a 500, and a
// failed request changes nothing.
func FuzzGuestBody(f *testing.F) {
	seeds := []string{
		`{"family_name":"丁","documents":[{"type":"cn_resident_id","number":"110105197505120038"}]}`,
		`{"family_name":"Thompson","email":"emma@example.co.uk","birthday":"1990-02-29"}`,
		`{"family_name":"A","marketing_consent":"yes"}`,
		`{"family_name":"A","documents":[{"type":"passport","number":"E12345678"},{"type":"passport","number":"e1234 5678"}]}`,
		`{"family_name":"A","time_zone":"../../etc/passwd"}`,
		`{"family_name":"A","documents":{"type":"passport"}}`,
		`{"family_name":"A","language":null,"email":null}`,
		`{"family_name":"\u0000"}`,
		`[]`, `null`, `"x"`, `{"family_name":1e999}`, "{\"family_name\":\"\xff\"}", `{"family_name":"A"}{"x":1}`,
		`{"family_name":"A","birthday":"1975-05-12","documents":[{"type":"cn_resident_id","number":"110105197505120038"}]}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		fx := newFixture(t)
		target := fx.createDing(t)["id"].(string)
		before := fx.snapshot(t, target)
		for _, c := range []struct{ method, path string }{{"POST", "/api/guests"}, {"PATCH", "/api/guests/" + target}} {
			r := fx.call(t, c.method, c.path, fx.desk, body)
			switch {
			case r.Status == 200 || r.Status == 201:
				var m map[string]any
				if err := json.Unmarshal(r.Body, &m); err != nil || m["id"] == nil {
					t.Fatalf("%s: success without a guest: %s", c.method, r.Body)
				}
			case r.Status == 409 || r.Status == 422 || r.Status == 413:
				var p struct {
					Errors []struct{ Field, Message string }
				}
				if err := json.Unmarshal(r.Body, &p); err != nil || len(p.Errors) == 0 || p.Errors[0].Field == "" {
					t.Fatalf("%s: %d without a field error: %s", c.method, r.Status, r.Body)
				}
				if c.method == "PATCH" {
					after := fx.snapshot(t, target)
					if string(before["updated_at"]) != string(after["updated_at"]) {
						t.Fatalf("a failed PATCH changed the guest")
					}
				}
			default:
				t.Fatalf("%s %q: status %d: %s", c.method, body, r.Status, r.Body)
			}
		}
	})
}
