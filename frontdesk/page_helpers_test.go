package frontdesk_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"regulars/internal/app"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// DingDocument is Mr. Ding's resident ID from the product story.
const DingDocument = "110105197505120038"

var seedActor = preferences.Actor{Name: "seed", Role: preferences.RoleManager}

// staffUser creates a login and returns its password.
func staffUser(t *testing.T, a *app.App, name string, role preferences.Role) string {
	t.Helper()
	pw, err := a.Store.CreateUser(context.Background(), name, role)
	if err != nil {
		t.Fatal(err)
	}
	return pw
}

// seeded is the hotel the page tests run against.
type seeded struct {
	Ding      preferences.Guest
	FollowUp  string // text of Mr. Ding's open follow-up
	Complaint string // text of an open complaint by another guest
}

// seedHotel stores, through the store's own methods, a few rooms, Mr. Ding (returning,
// detergent allergy, arriving today, a follow-up from his pastry complaint), a guest with
// an open complaint, and a guest in house in 805 with a severe allergy.
func seedHotel(t *testing.T, a *app.App) seeded {
	t.Helper()
	ctx, db := context.Background(), a.Store
	rooms := []preferences.Room{
		{Number: "2101", Floor: 21, View: "river", Bed: "king", Quiet: true, Features: []string{"internet", "bathtub"}},
		{Number: "2103", Floor: 21, View: "city", Bed: "twin", Features: []string{"internet"}},
		{Number: "805", Floor: 8, View: "garden", Bed: "king", Quiet: true, Features: []string{"hypoallergenic"}},
		{Number: "302", Floor: 3, View: "river", Bed: "queen"},
	}
	for _, r := range rooms {
		if _, err := db.PutRoom(ctx, seedActor, r); err != nil {
			t.Fatal(err)
		}
	}
	s := func(v string) *string { return &v }
	yes := true
	ding, err := db.CreateGuest(ctx, seedActor, preferences.GuestFields{FamilyName: s("丁"), GivenName: s("伟"), Salutation: s("丁总"),
		Email: s("ding@example.com"), Phone: s("+86 139 0000 0000"), Language: s("zh"), MarketingConsent: &yes,
		Documents: &[]preferences.DocumentInput{{Type: preferences.DocCNResidentID, Number: DingDocument}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.SetPreferences(ctx, seedActor, ding.ID, preferences.Preferences{
		Room:         preferences.RoomPrefs{MinFloor: 20, View: "river", Bed: "king", Quiet: true, Features: []string{"internet"}},
		Dining:       preferences.DiningPrefs{Breakfast: "in room: nutritious fruit platter"},
		Allergies:    []preferences.Allergy{{Allergen: "laundry detergent", Severity: "moderate", Instructions: "wash clothes with soap only"}},
		Housekeeping: preferences.HousekeepingPrefs{Laundry: "soap only, no detergent", Amenities: []string{"extra pillow"}},
	}, preferences.Sections)
	if err != nil {
		t.Fatal(err)
	}
	now := a.Store.Now()
	if err := db.RecordPastStay(ctx, preferences.PastStay{GuestID: ding.ID, Room: "2101", CheckIn: now.AddDate(0, -6, -7),
		CheckOut: now.AddDate(0, -6, 0), Nights: 7, Spend: "18650.00"}); err != nil {
		t.Fatal(err)
	}
	fb, err := db.AddFeedback(ctx, seedActor, ding.ID, preferences.FeedbackInput{Kind: preferences.KindComplaint, Text: "The pastry was too sweet."})
	if err != nil {
		t.Fatal(err)
	}
	follow := "Offer the new less-sweet pastry at breakfast"
	if _, err := db.ResolveFeedback(ctx, seedActor, fb.ID, preferences.Resolution{Resolution: "Kitchen changed the recipe", FollowUp: follow}); err != nil {
		t.Fatal(err)
	}
	today := a.Store.Today()
	if _, err := db.CreateArrival(ctx, seedActor, preferences.Arrival{GuestID: ding.ID, ArrivalDate: today, Nights: 3, Reference: "PMS-881"}); err != nil {
		t.Fatal(err)
	}
	other, err := db.CreateGuest(ctx, seedActor, preferences.GuestFields{FamilyName: s("Thompson"), GivenName: s("Emma"),
		Salutation: s("Ms. Thompson"), Language: s("en")})
	if err != nil {
		t.Fatal(err)
	}
	complaint := "Noise from the corridor at night"
	if _, err := db.AddFeedback(ctx, seedActor, other.ID, preferences.FeedbackInput{Kind: preferences.KindComplaint, Text: complaint}); err != nil {
		t.Fatal(err)
	}
	li, err := db.CreateGuest(ctx, seedActor, preferences.GuestFields{FamilyName: s("李"), GivenName: s("娜"), Salutation: s("李女士"),
		Email: s("li.na@example.cn"), Language: s("zh")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetPreferences(ctx, seedActor, li.ID, preferences.Preferences{
		Allergies: []preferences.Allergy{{Allergen: "feathers", Severity: "severe", Instructions: "no down pillows or duvets; hypoallergenic bedding only"},
			{Allergen: "lavender", Severity: "mild", Instructions: "unscented soap"}},
	}, []string{preferences.SectionAllergies}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CheckIn(ctx, seedActor, li.ID, "805", 2); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddNote(ctx, seedActor, li.ID, preferences.Note{Department: preferences.DeptHousekeeping, Text: "Guest works nights: service after 14:00"}); err != nil {
		t.Fatal(err)
	}
	return seeded{Ding: ding, FollowUp: follow, Complaint: complaint}
}

// client is a cookie-keeping browser stand-in that calls the app in-process and sends
// the headers a same-origin browser form post sends.
type client struct {
	t       *testing.T
	a       *app.App
	cookies map[string]string
	host    string
}

func newClient(t *testing.T, a *app.App) *client {
	return &client{t: t, a: a, cookies: map[string]string{}, host: "desk.hotel.test"}
}

// staffClient creates a staff login with role and returns a client signed in as it.
func staffClient(t *testing.T, a *app.App, name string, role preferences.Role) *client {
	t.Helper()
	c := newClient(t, a)
	c.login(name, staffUser(t, a, name, role))
	return c
}

type page struct {
	Status int
	Header http.Header
	Body   string
}

func (c *client) do(req *http.Request) page {
	c.t.Helper()
	req.Host = c.host
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := c.a.HTTP.Test(req, -1)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return page{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

func (c *client) get(path string) page {
	c.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept", "text/html")
	return c.do(req)
}

// post sends a form as a same-origin browser would; header overrides (or with an empty
// value removes) the default Origin and Sec-Fetch-Site.
func (c *client) post(path string, form url.Values, header map[string]string) page {
	c.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Origin", "http://"+c.host)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	return c.do(req)
}

// login signs in and fails the test unless it succeeds.
func (c *client) login(name, password string) page {
	c.t.Helper()
	p := c.post("/login", url.Values{"name": {name}, "password": {password}}, nil)
	if p.Status != http.StatusSeeOther {
		c.t.Fatalf("login as %s: status %d\n%s", name, p.Status, p.Body)
	}
	return p
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf returns the CSRF token of a page the client is signed in to.
func (c *client) csrf(path string) string {
	c.t.Helper()
	m := csrfRE.FindStringSubmatch(c.get(path).Body)
	if m == nil {
		c.t.Fatalf("no CSRF field on %s", path)
	}
	return m[1]
}

var messageRE = regexp.MustCompile(`id="login-message">([^<]*)<`)

func loginMessage(body string) string {
	m := messageRE.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func wantStatus(t *testing.T, what string, p page, want int) {
	t.Helper()
	if p.Status != want {
		t.Fatalf("%s: status %d, want %d\n%.2000s", what, p.Status, want, p.Body)
	}
}

func start(t *testing.T) *app.App {
	a, _ := testkit.Start(t, nil)
	return a
}
