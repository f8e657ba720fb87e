package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
)

// kioskToken creates a kiosk token named name and returns its actor.
func (f *staffFixture) kioskToken(t *testing.T, name string, validFor time.Duration) preferences.Actor {
	t.Helper()
	ctx := context.Background()
	tok := staffOK(f.s.CreateTokenFor(ctx, preferences.RoleKiosk, name, validFor)).must(t)
	return staffOK(f.s.TokenActor(ctx, tok)).must(t)
}

const staffRepairFirst = "A manager must allow re-pairing first"

// Kiosks: a kiosk token pairs one device at a time; a manager's re-pair unpairs it; a
// device works while it is paired and its token is in force.
func (f *staffFixture) kiosks(t *testing.T) {
	ctx, s := context.Background(), f.s
	front := f.kioskToken(t, "Front kiosk", 0)
	desk := staffOK(s.TokenActor(ctx, staffOK(s.CreateToken(ctx, preferences.RoleFrontDesk, "desk pc")).must(t))).must(t)
	_, err := s.PairKiosk(ctx, desk)
	staffWant(t, err, preferences.EFORBIDDEN, "", "pairing with a front-desk token")

	device := staffOK(s.PairKiosk(ctx, front)).must(t)
	if !strings.HasPrefix(device, "rgk_") {
		t.Fatalf("device secret %q, want rgk_…", device)
	}
	k, err := s.KioskActor(ctx, device)
	if err != nil || k.Role != preferences.RoleKiosk || k.Name != "Front kiosk" || k.TokenID != front.ID || k.ID == "" || k.ID == front.ID {
		t.Fatalf("KioskActor = %+v, %v; want the device's id and the token's", k, err)
	}
	_, err = s.PairKiosk(ctx, front)
	staffWant(t, err, preferences.ECONFLICT, "", "pairing a second device")
	if !strings.Contains(err.Error(), staffRepairFirst) {
		t.Errorf("pairing a second device says %q", err)
	}

	if n, err := s.AllowKioskRepair(ctx, "Front kiosk"); err != nil || n != 1 {
		t.Fatalf("AllowKioskRepair = %d, %v; want the one device unpaired", n, err)
	}
	_, err = s.KioskActor(ctx, device)
	staffWant(t, err, preferences.EUNAUTHORIZED, "", "an unpaired device")
	if n, err := s.AllowKioskRepair(ctx, "Front kiosk"); err != nil || n != 0 {
		t.Fatalf("AllowKioskRepair with no device = %d, %v", n, err)
	}
	again := staffOK(s.PairKiosk(ctx, front)).must(t)
	staffOK(s.KioskActor(ctx, again)).must(t)

	_, err = s.AllowKioskRepair(ctx, "nobody")
	staffWant(t, err, preferences.ENOTFOUND, "", "re-pairing an unknown name")
	_, err = s.AllowKioskRepair(ctx, "desk pc")
	staffWant(t, err, preferences.ENOTFOUND, "", "re-pairing a front-desk token")
	for _, forged := range []string{"rgk_forged", "rgk_", again[4:], "rgk_" + strings.Repeat("a", 100)} {
		_, err = s.KioskActor(ctx, forged)
		staffWant(t, err, preferences.EUNAUTHORIZED, "", "a forged device secret")
	}

	// A revoked token stops its device and can no longer be re-paired.
	staffOK(s.RevokeTokens(ctx, "Front kiosk")).must(t)
	_, err = s.KioskActor(ctx, again)
	staffWant(t, err, preferences.EUNAUTHORIZED, "", "the device of a revoked token")
	_, err = s.AllowKioskRepair(ctx, "Front kiosk")
	staffWant(t, err, preferences.ENOTFOUND, "", "re-pairing a revoked token")

	// An expired token stops its device.
	bar := f.kioskToken(t, "Bar kiosk", 24*time.Hour)
	barDevice := staffOK(s.PairKiosk(ctx, bar)).must(t)
	f.clock.Advance(24*time.Hour - time.Second)
	staffOK(s.KioskActor(ctx, barDevice)).must(t)
	f.clock.Advance(time.Second)
	_, err = s.KioskActor(ctx, barDevice)
	staffWant(t, err, preferences.EUNAUTHORIZED, "", "the device of an expired token")

	// Kiosk tokens that share a name (created before names were unique for kiosks; with
	// an expiry, which PostgreSQL's unique index on the names of kiosk tokens leaves out).
	year := f.clock.Now().Add(365 * 24 * time.Hour)
	if err := f.repo.Write(ctx, func(tx preferences.Tx) error {
		for _, secret := range []string{"rgl_old_one", "rgl_old_two"} {
			tok := preferences.StoredToken{ID: preferences.NewID("t"), Name: "Old kiosk", Role: preferences.RoleKiosk, Hash: staffHash(secret),
				CreatedAt: f.clock.Now(), ExpiresAt: &year}
			if err := tx.InsertToken(ctx, tok); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_, err = s.AllowKioskRepair(ctx, "Old kiosk")
	staffWant(t, err, preferences.ECONFLICT, "", "re-pairing a name several kiosk tokens share")
}

// Two instances pairing the same token, or creating a kiosk token of one name, at once
// on a shared PostgreSQL: each finds none, both insert; a unique index fails the later
// one with the use case's conflict. SQLite's single writer runs one change at a time, so
// there is no overlap to set up.
func (f *staffFixture) races(t *testing.T) {
	ctx := context.Background()
	spa := f.kioskToken(t, "Race kiosk", 0)
	f.race(t, "the later of two pairings", staffRepairFirst, func(s *preferences.Service) error {
		_, err := s.PairKiosk(ctx, spa)
		return err
	})
	f.race(t, "the later of two kiosk tokens of one name", "name is taken", func(s *preferences.Service) error {
		_, err := s.CreateToken(ctx, preferences.RoleKiosk, "Race name")
		return err
	})
}

// race runs change on the hooked service up to its insert, then on the plain one, then
// lets the first insert: it must fail with ECONFLICT saying says.
func (f *staffFixture) race(t *testing.T, what, says string, change func(*preferences.Service) error) {
	t.Helper()
	checked, proceed := make(chan struct{}), make(chan struct{})
	f.wrap = func(tx preferences.Tx) preferences.Tx { return staffPausedTx{tx, checked, proceed} }
	defer func() { f.wrap = nil }()
	late := make(chan error, 1)
	go func() { late <- change(f.hooked) }()
	<-checked // the later change found nothing in its way and is about to insert
	if err := change(f.s); err != nil {
		t.Fatalf("the first of two at once: %v", err)
	}
	close(proceed)
	err := <-late
	staffWant(t, err, preferences.ECONFLICT, "", what)
	if !strings.Contains(err.Error(), says) {
		t.Errorf("%s says %q", what, err)
	}
}

// staffPausedTx signals checked before inserting a kiosk device or a token, then waits
// for proceed.
type staffPausedTx struct {
	preferences.Tx
	checked, proceed chan struct{}
}

func (p staffPausedTx) pause() {
	close(p.checked)
	<-p.proceed
}

func (p staffPausedTx) InsertKioskDevice(ctx context.Context, d preferences.KioskDevice) error {
	p.pause()
	return p.Tx.InsertKioskDevice(ctx, d)
}

func (p staffPausedTx) InsertToken(ctx context.Context, tok preferences.StoredToken) error {
	p.pause()
	return p.Tx.InsertToken(ctx, tok)
}

// Lock-outs: max failures of a kiosk token within the window lock the token (all its
// devices, and the token itself) out for the window; older failures count no more; the
// front desk sees the lock-outs, newest first.
func (f *staffFixture) lockouts(t *testing.T) {
	ctx, s := context.Background(), f.s
	const window, max = time.Minute, 3
	spa := f.kioskToken(t, "Spa kiosk", 0)
	device := staffOK(s.KioskActor(ctx, staffOK(s.PairKiosk(ctx, spa)).must(t))).must(t)
	gym := f.kioskToken(t, "Gym kiosk", 0)
	start := f.clock.Now().UTC()
	if until, err := s.KioskLockedUntil(ctx, spa.ID, start); err != nil || !until.IsZero() {
		t.Fatalf("a new token locked until %v, %v", until, err)
	}
	fail := func(who preferences.Actor, at time.Time) time.Time {
		t.Helper()
		return staffOK(s.RecordKioskFailure(ctx, who, at, window, max)).must(t)
	}
	for _, who := range []preferences.Actor{device, device, gym} {
		if until := fail(who, start); !until.IsZero() {
			t.Fatalf("%s locked out early, until %v", who.Name, until)
		}
	}
	// The third failure of the token, from the token itself, locks its device out too.
	first := fail(spa, start.Add(time.Second))
	if !first.Equal(start.Add(time.Second + window)) {
		t.Fatalf("third failure: locked until %v, want %v", first, start.Add(time.Second+window))
	}
	if got := staffOK(s.KioskLockedUntil(ctx, device.TokenID, start.Add(window))).must(t); !got.Equal(first) {
		t.Fatalf("locked until %v, want %v", got, first)
	}
	if got := staffOK(s.KioskLockedUntil(ctx, gym.TokenID, start.Add(window))).must(t); !got.IsZero() {
		t.Fatalf("another token is locked out too, until %v", got)
	}
	if got := staffOK(s.KioskLockedUntil(ctx, spa.ID, first)).must(t); !got.IsZero() {
		t.Fatalf("at its end the lock-out still holds, until %v", got)
	}

	// The lock-out started afresh: a failure as old as the window counts no more.
	second := first.Add(time.Second)
	for _, at := range []time.Time{second, second.Add(time.Second), second.Add(window), second.Add(window + time.Second)} {
		if until := fail(device, at); !until.IsZero() {
			t.Fatalf("failure at %v: locked until %v, with only two failures within the window", at, until)
		}
	}
	lastAt := second.Add(window + 2*time.Second)
	if last := fail(device, lastAt); !last.Equal(lastAt.Add(window)) {
		t.Fatalf("three failures within the window: locked until %v, want %v", last, lastAt.Add(window))
	}

	f.clock.Advance(lastAt.Add(time.Second).Sub(f.clock.Now())) // the last lock-out holds, the first is over
	list := staffOK(s.KioskThrottles(ctx, preferences.System, start)).must(t)
	if len(list) != 2 || list[0].Kiosk != "Spa kiosk" || list[0].Failures != max || !list[0].At.Equal(lastAt) ||
		!list[0].Until.Equal(lastAt.Add(window)) || !list[0].Active || !list[1].At.Equal(start.Add(time.Second)) || list[1].Active {
		t.Fatalf("KioskThrottles = %+v, want the active lock-out then the first", list)
	}
	if later := staffOK(s.KioskThrottles(ctx, preferences.System, lastAt.Add(time.Nanosecond*1000))).must(t); later == nil || len(later) != 0 {
		t.Fatalf("lock-outs begun after the last = %#v, want an empty list", later)
	}
	_, err := s.RecordKioskFailure(ctx, preferences.Actor{Name: "desk", Role: preferences.RoleFrontDesk}, start, window, max)
	staffWant(t, err, preferences.EFORBIDDEN, "", "a failure without a kiosk token")
}

// errStaffInjected is the failure staffFaultyTx injects.
var errStaffInjected = errors.New("storetest: injected failure")

// staffFaultyTx fails the last step of some changes.
type staffFaultyTx struct{ preferences.Tx }

func (staffFaultyTx) DeleteUserSessions(context.Context, string) error { return errStaffInjected }

func (staffFaultyTx) InsertKioskLockout(context.Context, preferences.KioskLockout) error {
	return errStaffInjected
}

// A change that fails at its last step leaves nothing of its earlier steps.
func (f *staffFixture) failedChanges(t *testing.T) {
	ctx, s := context.Background(), f.s
	pw := staffOK(s.CreateUser(ctx, "atom", preferences.RoleFrontDesk)).must(t)
	session := f.signIn(t, "atom", pw)
	kiosk := f.kioskToken(t, "Atom kiosk", 0)
	now := f.clock.Now()
	for range 2 {
		staffOK(s.RecordKioskFailure(ctx, kiosk, now, time.Minute, 3)).must(t)
	}
	f.wrap = func(tx preferences.Tx) preferences.Tx { return staffFaultyTx{tx} }
	defer func() { f.wrap = nil }()

	if err := f.hooked.SetUserDisabled(ctx, "atom", true); !errors.Is(err, errStaffInjected) {
		t.Fatalf("disabling with a failing session deletion: %v", err)
	}
	if u := staffUser(t, s, "atom"); u.DisabledAt != nil {
		t.Errorf("a failed disable kept the login disabled")
	}
	if _, err := f.hooked.ResetPassword(ctx, "atom"); !errors.Is(err, errStaffInjected) {
		t.Fatalf("resetting with a failing session deletion: %v", err)
	}
	staffOK(s.Authenticate(ctx, "atom", pw)).must(t) // the old password holds
	staffOK(s.SessionActor(ctx, session, time.Hour)).must(t)

	if _, err := f.hooked.RecordKioskFailure(ctx, kiosk, now, time.Minute, 3); !errors.Is(err, errStaffInjected) {
		t.Fatalf("a lock-out that fails to be stored: %v", err)
	}
	var n int
	f.repo.Read(ctx, func(tx preferences.Tx) (err error) { n, err = tx.CountKioskFailures(ctx, kiosk.TokenID); return err })
	if n != 2 {
		t.Errorf("%d failures stored after the failed third, want the 2 before", n)
	}
	if until := staffOK(s.KioskLockedUntil(ctx, kiosk.TokenID, now)).must(t); !until.IsZero() {
		t.Errorf("a failed lock-out holds until %v", until)
	}
}
