package frontdesk_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"regulars/internal/browsertest"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// TestContactPages: the desk logs contacts from the guest's contact page; bad input
// keeps what was typed; a repeated brochure is refused with who sent it and a "log
// anyway" form; the rhythm is set there; the manager's list shows the guest once due.
func TestContactPages(t *testing.T) {
	a := start(t)
	s := seedHotel(t, a)
	desk := staffClient(t, a, "mei", preferences.RoleFrontDesk)
	path := "/frontdesk/guests/" + s.Ding.ID + "/contacts"
	token := desk.csrf(path)
	post := func(form url.Values) page {
		t.Helper()
		form.Set("_csrf", token)
		return desk.post(path, form, nil)
	}
	wantStatus(t, "log a brochure", post(url.Values{"channel": {"material"}, "material": {"Spring Spa Brochure"}, "note": {"by post"}}), 303)

	bad := post(url.Values{"channel": {"call"}, "material": {"Autumn offer"}, "note": {"rang twice"}})
	wantStatus(t, "a call with a material", bad, 422)
	for _, want := range []string{`value="Autumn offer" aria-invalid="true" autofocus`, ">rang twice</textarea>", "Material"} {
		if !strings.Contains(bad.Body, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	again := post(url.Values{"channel": {"material"}, "material": {"spring spa brochure"}, "note": {"second try"}})
	wantStatus(t, "the same brochure", again, 409)
	if !strings.Contains(again.Body, "Already sent by <strong>mei</strong>") || !strings.Contains(again.Body, `id="log-anyway"`) ||
		!strings.Contains(again.Body, `name="confirm" value="1"`) {
		t.Fatalf("the repeat's page:\n%.3000s", again.Body)
	}
	wantStatus(t, "log anyway", post(url.Values{"channel": {"material"}, "material": {"spring spa brochure"}, "confirm": {"1"}}), 303)
	list := desk.get(path)
	if n := strings.Count(list.Body, `class="contact contact-staff"`); n != 2 || !strings.Contains(list.Body, "sent again, confirmed") {
		t.Fatalf("%d contacts listed:\n%.3000s", n, list.Body)
	}
	if card := desk.get("/frontdesk/guests/" + s.Ding.ID); !strings.Contains(card.Body, `id="last-contacts"`) || !strings.Contains(card.Body, "Spring Spa Brochure") {
		t.Fatal("the card does not show the last contacts")
	}

	wantStatus(t, "a rhythm of 0 days", desk.post("/frontdesk/guests/"+s.Ding.ID+"/keep-in-touch", url.Values{"_csrf": {token}, "days": {"0"}}, nil), 422)
	wantStatus(t, "a rhythm of 1 day", desk.post("/frontdesk/guests/"+s.Ding.ID+"/keep-in-touch", url.Values{"_csrf": {token}, "days": {"1"}}, nil), 303)

	manager := staffClient(t, a, "wu", preferences.RoleManager)
	if p := manager.get("/manager"); !strings.Contains(p.Body, `href="/manager/keep-in-touch"`) {
		t.Fatal("the manager's page does not link the keep-in-touch list")
	}
	if p := manager.get("/manager/keep-in-touch"); !strings.Contains(p.Body, "Nobody is due") {
		t.Fatalf("due today already:\n%.2000s", p.Body)
	}
	wantStatus(t, "the desk on the manager's list", desk.get("/manager/keep-in-touch"), 403)
	testkit.StoreClock(a).Shift(3 * 24 * time.Hour) // sessions end: sign in again
	manager = staffClient(t, a, "wu.later", preferences.RoleManager)
	p := manager.get("/manager/keep-in-touch")
	if !strings.Contains(p.Body, "/frontdesk/guests/"+s.Ding.ID+"/contacts") || !strings.Contains(p.Body, "2 days overdue") ||
		!strings.Contains(p.Body, "Material sent · spring spa brochure") {
		t.Fatalf("the keep-in-touch list (%d):\n%.3000s", p.Status, p.Body)
	}
}

// TestBrowserSameBrochureTwice: in real Chromium, the desk logs a brochure from the
// guest's contact page, logs it again and is refused ("already sent by"), then confirms.
func TestBrowserSameBrochureTwice(t *testing.T) {
	a := start(t)
	s := seedHotel(t, a)
	pw := staffUser(t, a, "mei", preferences.RoleFrontDesk)
	base := testkit.Serve(t, a)
	ctx := browsertest.New(t, 1280, 900)
	browsertest.SignIn(t, ctx, base, "mei", pw)

	logBrochure := func(ctx context.Context, material, note string) {
		t.Helper()
		browsertest.Do(t, ctx, "log "+material,
			chromedp.SetValue(chromedp.ID("channel"), "material"),
			chromedp.SendKeys(chromedp.ID("material"), material),
			chromedp.SendKeys(chromedp.ID("note"), note),
			chromedp.Click(chromedp.ID("log")),
			chromedp.WaitReady(chromedp.CSS("body")))
	}
	browsertest.Do(t, ctx, "open the card, then its contacts",
		chromedp.Navigate(base+"/frontdesk/guests/"+s.Ding.ID),
		chromedp.WaitVisible(chromedp.ID("all-contacts")),
		chromedp.Click(chromedp.ID("all-contacts")),
		chromedp.WaitVisible(chromedp.ID("contact-form")))
	logBrochure(ctx, "Spring Spa Brochure", "posted to his office")
	browsertest.Do(t, ctx, "logged", chromedp.WaitVisible(chromedp.ID("flash")))
	if l := browsertest.Text(t, ctx, "#contacts"); !strings.Contains(l, "Spring Spa Brochure") || !strings.Contains(l, "mei") {
		t.Fatalf("the list after the first: %q", l)
	}

	logBrochure(ctx, "  spring spa BROCHURE ", "again?")
	browsertest.Do(t, ctx, "refused", chromedp.WaitVisible(chromedp.ID("repeat")))
	if r := browsertest.Text(t, ctx, "#repeat"); !strings.Contains(r, "Already sent by mei on") {
		t.Fatalf("the refusal says %q", r)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("note"))); v != "again?" {
		t.Fatalf("the note typed is lost: %q", v)
	}
	browsertest.Screenshot(t, ctx, "contacts-repeat-refused")

	browsertest.Do(t, ctx, "log anyway", chromedp.Click(chromedp.ID("log-anyway")), chromedp.WaitVisible(chromedp.ID("flash")))
	l := browsertest.Text(t, ctx, "#contacts")
	if strings.Count(l, "Material sent") != 2 || !strings.Contains(l, "sent again, confirmed") || !strings.Contains(l, "again?") {
		t.Fatalf("the list after confirming: %q", l)
	}
	browsertest.Screenshot(t, ctx, "contacts-confirmed")
	browsertest.Do(t, ctx, "back to the card", chromedp.Navigate(base+"/frontdesk/guests/"+s.Ding.ID), chromedp.WaitVisible(chromedp.ID("last-contacts")))
	if c := browsertest.Text(t, ctx, "#last-contacts"); strings.Count(c, "spring spa BROCHURE")+strings.Count(c, "Spring Spa Brochure") != 2 {
		t.Fatalf("the card's last contacts: %q", c)
	}
	browsertest.Screenshot(t, ctx, "card-last-contacts")

}

// TestBrowserKeepInTouchList: three days ago sales asked to be reminded of Mr. Ding
// every day and a brochure went to him the day after; in real Chromium the manager
// follows the link from /manager to the list, which shows him one day overdue (not two:
// the brochure counts) with the brochure as his last contact.
func TestBrowserKeepInTouchList(t *testing.T) {
	a := start(t)
	s := seedHotel(t, a)
	ctx := context.Background()
	sales := preferences.Actor{Name: "sales", Role: preferences.RoleFrontDesk}
	testkit.StoreClock(a).Shift(-3 * 24 * time.Hour)
	if _, err := a.Store.UpdateGuest(ctx, sales, s.Ding.ID, preferences.GuestFields{KeepInTouchDays: json.RawMessage("1")}); err != nil {
		t.Fatal(err)
	}
	testkit.StoreClock(a).Shift(-2 * 24 * time.Hour)
	if _, err := a.Store.LogContact(ctx, sales, s.Ding.ID, preferences.ContactInput{Channel: "material", Material: "Spring Spa Brochure"}); err != nil {
		t.Fatal(err)
	}
	testkit.StoreClock(a).Shift(0)
	mgrPW := staffUser(t, a, "wu", preferences.RoleManager)
	base := testkit.Serve(t, a)
	ctx = browsertest.New(t, 1280, 900)
	browsertest.SignIn(t, ctx, base, "wu", mgrPW)
	browsertest.Do(t, ctx, "the keep-in-touch list", chromedp.Navigate(base+"/manager"),
		chromedp.Click(chromedp.CSS(`#tools a[href="/manager/keep-in-touch"]`)), chromedp.WaitVisible(chromedp.ID("due")))
	if due := browsertest.Text(t, ctx, "#due"); !strings.Contains(due, "丁总") || !strings.Contains(due, "1 day overdue") || !strings.Contains(due, "Material sent") {
		t.Fatalf("the manager's list: %q", due)
	}
	browsertest.Screenshot(t, ctx, "manager-keep-in-touch")
}
