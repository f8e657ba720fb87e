package frontdesk_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"regulars/internal/testkit"
	"regulars/preferences"
)

func TestContactLogAPI(t *testing.T) {
	f := newFixture(t)
	kiosk := testkit.Token(t, f.app, preferences.RoleKiosk)
	id := f.guest(t, "Ding")
	path := "/api/guests/" + id + "/contacts"
	brochure := M{"channel": "material", "material": "Spring Spa Brochure", "note": "Posted to his office."}

	first := f.expect(t, 201, "POST", path, f.desk, brochure).Map(t)
	if first["channel"] != "material" || first["material"] != "Spring Spa Brochure" || first["by"] != "test frontdesk" ||
		first["source"] != "staff" || str(t, first, "at") == "" || str(t, first, "id") == "" {
		t.Fatalf("logged %v", first)
	}
	// The manager sends the same brochure, typed another way: refused, naming who and when.
	r := f.call(t, "POST", path, f.manager, M{"channel": "material", "material": "  spring spa BROCHURE"})
	problemField(t, r, 409, "material")
	p := r.Map(t)
	if p["sent_by"] != "test frontdesk" || p["sent_at"] != first["at"] ||
		!strings.HasPrefix(str(t, p, "detail"), "Already sent by test frontdesk on "+f.today()) {
		t.Fatalf("refusal %s", r.Body)
	}
	again := f.expect(t, 201, "POST", path, f.manager, M{"channel": "material", "material": "spring spa brochure", "confirm": true}).Map(t)
	if again["repeat_confirmed"] != true {
		t.Fatalf("confirmed repeat %v", again)
	}
	f.expect(t, 201, "POST", path, f.desk, M{"channel": "call"})

	for _, c := range []struct {
		body  any
		field string
	}{
		{M{"channel": "fax"}, "channel"},
		{M{"channel": "material"}, "material"},
		{M{"channel": "call", "material": "Spa"}, "material"},
		{M{"channel": "call", "note": strings.Repeat("x", preferences.MaxContactNote+1)}, "note"},
		{M{"channel": "call", "when": "yesterday"}, "when"},
		{M{"channel": 3}, "channel"},
	} {
		problemField(t, f.call(t, "POST", path, f.desk, c.body), 422, c.field)
	}
	problemField(t, f.call(t, "POST", "/api/guests/g_unknown/contacts", f.desk, M{"channel": "call"}), 404, "")
	problemField(t, f.call(t, "GET", "/api/guests/g_unknown/contacts", f.desk, nil), 404, "")
	for _, token := range []string{f.housekeeper, kiosk} {
		problemField(t, f.call(t, "POST", path, token, M{"channel": "call"}), 403, "")
		problemField(t, f.call(t, "GET", path, token, nil), 403, "")
		problemField(t, f.call(t, "GET", "/api/keep-in-touch", token, nil), 403, "")
	}

	contacts := list(t, f.expect(t, 200, "GET", path, f.desk, nil), "contacts")
	var got []string
	for _, c := range contacts {
		got = append(got, str(t, c, "channel"))
	}
	if !slices.Equal(got, []string{"call", "material", "material"}) || contacts[1]["repeat_confirmed"] != true {
		t.Fatalf("contacts newest first: %v", contacts)
	}
	card := f.expect(t, 200, "GET", "/api/guests/"+id+"/recognition", f.desk, nil).Map(t)
	if last, _ := card["last_contacts"].([]any); len(last) != 3 {
		t.Fatalf("the card's last contacts: %v", card["last_contacts"])
	}
	actions := f.auditActions(t, id)
	if n := countOf(actions, preferences.ActionContactAdd); n != 3 {
		t.Errorf("%d contact.create entries in %v, want 3 (not the refused one)", n, actions)
	}
	if !slices.Contains(actions, preferences.ActionContactsRead) {
		t.Errorf("the list's read is not audited: %v", actions)
	}
	if n := testkit.Count(t, f.app, `SELECT count(*) FROM guest_contacts WHERE guest_id = ? AND repeat_confirmed = ?`, id, true); n != 1 {
		t.Errorf("%d confirmed repeats stored", n)
	}
}

func countOf(list []string, v string) int {
	n := 0
	for _, s := range list {
		if s == v {
			n++
		}
	}
	return n
}

func TestKeepInTouchAPI(t *testing.T) {
	f := newFixture(t)
	ding, lin := f.guest(t, "Ding"), f.guest(t, "Lin")
	g := f.expect(t, 200, "PATCH", "/api/guests/"+ding, f.desk, M{"keep_in_touch_days": 1}).Map(t)
	if g["keep_in_touch_days"] != 1.0 {
		t.Fatalf("the change answers %v", g["keep_in_touch_days"])
	}
	f.expect(t, 200, "PATCH", "/api/guests/"+lin, f.manager, M{"keep_in_touch_days": 3, "salutation": "Ms Lin"})
	if g := f.expect(t, 200, "GET", "/api/guests/"+lin, f.desk, nil).Map(t); g["keep_in_touch_days"] != 3.0 || g["salutation"] != "Ms Lin" {
		t.Fatalf("profile %v", g)
	}
	for _, bad := range []any{0, 3651, "30", 2.5, true} {
		problemField(t, f.call(t, "PATCH", "/api/guests/"+lin, f.desk, M{"keep_in_touch_days": bad, "salutation": "changed"}), 422, "keep_in_touch_days")
	}
	if g := f.expect(t, 200, "GET", "/api/guests/"+lin, f.desk, nil).Map(t); g["salutation"] != "Ms Lin" {
		t.Fatalf("a refused change changed %v", g["salutation"])
	}
	problemField(t, f.call(t, "PATCH", "/api/guests/"+lin, f.housekeeper, M{"keep_in_touch_days": 3}), 403, "")

	due := func(token, query string) (names []string, total float64) {
		t.Helper()
		r := f.expect(t, 200, "GET", "/api/keep-in-touch"+query, token, nil)
		for _, e := range list(t, r, "guests") {
			names = append(names, fmt.Sprintf("%s+%v", str(t, e, "guest_id"), e["days_overdue"]))
		}
		return names, r.Map(t)["total"].(float64)
	}
	if names, total := due(f.manager, ""); len(names) != 0 || total != 0 {
		t.Fatalf("due today: %v", names)
	}
	f.shiftClock(2 * 24 * time.Hour)
	if names, total := due(f.manager, ""); !slices.Equal(names, []string{ding + "+1"}) || total != 1 {
		t.Fatalf("due in two days: %v", names)
	}
	f.shiftClock(5 * 24 * time.Hour)
	if names, total := due(f.desk, "?limit=1"); !slices.Equal(names, []string{ding + "+4"}) || total != 2 {
		t.Fatalf("first page in five days: %v of %v", names, total)
	}
	if names, _ := due(f.desk, "?limit=1&offset=1"); !slices.Equal(names, []string{lin + "+2"}) {
		t.Fatalf("second page in five days: %v", names)
	}
	for _, q := range []string{"?limit=0", "?limit=201", "?offset=-1", "?limit=x"} {
		problemField(t, f.call(t, "GET", "/api/keep-in-touch"+q, f.manager, nil), 422, strings.Split(q[1:], "=")[0])
	}
	// A contact takes Lin off; stopping takes Ding off; erasure removes everything.
	f.expect(t, 201, "POST", "/api/guests/"+lin+"/contacts", f.desk, M{"channel": "visit"})
	f.expect(t, 200, "PATCH", "/api/guests/"+ding, f.desk, M{"keep_in_touch_days": nil})
	if names, _ := due(f.manager, ""); len(names) != 0 {
		t.Fatalf("after a contact and a stop: %v", names)
	}
	if g := f.expect(t, 200, "GET", "/api/guests/"+ding, f.desk, nil).Map(t); g["keep_in_touch_days"] != nil {
		t.Fatalf("a stopped rhythm shows %v", g["keep_in_touch_days"])
	}
	actions := f.auditActions(t, ding)
	if countOf(actions, preferences.ActionKeepInTouch) != 2 || !slices.Contains(actions, preferences.ActionKeepInTouchRead) {
		t.Errorf("audit %v", actions)
	}
	f.expect(t, 204, "DELETE", "/api/guests/"+lin, f.manager, nil)
	if n := testkit.Count(t, f.app, `SELECT count(*) FROM guest_contacts WHERE guest_id = ?`, lin) +
		testkit.Count(t, f.app, `SELECT count(*) FROM keep_in_touch WHERE guest_id = ?`, lin); n != 0 {
		t.Fatalf("%d contact rows of an erased guest", n)
	}
}
