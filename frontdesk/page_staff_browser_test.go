package frontdesk_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"regulars/internal/browsertest"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// TestBrowserStaffPage: in real Chromium, a manager creates a kiosk token on the staff
// page, sees it once, and revokes it with the row's button; the API refuses it at once.
func TestBrowserStaffPage(t *testing.T) {
	a := start(t)
	staffUser(t, a, "mei", preferences.RoleFrontDesk)
	pw := staffUser(t, a, "boss", preferences.RoleManager)
	base := testkit.Serve(t, a)
	ctx := browsertest.New(t, 1280, 900)
	browsertest.SignIn(t, ctx, base, "boss", pw)
	browsertest.Do(t, ctx, "create a token",
		chromedp.Navigate(base+"/manager/staff"),
		chromedp.WaitVisible(chromedp.ID("token-name")),
		chromedp.SendKeys(chromedp.ID("token-name"), "Lobby kiosk"),
		chromedp.SetValue(chromedp.ID("token-role"), "kiosk"),
		chromedp.SendKeys(chromedp.ID("token-expires"), "90d"),
		chromedp.Submit(chromedp.ID("token-name")),
		chromedp.WaitVisible(chromedp.ID("secret-value")))
	token := browsertest.Text(t, ctx, "#secret-value")
	if !strings.HasPrefix(token, "rgl_") {
		t.Fatalf("shown token %q", token)
	}
	browsertest.Screenshot(t, ctx, "manager-staff-token")
	if s := apiStatus(t, a, token); s != 403 { // a kiosk token may not search guests, but it is known
		t.Fatalf("the new kiosk token on the staff API: %d", s)
	}
	browsertest.Do(t, ctx, "revoke it",
		chromedp.Click(chromedp.CSS(`tr[data-token="Lobby kiosk"] form[action$="/revoke"] button`)),
		chromedp.WaitVisible(chromedp.ID("flash")))
	if row := browsertest.Text(t, ctx, `tr[data-token="Lobby kiosk"]`); !strings.Contains(row, "revoked") || strings.Contains(row, "rgl_") {
		t.Fatalf("the row after the revocation: %q", row)
	}
	browsertest.Screenshot(t, ctx, "manager-staff")
	if s := apiStatus(t, a, token); s != 401 {
		t.Fatalf("the revoked token: %d", s)
	}
}
