package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/preferences/sqlite"
)

// Two instances on one database file: a token used (twice, so any cache would be warm)
// on one and revoked on the other is refused by the first at its next request; an
// expired token is refused like a revoked one, and so is a kiosk paired with it.
func TestTokenRevocationAndExpiryOnEveryInstance(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "regulars.db")
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	one, other := openAt(t, path, now), openAt(t, path, now)
	t.Cleanup(func() { one.Close(); other.Close() })
	for _, db := range []*sqlite.DB{one, other} {
		db.Now = func() time.Time { return now }
	}
	bridge, err := one.CreateToken(ctx, preferences.RoleFrontDesk, "PMS bridge")
	if err != nil {
		t.Fatal(err)
	}
	spare, _ := one.CreateToken(ctx, preferences.RoleFrontDesk, "PMS bridge")
	quarter, err := one.CreateTokenFor(ctx, preferences.RoleManager, "audit script", 90*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if a, err := one.TokenActor(ctx, bridge); err != nil || a.Name != "PMS bridge" {
			t.Fatalf("new token: %+v %v", a, err)
		}
	}
	if n, err := other.RevokeTokens(ctx, "PMS bridge"); err != nil || n != 2 {
		t.Fatalf("RevokeTokens = %d, %v; want both tokens of the name", n, err)
	}
	for _, tok := range []string{bridge, spare} {
		_, err := one.TokenActor(ctx, tok)
		wantCode(t, err, preferences.EUNAUTHORIZED) // a revoked token on the other instance
	}
	_, err = other.RevokeTokens(ctx, "PMS bridge")
	wantCode(t, err, preferences.ENOTFOUND) // revoking a name again
	_, err = other.RevokeTokens(ctx, "nobody")
	wantCode(t, err, preferences.ENOTFOUND) // revoking an unknown name

	// A kiosk paired with a token that expires stops with it; its name is free again.
	kioskTok, _ := one.CreateTokenFor(ctx, preferences.RoleKiosk, "Lobby", 24*time.Hour)
	kioskActor, _ := one.TokenActor(ctx, kioskTok)
	device, err := one.PairKiosk(ctx, kioskActor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := one.KioskActor(ctx, device); err != nil {
		t.Fatal(err)
	}
	_, err = one.CreateToken(ctx, preferences.RoleKiosk, "Lobby")
	wantCode(t, err, preferences.ECONFLICT) // a second kiosk token of the name

	now = now.Add(24 * time.Hour) // the kiosk token's last instant
	_, err = one.TokenActor(ctx, kioskTok)
	wantCode(t, err, preferences.EUNAUTHORIZED) // an expired token
	_, err = one.KioskActor(ctx, device)
	wantCode(t, err, preferences.EUNAUTHORIZED) // a kiosk paired with an expired token
	if _, err := one.CreateToken(ctx, preferences.RoleKiosk, "Lobby"); err != nil {
		t.Fatalf("a kiosk token named as an expired one: %v", err)
	}
	if _, err := one.TokenActor(ctx, quarter); err != nil {
		t.Fatalf("a token with 89 days left: %v", err)
	}
	now = now.Add(89 * 24 * time.Hour)
	_, err = other.TokenActor(ctx, quarter)
	wantCode(t, err, preferences.EUNAUTHORIZED) // a token after its 90 days

	list, err := other.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tok := range list {
		got = append(got, tok.Name+":"+string(tok.Role)+":"+tok.Status)
	}
	want := "Lobby:kiosk:expired Lobby:kiosk:active PMS bridge:frontdesk:revoked PMS bridge:frontdesk:revoked audit script:manager:expired"
	if strings.Join(got, " ") != want {
		t.Errorf("Tokens =\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	if e := list[4].ExpiresAt; e == nil || !e.Equal(time.Date(2026, 7, 30, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("audit script expires %v", e)
	}
}

// Disabling a login ends its sessions and sign-ins at once; enabling it lets it sign in
// again; a reset password replaces the old one and ends the sessions too.
func TestDisableEnableAndResetPassword(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	db := mustOpen(t, now)
	pw, err := db.CreateUser(ctx, "mei", preferences.RoleFrontDesk)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := db.CreateUser(ctx, "li", preferences.RoleManager)
	session := func(name, password string) string {
		t.Helper()
		a, err := db.Authenticate(ctx, name, password)
		if err != nil {
			t.Fatalf("sign-in as %s: %v", name, err)
		}
		id, err := db.CreateSession(ctx, a, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	meis, lis := session("mei", pw), session("li", other)
	if err := db.SetUserDisabled(ctx, " mei ", true); err != nil {
		t.Fatal(err)
	}
	_, err = db.SessionActor(ctx, meis, time.Hour)
	wantCode(t, err, preferences.EUNAUTHORIZED) // a disabled user's session
	_, err = db.Authenticate(ctx, "mei", pw)
	wantCode(t, err, preferences.EUNAUTHORIZED) // a disabled user's sign-in
	if n := countRows(t, db, `SELECT count(*) FROM staff_sessions`); n != 1 {
		t.Errorf("%d sessions left, want only li's", n)
	}
	if _, err := db.SessionActor(ctx, lis, time.Hour); err != nil {
		t.Fatalf("another user's session: %v", err)
	}
	users, err := db.Users(ctx)
	if err != nil || len(users) != 2 || users[1].Name != "mei" || users[1].DisabledAt == nil || !users[1].DisabledAt.Equal(now) || users[0].DisabledAt != nil {
		t.Fatalf("Users = %+v, %v", users, err)
	}

	if err := db.SetUserDisabled(ctx, "mei", false); err != nil {
		t.Fatal(err)
	}
	session("mei", pw)
	fresh, err := db.ResetPassword(ctx, "mei")
	if err != nil || len(fresh) != 16 || fresh == pw {
		t.Fatalf("ResetPassword = %q, %v", fresh, err)
	}
	_, err = db.Authenticate(ctx, "mei", pw)
	wantCode(t, err, preferences.EUNAUTHORIZED) // the old password
	if n := countRows(t, db, `SELECT count(*) FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id WHERE u.name = 'mei'`); n != 0 {
		t.Errorf("mei has %d sessions after the reset", n)
	}
	session("mei", fresh)

	wantCode(t, db.SetUserDisabled(ctx, "nobody", true), preferences.ENOTFOUND)  // disabling nobody
	wantCode(t, db.SetUserDisabled(ctx, "nobody", false), preferences.ENOTFOUND) // enabling nobody
	_, err = db.ResetPassword(ctx, "nobody")
	wantCode(t, err, preferences.ENOTFOUND) // resetting nobody
}

// BenchmarkTokenActor is the cost of authenticating one API request: one indexed read.
func BenchmarkTokenActor(b *testing.B) {
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "b.db"), sqlite.Options{Secret: []byte("0123456789abcdef0123")})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	var token string
	for range 50 {
		if token, err = db.CreateToken(ctx, preferences.RoleFrontDesk, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if _, err := db.TokenActor(ctx, token); err != nil {
			b.Fatal(err)
		}
	}
}
