package kiosk_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"regulars/preferences"
)

// TestKioskOfAnotherProperty: Mr. Ding stayed at MAIN; the kiosk of West Lake, another
// hotel of the group, greets him as a returning guest, checks him in to a room of West
// Lake, and its lock-outs show to West Lake's desk only.
func TestKioskOfAnotherProperty(t *testing.T) {
	h := newHotel(t, nil) // Ding: a past stay at MAIN, an arrival there today
	ctx := context.Background()
	wl, err := h.app.Store.AddProperty(ctx, preferences.Property{Code: "WL", Name: "West Lake", TimeZone: "Asia/Shanghai"})
	if err != nil {
		t.Fatal(err)
	}
	wlManager := preferences.Actor{Name: "wl manager", Role: preferences.RoleManager, PropertyID: wl.ID}
	for _, r := range []preferences.Room{{Number: "2101", Floor: 21, View: "river", Bed: "king", Quiet: true}, {Number: "502", Floor: 5, Bed: "twin"}} {
		h.must(h.app.Store.PutRoom(ctx, wlManager, r))
	}
	h.must(h.app.Store.CreateArrival(ctx, wlManager, preferences.Arrival{GuestID: h.ding, Nights: 2, Reference: "WL-1",
		ArrivalDate: time.Now().In(h.app.Config.Location).Format(preferences.DateLayout)}))
	token := func(role preferences.Role, name string) string {
		tok, err := h.app.Store.CreateScopedToken(ctx, role, name, 0, "WL")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	wlKiosk, wlDesk := h.pair(token(preferences.RoleKiosk, "wl lobby")), token(preferences.RoleFrontDesk, "wl desk")

	r := h.call("POST", "/api/kiosk/identify", wlKiosk, "", map[string]string{"reference": "WL-1", "family_name": dingFamily})
	var id struct{ Session, Greeting string }
	if r.Status != http.StatusOK {
		t.Fatalf("identify at West Lake: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &id)
	if id.Greeting != "丁总,欢迎您再次入住!" {
		t.Fatalf("greeting at West Lake = %q, want the returning guest's", id.Greeting)
	}
	// MAIN's booking reference is no booking at West Lake.
	h.identify("MAIN's reference at West Lake", wlKiosk, "", map[string]string{"reference": dingRef, "family_name": dingFamily},
		http.StatusNotFound)
	r = h.call("POST", "/api/kiosk/sessions/"+id.Session+"/checkin", wlKiosk, "", nil)
	if r.Status != http.StatusOK || r.Map(t)["room"] != "2101" {
		t.Fatalf("check-in at West Lake: %d %s", r.Status, r.Body)
	}
	stays, err := h.app.Store.GuestStays(ctx, preferences.System, h.ding)
	if err != nil || len(stays) != 2 || stays[0].Property != "WL" || stays[0].Room != "2101" || stays[1].Property != "MAIN" {
		t.Fatalf("Ding's stays = %+v, %v", stays, err)
	}

	for range 4 { // the fifth miss: MAIN's reference above
		h.identify("miss at West Lake", wlKiosk, "", wrongName, http.StatusNotFound)
	}
	var out struct{ Throttles []preferences.KioskThrottle }
	h.call("GET", "/api/kiosk/throttles", "", wlDesk, nil).JSON(t, &out)
	if len(out.Throttles) != 1 || out.Throttles[0].Kiosk != "wl lobby" {
		t.Fatalf("West Lake's lock-outs = %+v", out.Throttles)
	}
	if mine := h.throttles(); len(mine) != 0 {
		t.Fatalf("MAIN's desk sees lock-outs of West Lake: %+v", mine)
	}
	if r := h.call("GET", "/api/kiosk/throttles?property=WL", "", h.desk, nil); r.Status != http.StatusForbidden {
		t.Fatalf("MAIN's desk naming West Lake: %d %s", r.Status, r.Body)
	}
}
