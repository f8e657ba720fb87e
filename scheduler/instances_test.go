package scheduler_test

import (
	"context"
	"testing"
	"time"

	"regulars/preferences"
)

// Two schedulers on one database, as two instances have, run the same minute: one
// claims the birthday slot and queues the greetings, the other finds it claimed; each
// sends what it claims, every letter once. The next minute's slot is claimed anew.
func TestTwoSchedulersRunEachSlotOnce(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 9, 0, 2, 0, shanghai))
	e.guest(guestSpec{family: "丁", email: "ding@example.cn", birthday: "1975-05-12"})
	e.guest(guestSpec{family: "王", email: "wang@example.cn", birthday: "1980-05-12"})
	other := e.newScheduler(e.open(), e.mailer(e.sink.Addr))
	ctx := context.Background()
	// The other instance's clock is 3 s behind: it names the same minute.
	if err := e.s.Tick(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := other.Tick(ctx, e.clock.Now().Add(-3*time.Second)); err != nil {
		t.Fatal(err)
	}
	if !e.s.HoldsCurrentRun() || other.HoldsCurrentRun() {
		t.Fatalf("holders: first %v, other %v; want the first alone", e.s.HoldsCurrentRun(), other.HoldsCurrentRun())
	}
	e.wantReceived(map[string]int{"ding@example.cn": 1, "wang@example.cn": 1})
	// The next minute the other claims first; nothing is left to send.
	e.clock.Advance(time.Minute)
	if err := other.Tick(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Tick(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if e.s.HoldsCurrentRun() || !other.HoldsCurrentRun() {
		t.Fatal("the 09:01 slot's holder is not the one that claimed it first")
	}
	e.wantReceived(map[string]int{"ding@example.cn": 1, "wang@example.cn": 1})
	if n := len(e.messages(preferences.OutboxSent)); n != 2 {
		t.Fatalf("%d sent, want 2", n)
	}
}
