package scheduler_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/internal/app"
	"regulars/internal/smtpsink"
	"regulars/internal/testkit"
	"regulars/preferences"
	"regulars/scheduler"
)

var (
	shanghai = mustZone("Asia/Shanghai")
	newYork  = mustZone("America/New_York")
	secret   = []byte("test-secret-0123456789abcdef")
	desk     = preferences.Actor{Name: "desk test", Role: preferences.RoleFrontDesk}
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// env is a scheduler on a real database of the tests' engine (an SQLite file or a
// PostgreSQL database), a fake clock and a real SMTP sink.
type env struct {
	t     *testing.T
	path  string // REGULARS_DB of the database
	db    *app.Store
	clock *clockwork.FakeClock
	sink  *smtpsink.Sink
	ticks chan time.Time
	s     *scheduler.Scheduler
	cfg   scheduler.Config
}

func newEnv(t *testing.T, start time.Time, tweak ...func(*scheduler.Config)) *env {
	t.Helper()
	e := &env{t: t, path: testkit.Database(t), clock: clockwork.NewFakeClockAt(start),
		sink: smtpsink.Start(t), ticks: make(chan time.Time, 1000)}
	e.db = e.open()
	e.cfg = baseConfig()
	e.cfg.Clock = e.clock
	e.cfg.AfterTick = func(now time.Time, err error) {
		if err != nil {
			t.Errorf("tick at %s: %v", now, err)
		}
		e.ticks <- now
	}
	for _, f := range tweak {
		f(&e.cfg)
	}
	e.s = e.newScheduler(e.db, e.mailer(e.sink.Addr))
	return e
}

// baseConfig is the scheduler configuration of the tests (no rate limit).
func baseConfig() scheduler.Config {
	return scheduler.Config{Location: shanghai, HotelName: "江景酒店 River Hotel", MailFrom: `"River Hotel" <hello@river.example>`,
		PublicURL: "https://river.example", Secret: secret, RatePerSecond: -1}
}

// open opens another store on the env's database, whose time is the fake clock's.
func (e *env) open() *app.Store {
	e.t.Helper()
	db, err := openStore(e.path, fakeTime{Clock: clockwork.NewRealClock(), fake: e.clock})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	return db
}

// fakeTime tells the fake clock's time with the real clock's timers: the use cases' own
// timer (the read audit's ticker) must not be a waiter of the fake clock, which the tests
// count to know that the scheduler waits for its pace or its next run.
type fakeTime struct {
	clockwork.Clock
	fake *clockwork.FakeClock
}

func (c fakeTime) Now() time.Time                  { return c.fake.Now() }
func (c fakeTime) Since(t time.Time) time.Duration { return c.fake.Since(t) }
func (c fakeTime) Until(t time.Time) time.Duration { return c.fake.Until(t) }

// openStore opens the store of the database REGULARS_DB names, with the tests' secret and
// hotel zone, on clock (the real one when nil).
func openStore(dbPath string, clock clockwork.Clock) (*app.Store, error) {
	cfg := app.FromEnv(func(string) string { return "" })
	cfg.DBPath, cfg.Secret, cfg.Location, cfg.StoreClock = dbPath, secret, shanghai, clock
	if err := cfg.Resolve(); err != nil {
		return nil, err
	}
	return app.OpenStore(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func (e *env) mailer(addr string) scheduler.Mailer {
	e.t.Helper()
	m, err := scheduler.NewMailer("smtp://"+addr+"?tls=none", "")
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

func (e *env) newScheduler(db scheduler.Store, m scheduler.Mailer) *scheduler.Scheduler {
	e.t.Helper()
	s, err := scheduler.New(e.cfg, db, m)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// start starts the gocron job and stops it when the test ends.
func (e *env) start(s *scheduler.Scheduler) {
	e.t.Helper()
	if err := s.Start(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { s.Shutdown() })
}

// advance waits until the job's timers are armed (waiters of them), moves the clock by d
// and waits for the run that fires.
func (e *env) advance(d time.Duration, waiters int) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.clock.BlockUntilContext(ctx, waiters); err != nil {
		e.t.Fatalf("the job's timer was not armed: %v", err)
	}
	e.clock.Advance(d)
	for i := 0; i < waiters; i++ {
		select {
		case <-e.ticks:
		case <-time.After(5 * time.Second):
			e.t.Fatalf("no run after advancing to %s", e.clock.Now())
		}
	}
	// The run has reported; let gocron see it finished (its singleton guard is released
	// just after the task returns), so the next advance is not skipped as an overlap.
	time.Sleep(25 * time.Millisecond)
}

// advanceTo steps the clock minute by minute runs until at (in few big jumps where
// nothing happens: each jump fires one run).
func (e *env) advanceTo(at time.Time) {
	e.t.Helper()
	for e.clock.Now().Before(at) {
		e.advance(at.Sub(e.clock.Now()), 1)
	}
}

// runAside runs the outreach of kind for day (not dry) on another goroutine.
func (e *env) runAside(kind preferences.OutreachKind, day string) <-chan error {
	ran := make(chan error, 1)
	go func() {
		_, err := e.s.Run(context.Background(), kind, day, false)
		ran <- err
	}()
	return ran
}

// ended waits for the run of runAside and fails the test on its error, or when it
// does not end (it waits for a pace the test does not give it).
func (e *env) ended(ran <-chan error) {
	e.t.Helper()
	select {
	case err := <-ran:
		if err != nil {
			e.t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		e.t.Fatal("the run did not end")
	}
}

// pace moves the clock in steps of a fifth of gap, each once the sender waits for its
// pace, until total has passed. A sender that stops waiting before (it sent faster)
// fails the test; the deadline only keeps it from hanging.
func (e *env) pace(gap, total time.Duration) {
	e.t.Helper()
	for passed := time.Duration(0); passed < total; passed += gap / 5 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := e.clock.BlockUntilContext(ctx, 1)
		cancel()
		if err != nil {
			e.t.Fatalf("the sender no longer waits for its pace after %v of %v: it sent faster", passed, total)
		}
		e.clock.Advance(gap / 5)
	}
}

// waitUntil polls cond until it holds; the deadline only keeps a broken test from
// hanging.
func (e *env) waitUntil(what string, cond func() bool) {
	e.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			e.t.Fatalf("waited in vain for %s", what)
		}
	}
}

type guestSpec struct {
	family, given, email, birthday, zone, lang string
	salutation                                 string
	consent                                    *bool
}

var yes, no = ptr(true), ptr(false)

func ptr[T any](v T) *T { return &v }

func (e *env) guest(g guestSpec) string {
	e.t.Helper()
	f := preferences.GuestFields{FamilyName: &g.family, GivenName: &g.given, Email: &g.email, Birthday: &g.birthday,
		TimeZone: &g.zone, MarketingConsent: g.consent}
	if g.consent == nil {
		f.MarketingConsent = yes
	}
	if g.lang != "" {
		f.Language = &g.lang
	}
	if g.salutation != "" {
		f.Salutation = &g.salutation
	}
	created, err := e.db.CreateGuest(context.Background(), desk, f)
	if err != nil {
		e.t.Fatalf("create guest %s: %v", g.family, err)
	}
	return created.ID
}

// received counts the sink's messages per recipient address.
func (e *env) received() map[string]int {
	out := map[string]int{}
	for _, m := range e.sink.Messages() {
		for _, to := range m.To {
			out[to]++
		}
	}
	return out
}

func (e *env) wantReceived(want map[string]int) {
	e.t.Helper()
	got := e.received()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		e.t.Fatalf("sink received %v, want %v", got, want)
	}
}

func (e *env) explain(kind preferences.OutreachKind, id, day string) scheduler.Explanation {
	e.t.Helper()
	ex, err := e.s.Explain(context.Background(), kind, id, day)
	if err != nil {
		e.t.Fatal(err)
	}
	return ex
}

func (e *env) run(kind preferences.OutreachKind, day string, dry bool) []scheduler.Recipient {
	e.t.Helper()
	r, err := e.s.Run(context.Background(), kind, day, dry)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func (e *env) messages(status string) []preferences.OutreachMessage {
	e.t.Helper()
	m, err := e.db.OutreachMessages(context.Background(), preferences.System, status, 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

func joinReasons(ex scheduler.Explanation) string { return strings.Join(ex.Reasons, "; ") }

// mustPastStay records a three-night stay of the guest in room 2102 ending at out.
func mustPastStay(t *testing.T, e *env, guestID string, out time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.db.PutRoom(ctx, preferences.Actor{Name: "m", Role: preferences.RoleManager}, preferences.Room{Number: "2102", Floor: 21, Bed: "king"}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.RecordPastStay(ctx, pastStay(guestID, out)); err != nil {
		t.Fatal(err)
	}
}

// pastStay is a three-night past stay in room 2102 ending at out.
func pastStay(guestID string, out time.Time) preferences.PastStay {
	return preferences.PastStay{GuestID: guestID, Room: "2102", CheckIn: out.AddDate(0, 0, -3), CheckOut: out, Nights: 3}
}
