package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
)

// testBounces covers the bounce rules: a hard bounce or a complaint stops letters at
// once, 3 soft bounces within 30 days do, the same bounce counts once, a manager lifts a
// suppression; a stopped address gets its letters suppressed, when queued or when about
// to be sent, and the card and profile say so. The address is kept only as a hash.
func testBounces(t *testing.T, open Opener) {
	ctx := context.Background()
	s, clock := Service(t, open)
	day := 24 * time.Hour
	bounce := func(email string, kind preferences.BounceKind, at time.Time, diag string) preferences.BounceResult {
		t.Helper()
		res, err := s.RecordBounce(ctx, preferences.Bounce{Email: email, Kind: kind, At: at, Diagnostic: diag,
			Source: preferences.BounceFromWebhook})
		if err != nil {
			t.Fatalf("bounce %s %s: %v", kind, at, err)
		}
		return res
	}
	stopped := func(email string) *preferences.MailSuppression {
		t.Helper()
		sup, err := s.MailSuppressionOf(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		return sup
	}

	t.Run("HardStopsAtOnce", func(t *testing.T) {
		at := clock.Now().Add(-time.Hour)
		res := bounce("Hard@Example.cn", preferences.BounceHard, at, "550 5.1.1 <hard@example.cn>: user unknown")
		if !res.Recorded || !res.Suppressed || res.Suppression == nil || res.Suppression.Kind != preferences.BounceHard ||
			!res.Suppression.Since.Equal(at) {
			t.Fatalf("hard bounce: %+v", res)
		}
		// The address is one, whatever its case and spaces.
		if sup := stopped(" hard@example.CN "); sup == nil || sup.Kind != preferences.BounceHard {
			t.Fatalf("suppression of the same address: %+v", sup)
		}
		if again := bounce("hard@example.cn", preferences.BounceHard, at, ""); again.Recorded || !again.Suppressed {
			t.Fatalf("the same bounce again: %+v, want not recorded, still suppressed", again)
		}
		if c := bounce("spam@example.cn", preferences.BounceComplaint, at, ""); !c.Suppressed || c.Suppression.Kind != preferences.BounceComplaint {
			t.Fatalf("complaint: %+v", c)
		}
		if stopped("other@example.cn") != nil {
			t.Fatal("an address without bounces is stopped")
		}
	})
	t.Run("SoftAfterThreeInThirtyDays", func(t *testing.T) {
		t0 := clock.Now().Add(-60 * day)
		email := "soft@example.cn"
		for i, at := range []time.Time{t0, t0.Add(10 * day)} {
			if res := bounce(email, preferences.BounceSoft, at, "452 4.2.2 mailbox full"); res.Suppressed || res.SoftBounces != i+1 {
				t.Fatalf("soft bounce %d: %+v, want not suppressed, %d counted", i+1, res, i+1)
			}
		}
		// The second posted again counts once.
		if res := bounce(email, preferences.BounceSoft, t0.Add(10*day), ""); res.Recorded || res.Suppressed {
			t.Fatalf("a repeated soft bounce: %+v", res)
		}
		res := bounce(email, preferences.BounceSoft, t0.Add(20*day), "")
		if !res.Suppressed || res.Suppression.Kind != preferences.BounceSoft || res.SoftBounces != 3 {
			t.Fatalf("third soft bounce within 30 days: %+v", res)
		}
		// Three spread over 40 days.
		spread := "spread@example.cn"
		for _, at := range []time.Time{t0, t0.Add(20 * day), t0.Add(40 * day)} {
			if res := bounce(spread, preferences.BounceSoft, at, ""); res.Suppressed {
				t.Fatalf("soft bounces 20 days apart: %+v", res)
			}
		}
		// A report arriving late that closes a 30-day window counts as well.
		if res := bounce(spread, preferences.BounceSoft, t0.Add(30*day), ""); !res.Suppressed {
			t.Fatalf("a late soft bounce between two others: %+v", res)
		}
	})
	t.Run("Lift", func(t *testing.T) {
		email := "lift@example.cn"
		before := clock.Now().Add(-2 * time.Hour)
		bounce(email, preferences.BounceHard, before, "")
		if _, err := s.LiftSuppression(ctx, Manager, "LIFT@example.cn"); err != nil {
			t.Fatal(err)
		}
		if sup := stopped(email); sup != nil {
			t.Fatalf("lifted, still %+v", sup)
		}
		_, err := s.LiftSuppression(ctx, Manager, email)
		WantCode(t, err, preferences.ENOTFOUND, "")
		_, err = s.LiftSuppression(ctx, Manager, "not an address")
		WantCode(t, err, preferences.EINVALID, "email")
		// A bounce from before the lift does not stop letters again; a new one does.
		if res := bounce(email, preferences.BounceComplaint, before.Add(time.Minute), ""); res.Suppressed {
			t.Fatalf("a bounce dated before the lift: %+v", res)
		}
		clock.Advance(time.Minute)
		if res := bounce(email, preferences.BounceHard, clock.Now(), ""); !res.Suppressed {
			t.Fatalf("a bounce after the lift: %+v", res)
		}
	})
	t.Run("Invalid", func(t *testing.T) {
		now := clock.Now()
		for _, c := range []struct {
			b     preferences.Bounce
			field string
		}{
			{preferences.Bounce{Email: "", Kind: "hard", At: now}, "email"},
			{preferences.Bounce{Email: "a@b.cn", Kind: "bounced", At: now}, "kind"},
			{preferences.Bounce{Email: "a@b.cn", Kind: "hard"}, "at"},
			{preferences.Bounce{Email: "a@b.cn", Kind: "hard", At: now.Add(48 * time.Hour)}, "at"},
			{preferences.Bounce{Email: "a@b.cn", Kind: "hard", At: now, Diagnostic: strings.Repeat("x", 4001)}, "diagnostic"},
		} {
			c.b.Source = preferences.BounceFromImport
			_, err := s.RecordBounce(ctx, c.b)
			WantCode(t, err, preferences.EINVALID, c.field)
		}
	})
	t.Run("LettersSuppressed", func(t *testing.T) {
		o := outreachOf(t, s)
		// Stopped before queueing: the letter is recorded suppressed, never due.
		g := Contactable(t, s, "Ding", "ding.bounce@example.cn", "1975-03-16")
		bounce(g.Email, preferences.BounceHard, clock.Now(), "")
		created := o.queue(Letter(g, preferences.OutreachBirthday, "2026"))
		if len(created) != 1 || created[0].Status != preferences.OutboxSuppressed || !strings.Contains(created[0].LastError, "bounced (hard)") {
			t.Fatalf("queued to a stopped address: %+v", created)
		}
		due, err := s.DueOutreach(ctx, clock.Now().Add(time.Hour), 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range due {
			if m.ID == created[0].ID {
				t.Fatal("a suppressed letter is due")
			}
		}
		ex := o.explain(preferences.OutreachBirthday, g.ID, "2026-03-16")
		if ex.Eligible || !slices.ContainsFunc(ex.Reasons, func(r string) bool { return strings.Contains(r, "letters stopped") }) {
			t.Fatalf("explanation: %+v", ex)
		}
		// Stopped after queueing: the sender's claim suppresses it instead.
		h := Contactable(t, s, "Qian", "qian.bounce@example.cn", "")
		m := o.queue(Letter(h, preferences.OutreachBirthday, "2026"))[0]
		bounce(h.Email, preferences.BounceComplaint, clock.Now(), "")
		if ok, err := s.ClaimOutreach(ctx, m.ID, "sender", clock.Now(), Lease); ok || err != nil {
			t.Fatalf("claimed a letter to a stopped address: %v %v", ok, err)
		}
		if got, err := s.OutreachMessage(ctx, m.ID); err != nil || got.Status != preferences.OutboxSuppressed {
			t.Fatalf("after the claim: %+v (%v)", got, err)
		}
		list, err := s.OutreachMessages(ctx, Manager, preferences.OutboxSuppressed, 10)
		if err != nil || len(list) != 2 {
			t.Fatalf("suppressed letters: %d (%v), want 2", len(list), err)
		}
	})
	t.Run("CardAndProfile", func(t *testing.T) {
		g := Contactable(t, s, "Sun", "sun.bounce@example.cn", "")
		card, err := s.Recognition(ctx, Desk, g.ID)
		if err != nil || card.MailSuppressed != nil {
			t.Fatalf("card before a bounce: %+v (%v)", card.MailSuppressed, err)
		}
		at := clock.Now().Add(-time.Minute)
		bounce(g.Email, preferences.BounceHard, at, "")
		card, err = s.Recognition(ctx, Desk, g.ID)
		if err != nil || card.MailSuppressed == nil || card.MailSuppressed.Kind != preferences.BounceHard || !card.MailSuppressed.Since.Equal(at) {
			t.Fatalf("card after a hard bounce: %+v (%v)", card.MailSuppressed, err)
		}
		p, err := s.GuestProfile(ctx, Desk, g.ID)
		if err != nil || p.MailSuppressed == nil || p.MailSuppressed.Kind != preferences.BounceHard {
			t.Fatalf("profile after a hard bounce: %+v (%v)", p.MailSuppressed, err)
		}
	})
	t.Run("DiagnosticKeepsNoAddress", func(t *testing.T) {
		d := preferences.CleanDiagnostic("550 5.1.1 <hard@example.cn>: Recipient address\r\nrejected: hard@example.cn " + strings.Repeat("x", 400))
		if strings.Contains(d, "@") || strings.ContainsAny(d, "\r\n") || len([]rune(d)) > preferences.KeptBounceDiagnostic {
			t.Fatalf("diagnostic kept: %q", d)
		}
	})
}
