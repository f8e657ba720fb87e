package frontdesk_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"regulars/internal/app"
	"regulars/internal/testkit"
	"regulars/preferences"
)

const dingID = "110105197505120038"

func dingBody() map[string]any {
	return map[string]any{
		"family_name": "丁", "given_name": "伟", "salutation": "丁总", "email": "ding@example.com",
		"phone": "+86 139 0000 0000", "language": "zh", "time_zone": "Asia/Shanghai", "marketing_consent": true,
		"documents": []map[string]string{{"type": "cn_resident_id", "number": dingID}},
	}
}

type fixture struct {
	app                        *app.App
	logs                       *testkit.LogBuffer
	desk, manager, housekeeper string
}

func newFixture(t *testing.T) *fixture { return newFixtureOn(t, nil) }

// newFixtureOn starts the service on cfg (testkit.Config when nil).
func newFixtureOn(t *testing.T, cfg *app.Config) *fixture {
	a, logs := testkit.Start(t, cfg)
	return &fixture{app: a, logs: logs,
		desk:        testkit.Token(t, a, preferences.RoleFrontDesk),
		manager:     testkit.Token(t, a, preferences.RoleManager),
		housekeeper: testkit.Token(t, a, preferences.RoleHousekeeping)}
}

func (f *fixture) call(t *testing.T, method, path, token string, body any) testkit.Response {
	t.Helper()
	return testkit.Call(t, f.app, method, path, token, body)
}

func (f *fixture) createDing(t *testing.T) map[string]any {
	t.Helper()
	r := f.call(t, "POST", "/api/guests", f.desk, dingBody())
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	return r.Map(t)
}

func TestGuestLifecycle(t *testing.T) {
	f := newFixture(t)
	g := f.createDing(t)
	id := g["id"].(string)
	if !strings.HasPrefix(id, "g_") || len(id) < 16 {
		t.Fatalf("id = %q", id)
	}
	if g["birthday"] != "1975-05-12" {
		t.Errorf("birthday from the resident ID = %v", g["birthday"])
	}
	docs := g["documents"].([]any)
	if len(docs) != 1 || docs[0].(map[string]any)["last4"] != "0038" || docs[0].(map[string]any)["type"] != "cn_resident_id" {
		t.Errorf("documents = %v", docs)
	}
	if g["consent"].(map[string]any)["channel"] != "desk" {
		t.Errorf("consent = %v", g["consent"])
	}

	t.Run("Get", func(t *testing.T) {
		r := f.call(t, "GET", "/api/guests/"+id, f.desk, nil)
		m := r.Map(t)
		if r.Status != 200 || m["stays_count"] != 0.0 || m["preferences"] == nil || m["family_name"] != "丁" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("Patch", func(t *testing.T) {
		r := f.call(t, "PATCH", "/api/guests/"+id, f.desk, map[string]any{"email": "wei.ding@example.com", "marketing_consent": false})
		m := r.Map(t)
		if r.Status != 200 || m["email"] != "wei.ding@example.com" || m["marketing_consent"] != false || m["family_name"] != "丁" {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		r = f.call(t, "GET", "/api/guests/"+id+"/consent", f.desk, nil)
		if n := len(r.Map(t)["consent"].([]any)); n != 2 {
			t.Fatalf("consent ledger has %d entries, want 2: %s", n, r.Body)
		}
	})
	t.Run("Search", func(t *testing.T) {
		for _, q := range []string{"丁", "wei.ding", "139 0000", "13900000000", "丁伟"} {
			r := f.call(t, "GET", "/api/guests?q="+urlq(q), f.desk, nil)
			if r.Status != 200 || len(r.Map(t)["guests"].([]any)) != 1 {
				t.Errorf("q=%s: %d %s", q, r.Status, r.Body)
			}
		}
		r := f.call(t, "GET", "/api/guests?q=nobody", f.desk, nil)
		if r.Status != 200 || len(r.Map(t)["guests"].([]any)) != 0 {
			t.Errorf("%d %s", r.Status, r.Body)
		}
		r = f.call(t, "GET", "/api/guests?q=%25", f.desk, nil)
		if r.Status != 200 || len(r.Map(t)["guests"].([]any)) != 0 {
			t.Errorf("a %% must match literally: %s", r.Body)
		}
	})
	t.Run("Lookup", func(t *testing.T) {
		r := f.call(t, "POST", "/api/guests/lookup", f.desk, map[string]string{"document_type": "cn_resident_id", "document_number": "110105 19750512 0038"})
		if r.Status != 200 || r.Map(t)["id"] != id {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		r = f.call(t, "POST", "/api/guests/lookup", f.desk, map[string]string{"document_type": "cn_resident_id", "document_number": "31010419880315002X"})
		if r.Status != 404 {
			t.Fatalf("unknown document: %d %s", r.Status, r.Body)
		}
	})
	t.Run("Preferences", func(t *testing.T) {
		put := map[string]any{
			"room":      map[string]any{"min_floor": 20, "view": "river", "bed": "king", "quiet": true, "features": []string{"internet"}},
			"dining":    map[string]any{"breakfast": "in room: nutritious fruit platter", "dietary": []string{}},
			"allergies": []map[string]string{{"allergen": "laundry detergent", "severity": "moderate", "instructions": "wash clothes with soap only"}},
			"notes":     "likes the river",
		}
		r := f.call(t, "PUT", "/api/guests/"+id+"/preferences", f.desk, put)
		if r.Status != 200 {
			t.Fatalf("put: %d %s", r.Status, r.Body)
		}
		r = f.call(t, "PATCH", "/api/guests/"+id+"/preferences", f.desk, map[string]any{"housekeeping": map[string]any{"laundry": "soap only, no detergent"}})
		m := r.Map(t)
		if r.Status != 200 || m["housekeeping"].(map[string]any)["laundry"] != "soap only, no detergent" ||
			m["room"].(map[string]any)["min_floor"] != 20.0 || m["notes"] != "likes the river" {
			t.Fatalf("patch: %d %s", r.Status, r.Body)
		}
		r = f.call(t, "GET", "/api/guests/"+id+"/preferences/history", f.desk, nil)
		changes := r.Map(t)["changes"].([]any)
		if len(changes) != 5 { // room, dining, allergies, notes, then housekeeping
			t.Fatalf("history has %d changes: %s", len(changes), r.Body)
		}
		last := changes[4].(map[string]any)
		if last["section"] != "housekeeping" || !strings.Contains(fmt.Sprint(last["new"]), "soap only") || last["actor"] != "test frontdesk" {
			t.Fatalf("last change = %v", last)
		}
	})
	t.Run("Audit", func(t *testing.T) {
		if r := f.call(t, "GET", "/api/guests/"+id+"/audit", f.desk, nil); r.Status != 403 {
			t.Fatalf("front desk reads the audit: %d", r.Status)
		}
		r := f.call(t, "GET", "/api/guests/"+id+"/audit", f.manager, nil)
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		actions := map[string]bool{}
		for _, e := range r.Map(t)["entries"].([]any) {
			e := e.(map[string]any)
			actions[e["action"].(string)] = true
			if e["actor"] == "" || e["at"] == "" || e["role"] == "" {
				t.Errorf("incomplete entry %v", e)
			}
		}
		for _, want := range []string{preferences.ActionCreate, preferences.ActionRead, preferences.ActionUpdate, preferences.ActionLookup,
			preferences.ActionSearch, preferences.ActionPrefsChange, preferences.ActionConsent} {
			if !actions[want] {
				t.Errorf("no %s entry in %v", want, actions)
			}
		}
	})
	t.Run("Export", func(t *testing.T) {
		if r := f.call(t, "GET", "/api/guests/"+id+"/export", f.desk, nil); r.Status != 403 {
			t.Fatalf("front desk exports: %d", r.Status)
		}
		r := f.call(t, "GET", "/api/guests/"+id+"/export", f.manager, nil)
		m := r.Map(t)
		if r.Status != 200 || m["guest"].(map[string]any)["id"] != id || len(m["consent_history"].([]any)) != 2 ||
			len(m["preference_history"].([]any)) != 5 || m["preferences"] == nil {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("Erase", func(t *testing.T) {
		if r := f.call(t, "DELETE", "/api/guests/"+id, f.desk, nil); r.Status != 403 {
			t.Fatalf("front desk erases: %d", r.Status)
		}
		if r := f.call(t, "DELETE", "/api/guests/"+id, f.manager, nil); r.Status != 204 {
			t.Fatalf("erase: %d %s", r.Status, r.Body)
		}
		// Every read of the guest answers 404, as for a guest never known.
		type route struct{ method, path string }
		gone := []route{{"DELETE", "/api/guests/" + id}}
		for _, sub := range []string{"", "/preferences", "/preferences/history", "/consent", "/recognition", "/stays", "/export", "/audit"} {
			gone = append(gone, route{"GET", "/api/guests/" + id + sub}, route{"GET", "/api/guests/g_nobody" + sub})
		}
		for _, c := range gone {
			if r := f.call(t, c.method, c.path, f.manager, nil); r.Status != 404 {
				t.Errorf("%s %s after erasure: %d", c.method, c.path, r.Status)
			}
		}
		r := f.call(t, "POST", "/api/guests/lookup", f.desk, map[string]string{"document_type": "cn_resident_id", "document_number": dingID})
		if r.Status != 404 {
			t.Errorf("lookup after erasure: %d", r.Status)
		}
		if r := f.call(t, "GET", "/api/guests?q=ding", f.desk, nil); len(r.Map(t)["guests"].([]any)) != 0 {
			t.Errorf("search after erasure: %s", r.Body)
		}
		if f.count(t, `SELECT count(*) FROM guests WHERE id = ? AND erased_at IS NOT NULL`, id) != 1 {
			t.Fatal("the erased guest's row is not kept as erased: the check below would pass on nothing")
		}
		left := f.count(t, `SELECT count(*) FROM guests WHERE id = ? AND (family_name <> '' OR email <> '' OR phone <> '' OR birthday <> '' OR preferences <> '{}')`, id)
		if left != 0 {
			t.Error("personal data is still stored")
		}
		// The same document can be registered again for a new profile.
		if r := f.call(t, "POST", "/api/guests", f.desk, dingBody()); r.Status != 201 {
			t.Errorf("re-register after erasure: %d %s", r.Status, r.Body)
		}
	})
}

func urlq(s string) string {
	return strings.NewReplacer(" ", "%20", "+", "%2B").Replace(s)
}

// TestEveryReadOfAGuestIsAudited: each API read that shows a guest leaves an entry
// naming who read and how, in the guest's audit (the use cases write it, not the
// handlers); reads of other guests leave none in this guest's.
func TestEveryReadOfAGuestIsAudited(t *testing.T) {
	f := newFixture(t)
	f.hotelRooms(t)
	id := str(t, f.createDing(t), "id")
	other := f.guest(t, "Bystander")
	f.expect(t, 201, "POST", "/api/arrivals", f.desk, M{"guest_id": id, "arrival_date": f.today(), "nights": 2})
	f.expect(t, 201, "POST", "/api/stays", f.desk, M{"guest_id": id, "room": "2102", "nights": 2})
	f.expect(t, 201, "POST", "/api/guests/"+id+"/feedback", f.desk, M{"kind": "request", "text": "Late check-out"})
	before := len(f.auditActions(t, id)) + 1 // with that read of the audit

	reads := []struct{ token, method, path, action string }{
		{f.desk, "GET", "/api/guests/" + id, preferences.ActionRead},
		{f.desk, "GET", "/api/guests/" + id + "/consent", preferences.ActionRead},
		{f.desk, "GET", "/api/guests/" + id + "/preferences", preferences.ActionPrefsRead},
		{f.desk, "GET", "/api/guests/" + id + "/preferences/history", preferences.ActionPrefsRead},
		{f.desk, "GET", "/api/guests/" + id + "/recognition", preferences.ActionRecognition},
		{f.desk, "GET", "/api/guests/" + id + "/stays", preferences.ActionStaysRead},
		{f.desk, "GET", "/api/guests?q=" + url.QueryEscape("丁"), preferences.ActionSearch},
		{f.desk, "POST", "/api/guests/lookup", preferences.ActionLookup},
		{f.desk, "GET", "/api/arrivals", preferences.ActionArrivalRead},
		{f.desk, "GET", "/api/feedback?status=open", preferences.ActionFeedbackRead},
		{f.housekeeper, "GET", "/api/housekeeping", preferences.ActionBoardRead},
		{f.manager, "GET", "/api/guests/" + id + "/export", preferences.ActionExport},
		{f.desk, "GET", "/api/guests/" + id + "/vcard", preferences.ActionRead},
		{f.manager, "GET", "/api/guests/" + id + "/audit", preferences.ActionAuditRead},
	}
	for _, r := range reads {
		var body any
		if r.method == "POST" {
			body = M{"document_type": "cn_resident_id", "document_number": dingID}
		}
		f.expect(t, 200, r.method, r.path, r.token, body)
		f.expect(t, 200, "GET", "/api/guests/"+other, f.desk, nil) // another guest's read
		entries := list(t, f.expect(t, 200, "GET", "/api/guests/"+id+"/audit", f.manager, nil), "entries")
		last := entries[len(entries)-1] // the audit's own read is written after it answers
		got, want := str(t, last, "actor")+" "+str(t, last, "action"), "test "+roleOf(f, r.token)+" "+r.action
		if len(entries) != before+1 || got != want {
			t.Errorf("%s %s: %d new entries, the last %q; want one, %q", r.method, r.path, len(entries)-before, got, want)
		}
		before = len(entries) + 1 // and the read of the audit just made
	}
}

// roleOf is the role of one of the fixture's tokens, which is named "test ROLE".
func roleOf(f *fixture, token string) string {
	switch token {
	case f.manager:
		return string(preferences.RoleManager)
	case f.housekeeper:
		return string(preferences.RoleHousekeeping)
	}
	return string(preferences.RoleFrontDesk)
}
