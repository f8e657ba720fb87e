package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/mail"
	"strings"
	"time"

	"regulars/preferences"
)

// Recipient is one guest a run wrote (or, dry, would write) to.
type Recipient struct {
	GuestID string `json:"guest_id"`
	Email   string `json:"email"`
	Status  string `json:"status"`
	Name    string `json:"-"` // for pages
}

// StatusDryRun is a recipient's status in a dry run.
const StatusDryRun = "dry_run"

// Run runs the job of kind now as if the hotel's date were day ("YYYY-MM-DD"): birthday
// greetings for every guest whose birthday is that day, whatever their zone and hour, or
// that day's lapse letters. Dry, it lists the recipients and sends nothing. Otherwise it
// queues the letters and sends them before it returns, with their outcome: the command
// line's one-shot run (the API queues them with Queue and returns at once). Guests who
// already have this letter are not listed, nor a second guest with the same address.
func (s *Scheduler) Run(ctx context.Context, kind preferences.OutreachKind, day string, dryRun bool) ([]Recipient, error) {
	created, ids, err := s.queue(ctx, kind, day, dryRun, nil)
	if err != nil || dryRun {
		return created, err
	}
	if err := s.deliver(ctx); err != nil {
		s.log.Warn("outreach: sending", "err", err)
	}
	for i := range created {
		m, err := s.store.OutreachMessage(ctx, ids[i])
		if err != nil {
			return nil, err
		}
		created[i].Status = m.Status
	}
	return created, nil
}

// Queue queues the letters of kind for day, as Run does, and returns them queued without
// waiting for a send: the background sender (started by Start) wakes up and sends them.
func (s *Scheduler) Queue(ctx context.Context, kind preferences.OutreachKind, day string) ([]Recipient, error) {
	created, _, err := s.queue(ctx, kind, day, false, nil)
	if len(created) > 0 {
		select {
		case s.wake <- struct{}{}:
		default: // already woken: that delivery sends these too
		}
	}
	return created, err
}

// Deliver sends every message due in the outbox and returns when none is left.
func (s *Scheduler) Deliver(ctx context.Context) error { return s.deliver(ctx) }

// Explanation says whether a guest would get a letter on a day, and why not.
type Explanation = preferences.OutreachExplanation

// Explain tells whether the guest would get the letter of kind on day, and every reason
// they would not. ENOTFOUND for an unknown guest.
func (s *Scheduler) Explain(ctx context.Context, kind preferences.OutreachKind, guestID, day string) (Explanation, error) {
	d, err := s.parseDay(day)
	if err != nil {
		return Explanation{}, err
	}
	c, err := s.store.OutreachCandidate(ctx, kind, guestID, day)
	if err != nil {
		return Explanation{}, err
	}
	return s.rules().Explain(ctx, s.store, kind, c, d)
}

// rules are the outreach rules of the configuration.
func (s *Scheduler) rules() preferences.OutreachRules {
	return preferences.OutreachRules{LapseAfter: s.cfg.LapseAfter, LapseWindow: s.cfg.LapseWindow, BirthdayGrace: s.cfg.BirthdayGrace}
}

// DateWindowYears bounds the dates a run or an explanation is for.
const DateWindowYears = preferences.OutreachDateWindowYears

func (s *Scheduler) parseDay(day string) (time.Time, error) {
	return preferences.ParseOutreachDay(day, s.Today(), s.cfg.Location)
}

// Today is the hotel's date now.
func (s *Scheduler) Today() string {
	return s.clock.Now().In(s.cfg.Location).Format(preferences.DateLayout)
}

// queueBirthdaysAt queues the greetings due at the instant now: for each date some zone
// is on, the guests born that day whose own zone is on that date and past the hour.
func (s *Scheduler) queueBirthdaysAt(ctx context.Context, now time.Time) error {
	// Every zone's date is between UTC-12 and UTC+14; a date is skipped while even the
	// earliest zone (UTC+14) has not reached the hour on it.
	last := midnightUTC(now.Add(14 * time.Hour))
	for d := midnightUTC(now.Add(-12 * time.Hour)); !d.After(last); d = d.AddDate(0, 0, 1) {
		if s.cfg.BirthdayGrace == 0 && now.Before(d.Add(time.Duration(s.birthdayAt)*time.Minute-14*time.Hour)) {
			continue // nobody's hour has come on d, and no late greeting is due on it
		}
		day := d.Format(preferences.DateLayout)
		_, _, err := s.queue(ctx, preferences.OutreachBirthday, day, false, func(c preferences.OutreachCandidate) bool {
			local := now.In(s.zone(c.Guest))
			// Today's birthday waits for the hour; one missed within the grace goes at once.
			return local.Format(preferences.DateLayout) == day &&
				(minuteOfDay(local) >= s.birthdayAt || !preferences.BornOn(c, d))
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func midnightUTC(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// zone is the guest's zone, the hotel's when unknown. Zones are loaded once.
func (s *Scheduler) zone(g preferences.Guest) *time.Location {
	if g.TimeZone == "" {
		return s.cfg.Location
	}
	if loc, ok := s.zones.Load(g.TimeZone); ok {
		return loc.(*time.Location)
	}
	loc, err := preferences.LoadZone(g.TimeZone)
	if err != nil {
		return s.cfg.Location
	}
	s.zones.Store(g.TimeZone, loc)
	return loc
}

// queue finds the guests eligible for kind on day (and accepted by keep, when given) and,
// unless dry, creates their queued messages; ids are the new messages' IDs.
func (s *Scheduler) queue(ctx context.Context, kind preferences.OutreachKind, day string, dryRun bool,
	keep func(preferences.OutreachCandidate) bool) (out []Recipient, ids []string, err error) {
	d, err := s.parseDay(day)
	if err != nil {
		return nil, nil, err
	}
	picks, err := s.rules().Eligible(ctx, s.store, kind, d)
	if err != nil {
		return nil, nil, err
	}
	out = []Recipient{}
	var msgs []preferences.OutreachMessage
	for _, p := range picks {
		c := p.Candidate
		if keep != nil && !keep(c) {
			continue
		}
		if dryRun {
			st, err := s.dryRunStatus(ctx, c.Guest.Email)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, Recipient{GuestID: c.Guest.ID, Email: c.Guest.Email, Status: st, Name: c.Guest.DisplayName()})
			continue
		}
		m, err := s.compose(kind, c, d, p.Period)
		if err != nil {
			return nil, nil, err
		}
		msgs = append(msgs, m)
	}
	if dryRun || len(msgs) == 0 {
		return out, nil, nil
	}
	created, err := s.store.QueueOutreach(ctx, msgs)
	if err != nil {
		return nil, nil, err
	}
	for _, m := range created {
		out = append(out, Recipient{GuestID: m.GuestID, Email: m.Email, Status: m.Status})
		ids = append(ids, m.ID)
	}
	if len(created) > 0 {
		s.log.Info("outreach: queued", "kind", string(kind), "day", day, "count", len(created))
	}
	return out, ids, nil
}

// compose renders the guest's letter into a new outbox message with a stable Message-ID.
func (s *Scheduler) compose(kind preferences.OutreachKind, c preferences.OutreachCandidate, d time.Time, period string) (preferences.OutreachMessage, error) {
	g := c.Guest
	l := letter{Hotel: s.cfg.HotelName, Name: preferences.AddressName(g, g.Language), UnsubscribeURL: s.unsub.URL(g.ID), Year: d.Year()}
	if st := c.LastStay; st != nil { // the letter comes from the property of the last stay
		l.Address, l.Phone = st.Property.Address, st.Property.Phone
		if st.Property.Name != "" {
			l.Hotel = st.Property.Name
		}
	}
	if kind == preferences.OutreachBirthday {
		b := preferences.LastBirthday(g.Birthday, d)
		l.Year, l.Late = b.Year(), b.Before(d)
	}
	if kind == preferences.OutreachLapse && c.LastCheckOut != nil {
		l.LastStay = period
		l.Years = max(1, int(d.Sub(*c.LastCheckOut).Hours()/24/365))
	}
	r, err := s.tpl.render(kind, g.Language, l)
	if err != nil {
		return preferences.OutreachMessage{}, err
	}
	b := make([]byte, 10)
	rand.Read(b)
	id := "ob_" + hex.EncodeToString(b)
	return preferences.OutreachMessage{ID: id, GuestID: g.ID, Kind: kind, Period: period, Email: g.Email,
		Language: g.Language, Subject: r.Subject, Text: r.Text, HTML: r.HTML,
		MessageID: id + "@" + s.mailDomain()}, nil
}

// mailDomain is the domain of the From address, for Message-IDs.
func (s *Scheduler) mailDomain() string {
	if a, err := mail.ParseAddress(s.cfg.MailFrom); err == nil {
		if i := strings.LastIndexByte(a.Address, '@'); i >= 0 {
			return a.Address[i+1:]
		}
	}
	return "localhost"
}
