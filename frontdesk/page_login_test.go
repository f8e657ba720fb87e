package frontdesk_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"regulars/internal/testkit"
	"regulars/preferences"
)

func TestLoginFlow(t *testing.T) {
	a := start(t)
	pw := staffUser(t, a, "mei", preferences.RoleFrontDesk)
	c := newClient(t, a)

	p := c.get("/frontdesk")
	wantStatus(t, "anonymous /frontdesk", p, http.StatusSeeOther)
	if loc := p.Header.Get("Location"); loc != "/login?next=/frontdesk" {
		t.Fatalf("redirect to %q", loc)
	}
	if p := c.get("/"); p.Header.Get("Location") != "/login" {
		t.Fatalf("anonymous / goes to %q", p.Header.Get("Location"))
	}
	p = c.get("/login")
	wantStatus(t, "login page", p, http.StatusOK)
	checkPageHeaders(t, p)

	wrongPw := c.post("/login", url.Values{"name": {"mei"}, "password": {"not-it"}}, nil)
	wrongName := c.post("/login", url.Values{"name": {"nobody"}, "password": {pw}}, nil)
	wantStatus(t, "wrong password", wrongPw, http.StatusUnauthorized)
	wantStatus(t, "wrong name", wrongName, http.StatusUnauthorized)
	if m1, m2 := loginMessage(wrongPw.Body), loginMessage(wrongName.Body); m1 == "" || m1 != m2 {
		t.Fatalf("wrong password says %q, wrong name says %q: they must be the same", m1, m2)
	}
	if strings.Contains(wrongName.Body, pw) || strings.Contains(wrongPw.Body, "not-it") {
		t.Fatal("a password was echoed back into the page")
	}
	if len(c.cookies) != 0 {
		t.Fatal("a failed sign-in set a cookie")
	}

	p = c.login("mei", pw)
	if loc := p.Header.Get("Location"); loc != "/frontdesk" {
		t.Fatalf("after sign-in: Location %q", loc)
	}
	cookie := p.Header.Get("Set-Cookie")
	for _, want := range []string{"regulars_staff=rgs_", "httponly", "samesite=strict", "path=/"} {
		if !strings.Contains(strings.ToLower(cookie), want) {
			t.Errorf("Set-Cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(strings.ToLower(cookie), "secure") {
		t.Errorf("plain HTTP on a LAN name should not get a Secure cookie (it would never come back): %q", cookie)
	}
	p = c.get("/frontdesk")
	wantStatus(t, "/frontdesk signed in", p, http.StatusOK)
	checkPageHeaders(t, p)
	if !strings.Contains(p.Body, "mei") {
		t.Fatal("the shell does not show who is signed in")
	}
	if p := c.get("/"); p.Header.Get("Location") != "/frontdesk" {
		t.Fatalf("/ sends frontdesk to %q", p.Header.Get("Location"))
	}

	// Signing in again rotates the session: the old id stops working.
	old := c.cookies["regulars_staff"]
	c.login("mei", pw)
	if c.cookies["regulars_staff"] == old {
		t.Fatal("the session id was not rotated at sign-in")
	}
	stale := newClient(t, a)
	stale.cookies["regulars_staff"] = old
	wantStatus(t, "old session after re-login", stale.get("/frontdesk"), http.StatusSeeOther)

	// Logout ends the session on the server, not only in the browser.
	cur := c.cookies["regulars_staff"]
	token := c.csrf("/frontdesk")
	p = c.post("/logout", url.Values{"_csrf": {token}}, nil)
	wantStatus(t, "logout", p, http.StatusSeeOther)
	if _, ok := c.cookies["regulars_staff"]; ok {
		t.Fatal("logout did not clear the cookie")
	}
	replay := newClient(t, a)
	replay.cookies["regulars_staff"] = cur
	wantStatus(t, "session after logout", replay.get("/frontdesk"), http.StatusSeeOther)
}

func TestSecureCookieOnLoopbackAndNext(t *testing.T) {
	a := start(t)
	pw := staffUser(t, a, "mei", preferences.RoleManager)
	c := newClient(t, a)
	c.host = "127.0.0.1:8080"
	p := c.post("/login", url.Values{"name": {"mei"}, "password": {pw}, "next": {"/housekeeping"}}, nil)
	wantStatus(t, "login", p, http.StatusSeeOther)
	if !strings.Contains(strings.ToLower(p.Header.Get("Set-Cookie")), "secure") {
		t.Fatalf("loopback sign-in cookie is not Secure: %q", p.Header.Get("Set-Cookie"))
	}
	if p.Header.Get("Location") != "/housekeeping" {
		t.Fatalf("next ignored: %q", p.Header.Get("Location"))
	}
	c2 := newClient(t, a)
	p = c2.post("/login", url.Values{"name": {"mei"}, "password": {pw}, "next": {"//evil.example/x"}}, nil)
	if p.Header.Get("Location") != "/manager" {
		t.Fatalf("an off-site next was followed: %q", p.Header.Get("Location"))
	}
}

func TestIdleTimeout(t *testing.T) {
	a := start(t)
	pw := staffUser(t, a, "mei", preferences.RoleFrontDesk)
	c := newClient(t, a)
	c.login("mei", pw)
	wantStatus(t, "fresh session", c.get("/frontdesk"), http.StatusOK)
	testkit.StoreClock(a).Shift(31 * time.Minute)
	wantStatus(t, "after 31 idle minutes", c.get("/frontdesk"), http.StatusSeeOther)
}

func TestLoginThrottled(t *testing.T) {
	a := start(t)
	pw := staffUser(t, a, "mei", preferences.RoleFrontDesk)
	c := newClient(t, a)
	for i := 0; i < 5; i++ {
		wantStatus(t, "wrong password", c.post("/login", url.Values{"name": {"mei"}, "password": {"guess"}}, nil), http.StatusUnauthorized)
	}
	p := c.post("/login", url.Values{"name": {"mei"}, "password": {pw}}, nil)
	wantStatus(t, "right password after 5 failures", p, http.StatusTooManyRequests)
	if p.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if len(c.cookies) != 0 {
		t.Fatal("a throttled sign-in set a cookie")
	}

	// Many names from one address block the address.
	other := staffUser(t, a, "li", preferences.RoleFrontDesk)
	for i := 0; i < 15; i++ {
		c.post("/login", url.Values{"name": {"guess" + string(rune('a'+i))}, "password": {"x"}}, nil)
	}
	wantStatus(t, "another name from a noisy address", c.post("/login", url.Values{"name": {"li"}, "password": {other}}, nil), http.StatusTooManyRequests)
}

func TestCSRFRejected(t *testing.T) {
	a := start(t)
	pw := staffUser(t, a, "mei", preferences.RoleFrontDesk)
	c := newClient(t, a)
	c.login("mei", pw)
	token := c.csrf("/frontdesk")
	form := func(tok string) url.Values {
		return url.Values{"_csrf": {tok}, "document_type": {"cn_resident_id"}, "document_number": {DingDocument}}
	}
	wantStatus(t, "no token", c.post("/frontdesk/lookup", form(""), nil), http.StatusForbidden)
	wantStatus(t, "wrong token", c.post("/frontdesk/lookup", form(token[:len(token)-2]+"xx"), nil), http.StatusForbidden)
	wantStatus(t, "foreign Origin", c.post("/frontdesk/lookup", form(token), map[string]string{"Origin": "https://evil.example"}), http.StatusForbidden)
	wantStatus(t, "cross-site fetch", c.post("/frontdesk/lookup", form(token), map[string]string{"Sec-Fetch-Site": "cross-site"}), http.StatusForbidden)
	wantStatus(t, "logout without token", c.post("/logout", url.Values{}, nil), http.StatusForbidden)
	wantStatus(t, "cross-site sign-in", c.post("/login", url.Values{"name": {"mei"}, "password": {pw}}, map[string]string{"Origin": "https://evil.example"}), http.StatusForbidden)
	// The genuine form goes through (nobody holds this document yet).
	p := c.post("/frontdesk/lookup", form(token), nil)
	wantStatus(t, "valid token", p, http.StatusNotFound)
	if strings.Contains(p.Body, DingDocument) {
		t.Fatal("the document number came back in the page")
	}
}

func TestRolesAndHeaders(t *testing.T) {
	a := start(t)
	seedHotel(t, a)
	pages := []string{"/frontdesk", "/housekeeping", "/manager"}
	cases := []struct {
		role  preferences.Role
		home  string
		allow map[string]bool
	}{
		{preferences.RoleFrontDesk, "/frontdesk", map[string]bool{"/frontdesk": true}},
		{preferences.RoleHousekeeping, "/housekeeping", map[string]bool{"/housekeeping": true}},
		{preferences.RoleManager, "/manager", map[string]bool{"/frontdesk": true, "/housekeeping": true, "/manager": true}},
	}
	for _, tc := range cases {
		t.Run(string(tc.role), func(t *testing.T) {
			pw := staffUser(t, a, "u-"+string(tc.role), tc.role)
			c := newClient(t, a)
			if loc := c.login("u-"+string(tc.role), pw).Header.Get("Location"); loc != tc.home {
				t.Fatalf("sign-in goes to %q, want %q", loc, tc.home)
			}
			for _, path := range pages {
				p := c.get(path)
				want := http.StatusForbidden
				if tc.allow[path] {
					want = http.StatusOK
				}
				wantStatus(t, path, p, want)
				checkPageHeaders(t, p)
			}
		})
	}
	pw := staffUser(t, a, "lobby", preferences.RoleKiosk)
	c := newClient(t, a)
	p := c.post("/login", url.Values{"name": {"lobby"}, "password": {pw}}, nil)
	wantStatus(t, "kiosk account sign-in", p, http.StatusForbidden)
	if len(c.cookies) != 0 {
		t.Fatal("a kiosk account got a staff session")
	}
}

// checkPageHeaders asserts the security headers every staff page carries.
func checkPageHeaders(t *testing.T, p page) {
	t.Helper()
	want := map[string]string{
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
	}
	for k, v := range want {
		if got := p.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	csp := p.Header.Get("Content-Security-Policy")
	for _, part := range []string{"default-src 'self'", "frame-ancestors 'none'", "script-src 'self'"} {
		if !strings.Contains(csp, part) {
			t.Errorf("CSP %q lacks %s", csp, part)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(p.Body, "<script>") || strings.Contains(p.Body, " style=") {
		t.Error("inline script or style on a page")
	}
}
