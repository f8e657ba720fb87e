package frontdesk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"regulars/internal/browsertest"
	"regulars/internal/testkit"
	"regulars/preferences"
)

func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	browsertest.Do(t, ctx, "sign out", chromedp.Click(chromedp.CSS(".who button")), chromedp.WaitVisible(chromedp.ID("sign-in")))
}

// TestBrowserDingStory: in real Chromium, the desk finds Mr. Ding by his document
// number, checks him in to the first suggested room, housekeeping sees the room on a
// tablet, and the desk checks him out and sees the follow-up.
func TestBrowserDingStory(t *testing.T) {
	a := start(t)
	s := seedHotel(t, a)
	deskPW := staffUser(t, a, "mei", preferences.RoleFrontDesk)
	hkPW := staffUser(t, a, "hk", preferences.RoleHousekeeping)
	base := testkit.Serve(t, a)
	ctx := browsertest.New(t, 1280, 900)

	browsertest.SignIn(t, ctx, base, "mei", deskPW)
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != base+"/frontdesk" {
		t.Fatalf("front desk lands on %s", loc)
	}
	if arr := browsertest.Text(t, ctx, "#arrivals"); !strings.Contains(arr, "丁总") || !strings.Contains(arr, "Allergies") {
		t.Fatalf("today's arrivals %q", arr)
	}
	browsertest.Screenshot(t, ctx, "frontdesk-desk")
	browsertest.Do(t, ctx, "look up the document",
		chromedp.SendKeys(chromedp.ID("document_number"), DingDocument),
		chromedp.Click(chromedp.ID("lookup")),
		chromedp.WaitVisible(chromedp.ID("greeting")))
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if strings.Contains(loc, DingDocument) || !strings.HasSuffix(loc, "/frontdesk/guests/"+s.Ding.ID) {
		t.Fatalf("card URL %s", loc)
	}
	if g := browsertest.Text(t, ctx, "#greeting"); g != "丁总,欢迎您再次入住!" {
		t.Fatalf("greeting %q", g)
	}
	if al := browsertest.Text(t, ctx, "#allergies"); !strings.Contains(al, "laundry detergent") {
		t.Fatalf("allergies %q", al)
	}
	if fu := browsertest.Text(t, ctx, "#follow-ups"); !strings.Contains(fu, s.FollowUp) {
		t.Fatalf("follow-ups %q", fu)
	}
	browsertest.Screenshot(t, ctx, "frontdesk-card")

	best := browsertest.Text(t, ctx, ".room-best .room-no")
	browsertest.Do(t, ctx, "check in to the first suggested room",
		chromedp.Click(chromedp.CSS(".room-best button.checkin")),
		chromedp.WaitVisible(chromedp.ID("checkout")))
	if best != "2101" || !strings.Contains(browsertest.Text(t, ctx, "#checkout h2"), best) {
		t.Fatalf("checked in to %q, card says %q", best, browsertest.Text(t, ctx, "#checkout h2"))
	}
	signOut(t, ctx)

	// Housekeeping on a tablet.
	browsertest.Do(t, ctx, "tablet viewport", chromedp.EmulateViewport(820, 1180, chromedp.EmulatePortrait, chromedp.EmulateTouch))
	browsertest.SignIn(t, ctx, base, "hk", hkPW)
	browsertest.Do(t, ctx, "board", chromedp.WaitVisible(chromedp.ID("room-2101")))
	room := browsertest.Text(t, ctx, "#room-2101")
	for _, want := range []string{"laundry detergent", "MODERATE", "wash clothes with soap only", "soap only, no detergent"} {
		if !strings.Contains(room, want) {
			t.Errorf("board card of 2101 lacks %q: %q", want, room)
		}
	}
	if strings.Contains(room, "丁") || strings.Contains(room, "ding") {
		t.Errorf("board shows who is in the room: %q", room)
	}
	browsertest.Screenshot(t, ctx, "housekeeping-board")
	signOut(t, ctx)

	// Back at the desk: check out with the spend; the follow-up comes up to act on.
	browsertest.Do(t, ctx, "desk viewport", chromedp.EmulateViewport(1280, 900))
	browsertest.SignIn(t, ctx, base, "mei", deskPW)
	browsertest.Do(t, ctx, "check out",
		chromedp.Navigate(base+"/frontdesk/guests/"+s.Ding.ID),
		chromedp.WaitVisible(chromedp.ID("spend")),
		chromedp.SendKeys(chromedp.ID("spend"), "5230.50"),
		chromedp.Click(chromedp.ID("checkout-button")),
		chromedp.WaitVisible(chromedp.ID("checked-out")))
	if fu := browsertest.Text(t, ctx, "#departure-follow-ups"); !strings.Contains(fu, s.FollowUp) {
		t.Fatalf("check-out follow-ups %q", fu)
	}
	browsertest.Screenshot(t, ctx, "checkout")
}
