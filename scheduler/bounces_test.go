package scheduler_test

import (
	"context"
	"testing"
	"time"

	"regulars/preferences"
)

// Soft bounces on a fake clock: two do not stop the birthday letter, the third within
// 30 days does; three spread over 40 days do not. A letter queued before its address
// bounced is suppressed when the sender comes to it, and never reaches the SMTP server.
func TestSoftBouncesOnTheClock(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 1, 10, 0, 0, 0, shanghai))
	ctx := context.Background()
	day := 24 * time.Hour
	soft := func(email string) preferences.BounceResult {
		t.Helper()
		res, err := e.db.RecordBounce(ctx, preferences.Bounce{Email: email, Kind: preferences.BounceSoft, At: e.clock.Now(),
			Diagnostic: "452 4.2.2 Mailbox full", Source: preferences.BounceFromWebhook})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	full := e.guest(guestSpec{family: "Full", email: "full@example.cn", birthday: "1975-05-12"})
	e.guest(guestSpec{family: "Spread", email: "spread@example.cn", birthday: "1980-06-20"})
	late := e.guest(guestSpec{family: "Late", email: "late@example.cn", birthday: "1985-06-20"})

	soft("full@example.cn")   // 05-01
	soft("spread@example.cn") // 05-01
	e.clock.Advance(10 * day) // 05-11
	if res := soft("full@example.cn"); res.Suppressed {
		t.Fatalf("two soft bounces: %+v", res)
	}
	e.clock.Advance(day) // 05-12: the birthday
	if r := e.run(preferences.OutreachBirthday, "2026-05-12", false); len(r) != 1 || r[0].GuestID != full || r[0].Status != preferences.OutboxSent {
		t.Fatalf("after two soft bounces: %+v", r)
	}
	e.wantReceived(map[string]int{"full@example.cn": 1})
	if res := soft("full@example.cn"); !res.Suppressed || res.SoftBounces != 3 {
		t.Fatalf("the third soft bounce in 11 days: %+v", res)
	}
	if ex := e.explain(preferences.OutreachBirthday, full, "2026-05-12"); ex.Eligible || joinReasons(ex) == "" {
		t.Fatalf("explanation: %+v", ex)
	}

	e.clock.Advance(9 * day) // 05-21: 20 days after the first
	soft("spread@example.cn")
	e.clock.Advance(20 * day) // 06-10: 40 days after the first
	if res := soft("spread@example.cn"); res.Suppressed {
		t.Fatalf("three soft bounces over 40 days: %+v", res)
	}

	// 06-20: both letters queued; then Late's address bounces, hard, before the send.
	e.clock.Advance(10 * day)
	queued, err := e.s.Queue(ctx, preferences.OutreachBirthday, "2026-06-20")
	if err != nil || len(queued) != 2 {
		t.Fatalf("queued %+v (%v)", queued, err)
	}
	if _, err := e.db.RecordBounce(ctx, preferences.Bounce{Email: "LATE@example.cn", Kind: preferences.BounceHard,
		At: e.clock.Now(), Source: preferences.BounceFromImport}); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	e.wantReceived(map[string]int{"full@example.cn": 1, "spread@example.cn": 1})
	sup := e.messages(preferences.OutboxSuppressed)
	if len(sup) != 1 || sup[0].GuestID != late || sup[0].Attempts != 0 {
		t.Fatalf("suppressed: %+v, want Late's letter, never attempted", sup)
	}
}
