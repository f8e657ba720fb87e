package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"regulars/internal/app"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// cli runs the command line on the running service's database and returns its stdout,
// failing the test when the command fails.
type cli struct {
	t   *testing.T
	env func(string) string
}

func newCLI(t *testing.T, cfg app.Config) cli {
	return cli{t, serviceEnv(t, cfg, map[string]string{"REGULARS_SECRET": string(cfg.Secret), "REGULARS_TZ": "Asia/Shanghai"})}
}

func (c cli) run(args ...string) string {
	c.t.Helper()
	out, err := c.try(args...)
	if err != nil {
		c.t.Fatalf("%v: %v", args, err)
	}
	return out
}

func (c cli) try(args ...string) (string, error) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, c.env, &out, &errOut)
	return out.String(), err
}

// The contract's "revoked token refused at once": a token used twice (any cache warm),
// revoked by the command line against the running service's database, gets 401 at the
// very next request; so does one past its --expires.
func TestRevokedTokenRefusedAtOnce(t *testing.T) {
	cfg := testkit.Config(t)
	a, _ := testkit.Start(t, &cfg)
	cmd := newCLI(t, cfg)
	token := strings.TrimSpace(cmd.run("token", "create", "--role", "frontdesk", "--name", "PMS bridge", "--expires", "90d"))
	other := strings.TrimSpace(cmd.run("token", "create", "--role", "manager", "--name", "night audit"))
	for range 2 {
		if r := testkit.Call(t, a, "GET", "/api/guests?q=x", token, nil); r.Status != 200 {
			t.Fatalf("new token: %d %s", r.Status, r.Body)
		}
	}
	list := cmd.run("token", "list")
	for _, want := range []string{`(?m)^NAME +ROLE +CREATED +EXPIRES +STATUS +PROPERTY$`, `(?m)^night audit +manager +\S+ \S+ +never +active +MAIN$`} {
		if !regexp.MustCompile(want).MatchString(list) {
			t.Errorf("token list does not match %s:\n%s", want, list)
		}
	}
	m := regexp.MustCompile(`(?m)^PMS bridge +frontdesk +(\S+ \S+) +(\S+ \S+) +active +MAIN$`).FindStringSubmatch(list)
	if m == nil {
		t.Fatalf("token list has no line for PMS bridge:\n%s", list)
	}
	created, err1 := time.Parse("2006-01-02 15:04", m[1])
	expires, err2 := time.Parse("2006-01-02 15:04", m[2])
	if err1 != nil || err2 != nil || expires.Sub(created) != 90*24*time.Hour { // Shanghai has no summer time
		t.Errorf("PMS bridge created %s, expires %s: want 90 days later", m[1], m[2])
	}
	wantNoSecret(t, list, token, other)

	if out := cmd.run("token", "revoke", "--name", "PMS bridge"); out != "revoked 1 token(s) named \"PMS bridge\"\n" {
		t.Errorf("revoke printed %q", out)
	}
	if r := testkit.Call(t, a, "GET", "/api/guests?q=x", token, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("the revoked token at the next request: %d %s", r.Status, r.Body)
	}
	if r := testkit.Call(t, a, "GET", "/api/guests?q=x", other, nil); r.Status != 200 {
		t.Fatalf("another token after the revocation: %d", r.Status)
	}
	if !regexp.MustCompile(`(?m)^PMS bridge .* revoked +MAIN$`).MatchString(cmd.run("token", "list")) {
		t.Error("token list does not show the revocation")
	}
	if _, err := cmd.try("token", "revoke", "--name", "PMS bridge"); preferences.ErrorCode(err) != preferences.ENOTFOUND {
		t.Errorf("revoking a name with no token left: %v", err)
	}

	// The service's clock 91 days on: the token created for 90 days is refused.
	soon := strings.TrimSpace(cmd.run("token", "create", "--role", "frontdesk", "--name", "trial", "--expires", "90d"))
	testkit.StoreClock(a).Shift(91 * 24 * time.Hour)
	if r := testkit.Call(t, a, "GET", "/api/guests?q=x", soon, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("an expired token: %d %s", r.Status, r.Body)
	}
	if r := testkit.Call(t, a, "GET", "/api/guests?q=x", other, nil); r.Status != 200 {
		t.Fatalf("a token without expiry 91 days on: %d", r.Status)
	}
}

// wantNoSecret fails when out shows a token, its SHA-256 (as the database keeps it) or
// a part of either.
func wantNoSecret(t *testing.T, out string, tokens ...string) {
	t.Helper()
	for _, tok := range tokens {
		sum := sha256.Sum256([]byte(tok))
		for _, s := range []string{tok, tok[4:20], hex.EncodeToString(sum[:])[:16], base64.StdEncoding.EncodeToString(sum[:])[:16]} {
			if strings.Contains(strings.ToLower(out), strings.ToLower(s)) {
				t.Fatalf("the output shows a token or its hash:\n%s", out)
			}
		}
	}
	if strings.Contains(out, "rgl_") {
		t.Fatalf("the output shows a token:\n%s", out)
	}
}

// A disabled user's session is refused at its next page request, and they cannot sign
// in; enabled again they can; reset-password prints a new password alone on one line
// and ends the sessions.
func TestUserCommandsOnARunningService(t *testing.T) {
	cfg := testkit.Config(t)
	a, _ := testkit.Start(t, &cfg)
	cmd := newCLI(t, cfg)
	password := strings.TrimSpace(cmd.run("user", "add", "--name", "Mei", "--role", "frontdesk"))
	cmd.run("user", "add", "--name", "王丽", "--role", "housekeeping")
	session := signIn(t, a, "Mei", password)
	for range 2 {
		if r := page(t, a, session); r.Status != 200 {
			t.Fatalf("the desk page: %d", r.Status)
		}
	}
	list := cmd.run("user", "list")
	if !regexp.MustCompile(`(?m)^NAME +ROLE +CREATED +STATUS +PROPERTY\nMei +frontdesk +\S+ \S+ +active +MAIN\n王丽 +housekeeping +\S+ \S+ +active +MAIN\n$`).MatchString(list) ||
		strings.Contains(list, "argon2") || strings.Contains(list, password) {
		t.Errorf("user list:\n%s", list)
	}

	if out := cmd.run("user", "disable", "--name", "Mei"); out != "disabled \"Mei\"\n" {
		t.Errorf("disable printed %q", out)
	}
	if r := page(t, a, session); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("a disabled user's session at the next request: %d %s", r.Status, r.Header.Get("Location"))
	}
	if _, err := a.Store.Authenticate(context.Background(), "Mei", password); err == nil {
		t.Fatal("a disabled user signed in")
	}
	if !regexp.MustCompile(`(?m)^Mei +frontdesk +\S+ \S+ +disabled since \d{4}-\d\d-\d\d \d\d:\d\d +MAIN$`).MatchString(cmd.run("user", "list")) {
		t.Error("user list does not show Mei disabled")
	}

	cmd.run("user", "enable", "--name", "Mei")
	session = signIn(t, a, "Mei", password)
	out := cmd.run("user", "reset-password", "--name", "Mei")
	fresh := strings.TrimSpace(out)
	if len(fresh) != 16 || out != fresh+"\n" || fresh == password {
		t.Fatalf("reset-password printed %q", out)
	}
	if r := page(t, a, session); r.Status != http.StatusSeeOther {
		t.Fatalf("a session after the password reset: %d", r.Status)
	}
	if _, err := a.Store.Authenticate(context.Background(), "Mei", password); err == nil {
		t.Fatal("the old password still signs in")
	}
	signIn(t, a, "Mei", fresh)

	for _, args := range [][]string{{"user", "disable", "--name", "nobody"}, {"user", "enable", "--name", "nobody"}, {"user", "reset-password", "--name", "nobody"}} {
		if out, err := cmd.try(args...); preferences.ErrorCode(err) != preferences.ENOTFOUND || out != "" {
			t.Errorf("%v: %q, %v; want not found and nothing printed", args, out, err)
		}
	}
}

// signIn starts a staff session as the sign-in page does and returns its id.
func signIn(t *testing.T, a *app.App, name, password string) string {
	t.Helper()
	actor, err := a.Store.Authenticate(context.Background(), name, password)
	if err != nil {
		t.Fatalf("sign-in as %s: %v", name, err)
	}
	id, err := a.Store.CreateSession(context.Background(), actor, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// page requests the front desk page with a session cookie.
func page(t *testing.T, a *app.App, session string) testkit.Response {
	t.Helper()
	req := testkit.Request(t, "GET", "/frontdesk", "", nil)
	req.AddCookie(&http.Cookie{Name: "regulars_staff", Value: session})
	r, err := testkit.Send(a, req)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The commands log each change (stderr) with the name and never the secret they print.
func TestStaffCommandsLogNoSecret(t *testing.T) {
	cfg := testkit.Config(t)
	cmd := newCLI(t, cfg)
	for _, args := range [][]string{
		{"token", "create", "--role", "kiosk", "--name", "Lobby", "--expires", "30d"},
		{"user", "add", "--name", "Mei", "--role", "frontdesk"},
		{"user", "reset-password", "--name", "Mei"},
		{"token", "revoke", "--name", "Lobby"},
	} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, cmd.env, &out, &errOut); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if !strings.Contains(errOut.String(), "staff change") || !strings.Contains(errOut.String(), "by=\"command line\"") {
			t.Errorf("%v logged %q", args, errOut.String())
		}
		if secret := strings.TrimSpace(out.String()); len(secret) >= 16 && strings.Contains(errOut.String(), secret) {
			t.Errorf("%v logged its secret", args)
		}
	}
}
