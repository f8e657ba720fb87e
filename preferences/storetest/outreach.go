package storetest

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
)

// Rules are the outreach settings the suite runs with: the service's defaults.
var Rules = preferences.OutreachRules{LapseAfter: 730, LapseWindow: 7, BirthdayGrace: 2}

// testOutreach covers who gets a birthday or lapse letter on a day, and why not, and
// the outbox of letters.
func testOutreach(t *testing.T, open Opener) {
	t.Run("Eligibility", func(t *testing.T) { testOutreachEligibility(t, open) })
	t.Run("Lapse", func(t *testing.T) { testOutreachLapse(t, open) })
	t.Run("Outbox", func(t *testing.T) { testOutbox(t, open) })
	t.Run("OutboxCounts", func(t *testing.T) { testOutboxCounts(t, open) })
	t.Run("Group", func(t *testing.T) { testOutreachGroup(t, open) })
}

func testOutreachEligibility(t *testing.T, open Opener) {
	ctx := context.Background()
	s, repo, _ := ServiceRepo(t, open)
	o := outreachOf(t, s)
	birthday := preferences.OutreachBirthday
	PutRooms(t, s, preferences.Room{Number: "1208", Floor: 12, Bed: "king"})

	t.Run("BirthdayToday", func(t *testing.T) {
		g := Contactable(t, s, "Ding", "ding@example.cn", "1990-03-16")
		o.wantPeriod(birthday, "2026-03-16", g.ID, "2026")
		if ex := o.explain(birthday, g.ID, "2026-03-16"); !ex.Eligible || ex.Period != "2026" || ex.Note != "" || len(ex.Reasons) != 0 {
			t.Fatalf("explained %+v", ex)
		}
		o.wantPeriod(birthday, "2026-03-20", g.ID, "")
	})
	t.Run("WithinGrace", func(t *testing.T) {
		late := Contactable(t, s, "Qian", "qian@example.cn", "1985-04-08")
		tooLate := Contactable(t, s, "Sun", "sun@example.cn", "1985-04-07")
		o.wantPeriod(birthday, "2026-04-10", late.ID, "2026")
		o.wantPeriod(birthday, "2026-04-10", tooLate.ID, "")
		ex := o.explain(birthday, late.ID, "2026-04-10")
		if !ex.Eligible || !strings.Contains(ex.Note, "birthday 2 days ago (2026-04-08), within the 2-day grace") {
			t.Fatalf("late greeting explained %+v", ex)
		}
		o.wantReason(birthday, tooLate.ID, "2026-04-10", "birthday 3 days ago (2026-04-07), past the 2-day grace")
	})
	t.Run("LeapDayBirthday", func(t *testing.T) {
		g := Contactable(t, s, "Zhou", "zhou@example.cn", "2000-02-29")
		// 2027 has no 29 February: the birthday falls on the 28th.
		o.wantPeriod(birthday, "2027-02-28", g.ID, "2027")
		// 2028 has one: not on the 28th (a year late by then), on the 29th.
		o.wantReason(birthday, g.ID, "2028-02-28", "past the 2-day grace")
		o.wantPeriod(birthday, "2028-02-29", g.ID, "2028")
	})
	t.Run("NotContactable", func(t *testing.T) {
		in := Named("Wang", "Fang")
		in.Birthday, in.Email = Ptr("1970-05-01"), Ptr("wang@example.cn")
		noConsent := NewGuest(t, s, in)
		withdrawn := Contactable(t, s, "Li", "li@example.cn", "1970-05-01")
		unsubscribed := Contactable(t, s, "Zhao", "zhao@example.cn", "1970-05-01")
		in = Named("Chen", "Jie")
		in.Birthday, in.MarketingConsent = Ptr("1970-05-01"), Ptr(true)
		noEmail := NewGuest(t, s, in)
		decide(t, repo, withdrawn.ID, false, preferences.ChannelDesk)
		decide(t, repo, unsubscribed.ID, false, preferences.ChannelEmailLink)
		o.wantPicks(birthday, "2026-05-01", map[string]string{}) // none of them
		o.wantReason(birthday, noConsent.ID, "2026-05-01", "no marketing consent")
		o.wantReason(birthday, withdrawn.ID, "2026-05-01", "marketing consent withdrawn")
		o.wantReason(birthday, unsubscribed.ID, "2026-05-01", "unsubscribed")
		o.wantReason(birthday, noEmail.ID, "2026-05-01", "no email address")
	})
	t.Run("Erased", func(t *testing.T) {
		g := Contactable(t, s, "Ma", "ma@example.cn", "1980-06-01")
		if err := s.EraseGuest(ctx, Manager, g.ID); err != nil {
			t.Fatal(err)
		}
		o.wantPeriod(birthday, "2026-06-01", g.ID, "")
		if ex := o.explain(birthday, g.ID, "2026-06-01"); ex.Eligible || !slices.Equal(ex.Reasons, []string{"erased"}) {
			t.Fatalf("erased guest explained %+v", ex)
		}
	})
	t.Run("AlreadyWrittenThisPeriod", func(t *testing.T) {
		g := Contactable(t, s, "Hu", "hu@example.cn", "1975-07-01")
		o.queue(Letter(g, birthday, "2026"))
		o.wantPeriod(birthday, "2026-07-01", g.ID, "")
		o.wantReason(birthday, g.ID, "2026-07-01", "already greeted for 2026: message queued")
		o.wantPeriod(birthday, "2027-07-01", g.ID, "2027")
	})
	t.Run("SharedAddress", func(t *testing.T) {
		a := Contactable(t, s, "Guo", "guo@example.cn", "1966-08-01")
		b := Contactable(t, s, "Guo", " GUO@Example.cn", "1966-08-01")
		first, second := a, b
		if b.ID < a.ID {
			first, second = b, a
		}
		// Neither has stayed: the lowest ID gets the one letter.
		o.wantPicks(birthday, "2026-08-01", map[string]string{first.ID: "2026"})
		o.wantReason(birthday, second.ID, "2026-08-01", "another guest with this address ("+first.ID+") gets this letter")
		// The one stayed in last gets it.
		stayed(t, s, second.ID, "1208", Start.AddDate(0, -1, 0))
		o.wantPicks(birthday, "2026-08-01", map[string]string{second.ID: "2026"})
		o.queue(Letter(second, birthday, "2026"))
		o.wantReason(birthday, first.ID, "2026-08-01", "another guest with this address ("+second.ID+") already has this letter")
	})
	t.Run("ArrivingSoon", func(t *testing.T) {
		g := Contactable(t, s, "Lin", "lin@example.cn", "")
		stayed(t, s, g.ID, "1208", Start.AddDate(-2, 0, -3))
		if _, err := s.CreateArrival(ctx, Desk, preferences.Arrival{GuestID: g.ID, ArrivalDate: "2026-03-20", Nights: 2}); err != nil {
			t.Fatal(err)
		}
		o.wantReason(preferences.OutreachLapse, g.ID, "2026-03-16", "arrival expected on 2026-03-20")
	})
	t.Run("BadInput", func(t *testing.T) {
		_, err := s.OutreachEligible(ctx, "anniversary", "2026-03-16", Rules)
		WantCode(t, err, preferences.EINVALID, "kind")
		_, err = s.OutreachEligible(ctx, birthday, "2026-02-30", Rules)
		WantCode(t, err, preferences.EINVALID, "date")
		_, err = s.OutreachEligible(ctx, birthday, "2028-03-17", Rules) // more than two years ahead
		WantCode(t, err, preferences.EINVALID, "date")
		_, err = s.ExplainOutreach(ctx, Manager, birthday, "g_unknown", "2026-03-16", Rules)
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
	t.Run("ExplanationAudited", func(t *testing.T) {
		g := Contactable(t, s, "Luo", "luo@example.cn", "1991-09-09")
		o.explain(birthday, g.ID, "2026-03-16")
		if err := s.FlushAudit(ctx); err != nil {
			t.Fatal(err)
		}
		if !audited(t, repo, g.ID, preferences.ActionOutreachRead, Manager) {
			t.Fatal("the explanation was not audited as outreach.read by the manager")
		}
	})
}

// testOutreachLapse covers the lapse window's edges: after LapseAfter days, for
// LapseWindow days.
func testOutreachLapse(t *testing.T, open Opener) {
	s, repo, _ := ServiceRepo(t, open)
	o := outreachOf(t, s)
	lapse := preferences.OutreachLapse
	PutRooms(t, s, preferences.Room{Number: "1501", Floor: 15, Bed: "king"}, preferences.Room{Number: "1502", Floor: 15, Bed: "twin"})
	day := "2026-03-16"
	d, _ := time.ParseInLocation(preferences.DateLayout, day, Shanghai)
	to := d.AddDate(0, 0, -730)  // 2024-03-16 00:00 in Shanghai: not lapsed yet
	from := to.AddDate(0, 0, -7) // 2024-03-09 00:00: the window's first instant
	justLapsed := Contactable(t, s, "Ding", "ding@example.cn", "")
	stayed(t, s, justLapsed.ID, "1501", to.Add(-time.Second))
	notYet := Contactable(t, s, "Qian", "qian@example.cn", "")
	stayed(t, s, notYet.ID, "1501", to)
	windowStart := Contactable(t, s, "Sun", "sun@example.cn", "")
	stayed(t, s, windowStart.ID, "1501", from)
	beforeWindow := Contactable(t, s, "Zhou", "zhou@example.cn", "")
	stayed(t, s, beforeWindow.ID, "1501", from.Add(-time.Second))
	cameBack := Contactable(t, s, "Wu", "wu@example.cn", "")
	stayed(t, s, cameBack.ID, "1501", to.Add(-time.Hour))
	stayed(t, s, cameBack.ID, "1502", Start.AddDate(0, -1, 0))
	inHouse := Contactable(t, s, "Zheng", "zheng@example.cn", "")
	stayed(t, s, inHouse.ID, "1502", to.Add(-2*time.Hour))
	checkedIn(t, repo, inHouse.ID, "1502")
	twice := Contactable(t, s, "Feng", "feng@example.cn", "") // two stays ending at once
	stayed(t, s, twice.ID, "1501", from.Add(time.Hour))
	stayed(t, s, twice.ID, "1502", from.Add(time.Hour))

	o.wantPicks(lapse, day, map[string]string{justLapsed.ID: "2024-03-15", windowStart.ID: "2024-03-09", twice.ID: "2024-03-09"})
	// The selection: each guest once, by last check-out.
	cands, err := s.LapseCandidates(context.Background(), from, to, day)
	var order []string
	for _, c := range cands {
		order = append(order, c.Guest.ID)
	}
	if want := []string{windowStart.ID, twice.ID, inHouse.ID, justLapsed.ID}; err != nil || !slices.Equal(order, want) {
		t.Fatalf("lapse selection %v (%v), want %v", order, err, want)
	}
	o.wantReason(lapse, notYet.ID, day, "last check-out on 2024-03-16 is not more than 730 days before 2026-03-16")
	o.wantReason(lapse, beforeWindow.ID, day, "lapsed more than 7 days before 2026-03-16 (last check-out 2024-03-08)")
	o.wantReason(lapse, cameBack.ID, day, "is not more than 730 days before")
	o.wantReason(lapse, inHouse.ID, day, "in house")
	o.queue(Letter(justLapsed, lapse, "2024-03-15"))
	o.wantReason(lapse, justLapsed.ID, day, "already written to for this lapse (last check-out 2024-03-15): message queued")
	o.wantPicks(lapse, day, map[string]string{windowStart.ID: "2024-03-09", twice.ID: "2024-03-09"})
	never := Contactable(t, s, "Han", "han@example.cn", "")
	o.wantReason(lapse, never.ID, day, "no past stay")
}

// outreach runs the outreach use cases of one service for t.
type outreach struct {
	t *testing.T
	s *preferences.Service
}

func outreachOf(t *testing.T, s *preferences.Service) outreach { return outreach{t, s} }

// picks maps the guests eligible for kind on day to their letter's period.
func (o outreach) picks(kind preferences.OutreachKind, day string) map[string]string {
	o.t.Helper()
	picks, err := o.s.OutreachEligible(context.Background(), kind, day, Rules)
	if err != nil {
		o.t.Fatalf("eligible for %s on %s: %v", kind, day, err)
	}
	out := map[string]string{}
	for _, p := range picks {
		out[p.Candidate.Guest.ID] = p.Period
	}
	return out
}

func (o outreach) explain(kind preferences.OutreachKind, guestID, day string) preferences.OutreachExplanation {
	o.t.Helper()
	ex, err := o.s.ExplainOutreach(context.Background(), Manager, kind, guestID, day, Rules)
	if err != nil {
		o.t.Fatalf("explain %s for %s on %s: %v", kind, guestID, day, err)
	}
	return ex
}

// wantPeriod fails unless the guest gets the letter of kind on day for period ("": does
// not get it).
func (o outreach) wantPeriod(kind preferences.OutreachKind, day, guestID, period string) {
	o.t.Helper()
	if p := o.picks(kind, day); p[guestID] != period {
		o.t.Fatalf("%s on %s: picks %v, want %s for %q", kind, day, p, guestID, period)
	}
}

// wantPicks fails unless exactly the guests of want get the letter of kind on day, for
// the periods in want.
func (o outreach) wantPicks(kind preferences.OutreachKind, day string, want map[string]string) {
	o.t.Helper()
	if p := o.picks(kind, day); !maps.Equal(p, want) {
		o.t.Fatalf("%s on %s: picks %v, want %v", kind, day, p, want)
	}
}

// wantReason fails unless the guest is not eligible and a reason contains want.
func (o outreach) wantReason(kind preferences.OutreachKind, guestID, day, want string) {
	o.t.Helper()
	ex := o.explain(kind, guestID, day)
	if ex.Eligible || !slices.ContainsFunc(ex.Reasons, func(r string) bool { return strings.Contains(r, want) }) {
		o.t.Fatalf("%s on %s for %s: %+v, want a reason with %q", kind, day, guestID, ex, want)
	}
}

// queue queues messages and returns those created.
func (o outreach) queue(msgs ...preferences.OutreachMessage) []preferences.OutreachMessage {
	o.t.Helper()
	created, err := o.s.QueueOutreach(context.Background(), msgs)
	if err != nil {
		o.t.Fatalf("queue: %v", err)
	}
	return created
}

// Contactable creates a guest who agreed to letters, with an email and a birthday
// ("" for none).
func Contactable(t *testing.T, s *preferences.Service, family, email, birthday string) preferences.Guest {
	t.Helper()
	in := Named(family, "")
	in.Email, in.MarketingConsent = Ptr(email), Ptr(true)
	if birthday != "" {
		in.Birthday = Ptr(birthday)
	}
	return NewGuest(t, s, in)
}

// Letter is a letter of kind for period to the guest, ready to queue.
func Letter(g preferences.Guest, kind preferences.OutreachKind, period string) preferences.OutreachMessage {
	id := preferences.NewID("ob")
	return preferences.OutreachMessage{ID: id, GuestID: g.ID, Kind: kind, Period: period, Email: g.Email,
		Language: g.Language, Subject: "s", Text: "t", HTML: "<p>h</p>", MessageID: id + "@hotel.example"}
}

// decide records a consent decision of the guest.
func decide(t *testing.T, repo preferences.Repository, guestID string, granted bool, channel string) {
	t.Helper()
	e := preferences.ConsentEvent{Granted: granted, At: Start, Channel: channel, By: "test"}
	if err := repo.Write(context.Background(), func(tx preferences.Tx) error { return tx.AppendConsent(context.Background(), guestID, e) }); err != nil {
		t.Fatal(err)
	}
}

// stayed records a two-night stay of the guest that ended at out.
func stayed(t *testing.T, s *preferences.Service, guestID, room string, out time.Time) {
	t.Helper()
	err := s.RecordPastStay(context.Background(), preferences.PastStay{GuestID: guestID, Room: room, CheckIn: out.Add(-48 * time.Hour), CheckOut: out, Nights: 2})
	if err != nil {
		t.Fatal(err)
	}
}

// checkedIn puts the guest in house in room since an hour ago.
func checkedIn(t *testing.T, repo preferences.Repository, guestID, room string) {
	t.Helper()
	st := preferences.Stay{ID: preferences.NewID("s"), GuestID: guestID, PropertyID: preferences.MainPropertyID, Room: room, CheckIn: Start.Add(-time.Hour), PlannedNights: 1}
	if err := repo.Write(context.Background(), func(tx preferences.Tx) error { return tx.InsertStay(context.Background(), st) }); err != nil {
		t.Fatal(err)
	}
}

// audited tells whether the guest's audit log has action by actor.
func audited(t *testing.T, repo preferences.Repository, guestID, action string, actor preferences.Actor) bool {
	t.Helper()
	var entries []preferences.AuditEntry
	err := repo.Read(context.Background(), func(tx preferences.Tx) (err error) {
		entries, err = tx.GuestAuditEntries(context.Background(), guestID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(entries, func(e preferences.AuditEntry) bool { return e.Action == action && e.Actor == actor.Name })
}
