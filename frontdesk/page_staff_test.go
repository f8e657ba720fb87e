package frontdesk_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"regulars/internal/app"
	"regulars/internal/testkit"
	"regulars/preferences"
)

var tokenRE = regexp.MustCompile(`rgl_[A-Za-z0-9_-]{43}`)

// staffForm posts a form of the staff page with the client's CSRF token.
func staffForm(c *client, path string, form url.Values) page {
	c.t.Helper()
	form.Set("_csrf", c.csrf("/manager/staff"))
	return c.post(path, form, nil)
}

func apiStatus(t *testing.T, a *app.App, token string) int {
	t.Helper()
	return testkit.Call(t, a, "GET", "/api/guests?q=x", token, nil).Status
}

// Only managers reach the staff page and its forms.
func TestStaffPageIsManagersOnly(t *testing.T) {
	a := start(t)
	token := testkit.Token(t, a, preferences.RoleFrontDesk)
	anon := newClient(t, a)
	if p := anon.get("/manager/staff"); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/login?next=/manager/staff" {
		t.Fatalf("anonymous: %d %s", p.Status, p.Header.Get("Location"))
	}
	for _, role := range []preferences.Role{preferences.RoleFrontDesk, preferences.RoleHousekeeping} {
		c := staffClient(t, a, "clerk "+string(role), role)
		wantStatus(t, string(role)+" GET", c.get("/manager/staff"), http.StatusForbidden)
		home := "/" + string(role) // each role's own page
		csrf := c.csrf(home)
		p := c.post("/manager/staff/tokens/revoke", url.Values{"_csrf": {csrf}, "name": {"test frontdesk"}}, nil)
		wantStatus(t, string(role)+" revoke", p, http.StatusForbidden)
		if strings.Contains(c.get(home).Body, `href="/manager/staff"`) {
			t.Errorf("%s sees the link to the staff page", role)
		}
	}
	if s := apiStatus(t, a, token); s != 200 {
		t.Fatalf("the token after refused revocations: %d", s)
	}
}

// A token created on the page is shown on that answer only, works at once, and once
// revoked on the page is refused at the very next request; bad input is a 422 that
// names the field and changes nothing.
func TestStaffPageTokens(t *testing.T) {
	a, logs := testkit.Start(t, nil)
	m := staffClient(t, a, "boss", preferences.RoleManager)
	if !strings.Contains(m.get("/manager").Body, `href="/manager/staff"`) {
		t.Error("the manager page does not link to the staff page")
	}
	p := staffForm(m, "/manager/staff/tokens", url.Values{"name": {"PMS bridge"}, "role": {"frontdesk"}, "expires": {"30d"}})
	wantStatus(t, "create token", p, http.StatusCreated)
	token := tokenRE.FindString(p.Body)
	if token == "" || strings.Count(p.Body, token) != 1 {
		t.Fatalf("the new token is not shown once:\n%s", p.Body)
	}
	for range 2 {
		if s := apiStatus(t, a, token); s != 200 {
			t.Fatalf("the new token: %d", s)
		}
	}
	list := m.get("/manager/staff")
	wantStatus(t, "staff page", list, http.StatusOK)
	if tokenRE.MatchString(list.Body) || !strings.Contains(list.Body, `data-token="PMS bridge" data-status="active"`) {
		t.Fatalf("the list shows a token, or not the new one as active:\n%s", list.Body)
	}

	for what, form := range map[string]url.Values{
		"expires": {"name": {"x"}, "role": {"frontdesk"}, "expires": {"0d"}},
		"role":    {"name": {"x"}, "role": {"admin"}},
		"name":    {"name": {""}, "role": {"frontdesk"}},
	} {
		p := staffForm(m, "/manager/staff/tokens", form)
		wantStatus(t, "bad "+what, p, http.StatusUnprocessableEntity)
		if !regexp.MustCompile(`(?i)id="error">[^<]*` + what + `: `).MatchString(p.Body) {
			t.Errorf("bad %s: the error does not name the field:\n%.3000s", what, p.Body)
		}
	}
	if tokens, _ := a.Store.Tokens(context.Background()); len(tokens) != 1 {
		t.Fatalf("bad input stored tokens: %+v", tokens)
	}

	p = staffForm(m, "/manager/staff/tokens/revoke", url.Values{"name": {"PMS bridge"}})
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/manager/staff?msg=revoked" {
		t.Fatalf("revoke: %d %s", p.Status, p.Header.Get("Location"))
	}
	if s := apiStatus(t, a, token); s != http.StatusUnauthorized {
		t.Fatalf("the revoked token at the next request: %d", s)
	}
	if !strings.Contains(m.get("/manager/staff").Body, `data-token="PMS bridge" data-status="revoked"`) {
		t.Error("the list does not show the token revoked")
	}
	wantStatus(t, "revoke again", staffForm(m, "/manager/staff/tokens/revoke", url.Values{"name": {"PMS bridge"}}), http.StatusNotFound)
	wantStatus(t, "revoke without CSRF", m.post("/manager/staff/tokens/revoke", url.Values{"name": {"x"}}, nil), http.StatusForbidden)

	log := logs.String()
	if !strings.Contains(log, "action=token.create") || !strings.Contains(log, "action=token.revoke") || !strings.Contains(log, "by=boss") {
		t.Errorf("the changes are not logged:\n%s", log)
	}
	if strings.Contains(log, token) || strings.Contains(log, token[4:20]) {
		t.Error("the token is in the log")
	}
}

// A login disabled on the page loses its session at its next request and cannot sign
// in; enabled, it can; a password reset on the page shows the new password once and
// ends the sessions. A manager cannot disable their own login here.
func TestStaffPageUsers(t *testing.T) {
	a := start(t)
	m := staffClient(t, a, "boss", preferences.RoleManager)
	p := staffForm(m, "/manager/staff/users", url.Values{"name": {"Mei"}, "role": {"frontdesk"}})
	wantStatus(t, "add login", p, http.StatusCreated)
	password := regexp.MustCompile(`id="secret-value">([^<]+)<`).FindStringSubmatch(p.Body)
	if password == nil {
		t.Fatalf("no password shown:\n%s", p.Body)
	}
	mei := newClient(t, a)
	mei.login("Mei", password[1])
	wantStatus(t, "Mei's desk", mei.get("/frontdesk"), http.StatusOK)
	if strings.Contains(m.get("/manager/staff").Body, password[1]) {
		t.Fatal("the password is shown again")
	}

	p = staffForm(m, "/manager/staff/users/disable", url.Values{"name": {"Mei"}})
	wantStatus(t, "disable", p, http.StatusSeeOther)
	if p := mei.get("/frontdesk"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/login") {
		t.Fatalf("a disabled user's session at the next request: %d %s", p.Status, p.Header.Get("Location"))
	}
	wantStatus(t, "a disabled user's sign-in", mei.post("/login", url.Values{"name": {"Mei"}, "password": {password[1]}}, nil), http.StatusUnauthorized)
	if !strings.Contains(m.get("/manager/staff").Body, "disabled") {
		t.Error("the list does not show Mei disabled")
	}

	wantStatus(t, "enable", staffForm(m, "/manager/staff/users/enable", url.Values{"name": {"Mei"}}), http.StatusSeeOther)
	mei.login("Mei", password[1])
	p = staffForm(m, "/manager/staff/users/reset-password", url.Values{"name": {"Mei"}})
	wantStatus(t, "reset password", p, http.StatusOK)
	fresh := regexp.MustCompile(`id="secret-value">([^<]+)<`).FindStringSubmatch(p.Body)
	if fresh == nil || fresh[1] == password[1] {
		t.Fatalf("no new password shown:\n%s", p.Body)
	}
	if p := mei.get("/frontdesk"); p.Status != http.StatusSeeOther {
		t.Fatalf("a session after the reset: %d", p.Status)
	}
	mei.login("Mei", fresh[1])

	p = staffForm(m, "/manager/staff/users/disable", url.Values{"name": {"boss"}})
	wantStatus(t, "disable oneself", p, http.StatusUnprocessableEntity)
	wantStatus(t, "still signed in", m.get("/manager/staff"), http.StatusOK)
	wantStatus(t, "disable nobody", staffForm(m, "/manager/staff/users/disable", url.Values{"name": {"nobody"}}), http.StatusNotFound)
	wantStatus(t, "same name again", staffForm(m, "/manager/staff/users", url.Values{"name": {"Mei"}, "role": {"manager"}}), http.StatusConflict)
}

// The re-pair button unpairs the kiosk token's device at once, so that a new one can pair.
func TestStaffPageRepairsAKiosk(t *testing.T) {
	a := start(t)
	ctx := context.Background()
	token, err := a.Store.CreateToken(ctx, preferences.RoleKiosk, "Lobby kiosk")
	if err != nil {
		t.Fatal(err)
	}
	pair := func() (string, int) {
		k := newClient(t, a)
		p := k.get("/kiosk?pair=" + token)
		return k.cookies["regulars_kiosk"], p.Status
	}
	device, _ := pair()
	if _, err := a.Store.KioskActor(ctx, device); err != nil {
		t.Fatalf("the paired device: %v", err)
	}
	if _, status := pair(); status != http.StatusConflict {
		t.Fatalf("a second device before the re-pair: %d", status)
	}
	m := staffClient(t, a, "boss", preferences.RoleManager)
	if !strings.Contains(m.get("/manager/staff").Body, `action="/manager/staff/tokens/re-pair"`) {
		t.Fatal("no re-pair button")
	}
	p := staffForm(m, "/manager/staff/tokens/re-pair", url.Values{"name": {"Lobby kiosk"}})
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/manager/staff?msg=re-pair" {
		t.Fatalf("re-pair: %d %s", p.Status, p.Header.Get("Location"))
	}
	if _, err := a.Store.KioskActor(ctx, device); preferences.ErrorCode(err) != preferences.EUNAUTHORIZED {
		t.Fatalf("the old device after the re-pair: %v", err)
	}
	if fresh, _ := pair(); fresh == "" {
		t.Fatal("a new device could not pair after the re-pair")
	}
	wantStatus(t, "re-pair an unknown kiosk", staffForm(m, "/manager/staff/tokens/re-pair", url.Values{"name": {"Roof bar"}}), http.StatusNotFound)
}
