// Package scheduler writes to guests on its own: birthday greetings at the guest's local
// hour and letters to guests who have not stayed for a long time. gocron runs the jobs;
// an outbox row per (guest, occasion, period), created before sending, makes every letter
// go out at most once, across runs, restarts and instances.
package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"

	"regulars/preferences"
)

// Store is what the scheduler needs of the preferences store.
type Store interface {
	// Guest returns a guest; ENOTFOUND for an unknown or erased one. A staff member's
	// read is audited, preferences.System's (a letter being written) is not.
	Guest(ctx context.Context, actor preferences.Actor, id string) (preferences.Guest, error)
	// RecordConsent appends a consent decision (here: an unsubscribe by email link).
	RecordConsent(ctx context.Context, guestID string, granted bool, channel, by string) error
	// RecordAccess audits a staff read of a guest.
	RecordAccess(ctx context.Context, actor preferences.Actor, guestID, action string)

	// OutreachCandidate returns one guest, erased or not, as the rules see it on day;
	// ENOTFOUND for an unknown ID.
	OutreachCandidate(ctx context.Context, kind preferences.OutreachKind, guestID, day string) (preferences.OutreachCandidate, error)
	// BirthdayCandidates returns contactable guests with a birthday on one of monthDays
	// ("MM-DD") and no birthday message for period.
	BirthdayCandidates(ctx context.Context, monthDays []string, period, day string) ([]preferences.OutreachCandidate, error)
	// LapseCandidates returns contactable guests whose last check-out is in [from, to).
	LapseCandidates(ctx context.Context, from, to time.Time, day string) ([]preferences.OutreachCandidate, error)

	// QueueOutreach stores new messages as queued and returns those created; one whose
	// (guest, occasion, period) exists already is skipped.
	QueueOutreach(ctx context.Context, msgs []preferences.OutreachMessage) ([]preferences.OutreachMessage, error)
	// DueOutreach returns queued messages due at now.
	DueOutreach(ctx context.Context, now time.Time, limit int) ([]preferences.OutreachMessage, error)
	// ClaimOutreach moves a due queued message to sending for owner, leased to it for
	// lease, atomically; false when another has it or the guest can no longer be written to.
	ClaimOutreach(ctx context.Context, id, owner string, now time.Time, lease time.Duration) (bool, error)
	// FinishOutreach records the outcome of owner's attempt.
	FinishOutreach(ctx context.Context, id, owner string, out preferences.OutreachOutcome) error
	// RecoverOutreach marks messages left sending, their lease ended at now, as unknown.
	RecoverOutreach(ctx context.Context, now time.Time) (int, error)
	// ClaimScheduledRun claims a scheduled run (job, slot) for owner, or takes over one
	// whose lease ended undone; true when owner holds it. FinishScheduledRun marks it done.
	ClaimScheduledRun(ctx context.Context, job, slot, owner string, now time.Time, lease time.Duration) (bool, error)
	FinishScheduledRun(ctx context.Context, job, slot, owner string, now time.Time) error
	// Properties lists the group's properties: each one's lapse letters go at its hour.
	Properties(ctx context.Context) ([]preferences.Property, error)
	// OutreachMessage returns one message; OutreachMessages lists them by status.
	OutreachMessage(ctx context.Context, id string) (preferences.OutreachMessage, error)
	// The list's read of each guest is audited.
	OutreachMessages(ctx context.Context, actor preferences.Actor, status string, limit int) ([]preferences.OutreachMessage, error)
	// OutreachCounts counts the messages by status.
	OutreachCounts(ctx context.Context) (map[string]int, error)
	// RecordBounce and LiftSuppression keep the bounces and the addresses they stop.
	RecordBounce(ctx context.Context, b preferences.Bounce) (preferences.BounceResult, error)
	LiftSuppression(ctx context.Context, actor preferences.Actor, email string) (preferences.MailSuppression, error)
	// MailSuppressionOf returns the suppression of email in force; nil when letters go.
	MailSuppressionOf(ctx context.Context, email string) (*preferences.MailSuppression, error)
}

// Config configures the scheduler. Zero values get the defaults noted.
type Config struct {
	Location    *time.Location // the hotel's zone (required)
	BirthdayAt  string         // "HH:MM" in the guest's zone; default 09:00
	LapseAt     string         // "HH:MM" hotel time; default 10:00
	LapseAfter  int            // days since the last check-out; default 730
	LapseWindow int            // a lapse is written about within this many days; default 7
	// BirthdayGrace is how many days after a birthday a greeting not yet sent (the service
	// was down) still goes, late; default 2, negative for none (only on the day).
	BirthdayGrace int
	HotelName     string
	MailFrom      string
	PublicURL     string
	Secret        []byte
	Templates     string // folder overriding the embedded templates; "" for none
	DKIM          *DKIM  // signs each letter when set

	RatePerSecond float64       // at most this many messages a second; default 10, <0 unlimited
	MaxAttempts   int           // tries before a message fails; default 5
	RetryAfter    time.Duration // first retry delay, doubled each time; default 1 minute
	BatchSize     int           // messages per SMTP connection; default 100
	Connections   int           // SMTP connections sending at once; default 4
	// Lease is how long a message being sent, or a scheduled run, is held by its
	// instance before another may take it (a run) or mark it unknown (a message): it
	// must exceed the longest send and the clock skew between instances; default 1 minute.
	Lease time.Duration
	// PollEvery, when set, makes the background sender look for due messages that often
	// (queued by another instance, or due again), besides each minute's run.
	PollEvery time.Duration

	Clock  clockwork.Clock // default the real clock
	Logger *slog.Logger
	// AfterTick, when set, is called after each scheduled run (tests wait on it).
	AfterTick func(now time.Time, err error)
	// OnLetter, when set, is called with each attempt's outcome: the letter's kind and
	// LetterSent, LetterRetry, LetterFailed or LetterUnknown (metrics).
	OnLetter func(kind preferences.OutreachKind, result string)
	// OnJobDone, when set, is called at the end of each successful part of a scheduled
	// run: JobBirthday, JobLapse (once a day) or JobDeliver (metrics).
	OnJobDone func(job string, at time.Time)
	// OnBounce, when set, is called with the kind of each bounce the webhook recorded
	// (metrics).
	OnBounce func(kind preferences.BounceKind)
}

// Outcomes of a send attempt, as OnLetter gets them.
const (
	LetterSent    = preferences.OutboxSent
	LetterFailed  = preferences.OutboxFailed
	LetterUnknown = preferences.OutboxUnknown
	LetterRetry   = "retry" // not sent this time; queued for a later attempt
)

// The parts of a scheduled run, as OnJobDone gets them.
const (
	JobBirthday = "birthday"
	JobLapse    = "lapse"
	JobDeliver  = "deliver"
)

func (c *Config) defaults() error {
	if c.Location == nil {
		return errors.New("scheduler: the hotel's zone is required")
	}
	set := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	set(&c.BirthdayAt, "09:00")
	set(&c.LapseAt, "10:00")
	setInt := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	setInt(&c.LapseAfter, 730)
	setInt(&c.LapseWindow, 7)
	setInt(&c.BirthdayGrace, 2)
	c.BirthdayGrace = max(c.BirthdayGrace, 0)
	setInt(&c.MaxAttempts, 5)
	setInt(&c.BatchSize, 100)
	setInt(&c.Connections, 4)
	if c.Connections < 0 {
		return errors.New("scheduler: the number of SMTP connections must be positive")
	}
	if c.RatePerSecond == 0 {
		c.RatePerSecond = 10
	}
	if c.Lease <= 0 {
		c.Lease = time.Minute
	}
	if c.RetryAfter == 0 {
		c.RetryAfter = time.Minute
	}
	if c.Clock == nil {
		c.Clock = clockwork.NewRealClock()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.OnLetter == nil {
		c.OnLetter = func(preferences.OutreachKind, string) {}
	}
	if c.OnJobDone == nil {
		c.OnJobDone = func(string, time.Time) {}
	}
	if c.OnBounce == nil {
		c.OnBounce = func(preferences.BounceKind) {}
	}
	return nil
}

// Scheduler runs the outreach jobs.
type Scheduler struct {
	cfg        Config
	store      Store
	mailer     Mailer
	tpl        templates
	unsub      *Unsubscriber
	clock      clockwork.Clock
	log        *slog.Logger
	owner      string // this instance, for claims: host, process and a random part
	birthdayAt int    // minutes after local midnight
	lapseAt    int
	listID     string // the List-Id header of every letter, folded

	mu         sync.Mutex
	cron       gocron.Scheduler
	lapseDone  map[string]string  // property ID → its date whose lapse letters this instance has queued
	lastTick   time.Time          // this instance's last scheduled run...
	heldTick   bool               // ...and whether it held that run's birthday slot
	life       context.Context    // ends at Shutdown (or when Start's context ends)
	stop       context.CancelFunc // ends life: every send stops at once
	senderDone chan struct{}      // closed when the background sender has returned

	wake chan struct{} // Queue's letters wait to be sent (buffered: one wake-up is enough)

	zones    sync.Map   // zone name → *time.Location
	sendMu   sync.Mutex // one delivery at a time per instance
	lastSend time.Time  // for the rate limit
}

// New checks the configuration and parses the templates (a broken one fails here).
func New(cfg Config, store Store, mailer Mailer) (*Scheduler, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	s := &Scheduler{cfg: cfg, store: store, mailer: mailer, clock: cfg.Clock, log: cfg.Logger,
		unsub: NewUnsubscriber(cfg.Secret, cfg.PublicURL), wake: make(chan struct{}, 1), lapseDone: map[string]string{},
		listID: listID(cfg.HotelName, cfg.MailFrom)}
	var err error
	if s.birthdayAt, err = clockMinutes(cfg.BirthdayAt); err != nil {
		return nil, fmt.Errorf("REGULARS_BIRTHDAY_AT: %w", err)
	}
	if s.lapseAt, err = clockMinutes(cfg.LapseAt); err != nil {
		return nil, fmt.Errorf("REGULARS_LAPSE_AT: %w", err)
	}
	if s.tpl, err = loadTemplates(cfg.Templates); err != nil {
		return nil, err
	}
	b := make([]byte, 4)
	rand.Read(b)
	host, _ := os.Hostname()
	s.owner = fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
	return s, nil
}

func clockMinutes(hhmm string) (int, error) {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return 0, fmt.Errorf("%q is not a time as HH:MM", hhmm)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Unsubscriber returns the signer of the unsubscribe links.
func (s *Scheduler) Unsubscriber() *Unsubscriber { return s.unsub }

// Start marks messages a previous process left sending as unknown, then starts the job:
// every minute, on the minute, it greets the guests whose birthday hour has come in their
// zone today, writes the day's lapse letters once the hotel's hour has come, and sends
// what is due. A run never overlaps the previous one. It also starts the background
// sender of what Queue queues. When ctx ends (SIGTERM) or at Shutdown every send stops.
func (s *Scheduler) Start(ctx context.Context) error {
	if err := s.recover(ctx); err != nil {
		return fmt.Errorf("scheduler: recover: %w", err)
	}
	cron, err := gocron.NewScheduler(gocron.WithClock(s.clock), gocron.WithLocation(s.cfg.Location),
		gocron.WithStopTimeout(time.Minute))
	if err != nil {
		return err
	}
	_, err = cron.NewJob(gocron.CronJob("* * * * *", false), gocron.NewTask(s.scheduledTick),
		gocron.WithName("outreach"), gocron.WithSingletonMode(gocron.LimitModeReschedule))
	if err != nil {
		return err
	}
	life, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	s.mu.Lock()
	s.cron, s.life, s.stop, s.senderDone = cron, life, stop, done
	s.mu.Unlock()
	go s.sendQueued(life, done)
	cron.Start()
	return nil
}

// Shutdown stops the job and the background sender at once. A send in progress is cut
// off: its message is queued again if its content had not been handed over, or unknown
// if the server's answer to it was still awaited (outcome).
func (s *Scheduler) Shutdown() error {
	s.mu.Lock()
	cron, stop, done := s.cron, s.stop, s.senderDone
	s.cron = nil
	s.mu.Unlock()
	if cron == nil {
		return nil
	}
	stop()
	err := cron.Shutdown()
	<-done
	return err
}

// recover marks the messages whose sender died mid-send (their lease ended) unknown.
func (s *Scheduler) recover(ctx context.Context) error {
	n, err := s.store.RecoverOutreach(ctx, s.clock.Now())
	if n > 0 {
		s.log.Warn("outreach: messages interrupted while sending are now unknown and will not be retried", "count", n)
	}
	return err
}

// sendQueued delivers whenever Queue has queued letters, and every PollEvery when set,
// until ctx ends.
func (s *Scheduler) sendQueued(ctx context.Context, done chan<- struct{}) {
	defer close(done)
	var poll <-chan time.Time
	if s.cfg.PollEvery > 0 {
		t := time.NewTicker(s.cfg.PollEvery) // real time: the tests' fake clock counts its waiters
		defer t.Stop()
		poll = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-poll:
		}
		if err := s.deliver(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("outreach: sending", "err", err)
		}
	}
}

func (s *Scheduler) scheduledTick(ctx context.Context) {
	// The run also ends with Start's context, which SIGTERM cancels before gocron stops.
	s.mu.Lock()
	life := s.life
	s.mu.Unlock()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(life, cancel)()
	now := s.clock.Now()
	err := s.Tick(ctx, now)
	if err != nil && ctx.Err() == nil {
		s.log.Error("outreach run failed", "err", err)
	}
	if s.cfg.AfterTick != nil {
		s.cfg.AfterTick(now, err)
	}
}

// Tick does what is due at now: birthday greetings for guests whose local hour has come
// today, each property's lapse letters once its hour has come in its zone, and sending
// the queue. Of several instances, one runs each slot's birthday greetings (the minute,
// hotel time) and each property's day of lapse letters: the one that claims the slot in
// the database. A slot's
// run whose instance died is finished by the next: a later minute's birthday run greets
// everyone whose hour has come and who has no greeting yet, and the lapse run's claim is
// taken over once its lease has ended. Sending is every instance's.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) error {
	// The minute the run was scheduled for: an instance whose clock is a few seconds
	// behind or ahead names the same slot.
	_, bErr := s.runOnce(ctx, JobBirthday, now.Round(time.Minute).In(s.cfg.Location).Format("2006-01-02T15:04"), now,
		func() error { return s.queueBirthdaysAt(ctx, now) })
	s.jobDone(JobBirthday, bErr)
	lErr := s.queueLapses(ctx, now)
	dErr := s.deliver(ctx)
	s.jobDone(JobDeliver, dErr)
	return errors.Join(bErr, lErr, dErr)
}

// queueLapses writes the lapse letters of each property whose hour (LapseAt in its zone)
// has come today: to the guests whose last stay anywhere in the group was there. Each
// (property, date) is a slot of its own, claimed once across instances.
func (s *Scheduler) queueLapses(ctx context.Context, now time.Time) error {
	props, err := s.store.Properties(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range props {
		local := now.In(preferences.ZoneNamed(p.TimeZone, s.cfg.Location))
		day := local.Format(preferences.DateLayout)
		s.mu.Lock()
		due := minuteOfDay(local) >= s.lapseAt && s.lapseDone[p.ID] != day
		s.mu.Unlock()
		if !due {
			continue
		}
		slot := day // the first property's slot is the day, as before there were several
		if p.ID != preferences.MainPropertyID {
			slot += " " + p.Code
		}
		ran, err := s.runOnce(ctx, JobLapse, slot, now, func() error {
			_, _, err := s.queue(ctx, preferences.OutreachLapse, day, false, func(c preferences.OutreachCandidate) bool {
				return c.LastStay != nil && c.LastStay.Property.ID == p.ID
			})
			return err
		})
		if ran && err == nil {
			s.mu.Lock()
			s.lapseDone[p.ID] = day
			s.mu.Unlock()
		}
		s.jobDone(JobLapse, err)
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// runOnce runs job for slot when this instance claims the slot, and marks it done; it
// tells whether this instance held the slot. Another instance's claim is left to it.
func (s *Scheduler) runOnce(ctx context.Context, job, slot string, now time.Time, run func() error) (bool, error) {
	won, err := s.store.ClaimScheduledRun(ctx, job, slot, s.owner, now, s.cfg.Lease)
	if job == JobBirthday { // every minute's run: whether this instance holds it (/healthz)
		s.mu.Lock()
		s.lastTick, s.heldTick = now, won
		s.mu.Unlock()
	}
	if err != nil || !won {
		return false, err
	}
	if err := run(); err != nil {
		return true, err // left undone: another instance takes it over after the lease
	}
	return true, s.store.FinishScheduledRun(ctx, job, slot, s.owner, s.clock.Now())
}

// HoldsCurrentRun tells whether this instance ran (or is running) the scheduler's
// latest slot: it claimed the birthday slot of its last run, a minute ago at most.
func (s *Scheduler) HoldsCurrentRun() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.heldTick && s.clock.Since(s.lastTick) < 2*time.Minute
}

// Running tells whether the scheduler's job has been started (Start) and not stopped.
func (s *Scheduler) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cron != nil
}

// jobDone reports a part of a scheduled run that succeeded.
func (s *Scheduler) jobDone(job string, err error) {
	if err == nil {
		s.cfg.OnJobDone(job, s.clock.Now())
	}
}

func minuteOfDay(t time.Time) int { return t.Hour()*60 + t.Minute() }
