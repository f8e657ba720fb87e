package scheduler_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"regulars/internal/app"
	"regulars/internal/testkit"
	"regulars/preferences"
	"regulars/scheduler"
)

// comingBirthday is tomorrow in the hotel (never 29 February) and a birthday on it.
// The service's minute job does not greet for tomorrow, so it does not race a test's run.
func comingBirthday(a *app.App) (day, birthday string) {
	d := time.Now().In(a.Config.Location).AddDate(0, 0, 1)
	if d.Format("01-02") == "02-29" {
		d = d.AddDate(0, 0, 1)
	}
	return d.Format(preferences.DateLayout), d.AddDate(-40, 0, 0).Format(preferences.DateLayout)
}

// within waits for ch, failing the test after a generous bound (a hang, not a slow run).
func within(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: not within 10 s", what)
	}
}

// shutdownWithin shuts s down, failing the test if that hangs.
func shutdownWithin(t *testing.T, s *scheduler.Scheduler, what string) {
	t.Helper()
	stopped := make(chan struct{})
	go func() {
		if err := s.Shutdown(); err != nil {
			t.Error(err)
		}
		close(stopped)
	}()
	within(t, stopped, what)
}

// One person with two guest records (one email) gets one birthday letter: the record
// stayed in last writes it; the other is told why in explain; the outbox refuses a second
// letter to the address however it is spelt; erasing the first frees the address.
func TestTwoRecordsOneEmailGetOneLetter(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 10, 0, 0, 0, shanghai))
	const day = "2026-05-12"
	older := e.guest(guestSpec{family: "丁", email: "ding@example.cn", birthday: "1975-05-12"})
	newer := e.guest(guestSpec{family: "Ding", given: "Wei", email: "ding@example.cn", birthday: "1975-05-12", lang: "en"})
	other := e.guest(guestSpec{family: "Lovelace", email: "ada@example.com", birthday: "1985-05-12"})
	mustPastStay(t, e, newer, time.Date(2025, 10, 3, 4, 0, 0, 0, time.UTC))

	dry := e.run(preferences.OutreachBirthday, day, true)
	if len(dry) != 2 || dry[0].GuestID+dry[1].GuestID != newer+other && dry[0].GuestID+dry[1].GuestID != other+newer {
		t.Fatalf("dry run = %+v, want %s and %s", dry, newer, other)
	}
	if ex := e.explain(preferences.OutreachBirthday, older, day); ex.Eligible || !strings.Contains(joinReasons(ex), "another guest with this address ("+newer+") gets this letter") {
		t.Fatalf("explain of the other record before the run = %+v", ex)
	}
	e.run(preferences.OutreachBirthday, day, false)
	e.wantReceived(map[string]int{"ding@example.cn": 1, "ada@example.com": 1})
	for _, m := range e.messages("") {
		if m.Email == "ding@example.cn" && (m.GuestID != newer || !strings.Contains(m.Subject, "Happy birthday")) {
			t.Fatalf("the letter went as %s %q, want the English record %s", m.GuestID, m.Subject, newer)
		}
	}
	if ex := e.explain(preferences.OutreachBirthday, older, day); ex.Eligible || !strings.Contains(joinReasons(ex), "another guest with this address ("+newer+") already has this letter") {
		t.Fatalf("explain of the other record after the run = %+v", ex)
	}
	if r := e.run(preferences.OutreachBirthday, day, false); len(r) != 0 {
		t.Fatalf("a second run wrote %+v", r)
	}

	// The store itself refuses a second letter to the address, whatever its case and
	// spaces: two instances racing cannot both queue one.
	msg := preferences.OutreachMessage{ID: "ob_race", GuestID: older, Kind: preferences.OutreachBirthday, Period: "2026",
		Email: " Ding@Example.CN ", Language: "zh", Subject: "s", Text: "t", HTML: "h", MessageID: "ob_race@x"}
	if created, err := e.db.QueueOutreach(context.Background(), []preferences.OutreachMessage{msg}); err != nil || len(created) != 0 {
		t.Fatalf("a second letter to the address was queued: %+v %v", created, err)
	}

	// Erasure deletes the erased guest's letters: the address is free for the other record.
	if err := e.db.EraseGuest(context.Background(), preferences.Actor{Name: "m", Role: preferences.RoleManager}, newer); err != nil {
		t.Fatal(err)
	}
	if ex := e.explain(preferences.OutreachBirthday, older, day); !ex.Eligible {
		t.Fatalf("after erasing %s the other record is still refused: %+v", newer, ex)
	}
}

// Shutdown does not wait for a mail server that stalls before DATA: the send is cut off
// at once, its message is queued again, and the next start sends it, once.
func TestShutdownCutsOffAStalledSendBeforeData(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 8, 0, 0, 0, shanghai), func(c *scheduler.Config) { c.AfterTick = nil })
	e.guest(guestSpec{family: "丁", email: "ding@example.cn", birthday: "1975-05-12"})
	e.sink.StallMail()
	if err := e.s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	r, err := e.s.Queue(context.Background(), preferences.OutreachBirthday, "2026-05-12")
	if err != nil || len(r) != 1 || r[0].Status != preferences.OutboxQueued {
		t.Fatalf("queue = %+v, %v", r, err)
	}
	within(t, e.sink.Stalled(), "the sender reaching MAIL FROM")
	shutdownWithin(t, e.s, "Shutdown with the server stalled") // the stall is released only below
	q := e.messages(preferences.OutboxQueued)
	if len(q) != 1 || !strings.Contains(q[0].LastError, "stopped by a shutdown") || len(e.messages("")) != 1 {
		t.Fatalf("after shutdown: %+v", e.messages(""))
	}
	e.sink.Release()
	restarted := e.newScheduler(e.db, e.mailer(e.sink.Addr))
	if err := restarted.Deliver(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.wantReceived(map[string]int{"ding@example.cn": 1})
	if n := len(e.messages(preferences.OutboxSent)); n != 1 {
		t.Fatalf("%d sent after the restart: %+v", n, e.messages(""))
	}
}

// A real run through the API answers with the letters queued while the mail server
// stalls: nothing has been delivered when the answer arrives; the service's sender then
// sends all 8 once the server answers. Without "dry_run": false a run is dry.
func TestRunAnswersOnceQueued(t *testing.T) {
	a, sink := startApp(t)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	manager := testkit.Token(t, a, preferences.RoleManager)
	day, birthday := comingBirthday(a)
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		if _, err := a.Store.CreateGuest(context.Background(), desk, preferences.GuestFields{FamilyName: ptr(n),
			Email: ptr(n + "@example.com"), Birthday: ptr(birthday), MarketingConsent: yes}); err != nil {
			t.Fatal(err)
		}
	}
	var out struct {
		DryRun     bool                `json:"dry_run"`
		Recipients []map[string]string `json:"recipients"`
	}
	for _, body := range []any{nil, "", "{}", map[string]any{"date": day}, map[string]any{"date": day, "dry_run": true}} {
		res := testkit.Call(t, a, "POST", "/api/outreach/birthday/run", manager, body)
		if res.JSON(t, &out); res.Status != 200 || !out.DryRun {
			t.Fatalf("body %v: %d %s", body, res.Status, res.Body)
		}
	}
	if n, _ := a.Store.OutreachMessages(context.Background(), preferences.System, "", 100); len(n) != 0 {
		t.Fatalf("dry runs queued %d letters", len(n))
	}

	sink.StallMail()
	start := time.Now()
	res := testkit.Call(t, a, "POST", "/api/outreach/birthday/run", manager, map[string]any{"date": day, "dry_run": false})
	t.Logf("8 letters queued, answered in %s", time.Since(start))
	if res.JSON(t, &out); res.Status != 200 || out.DryRun || len(out.Recipients) != 8 {
		t.Fatalf("run = %d %s", res.Status, res.Body)
	}
	for _, r := range out.Recipients {
		if r["status"] != preferences.OutboxQueued {
			t.Fatalf("recipient %v is not queued", r)
		}
	}
	within(t, sink.Stalled(), "the sender reaching the server")
	if n := sink.Count(); n != 0 {
		t.Fatalf("%d letters were delivered before the answer", n)
	}
	sink.Release()
	deadline := time.Now().Add(10 * time.Second)
	for sent, _ := a.Store.OutreachMessages(context.Background(), preferences.System, preferences.OutboxSent, 100); len(sent) < 8; sent, _ = a.Store.OutreachMessages(context.Background(), preferences.System, preferences.OutboxSent, 100) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of 8 sent: %+v", len(sent), sent)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := sink.Count(); n != 8 {
		t.Fatalf("the sink received %d letters", n)
	}
}

// Dates further than two years from the hotel's today are refused, naming the field
// and the window: the run's date and explain's date.
func TestOutreachDateWindow(t *testing.T) {
	a, _ := startApp(t)
	manager := testkit.Token(t, a, preferences.RoleManager)
	g, err := a.Store.CreateGuest(context.Background(), desk, preferences.GuestFields{FamilyName: ptr("丁"), Email: ptr("ding@example.cn"), MarketingConsent: yes})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(a.Config.Location)
	edge := today.AddDate(2, 0, 0).Format(preferences.DateLayout)
	for _, d := range []string{"9999-12-31", "1899-01-01", today.AddDate(2, 0, 2).Format(preferences.DateLayout), today.AddDate(-2, 0, -2).Format(preferences.DateLayout)} {
		for _, res := range []testkit.Response{
			testkit.Call(t, a, "POST", "/api/outreach/birthday/run", manager, map[string]any{"date": d, "dry_run": false}),
			testkit.Call(t, a, "POST", "/api/outreach/lapse/run", manager, map[string]any{"date": d}),
			testkit.Call(t, a, "GET", "/api/outreach/lapse/explain/"+g.ID+"?date="+d, manager, nil),
		} {
			if body := string(res.Body); res.Status != 422 || !strings.Contains(body, `"field":"date"`) || !strings.Contains(body, "within 2 years of today") {
				t.Fatalf("date %s: %d %s", d, res.Status, body)
			}
		}
	}
	if res := testkit.Call(t, a, "GET", "/api/outreach/birthday/explain/"+g.ID+"?date="+edge, manager, nil); res.Status != 200 {
		t.Fatalf("two years ahead (%s): %d %s", edge, res.Status, res.Body)
	}
	if n, _ := a.Store.OutreachMessages(context.Background(), preferences.System, "", 10); len(n) != 0 {
		t.Fatalf("refused runs queued %+v", n)
	}
}
