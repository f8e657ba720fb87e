package storetest

import (
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/preferences"
)

// testStaff: API tokens, staff logins and sessions, kiosk devices and lock-outs, service
// settings. The subtests share one store (each uses names of its own) and one fake clock
// (each counts from where it finds it; a leap of days costs: each service's 1 s audit
// ticker fires at every second of it).
func testStaff(t *testing.T, open Opener) {
	f := newStaffFixture(t, open)
	t.Run("Tokens", f.tokens)
	t.Run("BadInput", f.badInput)
	t.Run("KioskTokenNames", f.kioskTokenNames)
	t.Run("Users", f.users)
	t.Run("Sessions", f.sessions)
	t.Run("Kiosks", f.kiosks)
	if Engine(f.repo) != "sqlite" { // SQLite's one writer runs one change at a time: no overlap
		t.Run("Races", f.races)
	}
	t.Run("Lockouts", f.lockouts)
	t.Run("Settings", f.settings)
	t.Run("FailedChangesKeepNothing", f.failedChanges)
}

// staffFixture is one store with two services over it: s as it is, hooked with each
// write's Tx passed through wrap (when set), to pause or fail a change midway.
type staffFixture struct {
	repo   preferences.Repository
	s      *preferences.Service
	hooked *preferences.Service
	wrap   func(preferences.Tx) preferences.Tx
	clock  *clockwork.FakeClock
}

func newStaffFixture(t *testing.T, open Opener) *staffFixture {
	f := &staffFixture{repo: open(t), clock: clockwork.NewFakeClockAt(Start)}
	f.s = f.service(t, f.repo)
	f.hooked = f.service(t, staffHooked{f.repo, f})
	return f
}

func (f *staffFixture) service(t *testing.T, repo preferences.Repository) *preferences.Service {
	s, err := preferences.NewService(repo, preferences.ServiceOptions{Secret: Secret, Location: Shanghai, Clock: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// staffHooked is the fixture's store with its wrap applied to each write.
type staffHooked struct {
	preferences.Repository
	f *staffFixture
}

func (h staffHooked) Write(ctx context.Context, fn func(preferences.Tx) error) error {
	return h.Repository.Write(ctx, func(tx preferences.Tx) error {
		if h.f.wrap != nil {
			tx = h.f.wrap(tx)
		}
		return fn(tx)
	})
}

// staffHash is how a bearer secret is stored: its SHA-256.
func staffHash(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// staffWant fails t unless err has code and, when field is given, names that field
// first with a rule.
func staffWant(t *testing.T, err error, code, field, what string) {
	t.Helper()
	var e *preferences.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("%s: err = %v, want %s", what, err, code)
	}
	if field != "" && (len(e.Fields) == 0 || e.Fields[0].Field != field || e.Fields[0].Message == "") {
		t.Fatalf("%s: fields = %+v, want a rule on %s", what, e.Fields, field)
	}
}

// staffResult is a call's result and error, for must.
type staffResult[T any] struct {
	v   T
	err error
}

// staffOK keeps a call's result for must: staffOK(s.CreateToken(…)).must(t).
func staffOK[T any](v T, err error) staffResult[T] { return staffResult[T]{v, err} }

// must returns the result, failing t on the error.
func (r staffResult[T]) must(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

// Tokens: a token names its actor until it is revoked or expires; only its hash is
// stored; the list is by name (byte-wise, whatever the database's collation), then age.
func (f *staffFixture) tokens(t *testing.T) {
	ctx, s := context.Background(), f.s
	start := f.clock.Now().UTC()
	twoDays := staffOK(s.CreateTokenFor(ctx, preferences.RoleManager, "audit script", 48*time.Hour)).must(t)
	f.clock.Advance(time.Second)
	bridge := staffOK(s.CreateToken(ctx, preferences.RoleFrontDesk, "PMS bridge")).must(t)
	f.clock.Advance(time.Second)
	spare := staffOK(s.CreateToken(ctx, preferences.RoleFrontDesk, "PMS bridge")).must(t)
	if !strings.HasPrefix(bridge, "rgl_") || bridge == spare {
		t.Fatalf("tokens %q and %q: want two different rgl_ tokens", bridge, spare)
	}
	a, err := s.TokenActor(ctx, bridge)
	if err != nil || a.Name != "PMS bridge" || a.Role != preferences.RoleFrontDesk || a.ID == "" || a.TokenID != a.ID {
		t.Fatalf("TokenActor = %+v, %v", a, err)
	}
	f.repo.Read(ctx, func(tx preferences.Tx) error {
		if got, err := tx.TokenByHash(ctx, staffHash(bridge)); err != nil || got.ID != a.ID {
			t.Errorf("the token's hash is not stored: %+v %v", got, err)
		}
		_, err := tx.TokenByHash(ctx, []byte(bridge))
		staffWant(t, err, preferences.ENOTFOUND, "", "the token looked up in clear")
		return nil
	})
	for _, forged := range []string{"rgl_forged", "rgl_", "Bearer " + bridge, bridge + "x", "rgl_" + strings.Repeat("a", 100)} {
		_, err := s.TokenActor(ctx, forged)
		staffWant(t, err, preferences.EUNAUTHORIZED, "", "a forged token")
	}

	revokedAt := f.clock.Now().UTC()
	if n, err := s.RevokeTokens(ctx, "PMS bridge"); err != nil || n != 2 {
		t.Fatalf("RevokeTokens = %d, %v; want both tokens of the name", n, err)
	}
	for _, tok := range []string{bridge, spare} {
		_, err := s.TokenActor(ctx, tok)
		staffWant(t, err, preferences.EUNAUTHORIZED, "", "a revoked token")
	}
	_, err = s.RevokeTokens(ctx, "PMS bridge")
	staffWant(t, err, preferences.ENOTFOUND, "", "revoking a name again")
	_, err = s.RevokeTokens(ctx, "nobody")
	staffWant(t, err, preferences.ENOTFOUND, "", "revoking an unknown name")

	// A token is refused from its expiry on: its last instant is the one before.
	f.clock.Advance(start.Add(48*time.Hour - time.Second).Sub(f.clock.Now()))
	if _, err := s.TokenActor(ctx, twoDays); err != nil {
		t.Fatalf("a token one second before its expiry: %v", err)
	}
	f.clock.Advance(time.Second)
	_, err = s.TokenActor(ctx, twoDays)
	staffWant(t, err, preferences.EUNAUTHORIZED, "", "a token at its expiry")

	list := staffOK(s.Tokens(ctx)).must(t)
	var got []string
	var audit preferences.TokenInfo
	for _, tok := range list {
		if tok.Name == "PMS bridge" || tok.Name == "audit script" {
			got = append(got, tok.Name+":"+string(tok.Role)+":"+tok.Status)
		}
		if tok.Name == "audit script" {
			audit = tok
		}
	}
	if want := "PMS bridge:frontdesk:revoked PMS bridge:frontdesk:revoked audit script:manager:expired"; strings.Join(got, " ") != want {
		t.Errorf("Tokens =\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	if !audit.CreatedAt.Equal(start) || audit.ExpiresAt == nil || !audit.ExpiresAt.Equal(start.Add(48*time.Hour)) || audit.RevokedAt != nil {
		t.Errorf("audit script = %+v, want created at %v, expiring 2 days later, not revoked", audit, start)
	}
	var bridges []time.Time
	for _, tok := range list {
		if tok.Name != "PMS bridge" {
			continue
		}
		bridges = append(bridges, tok.CreatedAt)
		if tok.RevokedAt == nil || !tok.RevokedAt.Equal(revokedAt) {
			t.Errorf("PMS bridge revoked at %v, want %v", tok.RevokedAt, revokedAt)
		}
	}
	if len(bridges) != 2 || !bridges[0].Before(bridges[1]) {
		t.Errorf("the PMS bridge tokens were created at %v: want the older first", bridges)
	}
}

// Bad input names the field and the rule, and stores nothing.
func (f *staffFixture) badInput(t *testing.T) {
	ctx, s := context.Background(), f.s
	before := len(staffOK(s.Tokens(ctx)).must(t))
	for _, c := range []struct {
		role     preferences.Role
		name     string
		validFor time.Duration
		field    string
	}{
		{"chef", "kitchen", 0, "role"},
		{"", "kitchen", 0, "role"},
		{preferences.RoleFrontDesk, "", 0, "name"},
		{preferences.RoleFrontDesk, "   ", 0, "name"},
		{preferences.RoleFrontDesk, strings.Repeat("é", 65), 0, "name"},
		{preferences.RoleFrontDesk, "tab\there", 0, "name"},
		{preferences.RoleFrontDesk, "kitchen", -time.Hour, "expires"},
	} {
		_, err := s.CreateTokenFor(ctx, c.role, c.name, c.validFor)
		staffWant(t, err, preferences.EINVALID, c.field, "token "+string(c.role)+" "+c.name)
		if c.field != "expires" { // logins do not expire
			_, err = s.CreateUser(ctx, c.name, c.role)
			staffWant(t, err, preferences.EINVALID, c.field, "user "+string(c.role)+" "+c.name)
		}
	}
	if after := len(staffOK(s.Tokens(ctx)).must(t)); after != before {
		t.Errorf("%d tokens after bad input, want %d", after, before)
	}
	for _, u := range staffOK(s.Users(ctx)).must(t) {
		if u.Name == "kitchen" {
			t.Errorf("a login stored from bad input: %+v", u)
		}
	}
	if _, err := s.CreateTokenFor(ctx, preferences.RoleFrontDesk, strings.Repeat("é", 64), 0); err != nil {
		t.Errorf("a name of 64 characters: %v", err)
	}
}

// A kiosk token's name is unique among kiosk tokens in force (a manager re-pairs a kiosk
// by it); other roles, expired and revoked kiosk tokens do not take it.
func (f *staffFixture) kioskTokenNames(t *testing.T) {
	ctx, s := context.Background(), f.s
	staffOK(s.CreateTokenFor(ctx, preferences.RoleKiosk, "Lobby", 24*time.Hour)).must(t)
	before := len(staffOK(s.Tokens(ctx)).must(t))
	_, err := s.CreateToken(ctx, preferences.RoleKiosk, "Lobby")
	staffWant(t, err, preferences.ECONFLICT, "name", "a second kiosk token of the name")
	if after := len(staffOK(s.Tokens(ctx)).must(t)); after != before {
		t.Errorf("the refused kiosk token was stored: %d tokens, want %d", after, before)
	}
	staffOK(s.CreateToken(ctx, preferences.RoleFrontDesk, "Lobby")).must(t)
	f.clock.Advance(24 * time.Hour)
	staffOK(s.CreateToken(ctx, preferences.RoleKiosk, "Lobby")).must(t) // named as an expired one
	_, err = s.CreateToken(ctx, preferences.RoleKiosk, "Lobby")
	staffWant(t, err, preferences.ECONFLICT, "name", "a kiosk token named as one in force")
	staffOK(s.RevokeTokens(ctx, "Lobby")).must(t)
	staffOK(s.CreateToken(ctx, preferences.RoleKiosk, "Lobby")).must(t) // named as revoked ones
}

// Settings: none before the first save; a save replaces the values it names.
func (f *staffFixture) settings(t *testing.T) {
	ctx, s := context.Background(), f.s
	if got, err := s.ServiceSettings(ctx); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("settings before any save = %#v, %v; want an empty map", got, err)
	}
	if err := s.SaveServiceSettings(ctx, map[string]string{"public_url": "https://a.example", "time_zone": "Asia/Shanghai"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveServiceSettings(ctx, map[string]string{"public_url": "https://b.example"}); err != nil {
		t.Fatal(err)
	}
	got := staffOK(s.ServiceSettings(ctx)).must(t)
	if len(got) != 2 || got["public_url"] != "https://b.example" || got["time_zone"] != "Asia/Shanghai" {
		t.Fatalf("settings = %v", got)
	}
}
