package scheduler_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"regulars/internal/smtpsink"
	"regulars/preferences"
	"regulars/scheduler"
)

// The server refuses (451) twice, then accepts: the message is retried after the backoff
// and delivered once.
func TestRefusedThenAcceptedIsRetriedAndSentOnce(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 9, 0, 30, 0, shanghai))
	e.guest(guestSpec{family: "丁", email: "ding@example.cn", birthday: "1975-05-12"})
	e.sink.RefuseNext(2)
	ctx := context.Background()
	if r := e.run(preferences.OutreachBirthday, "2026-05-12", false); len(r) != 1 || r[0].Status != preferences.OutboxQueued {
		t.Fatalf("first run = %+v, want queued for a retry", r)
	}
	m := e.messages(preferences.OutboxQueued)[0]
	if m.Attempts != 1 || !strings.Contains(m.LastError, "451") || m.NextAttemptAt == nil || !m.NextAttemptAt.Equal(e.clock.Now().Add(time.Minute)) {
		t.Fatalf("after a refusal: %+v", m)
	}
	// Not due yet: nothing is tried.
	if err := e.s.Tick(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if m := e.messages(preferences.OutboxQueued)[0]; m.Attempts != 1 {
		t.Fatalf("retried before it was due: %+v", m)
	}
	e.clock.Advance(time.Minute)
	e.s.Tick(ctx, e.clock.Now()) // refused again: backoff doubles
	m = e.messages(preferences.OutboxQueued)[0]
	if m.Attempts != 2 || !m.NextAttemptAt.Equal(e.clock.Now().Add(2*time.Minute)) {
		t.Fatalf("after the second refusal: %+v", m)
	}
	e.clock.Advance(2 * time.Minute)
	e.s.Tick(ctx, e.clock.Now())
	e.wantReceived(map[string]int{"ding@example.cn": 1})
	sent := e.messages(preferences.OutboxSent)
	if len(sent) != 1 || sent[0].Attempts != 3 || sent[0].SentAt == nil {
		t.Fatalf("sent = %+v", sent)
	}
	e.clock.Advance(time.Hour)
	e.s.Tick(ctx, e.clock.Now())
	e.wantReceived(map[string]int{"ding@example.cn": 1})
}

// No server listening (connection refused) → retried with backoff; it comes up and the
// message goes out; with the server never there it fails after MaxAttempts.
func TestConnectionRefusedRetriedThenFailed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	e := newEnv(t, time.Date(2026, 5, 12, 9, 0, 30, 0, shanghai), func(c *scheduler.Config) { c.MaxAttempts = 3 })
	e.s = e.newScheduler(e.db, e.mailer(addr))
	e.guest(guestSpec{family: "丁", email: "ding@example.cn", birthday: "1975-05-12"})
	e.guest(guestSpec{family: "王", email: "wang@example.cn", birthday: "1975-05-12"})
	ctx := context.Background()
	e.s.Tick(ctx, e.clock.Now())
	q := e.messages(preferences.OutboxQueued)
	if len(q) != 2 || q[0].Attempts != 1 || !strings.Contains(q[0].LastError, "refused") {
		t.Fatalf("after a refused connection: %+v", q)
	}
	sink := smtpsink.StartAt(t, addr)
	e.clock.Advance(time.Minute)
	e.s.Tick(ctx, e.clock.Now())
	if n := sink.Count(); n != 2 {
		t.Fatalf("sink got %d messages once up, want 2", n)
	}
	if n := sink.Sessions(); n < 1 || n > 2 { // one a connection, each used for what it takes
		t.Fatalf("%d SMTP connections for a batch of 2, want 1 or 2", n)
	}
	sink.Close()

	// A third guest whose server never comes back: 3 attempts, then failed with the error.
	e.guest(guestSpec{family: "李", email: "li@example.cn", birthday: "1975-05-12"})
	for i := 0; i < 4; i++ {
		e.s.Tick(ctx, e.clock.Now())
		e.clock.Advance(10 * time.Minute)
	}
	f := e.messages(preferences.OutboxFailed)
	if len(f) != 1 || f[0].Email != "li@example.cn" || f[0].Attempts != 3 || !strings.Contains(f[0].LastError, "gave up after 3 attempts") {
		t.Fatalf("failed = %+v", f)
	}
}

// Two schedulers, each on a store of its own over one database (two processes on one
// SQLite file, or two instances of the service on one PostgreSQL), on one clock and one
// mail server: each guest gets one greeting, and every letter is recorded sent.
func TestTwoSchedulersSendOnce(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 8, 59, 30, 0, shanghai))
	const total = 24
	for i := range total {
		e.guest(guestSpec{family: fmt.Sprintf("客%d", i), email: fmt.Sprintf("g%d@example.cn", i), birthday: "1980-05-12"})
	}
	other := e.newScheduler(e.open(), e.mailer(e.sink.Addr))
	e.start(e.s)
	e.start(other)
	e.advance(time.Minute, 2)
	e.advance(time.Minute, 2)
	got := e.received()
	if len(got) != total {
		t.Fatalf("received %v, want %d guests", got, total)
	}
	for to, n := range got {
		if n != 1 {
			t.Fatalf("%s got %d greetings", to, n)
		}
	}
	if sent, all := e.messages(preferences.OutboxSent), e.messages(""); len(sent) != total || len(all) != total {
		t.Fatalf("%d letters sent of %d, want %d", len(sent), len(all), total)
	}
}

// Instances claiming from one outbox at once, over two stores on one database, claim
// each due letter exactly once: the claim is what keeps a letter from going twice.
func TestTwoStoresClaimEachLetterOnce(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 9, 0, 30, 0, shanghai))
	const total, claimers = 30, 4
	var msgs []preferences.OutreachMessage
	for i := range total {
		id := e.guest(guestSpec{family: fmt.Sprintf("客%d", i), email: fmt.Sprintf("c%d@example.cn", i), birthday: "1980-05-12"})
		msgs = append(msgs, preferences.OutreachMessage{ID: preferences.NewID("ob"), GuestID: id, Kind: preferences.OutreachBirthday,
			Period: "2026", Email: fmt.Sprintf("c%d@example.cn", i), Language: "zh", Subject: "s", Text: "t", HTML: "h",
			MessageID: fmt.Sprintf("c%d@river.example", i)})
	}
	ctx := context.Background()
	if created, err := e.db.QueueOutreach(ctx, msgs); err != nil || len(created) != total {
		t.Fatalf("queued %d of %d: %v", len(created), total, err)
	}
	now := e.clock.Now()
	due, err := e.db.DueOutreach(ctx, now, 100)
	if err != nil || len(due) != total {
		t.Fatalf("%d due of %d: %v", len(due), total, err)
	}
	stores := []scheduler.Store{e.db, e.open()}
	won := make([]int, claimers) // letters each claimer won
	for _, m := range due {
		// All claimers go for the letter at once.
		var wg sync.WaitGroup
		var mu sync.Mutex
		winners := 0
		start := make(chan struct{})
		for c := range claimers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				ok, err := stores[c%2].ClaimOutreach(ctx, m.ID, fmt.Sprintf("instance-%d", c), now, time.Minute)
				if err != nil {
					t.Errorf("claimer %d, %s: %v", c, m.ID, err)
				}
				if ok {
					mu.Lock()
					winners++
					won[c]++
					mu.Unlock()
				}
			}()
		}
		close(start)
		wg.Wait()
		if winners != 1 {
			t.Errorf("%s claimed %d times, want once", m.ID, winners)
		}
	}
	if n := len(e.messages(preferences.OutboxSending)); n != total {
		t.Fatalf("%d sending after the claims, want %d", n, total)
	}
	t.Logf("letters won per claimer: %v", won)
}

// A lapse letter goes out at REGULARS_LAPSE_AT hotel time, not before, once.
func TestLapseAtTenHotelTime(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 9, 58, 30, 0, shanghai))
	id := e.guest(guestSpec{family: "Lovelace", email: "ada@example.com", zone: "America/New_York", lang: "en"})
	mustPastStay(t, e, id, time.Date(2024, 5, 10, 11, 0, 0, 0, shanghai))
	e.start(e.s)
	e.advance(time.Minute, 1)
	e.wantReceived(map[string]int{})
	e.advance(time.Minute, 1)
	e.wantReceived(map[string]int{"ada@example.com": 1})
	e.advance(time.Hour, 1)
	e.advanceTo(time.Date(2026, 5, 13, 10, 0, 30, 0, shanghai))
	e.wantReceived(map[string]int{"ada@example.com": 1})
}

// Credentials in REGULARS_SMTP_URL authenticate; wrong ones leave the message queued with
// the server's answer, and no mail gets through.
func TestSMTPAuthFromURL(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 9, 0, 30, 0, shanghai))
	e.sink.RequireAuth("hotel", "s3cret:pw")
	e.guest(guestSpec{family: "丁", email: "ding@example.cn", birthday: "1975-05-12"})
	bad, err := scheduler.NewMailer("smtp://hotel:wrong@"+e.sink.Addr+"?tls=none", "")
	if err != nil {
		t.Fatal(err)
	}
	e.s = e.newScheduler(e.db, bad)
	if r := e.run(preferences.OutreachBirthday, "2026-05-12", false); len(r) != 1 || r[0].Status != preferences.OutboxQueued || e.sink.Count() != 0 {
		t.Fatalf("with a wrong password: %+v, sink %d", r, e.sink.Count())
	}
	if m := e.messages(preferences.OutboxQueued); len(m) != 1 || strings.Contains(m[0].LastError, "wrong") {
		t.Fatalf("queued = %+v (the error must not carry the password)", m)
	}
	good, err := scheduler.NewMailer("smtp://hotel:s3cret%3Apw@"+e.sink.Addr+"?tls=none", "")
	if err != nil {
		t.Fatal(err)
	}
	e.s = e.newScheduler(e.db, good)
	e.clock.Advance(time.Minute)
	if err := e.s.Tick(context.Background(), e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.wantReceived(map[string]int{"ding@example.cn": 1})
}

// The mail URL is checked when the service starts.
func TestMailerURL(t *testing.T) {
	for _, bad := range []string{"http://mail.example", "smtp://", "smtp://mail.example:99999", "smtp://mail.example?tls=maybe"} {
		if _, err := scheduler.NewMailer(bad, ""); err == nil || !strings.Contains(err.Error(), "REGULARS_SMTP_URL") {
			t.Errorf("%s: %v", bad, err)
		}
	}
	for _, good := range []string{"smtp://mail.example", "smtp://u:p@mail.example:587?tls=starttls", "smtp://mail.example?tls=tls", "smtp://127.0.0.1:1025?tls=none"} {
		if _, err := scheduler.NewMailer(good, ""); err != nil {
			t.Errorf("%s: %v", good, err)
		}
	}
}

// Forty greetings at no rate limit go out over several connections, at most
// Connections, each guest's once; a refusal on one connection (the first message) leaves
// that message queued for a retry and does not stop the others.
func TestParallelConnectionsSendEachOnce(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 9, 0, 30, 0, shanghai), func(c *scheduler.Config) { c.Connections = 3 })
	want := map[string]int{}
	for i := range 40 {
		addr := fmt.Sprintf("p%d@example.cn", i)
		e.guest(guestSpec{family: fmt.Sprintf("客%d", i), email: addr, birthday: "1980-05-12"})
		want[addr] = 1
	}
	e.sink.RefuseNext(1)
	e.run(preferences.OutreachBirthday, "2026-05-12", false)
	if n := e.sink.Sessions(); n < 3 || n > 4 {
		t.Fatalf("%d SMTP connections, want 3 at once and at most one reopened after the refusal", n)
	}
	q := e.messages(preferences.OutboxQueued)
	if len(q) != 1 || q[0].Attempts != 1 || !strings.Contains(q[0].LastError, "451") {
		t.Fatalf("queued after the refusal: %+v", q)
	}
	if n := len(e.messages(preferences.OutboxSent)); n != 39 {
		t.Fatalf("%d sent, want 39", n)
	}
	e.clock.Advance(time.Minute)
	if err := e.s.Tick(context.Background(), e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.wantReceived(want)
}

// The rate limit holds over all connections: while the first connection waits for the
// server's answer (held), the other messages go out over others, still at most
// RatePerSecond a second.
func TestRateLimitOverConnections(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 9, 0, 30, 0, shanghai), func(c *scheduler.Config) { c.RatePerSecond = 20 })
	want := map[string]int{}
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		e.guest(guestSpec{family: n, email: n + "@example.com", birthday: "1975-05-12"})
		want[n+"@example.com"] = 1
	}
	e.sink.HoldReply(1)
	ran := e.runAside(preferences.OutreachBirthday, "2026-05-12")
	within(t, e.sink.Held(), "the first message held")
	// Five more messages at 20 a second: five gaps of 50 ms by the fake clock.
	e.pace(50*time.Millisecond, 250*time.Millisecond)
	e.waitUntil("6 messages received while the first is held", func() bool { return e.sink.Count() == 6 })
	e.sink.Release()
	e.ended(ran)
	if n := e.sink.Sessions(); n < 2 || n > 4 {
		t.Fatalf("%d SMTP connections, want the held one and at least one other", n)
	}
	got := e.received()
	for to, n := range want {
		if got[to] != n {
			t.Fatalf("%s received %d times", to, got[to])
		}
	}
}

// Each attempt's outcome is reported with the letter's kind (a refusal is a retry), and
// each part of a scheduled run that succeeded is reported when it ends; the lapse part
// only once its hour has come.
func TestReportsOutcomesAndJobs(t *testing.T) {
	var letters []string
	jobs := map[string]time.Time{}
	e := newEnv(t, time.Date(2026, 5, 12, 9, 0, 30, 0, shanghai), func(c *scheduler.Config) {
		c.OnLetter = func(kind preferences.OutreachKind, result string) { letters = append(letters, string(kind)+" "+result) }
		c.OnJobDone = func(job string, at time.Time) { jobs[job] = at }
	})
	e.guest(guestSpec{family: "丁", email: "ding@example.cn", birthday: "1975-05-12"})
	e.sink.RefuseNext(1)
	ctx := context.Background()
	first := e.clock.Now()
	if err := e.s.Tick(ctx, first); err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{scheduler.JobBirthday: first, scheduler.JobDeliver: first}
	if fmt.Sprint(letters) != "[birthday retry]" || fmt.Sprint(jobs) != fmt.Sprint(want) {
		t.Fatalf("after a refusal: letters %v, jobs %v", letters, jobs)
	}
	e.clock.Advance(time.Hour)
	if err := e.s.Tick(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	want = map[string]time.Time{scheduler.JobBirthday: now, scheduler.JobLapse: now, scheduler.JobDeliver: now}
	if fmt.Sprint(letters) != "[birthday retry birthday sent]" || fmt.Sprint(jobs) != fmt.Sprint(want) {
		t.Fatalf("after the retry at 10:00: letters %v, jobs %v", letters, jobs)
	}
}
