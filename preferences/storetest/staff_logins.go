package storetest

import (
	"context"
	"testing"
	"time"

	"regulars/preferences"
)

// signIn authenticates name and starts a session of an hour.
func (f *staffFixture) signIn(t *testing.T, name, password string) string {
	t.Helper()
	ctx := context.Background()
	a, err := f.s.Authenticate(ctx, name, password)
	if err != nil {
		t.Fatalf("sign-in as %s: %v", name, err)
	}
	return staffOK(f.s.CreateSession(ctx, a, time.Hour)).must(t)
}

// staffSession returns the stored session whose id is id, or the error.
func (f *staffFixture) staffSession(id string) (preferences.StoredSession, error) {
	var sess preferences.StoredSession
	err := f.repo.Read(context.Background(), func(tx preferences.Tx) (err error) {
		sess, _, err = tx.SessionByHash(context.Background(), staffHash(id))
		return err
	})
	return sess, err
}

// Logins: a generated password signs in (names trimmed, wrong names and passwords
// refused alike); names are unique; disabling ends the sessions and sign-ins, keeping
// the first time; enabling allows them again; a reset password replaces the old one.
func (f *staffFixture) users(t *testing.T) {
	ctx, s := context.Background(), f.s
	pw := staffOK(s.CreateUser(ctx, " mei ", preferences.RoleFrontDesk)).must(t)
	if len(pw) != 16 {
		t.Fatalf("generated password %d characters long, want 16", len(pw))
	}
	_, err := s.CreateUser(ctx, "mei", preferences.RoleManager)
	staffWant(t, err, preferences.ECONFLICT, "name", "a second login named mei")
	createdAt := f.clock.Now().UTC()
	zpw := staffOK(s.CreateUser(ctx, "Zhou", preferences.RoleManager)).must(t)

	a, err := s.Authenticate(ctx, " mei ", pw)
	if err != nil || a.Name != "mei" || a.Role != preferences.RoleFrontDesk || a.ID == "" {
		t.Fatalf("Authenticate = %+v, %v", a, err)
	}
	_, wrongPassword := s.Authenticate(ctx, "mei", zpw)
	staffWant(t, wrongPassword, preferences.EUNAUTHORIZED, "", "a wrong password")
	_, unknown := s.Authenticate(ctx, "nobody", pw)
	staffWant(t, unknown, preferences.EUNAUTHORIZED, "", "an unknown name")
	if wrongPassword.Error() != unknown.Error() {
		t.Errorf("a wrong password says %q, an unknown name %q: they must not differ", wrongPassword, unknown)
	}

	users := staffOK(s.Users(ctx)).must(t)
	var mine []preferences.StaffUser
	for _, u := range users {
		if u.Name == "mei" || u.Name == "Zhou" {
			mine = append(mine, u)
		}
	}
	if len(mine) != 2 || mine[0].Name != "Zhou" || mine[1].Name != "mei" || mine[0].Role != preferences.RoleManager ||
		!mine[0].CreatedAt.Equal(createdAt) || mine[0].DisabledAt != nil {
		t.Fatalf("Users = %+v, want Zhou (byte order) then mei, enabled", mine)
	}

	meis, zhous := f.signIn(t, "mei", pw), f.signIn(t, "Zhou", zpw)
	disabledAt := f.clock.Now().UTC()
	if err := s.SetUserDisabled(ctx, " mei ", true); err != nil {
		t.Fatal(err)
	}
	_, err = s.SessionActor(ctx, meis, time.Hour)
	staffWant(t, err, preferences.EUNAUTHORIZED, "", "a disabled login's session")
	_, err = f.staffSession(meis)
	staffWant(t, err, preferences.ENOTFOUND, "", "a disabled login's stored session")
	_, err = s.Authenticate(ctx, "mei", pw)
	staffWant(t, err, preferences.EUNAUTHORIZED, "", "a disabled login's sign-in")
	if _, err := s.SessionActor(ctx, zhous, time.Hour); err != nil {
		t.Fatalf("another login's session: %v", err)
	}
	f.clock.Advance(time.Minute)
	if err := s.SetUserDisabled(ctx, "mei", true); err != nil {
		t.Fatal(err)
	}
	if u := staffUser(t, s, "mei"); u.DisabledAt == nil || !u.DisabledAt.Equal(disabledAt) {
		t.Fatalf("mei disabled at %v, want the first time, %v", u.DisabledAt, disabledAt)
	}

	if err := s.SetUserDisabled(ctx, "mei", false); err != nil {
		t.Fatal(err)
	}
	if u := staffUser(t, s, "mei"); u.DisabledAt != nil {
		t.Fatalf("mei enabled, still disabled at %v", u.DisabledAt)
	}
	old := f.signIn(t, "mei", pw)
	fresh := staffOK(s.ResetPassword(ctx, " mei ")).must(t)
	if len(fresh) != 16 || fresh == pw {
		t.Fatalf("ResetPassword = %q", fresh)
	}
	_, err = s.Authenticate(ctx, "mei", pw)
	staffWant(t, err, preferences.EUNAUTHORIZED, "", "the password before the reset")
	_, err = s.SessionActor(ctx, old, time.Hour)
	staffWant(t, err, preferences.EUNAUTHORIZED, "", "a session from before the reset")
	f.signIn(t, "mei", fresh)

	staffWant(t, s.SetUserDisabled(ctx, "nobody", true), preferences.ENOTFOUND, "", "disabling nobody")
	staffWant(t, s.SetUserDisabled(ctx, "nobody", false), preferences.ENOTFOUND, "", "enabling nobody")
	_, err = s.ResetPassword(ctx, "nobody")
	staffWant(t, err, preferences.ENOTFOUND, "", "resetting nobody")

	// A login disabled by another instance: its session is refused though still stored.
	zhou := staffOK(f.staffSession(zhous)).must(t)
	if err := f.repo.Write(ctx, func(tx preferences.Tx) error { return tx.DisableUser(ctx, zhou.UserID, f.clock.Now()) }); err != nil {
		t.Fatal(err)
	}
	_, err = s.SessionActor(ctx, zhous, time.Hour)
	staffWant(t, err, preferences.EUNAUTHORIZED, "", "the session of a login disabled elsewhere")
}

func staffUser(t *testing.T, s *preferences.Service, name string) preferences.StaffUser {
	t.Helper()
	for _, u := range staffOK(s.Users(context.Background())).must(t) {
		if u.Name == name {
			return u
		}
	}
	t.Fatalf("no login %s", name)
	return preferences.StaffUser{}
}

// Sessions end at logout, after the idle time or at their lifetime; their last use is
// written at most every 30 seconds; only their hash is stored; creating one purges those
// past their lifetime.
func (f *staffFixture) sessions(t *testing.T) {
	ctx, s := context.Background(), f.s
	pw := staffOK(s.CreateUser(ctx, "sun", preferences.RoleHousekeeping)).must(t)
	actor := staffOK(s.Authenticate(ctx, "sun", pw)).must(t)
	const idle = 30 * time.Minute
	created := f.clock.Now().UTC()
	id := staffOK(s.CreateSession(ctx, actor, 12*time.Hour)).must(t)
	if sess, err := f.staffSession(id); err != nil || sess.UserID != actor.ID || !sess.ExpiresAt.Equal(created.Add(12*time.Hour)) {
		t.Fatalf("the stored session = %+v, %v", sess, err)
	}
	f.repo.Read(ctx, func(tx preferences.Tx) error {
		_, _, err := tx.SessionByHash(ctx, []byte(id))
		staffWant(t, err, preferences.ENOTFOUND, "", "the session id looked up in clear")
		return nil
	})
	got, err := s.SessionActor(ctx, id, idle)
	if err != nil || got.Name != "sun" || got.Role != preferences.RoleHousekeeping || got.ID != actor.ID {
		t.Fatalf("SessionActor = %+v, %v", got, err)
	}
	f.clock.Advance(10 * time.Second)
	staffOK(s.SessionActor(ctx, id, idle)).must(t)
	if sess, _ := f.staffSession(id); !sess.LastSeen.Equal(created) {
		t.Errorf("last use written after 10 s: %v", sess.LastSeen)
	}
	f.clock.Advance(25 * time.Second)
	staffOK(s.SessionActor(ctx, id, idle)).must(t)
	if sess, _ := f.staffSession(id); !sess.LastSeen.Equal(f.clock.Now()) {
		t.Errorf("last use %v after 35 s, want %v", sess.LastSeen, f.clock.Now().UTC())
	}
	// A touch never moves the last use back (two instances may touch at once).
	if err := f.repo.Write(ctx, func(tx preferences.Tx) error { return tx.TouchSession(ctx, staffHash(id), created) }); err != nil {
		t.Fatal(err)
	}
	if sess, _ := f.staffSession(id); !sess.LastSeen.Equal(f.clock.Now()) {
		t.Errorf("last use moved back to %v", sess.LastSeen)
	}
	// Used every 20 minutes, then after exactly the idle time, it stays alive...
	for i := range 3 {
		f.clock.Advance(20 * time.Minute)
		if _, err := s.SessionActor(ctx, id, idle); err != nil {
			t.Fatalf("after %d uses: %v", i+1, err)
		}
	}
	f.clock.Advance(idle)
	staffOK(s.SessionActor(ctx, id, idle)).must(t)
	// ...but not past it, and it is deleted then.
	f.clock.Advance(idle + time.Second)
	_, err = s.SessionActor(ctx, id, idle)
	staffWant(t, err, preferences.EUNAUTHORIZED, "", "an idle session")
	_, err = f.staffSession(id)
	staffWant(t, err, preferences.ENOTFOUND, "", "an idle session, stored")

	// The lifetime holds however busy the session is.
	hour := staffOK(s.CreateSession(ctx, actor, time.Hour)).must(t)
	for range 2 {
		f.clock.Advance(20 * time.Minute)
		staffOK(s.SessionActor(ctx, hour, idle)).must(t)
	}
	f.clock.Advance(20 * time.Minute)
	_, err = s.SessionActor(ctx, hour, idle)
	staffWant(t, err, preferences.EUNAUTHORIZED, "", "a session at the end of its lifetime")

	// A session past its lifetime, never used again, goes at the next sign-in.
	short := staffOK(s.CreateSession(ctx, actor, time.Minute)).must(t)
	f.clock.Advance(2 * time.Minute)
	staffOK(s.CreateSession(ctx, actor, time.Hour)).must(t)
	_, err = f.staffSession(short)
	staffWant(t, err, preferences.ENOTFOUND, "", "a session past its lifetime after the next sign-in")

	logout := staffOK(s.CreateSession(ctx, actor, time.Hour)).must(t)
	if err := s.DeleteSession(ctx, logout); err != nil {
		t.Fatal(err)
	}
	_, err = s.SessionActor(ctx, logout, idle)
	staffWant(t, err, preferences.EUNAUTHORIZED, "", "a session after logout")
	if err := s.DeleteSession(ctx, "rgs_unknown"); err != nil {
		t.Errorf("logging out an unknown session: %v", err)
	}
	for _, forged := range []string{"rgs_forged", "", "rgs_", logout[4:]} {
		_, err = s.SessionActor(ctx, forged, idle)
		staffWant(t, err, preferences.EUNAUTHORIZED, "", "a forged session id")
	}
	if _, err := s.CreateSession(ctx, preferences.Actor{Name: "sun"}, time.Hour); err == nil {
		t.Error("a session for an actor without an id")
	}
	if _, err := s.CreateSession(ctx, actor, 0); err == nil {
		t.Error("a session without a lifetime")
	}
}
