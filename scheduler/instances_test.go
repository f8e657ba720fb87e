package scheduler_test

import (
	"context"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/scheduler"
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

// An instance that claimed the day's lapse run and died before it was done: another
// takes the run over once the claim's lease has ended, and writes the letters.
func TestLapseRunOfADeadInstanceTakenOver(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 10, 0, 10, 0, shanghai))
	id := e.guest(guestSpec{family: "Lovelace", email: "ada@example.com", lang: "en"})
	mustPastStay(t, e, id, time.Date(2024, 5, 10, 11, 0, 0, 0, shanghai))
	ctx := context.Background()
	if won, err := e.db.ClaimScheduledRun(ctx, scheduler.JobLapse, "2026-05-12", "dead", e.clock.Now(), time.Minute); err != nil || !won {
		t.Fatalf("the dead instance's claim: %v %v", won, err)
	}
	if err := e.s.Tick(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.wantReceived(map[string]int{}) // its lease still runs: the run may be under way
	e.clock.Advance(time.Minute)
	if err := e.s.Tick(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.wantReceived(map[string]int{"ada@example.com": 1})
}
