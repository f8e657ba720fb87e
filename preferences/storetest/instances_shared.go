package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"regulars/preferences"
)

// testScheduledRuns: of two instances claiming a scheduled run's slot at once, one
// wins; a run left undone by a dead instance is taken over once its lease has ended,
// a finished one never.
func testScheduledRuns(t *testing.T, a, b *preferences.Service) {
	ctx := context.Background()
	now := time.Date(2026, 5, 12, 1, 0, 0, 0, time.UTC)
	lease := time.Minute
	claim := func(s *preferences.Service, slot, owner string, at time.Time) bool {
		t.Helper()
		won, err := s.ClaimScheduledRun(ctx, "birthday", slot, owner, at, lease)
		if err != nil {
			t.Fatal(err)
		}
		return won
	}
	var wg sync.WaitGroup
	wins := make([]bool, 8)
	for i := range wins {
		wg.Go(func() {
			wins[i] = claim([]*preferences.Service{a, b}[i%2], "2026-05-12T09:00", "owner"+string(rune('a'+i)), now)
		})
	}
	wg.Wait()
	if won := trues(wins); won != 1 {
		t.Fatalf("%d instances won one slot, want 1", won)
	}
	// The next slot is another run; the dead instance's undone slot waits for its lease.
	if !claim(a, "2026-05-12T09:01", "dead", now) || claim(b, "2026-05-12T09:01", "b", now.Add(lease-time.Second)) {
		t.Fatal("a slot's claim was not made, or taken over within its lease")
	}
	if !claim(b, "2026-05-12T09:01", "b", now.Add(lease)) {
		t.Fatal("an abandoned run was not taken over after its lease")
	}
	if err := b.FinishScheduledRun(ctx, "birthday", "2026-05-12T09:01", "b", now.Add(lease)); err != nil {
		t.Fatal(err)
	}
	if claim(a, "2026-05-12T09:01", "a", now.Add(time.Hour)) {
		t.Fatal("a finished run was taken over")
	}
}

// testSignInThrottles: failures counted on one instance block the key on the other.
func testSignInThrottles(t *testing.T, a, b *preferences.Service) {
	ctx := context.Background()
	now := time.Date(2026, 5, 12, 1, 0, 0, 0, time.UTC)
	rule := preferences.ThrottleRule{Limit: 3, Window: 15 * time.Minute, Block: 5 * time.Minute}
	blocked := func(s *preferences.Service, key string, at time.Time) time.Duration {
		t.Helper()
		d, err := s.SignInBlocked(ctx, key, at)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	fail := func(s *preferences.Service, key string, at time.Time) {
		t.Helper()
		if err := s.SignInFailed(ctx, key, at, rule); err != nil {
			t.Fatal(err)
		}
	}
	fail(a, "10.0.0.7", now)
	fail(b, "10.0.0.7", now)
	if n, err := a.SignInFailures(ctx, "10.0.0.7", now, rule.Window); err != nil || n != 2 || blocked(b, "10.0.0.7", now) != 0 {
		t.Fatalf("after 2 failures: counted %d (%v), or blocked", n, err)
	}
	// Failures older than the window are forgotten.
	later := now.Add(16 * time.Minute)
	fail(a, "10.0.0.7", later)
	fail(b, "10.0.0.7", later)
	if blocked(a, "10.0.0.7", later) != 0 {
		t.Fatal("old failures counted")
	}
	fail(a, "10.0.0.7", later)
	if d := blocked(b, "10.0.0.7", later); d != rule.Block {
		t.Fatalf("blocked for %v on the other instance, want %v", d, rule.Block)
	}
	if err := b.ResetSignIn(ctx, "10.0.0.7", later); err != nil || blocked(a, "10.0.0.7", later) == 0 {
		t.Fatalf("a success lifted the block (%v)", err)
	}
	if blocked(a, "10.0.0.8", later) != 0 {
		t.Fatal("another key is blocked")
	}
	if blocked(a, "10.0.0.7", later.Add(rule.Block)) != 0 {
		t.Fatal("still blocked after the block time")
	}
	// Many concurrent failures on both instances block exactly as many as counted.
	var wg sync.WaitGroup
	for i := range 2 * rule.Limit {
		wg.Go(func() { fail([]*preferences.Service{a, b}[i%2], "name\x0010.0.0.9", later) })
	}
	wg.Wait()
	if blocked(a, "name\x0010.0.0.9", later) == 0 {
		t.Fatal("concurrent failures did not block")
	}
}

// testKioskFailures: failures of one kiosk recorded at once on two instances lock it
// out at the limit, once.
func testKioskFailures(t *testing.T, a, b *preferences.Service) {
	ctx := context.Background()
	token, err := a.CreateToken(ctx, preferences.RoleKiosk, "lobby")
	if err != nil {
		t.Fatal(err)
	}
	kiosk, err := b.TokenActor(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	const limit = 5
	now := time.Now()
	var wg sync.WaitGroup
	lockouts := make([]bool, limit)
	for i := range limit {
		wg.Go(func() {
			until, err := []*preferences.Service{a, b}[i%2].RecordKioskFailure(ctx, kiosk, now, time.Hour, limit)
			if err != nil {
				t.Error(err)
			}
			lockouts[i] = !until.IsZero()
		})
	}
	wg.Wait()
	if n := trues(lockouts); n != 1 {
		t.Fatalf("%d concurrent failures made %d lock-outs, want 1", limit, n)
	}
}

// testKioskSessions: a kiosk session opened on one instance goes on on the other.
func testKioskSessions(t *testing.T, a, b *preferences.Service) {
	ctx := context.Background()
	now := time.Date(2026, 5, 12, 1, 0, 0, 0, time.UTC)
	idle := 2 * time.Minute
	id, err := a.StartKioskSession(ctx, preferences.KioskSession{Device: "kd_1", GuestID: "g_1", Nights: 2}, now, idle)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.TouchKioskSession(ctx, id, "kd_1", now.Add(idle-time.Second), idle)
	if err != nil || got.GuestID != "g_1" || got.Nights != 2 {
		t.Fatalf("the other instance's session: %+v (%v)", got, err)
	}
	if _, err := b.TouchKioskSession(ctx, id, "kd_2", now.Add(idle), idle); preferences.ErrorCode(err) != preferences.EUNAUTHORIZED {
		t.Fatalf("another kiosk used the session: %v", err)
	}
	// Touched a second before the idle time ran out: it lasts from then.
	if _, err := a.TouchKioskSession(ctx, id, "kd_1", now.Add(2*idle-2*time.Second), idle); err != nil {
		t.Fatalf("a session in use ended: %v", err)
	}
	if _, err := a.TouchKioskSession(ctx, id, "kd_1", now.Add(4*idle), idle); preferences.ErrorCode(err) != preferences.EUNAUTHORIZED {
		t.Fatalf("an idle session went on: %v", err)
	}
	id, err = b.StartKioskSession(ctx, preferences.KioskSession{Device: "kd_1", GuestID: "g_2", Nights: 1}, now, idle)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.EndKioskSession(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := b.TouchKioskSession(ctx, id, "kd_1", now, idle); preferences.ErrorCode(err) != preferences.EUNAUTHORIZED {
		t.Fatalf("an ended session went on: %v", err)
	}
}

// trues counts the true values of bs.
func trues(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
