package frontdesk_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"regulars/preferences"
)

// A group-scope manager of two properties picks one on the staff pages: a page that
// needs a property says to choose one (422) until then; ?property=CODE, from the
// picker, chooses it for the pages that follow. A clerk of one property has no picker.
func TestPagesPropertyPicker(t *testing.T) {
	a := start(t)
	ctx := context.Background()
	seedHotel(t, a) // MAIN's rooms, Mr. Ding in 2101
	wl, err := a.Store.AddProperty(ctx, preferences.Property{Code: "WL", Name: "West Lake", TimeZone: "Asia/Shanghai"})
	if err != nil {
		t.Fatal(err)
	}
	wlManager := preferences.Actor{Name: "wl", Role: preferences.RoleManager, PropertyID: wl.ID}
	if _, err := a.Store.PutRoom(ctx, wlManager, preferences.Room{Number: "808", Floor: 8, Bed: "king"}); err != nil {
		t.Fatal(err)
	}
	lin := "Lin"
	g, err := a.Store.CreateGuest(ctx, seedActor, preferences.GuestFields{FamilyName: &lin})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.CheckIn(ctx, wlManager, g.ID, "808", 1); err != nil {
		t.Fatal(err)
	}

	boss := staffClient(t, a, "boss", preferences.RoleManager) // two properties: the group's scope
	p := boss.get("/housekeeping")
	wantStatus(t, "board without a property", p, http.StatusUnprocessableEntity)
	if !strings.Contains(p.Body, `id="property-picker"`) || !strings.Contains(p.Body, "Choose a property") ||
		!strings.Contains(p.Body, `href="/housekeeping?property=WL"`) || strings.Contains(p.Body, "not valid") {
		t.Fatalf("the page does not offer the choice:\n%.2000s", p.Body)
	}
	p = boss.get("/housekeeping?property=wl")
	wantStatus(t, "West Lake's board", p, http.StatusOK)
	if !strings.Contains(p.Body, "808") || strings.Contains(p.Body, ">2101<") || !strings.Contains(p.Body, `value="WL" selected`) {
		t.Fatalf("West Lake's board:\n%.3000s", p.Body)
	}
	// The choice holds for the next pages.
	if p := boss.get("/housekeeping"); p.Status != http.StatusOK || !strings.Contains(p.Body, "808") {
		t.Fatalf("board after the choice: %d\n%.2000s", p.Status, p.Body)
	}
	// A clerk of MAIN has no picker, and cannot name WL.
	pw, err := a.Store.CreateScopedUser(ctx, "mei", preferences.RoleFrontDesk, "MAIN")
	if err != nil {
		t.Fatal(err)
	}
	desk := newClient(t, a)
	desk.login("mei", pw)
	if p := desk.get("/frontdesk"); p.Status != http.StatusOK || strings.Contains(p.Body, `id="property-picker"`) {
		t.Fatalf("desk of MAIN: %d\n%.1000s", p.Status, p.Body)
	}
	wantStatus(t, "MAIN's clerk naming WL", desk.get("/frontdesk?property=WL"), http.StatusForbidden)
}

// The staff page creates logins and tokens for a property: a group manager names one
// (a desk login needs one once the group has several); a manager of one property
// creates them for it alone.
func TestStaffPageScopes(t *testing.T) {
	a := start(t)
	ctx := context.Background()
	mainBoss := staffClient(t, a, "main boss", preferences.RoleManager) // a group of one: MAIN's
	if _, err := a.Store.AddProperty(ctx, preferences.Property{Code: "WL", Name: "West Lake", TimeZone: "Asia/Shanghai"}); err != nil {
		t.Fatal(err)
	}
	boss := staffClient(t, a, "boss", preferences.RoleManager) // two properties: the group's
	wantStatus(t, "desk login of no property", staffForm(boss, "/manager/staff/users",
		url.Values{"name": {"mei"}, "role": {"frontdesk"}}), http.StatusUnprocessableEntity)
	wantStatus(t, "desk login of WL", staffForm(boss, "/manager/staff/users",
		url.Values{"name": {"mei"}, "role": {"frontdesk"}, "property": {"wl"}}), http.StatusCreated)
	wantStatus(t, "WL's token by MAIN's manager", staffForm(mainBoss, "/manager/staff/tokens",
		url.Values{"name": {"wl kiosk"}, "role": {"kiosk"}, "property": {"WL"}}), http.StatusForbidden)
	wantStatus(t, "a kiosk token of MAIN's by MAIN's manager", staffForm(mainBoss, "/manager/staff/tokens",
		url.Values{"name": {"main kiosk"}, "role": {"kiosk"}}), http.StatusCreated)
	tokens, err := a.Store.Tokens(ctx)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens = %+v, %v", tokens, err)
	}
}
