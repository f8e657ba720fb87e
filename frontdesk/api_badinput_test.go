package frontdesk_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"regulars/internal/testkit"
	"regulars/preferences"
)

// with returns Ding's create body changed by kv pairs (a nil value deletes the key).
func with(kv ...any) map[string]any {
	b := dingBody()
	b["documents"] = []map[string]string{{"type": "passport", "number": "E55555555"}}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(b, kv[i].(string))
		} else {
			b[kv[i].(string)] = kv[i+1]
		}
	}
	return b
}

func doc(t, n string) []map[string]string { return []map[string]string{{"type": t, "number": n}} }

func TestBadInput(t *testing.T) {
	f := newFixture(t)
	g := f.createDing(t)
	id := g["id"].(string)
	prefs := map[string]any{"room": map[string]any{"min_floor": 20, "bed": "king"}, "allergies": []any{}}
	if r := f.call(t, "PUT", "/api/guests/"+id+"/preferences", f.desk, prefs); r.Status != 200 {
		t.Fatal(r.Status, string(r.Body))
	}
	before := f.snapshot(t, id)

	other := with("family_name", "Other", "documents", doc("passport", "E77777777"))
	if r := f.call(t, "POST", "/api/guests", f.desk, other); r.Status != 201 {
		t.Fatal(r.Status, string(r.Body))
	}
	tests := []struct {
		name         string
		method, path string
		token        string
		body         any
		status       int
		field        string
	}{
		{"WrongCheckDigit", "POST", "/api/guests", f.desk, with("documents", doc("cn_resident_id", "110105197505120039")), 422, "documents[0].number"},
		{"ImpossibleDate", "POST", "/api/guests", f.desk, with("documents", doc("cn_resident_id", "110105197502300038"), "birthday", nil), 422, "documents[0].number"},
		{"FutureBirthDate", "POST", "/api/guests", f.desk, with("documents", doc("cn_resident_id", "110105202712010038")), 422, "documents[0].number"},
		{"FutureBirthday", "POST", "/api/guests", f.desk, with("birthday", "2099-01-01"), 422, "birthday"},
		{"ContradictingBirthday", "POST", "/api/guests", f.desk, with("documents", doc("cn_resident_id", "31010419880315002X"), "birthday", "1988-03-16"), 422, "birthday"},
		{"DuplicateDocument", "POST", "/api/guests", f.desk, with("documents", doc("cn_resident_id", dingID)), 409, "documents[0].number"},
		{"DuplicateDocumentPatch", "PATCH", "/api/guests/" + id, f.desk, map[string]any{"documents": append(doc("cn_resident_id", dingID), doc("passport", "E77777777")...), "family_name": "X"}, 409, "documents[1].number"},
		{"ContradictingDocumentPatch", "PATCH", "/api/guests/" + id, f.desk, map[string]any{"documents": doc("cn_resident_id", "31010419880315002X"), "family_name": "X"}, 422, "documents[0].number"},
		{"UnknownField", "POST", "/api/guests", f.desk, with("vip", true), 422, "vip"},
		{"UnknownNestedField", "PUT", "/api/guests/" + id + "/preferences", f.desk, map[string]any{"room": map[string]any{"floor": 3}}, 422, "floor"},
		{"UnknownSection", "PATCH", "/api/guests/" + id + "/preferences", f.desk, map[string]any{"spa": "yes"}, 422, "spa"},
		{"WrongType", "POST", "/api/guests", f.desk, with("marketing_consent", "yes"), 422, "marketing_consent"},
		{"WrongTypePatch", "PATCH", "/api/guests/" + id, f.desk, map[string]any{"family_name": 42}, 422, "family_name"},
		{"WrongTypeFloor", "PATCH", "/api/guests/" + id + "/preferences", f.desk, `{"room":{"min_floor":"high"}}`, 422, "room.min_floor"},
		{"FloorRange", "PATCH", "/api/guests/" + id + "/preferences", f.desk, `{"room":{"min_floor":201}}`, 422, "room.min_floor"},
		{"Severity", "PATCH", "/api/guests/" + id + "/preferences", f.desk, `{"allergies":[{"allergen":"nuts","severity":"deadly"}]}`, 422, "allergies[0].severity"},
		{"TooManyItems", "PATCH", "/api/guests/" + id + "/preferences", f.desk, map[string]any{"room": map[string]any{"features": manyFeatures(21)}}, 422, "room.features"},
		{"MalformedJSON", "POST", "/api/guests", f.desk, `{"family_name":`, 422, "body"},
		{"TrailingJSON", "POST", "/api/guests", f.desk, `{"family_name":"A"} {}`, 422, "body"},
		{"NotUTF8", "POST", "/api/guests", f.desk, []byte("{\"family_name\":\"\xff\xfe\"}"), 422, "body"},
		{"EmptyBody", "POST", "/api/guests", f.desk, "", 422, "body"},
		{"InvalidEmail", "POST", "/api/guests", f.desk, with("email", "ding-at-example.com"), 422, "email"},
		{"InvalidEmailPatch", "PATCH", "/api/guests/" + id, f.desk, map[string]any{"email": "ding@"}, 422, "email"},
		{"InvalidLanguage", "POST", "/api/guests", f.desk, with("language", "de"), 422, "language"},
		{"InvalidZone", "PATCH", "/api/guests/" + id, f.desk, map[string]any{"time_zone": "Asia/Atlantis"}, 422, "time_zone"},
		{"MissingFamilyName", "POST", "/api/guests", f.desk, with("family_name", nil), 422, "family_name"},
		{"EmptyFamilyNamePatch", "PATCH", "/api/guests/" + id, f.desk, map[string]any{"family_name": " "}, 422, "family_name"},
		{"UnknownDocType", "POST", "/api/guests/lookup", f.desk, map[string]string{"document_type": "visa", "document_number": "123456"}, 422, "document_type"},
		{"LookupUnknownField", "POST", "/api/guests/lookup", f.desk, map[string]string{"document_type": "passport", "number": "E1234567"}, 422, "number"},
		{"SearchEmpty", "GET", "/api/guests?q=", f.desk, nil, 422, "q"},
		{"MissingToken", "GET", "/api/guests/" + id, "", nil, 401, ""},
		{"InvalidToken", "GET", "/api/guests/" + id, "rgl_not-a-real-token", nil, 401, ""},
		{"GarbageToken", "PATCH", "/api/guests/" + id, "x", map[string]any{"email": "a@b.example"}, 401, ""},
		{"WrongRoleRead", "GET", "/api/guests/" + id, f.housekeeper, nil, 403, ""},
		{"WrongRoleWrite", "PATCH", "/api/guests/" + id + "/preferences", f.housekeeper, prefs, 403, ""},
		{"WrongRoleErase", "DELETE", "/api/guests/" + id, f.desk, nil, 403, ""},
		{"UnknownGuest", "PATCH", "/api/guests/g_doesnotexist", f.desk, map[string]any{"email": "a@b.example"}, 404, ""},
		{"UnknownRoute", "GET", "/api/nothing", f.desk, nil, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.call(t, tt.method, tt.path, tt.token, tt.body)
			if r.Status != tt.status {
				t.Fatalf("status = %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content type = %q", ct)
			}
			var p struct {
				Type, Title string
				Status      int
				Errors      []preferences.FieldError
			}
			r.JSON(t, &p)
			if p.Status != tt.status || p.Title == "" || p.Type == "" {
				t.Fatalf("problem = %+v", p)
			}
			if tt.field == "" {
				return
			}
			for _, e := range p.Errors {
				if e.Field == tt.field && e.Message != "" {
					return
				}
			}
			t.Fatalf("no error for field %q in %s", tt.field, r.Body)
		})
	}
	if after := f.snapshot(t, id); !maps.EqualFunc(before, after, func(a, b json.RawMessage) bool { return bytes.Equal(a, b) }) {
		t.Fatalf("stored data changed:\nbefore %s\nafter  %s", before, after)
	}
	if guests := f.count(t, `SELECT count(*) FROM guests`); guests != 2 {
		t.Fatalf("%d guests stored, want 1: a bad request was half-written", guests)
	}
}

// snapshot returns the stored guest and preferences, without the read-time fields.
func (f *fixture) snapshot(t *testing.T, id string) map[string]json.RawMessage {
	t.Helper()
	r := f.call(t, http.MethodGet, "/api/guests/"+id, f.manager, nil)
	var m map[string]json.RawMessage
	r.JSON(t, &m)
	return m
}

func manyFeatures(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "feature" + strconv.Itoa(i)
	}
	return out
}

// TestOversizeBody sends a 1 MB body over a real connection: the server answers 413 with
// a problem document before reading it all.
func TestOversizeBody(t *testing.T) {
	f := newFixture(t)
	base := testkit.Serve(t, f.app)
	body := `{"family_name":"` + strings.Repeat("a", 1<<20) + `"}`
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Write in the background: the server may answer and close before reading it all.
	go fmt.Fprintf(conn, "POST /api/guests HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", f.desk, len(body), body)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 413 || resp.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(b), `"field":"body"`) {
		t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	if f.count(t, `SELECT count(*) FROM guests`) != 0 {
		t.Fatal("the oversize guest was stored")
	}
}
