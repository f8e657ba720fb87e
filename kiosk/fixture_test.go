package kiosk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/internal/app"
	"regulars/internal/testkit"
	"regulars/kiosk"
	"regulars/preferences"
)

// Mr. Ding of the product story, and a first-time guest.
const (
	dingDoc    = "110105197505120038"
	dingRef    = "PMS-123"
	smithDoc   = "E12345678"
	smithRef   = "PMS-456"
	dingEmail  = "ding@example.com"
	dingPhone  = "+86 139 0000 0000"
	staffNote  = "Owner of the building next door; staff only"
	pastSpend  = "98765.43"
	dingFamily = "丁"
)

var (
	desk    = preferences.Actor{Name: "test desk", Role: preferences.RoleFrontDesk}
	manager = preferences.Actor{Name: "test manager", Role: preferences.RoleManager}
)

// hotel is a running service with rooms, guests and today's arrivals.
type hotel struct {
	t       *testing.T
	app     *app.App
	clock   *clockwork.FakeClock
	kiosk   string // kiosk token
	desk    string // front desk token
	manager string // manager token
	ding    string // guest ids
	smith   string
	cookie  string // device cookie of a paired kiosk
}

// newHotel starts the real service on a temp database. tune may change the kiosk's
// configuration; the kiosk's clock is fake and starts now.
func newHotel(t *testing.T, tune func(*kiosk.Config)) *hotel {
	t.Helper()
	cfg := testkit.Config(t)
	clock := clockwork.NewFakeClockAt(time.Now())
	cfg.Kiosk = kiosk.Config{Clock: clock, MinIdentify: time.Millisecond}
	if tune != nil {
		tune(&cfg.Kiosk)
	}
	a, _ := testkit.Start(t, &cfg)
	h := &hotel{t: t, app: a, clock: clock}
	h.kiosk = testkit.Token(t, a, preferences.RoleKiosk)
	h.desk = testkit.Token(t, a, preferences.RoleFrontDesk)
	h.manager = testkit.Token(t, a, preferences.RoleManager)
	for _, r := range []preferences.Room{
		{Number: "2101", Floor: 21, View: "river", Bed: "king", Quiet: true, Features: []string{"internet"}},
		{Number: "2103", Floor: 21, View: "city", Bed: "twin"},
		{Number: "1201", Floor: 12, View: "river", Bed: "king"},
		{Number: "305", Floor: 3, View: "garden", Bed: "queen", Quiet: true},
	} {
		h.must(a.Store.PutRoom(context.Background(), manager, r))
	}
	h.ding = h.guest(preferences.GuestFields{FamilyName: ptr(dingFamily), GivenName: ptr("伟"), Salutation: ptr("丁总"),
		Email: ptr(dingEmail), Phone: ptr(dingPhone), Language: ptr("zh"),
		Documents: &[]preferences.DocumentInput{{Type: preferences.DocCNResidentID, Number: dingDoc}}})
	h.must(a.Store.SetPreferences(context.Background(), desk, h.ding, preferences.Preferences{
		Room:         preferences.RoomPrefs{MinFloor: 20, View: "river", Bed: "king", Quiet: true},
		Dining:       preferences.DiningPrefs{Breakfast: "in room: nutritious fruit platter"},
		Allergies:    []preferences.Allergy{{Allergen: "laundry detergent", Severity: "moderate", Instructions: "wash clothes with soap only"}},
		Housekeeping: preferences.HousekeepingPrefs{Laundry: "soap only, no detergent"},
		Notes:        staffNote,
	}, preferences.Sections))
	if err := a.Store.RecordPastStay(context.Background(), preferences.PastStay{GuestID: h.ding, Room: "2101",
		CheckIn: time.Now().AddDate(-1, 0, 0), CheckOut: time.Now().AddDate(-1, 0, 7), Nights: 7, Spend: pastSpend}); err != nil {
		t.Fatal(err)
	}
	h.arrival(h.ding, dingRef, 7, 0)
	h.smith = h.guest(preferences.GuestFields{FamilyName: ptr("Smith"), GivenName: ptr("Anna"), Language: ptr("en"),
		Documents: &[]preferences.DocumentInput{{Type: preferences.DocPassport, Number: smithDoc}}})
	h.arrival(h.smith, smithRef, 2, 0)
	h.cookie = h.pair(h.kiosk)
	return h
}

func ptr[T any](v T) *T { return &v }

func (h *hotel) must(_ any, err error) {
	h.t.Helper()
	if err != nil {
		h.t.Fatal(err)
	}
}

func (h *hotel) guest(f preferences.GuestFields) string {
	h.t.Helper()
	g, err := h.app.Store.CreateGuest(context.Background(), desk, f)
	if err != nil {
		h.t.Fatal(err)
	}
	return g.ID
}

// arrival books guest for today plus days (hotel time).
func (h *hotel) arrival(guestID, ref string, nights, days int) {
	h.t.Helper()
	date := time.Now().In(h.app.Config.Location).AddDate(0, 0, days).Format(preferences.DateLayout)
	h.must(h.app.Store.CreateArrival(context.Background(), desk, preferences.Arrival{GuestID: guestID, ArrivalDate: date, Nights: nights, Reference: ref}))
}

// pair pairs a new browser through /kiosk?pair=TOKEN with token and returns its device
// cookie. A token pairs one device: pairing again needs the manager's re-pair first.
func (h *hotel) pair(token string) string {
	h.t.Helper()
	r := h.call("GET", "/kiosk?pair="+token, "", "", nil)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/kiosk" {
		h.t.Fatalf("pair: %d %v", r.Status, r.Header)
	}
	if c := deviceCookie(r); c != "" {
		return c
	}
	h.t.Fatalf("pair: no device cookie in %v", r.Header)
	return ""
}

// deviceCookie returns the device cookie a response sets, "" when none.
func deviceCookie(r testkit.Response) string {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == kiosk.DeviceCookie {
			return c.Value
		}
	}
	return ""
}

// kioskToken creates another kiosk token, named name.
func (h *hotel) kioskToken(name string) string {
	h.t.Helper()
	tok, err := h.app.Store.CreateToken(context.Background(), preferences.RoleKiosk, name)
	if err != nil {
		h.t.Fatal(err)
	}
	return tok
}

// otherKiosk pairs a device with a kiosk token of its own, named name.
func (h *hotel) otherKiosk(name string) string {
	h.t.Helper()
	return h.pair(h.kioskToken(name))
}

// call sends a request with a device cookie and/or a bearer token.
func (h *hotel) call(method, path, cookie, token string, body any) testkit.Response {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, ok := body.(string)
		if !ok {
			enc, err := json.Marshal(body)
			if err != nil {
				h.t.Fatal(err)
			}
			b = string(enc)
		}
		rd = strings.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: kiosk.DeviceCookie, Value: cookie})
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return testkit.Do(h.t, h.app, req)
}

// kioskCall calls the kiosk API as the paired device.
func (h *hotel) kioskCall(method, path string, body any) testkit.Response {
	h.t.Helper()
	r := h.call(method, path, h.cookie, "", body)
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		h.t.Errorf("%s %s: Cache-Control %q, want no-store", method, path, cc)
	}
	assertNothingPrivate(h.t, r.Body)
	return r
}

// identifyDing identifies Mr. Ding by document and returns the session.
func (h *hotel) identifyDing() string {
	h.t.Helper()
	r := h.kioskCall("POST", "/api/kiosk/identify", map[string]string{"document_type": preferences.DocCNResidentID,
		"document_number": dingDoc, "family_name": dingFamily})
	if r.Status != 200 {
		h.t.Fatalf("identify: %d %s", r.Status, r.Body)
	}
	var out struct{ Session string }
	r.JSON(h.t, &out)
	return out.Session
}

// forbiddenInKiosk is what no kiosk answer may carry: Mr. Ding's private data, and the
// keys under which any guest's would travel.
var forbiddenInKiosk = []string{dingEmail, dingPhone, "1975-05-12", dingDoc, "0038", smithDoc, staffNote, pastSpend,
	`"email":`, `"phone":`, `"birthday":`, `"documents":`, `"last4":`, `"spend":`, `"notes":`, `"guest_id":`,
	`"id":`, `"guest":`, `"marketing_consent":`}

func assertNothingPrivate(t *testing.T, body []byte) {
	t.Helper()
	for _, s := range forbiddenInKiosk {
		if bytes.Contains(body, []byte(s)) {
			t.Errorf("kiosk response carries %q: %s", s, body)
		}
	}
}

func (h *hotel) String() string { return fmt.Sprintf("hotel(%s)", h.app.Config.DBPath) }
