package scheduler_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"regulars/internal/app"
	"regulars/internal/browsertest"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// seedOutbox gives the service a sent greeting (today), a guest born tomorrow, one born
// yesterday and not greeted, and a guest whose lapse begins tomorrow. It returns the
// names of the first, second and last.
func seedOutbox(t *testing.T, a *app.App) (sentTo, birthday, lapse string) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().In(a.Config.Location)
	if md := now.Format("01-02"); md == "02-28" || md == "02-29" {
		now = now.AddDate(0, 0, 2) // keep leap-day rules out of this test
	}
	mk := func(family, email string, born time.Time) preferences.Guest {
		g, err := a.Store.CreateGuest(ctx, desk, preferences.GuestFields{FamilyName: ptr(family), Email: ptr(email),
			Birthday: ptr(born.Format(preferences.DateLayout)), MarketingConsent: yes})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	mk("今天", "today@example.cn", now.AddDate(-40, 0, 0))
	if r, err := a.Outreach.Run(ctx, preferences.OutreachBirthday, now.Format(preferences.DateLayout), false); err != nil || len(r) != 1 {
		t.Fatalf("run = %+v %v", r, err)
	}
	mk("明天", "tomorrow@example.cn", now.AddDate(-30, 0, 1))
	mk("昨天", "yesterday@example.cn", now.AddDate(-20, 0, -1)) // due late today (the grace), not tomorrow
	old := mk("Lapsed", "lapsed@example.com", now.AddDate(-50, 3, 0))
	if _, err := a.Store.PutRoom(ctx, preferences.Actor{Name: "m", Role: preferences.RoleManager}, preferences.Room{Number: "2102", Floor: 21, Bed: "king"}); err != nil {
		t.Fatal(err)
	}
	out := now.AddDate(0, 0, 1-731)
	if err := a.Store.RecordPastStay(ctx, pastStay(old.ID, out)); err != nil {
		t.Fatal(err)
	}
	return "today@example.cn", "明天", "Lapsed"
}

// The outreach page in real Chromium: a manager signs in, sees the outbox by status and
// tomorrow's recipients, and filters the outbox.
func TestBrowserOutreachPage(t *testing.T) {
	a, _ := startApp(t)
	sentTo, birthday, lapse := seedOutbox(t, a)
	pw, err := a.Store.CreateUser(context.Background(), "boss", preferences.RoleManager)
	if err != nil {
		t.Fatal(err)
	}
	base := testkit.Serve(t, a)
	ctx := browsertest.New(t, 1280, 900)
	browsertest.SignIn(t, ctx, base, "boss", pw)
	browsertest.Do(t, ctx, "open outreach from the navigation", chromedp.Click(chromedp.CSS(`.nav a[href="/manager/outreach"]`)),
		chromedp.WaitVisible(chromedp.ID("outbox")))
	if s := browsertest.Text(t, ctx, "#statuses"); !strings.Contains(s, "sent 1") || !strings.Contains(s, "failed 0") || !strings.Contains(s, "unknown 0") {
		t.Errorf("status counts %q", s)
	}
	if m := browsertest.Text(t, ctx, "#messages"); !strings.Contains(m, sentTo) || !strings.Contains(m, "birthday") {
		t.Errorf("outbox %q", m)
	}
	if b := browsertest.Text(t, ctx, "#tomorrow-birthday"); !strings.Contains(b, birthday) || strings.Contains(b, "今天") || strings.Contains(b, "昨天") {
		t.Errorf("tomorrow's birthdays %q", b)
	}
	if l := browsertest.Text(t, ctx, "#tomorrow-lapse"); !strings.Contains(l, lapse) {
		t.Errorf("tomorrow's lapse letters %q", l)
	}
	browsertest.Screenshot(t, ctx, "manager-outreach")
	browsertest.Do(t, ctx, "filter failed", chromedp.Click(chromedp.CSS(`#statuses a[data-status="failed"]`)),
		chromedp.WaitVisible(chromedp.CSS("#outbox .empty")))
	if e := browsertest.Text(t, ctx, "#outbox .empty"); e != "No messages failed." {
		t.Errorf("failed filter shows %q", e)
	}
}

// Only managers get the page; without a session it sends to the sign-in page.
func TestOutreachPageAccess(t *testing.T) {
	a, _ := startApp(t)
	req := httptest.NewRequest("GET", "/manager/outreach", nil)
	req.Header.Set("Accept", "text/html")
	res, err := a.HTTP.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous = %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	pw, _ := a.Store.CreateUser(context.Background(), "mei", preferences.RoleFrontDesk)
	sid := signInCookie(t, a, "mei", pw)
	req = httptest.NewRequest("GET", "/manager/outreach", nil)
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Cookie", sid)
	if res, _ = a.HTTP.Test(req, -1); res.StatusCode != 403 {
		t.Fatalf("front desk = %d", res.StatusCode)
	}
}

// signInCookie signs in through /login and returns the session cookie as a Cookie header.
func signInCookie(t *testing.T, a *app.App, name, password string) string {
	t.Helper()
	req := httptest.NewRequest("POST", "/login", strings.NewReader("name="+name+"&password="+password))
	req.Host = "hotel.test"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://hotel.test")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := a.HTTP.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Cookies() {
		if c.Value != "" {
			return c.Name + "=" + c.Value
		}
	}
	t.Fatalf("sign-in gave no cookie: %d", res.StatusCode)
	return ""
}
