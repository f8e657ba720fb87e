package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
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
type Explanation struct {
	Eligible bool     `json:"eligible"`
	Reasons  []string `json:"reasons"`
	Period   string   `json:"period,omitempty"`
	// Note says how an eligible guest gets it, when not as usual (a late birthday greeting).
	Note string `json:"note,omitempty"`
}

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
	reasons, period := s.reasons(kind, c, d)
	if len(reasons) == 0 {
		// Eligible alone; of several guests with this address only one gets the letter.
		picks, err := s.eligible(ctx, kind, d)
		if err != nil {
			return Explanation{}, err
		}
		for _, p := range picks {
			if p.c.Guest.ID != guestID && preferences.AddressKey(p.c.Guest.Email) == preferences.AddressKey(c.Guest.Email) {
				reasons = append(reasons, "another guest with this address ("+p.c.Guest.ID+") gets this letter: one letter per address")
			}
		}
	}
	ex := Explanation{Eligible: len(reasons) == 0, Reasons: reasons, Period: period}
	if ex.Eligible && kind == preferences.OutreachBirthday {
		b := lastBirthday(c.Guest.Birthday, d)
		if late := daysBetween(b, d); late > 0 {
			ex.Note = fmt.Sprintf("birthday %d %s ago (%s), within the %d-day grace (REGULARS_BIRTHDAY_GRACE): sent late",
				late, plural(late, "day"), b.Format(preferences.DateLayout), s.cfg.BirthdayGrace)
		}
	}
	return ex, nil
}

// plural is word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// DateWindowYears bounds the dates a run or an explanation is for: a date further from
// the hotel's today (9999-12-31, 1899-01-01) is a typo, not a plan.
const DateWindowYears = 2

func (s *Scheduler) parseDay(day string) (time.Time, error) {
	d, err := time.ParseInLocation(preferences.DateLayout, day, s.cfg.Location)
	if err != nil {
		return d, preferences.FieldErr("date", "must be a date as YYYY-MM-DD")
	}
	today, err := time.ParseInLocation(preferences.DateLayout, s.Today(), s.cfg.Location)
	if err != nil {
		return d, err
	}
	from, to := today.AddDate(-DateWindowYears, 0, 0), today.AddDate(DateWindowYears, 0, 0)
	if d.Before(from) || d.After(to) {
		return d, preferences.FieldErr("date", "must be within %d years of today: from %s to %s", DateWindowYears,
			from.Format(preferences.DateLayout), to.Format(preferences.DateLayout))
	}
	return d, nil
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
				(minuteOfDay(local) >= s.birthdayAt || !bornOn(c, d))
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

// pick is a guest who gets the letter, and the period it is for.
type pick struct {
	c      preferences.OutreachCandidate
	period string
}

// eligible returns the guests who get the letter of kind on d: one per address. Of
// several records with one address (a duplicate not merged yet) the one stayed in last
// gets it (its name is the freshest), then the lowest ID; the outbox's unique address
// enforces the same across runs and instances.
func (s *Scheduler) eligible(ctx context.Context, kind preferences.OutreachKind, d time.Time) ([]pick, error) {
	var cands []preferences.OutreachCandidate
	var err error
	day := d.Format(preferences.DateLayout)
	switch kind {
	case preferences.OutreachBirthday:
		cands, err = s.birthdayCandidates(ctx, d)
	case preferences.OutreachLapse:
		cutoff := s.lapseCutoff(d)
		cands, err = s.store.LapseCandidates(ctx, cutoff.AddDate(0, 0, -s.cfg.LapseWindow), cutoff, day)
	default:
		_, err = preferences.ParseOutreachKind(string(kind))
	}
	if err != nil {
		return nil, err
	}
	var out []pick
	byAddress := map[string]int{} // address → its pick in out
	for _, c := range cands {
		reasons, period := s.reasons(kind, c, d)
		if len(reasons) > 0 {
			continue
		}
		key := preferences.AddressKey(c.Guest.Email)
		if i, ok := byAddress[key]; ok {
			if stayedLater(c, out[i].c) {
				out[i] = pick{c, period}
			}
			continue
		}
		byAddress[key] = len(out)
		out = append(out, pick{c, period})
	}
	return out, nil
}

// stayedLater tells whether a's last check-out is after b's, or, equal, a's ID is lower.
func stayedLater(a, b preferences.OutreachCandidate) bool {
	switch {
	case a.LastCheckOut == nil || b.LastCheckOut == nil:
		if (a.LastCheckOut == nil) != (b.LastCheckOut == nil) {
			return a.LastCheckOut != nil
		}
	case !a.LastCheckOut.Equal(*b.LastCheckOut):
		return a.LastCheckOut.After(*b.LastCheckOut)
	}
	return a.Guest.ID < b.Guest.ID
}

// queue finds the guests eligible for kind on day (and accepted by keep, when given) and,
// unless dry, creates their queued messages; ids are the new messages' IDs.
func (s *Scheduler) queue(ctx context.Context, kind preferences.OutreachKind, day string, dryRun bool,
	keep func(preferences.OutreachCandidate) bool) (out []Recipient, ids []string, err error) {
	d, err := s.parseDay(day)
	if err != nil {
		return nil, nil, err
	}
	picks, err := s.eligible(ctx, kind, d)
	if err != nil {
		return nil, nil, err
	}
	out = []Recipient{}
	var msgs []preferences.OutreachMessage
	for _, p := range picks {
		c := p.c
		if keep != nil && !keep(c) {
			continue
		}
		if dryRun {
			out = append(out, Recipient{GuestID: c.Guest.ID, Email: c.Guest.Email, Status: StatusDryRun, Name: c.Guest.DisplayName()})
			continue
		}
		m, err := s.compose(kind, c, d, p.period)
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

// birthdayCandidates returns the guests whose birthday was celebrated on d or in the
// BirthdayGrace days before it, without a greeting for that year: one read of the
// birthday_md index per date (each date's own year: the window may span New Year).
func (s *Scheduler) birthdayCandidates(ctx context.Context, d time.Time) ([]preferences.OutreachCandidate, error) {
	var out []preferences.OutreachCandidate
	for k := s.cfg.BirthdayGrace; k >= 0; k-- {
		b := d.AddDate(0, 0, -k)
		cands, err := s.store.BirthdayCandidates(ctx, birthdayMonthDays(b), strconv.Itoa(b.Year()), d.Format(preferences.DateLayout))
		if err != nil {
			return nil, err
		}
		out = append(out, cands...)
	}
	return out, nil
}

// lastBirthday is the latest date on or before d on which a guest born on birthday
// ("YYYY-MM-DD") is celebrated: 29 February falls on 28 February in other years.
func lastBirthday(birthday string, d time.Time) time.Time {
	on := func(year int) time.Time {
		b, _ := time.ParseInLocation(preferences.DateLayout, strconv.Itoa(year)+birthday[4:], d.Location())
		if birthday[5:] == "02-29" && !isLeap(year) {
			b = time.Date(year, 2, 28, 0, 0, 0, 0, d.Location())
		}
		return b
	}
	if b := on(d.Year()); !b.After(d) {
		return b
	}
	return on(d.Year() - 1)
}

// daysBetween counts the calendar days from a to b (dates, whatever their zone's DST).
func daysBetween(a, b time.Time) int {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return int(time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC).Sub(time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// bornOn tells whether the guest's birthday is celebrated on d itself (not late, in the
// grace after it).
func bornOn(c preferences.OutreachCandidate, d time.Time) bool {
	return slices.Contains(birthdayMonthDays(d), c.Guest.Birthday[5:])
}

// birthdayMonthDays are the birthdays celebrated on d: its own, and 29 February on
// 28 February of a year without one.
func birthdayMonthDays(d time.Time) []string {
	md := d.Format("01-02")
	if md == "02-28" && !isLeap(d.Year()) {
		return []string{md, "02-29"}
	}
	return []string{md}
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// lapseCutoff is the start of the hotel day LapseAfter days before d: a guest whose last
// check-out is before it has not stayed for more than LapseAfter days.
func (s *Scheduler) lapseCutoff(d time.Time) time.Time { return d.AddDate(0, 0, -s.cfg.LapseAfter) }

// reasons lists why the guest would not get the letter of kind on day d (none: they
// would), and the period the letter would be for.
func (s *Scheduler) reasons(kind preferences.OutreachKind, c preferences.OutreachCandidate, d time.Time) ([]string, string) {
	g := c.Guest
	if c.Erased {
		return []string{"erased"}, ""
	}
	reasons := []string{}
	if g.Email == "" {
		reasons = append(reasons, "no email address")
	}
	switch {
	case g.MarketingConsent:
	case g.Consent != nil && g.Consent.Channel == preferences.ChannelEmailLink:
		reasons = append(reasons, "unsubscribed")
	case c.EverGranted:
		reasons = append(reasons, "marketing consent withdrawn")
	default:
		reasons = append(reasons, "no marketing consent")
	}
	day := d.Format(preferences.DateLayout)
	period := ""
	switch kind {
	case preferences.OutreachBirthday:
		period = strconv.Itoa(d.Year())
		if len(g.Birthday) != len(preferences.DateLayout) {
			reasons = append(reasons, "no birthday on file")
			break
		}
		b := lastBirthday(g.Birthday, d)
		switch late := daysBetween(b, d); {
		case late <= s.cfg.BirthdayGrace:
			period = strconv.Itoa(b.Year()) // a late greeting is for the birthday's year
		case s.cfg.BirthdayGrace == 0:
			reasons = append(reasons, "birthday is not on "+day)
		default:
			reasons = append(reasons, fmt.Sprintf("birthday %d days ago (%s), past the %d-day grace (REGULARS_BIRTHDAY_GRACE)",
				late, b.Format(preferences.DateLayout), s.cfg.BirthdayGrace))
		}
	case preferences.OutreachLapse:
		if c.InHouse {
			reasons = append(reasons, "in house")
		}
		if c.NextArrival != "" {
			reasons = append(reasons, "arrival expected on "+c.NextArrival)
		}
		if c.LastCheckOut == nil {
			reasons = append(reasons, "no past stay")
			break
		}
		period = c.LastCheckOut.In(s.cfg.Location).Format(preferences.DateLayout)
		cutoff := s.lapseCutoff(d)
		switch {
		case !c.LastCheckOut.Before(cutoff):
			reasons = append(reasons, "last check-out on "+period+" is not more than "+strconv.Itoa(s.cfg.LapseAfter)+" days before "+day)
		case c.LastCheckOut.Before(cutoff.AddDate(0, 0, -s.cfg.LapseWindow)):
			reasons = append(reasons, "lapsed more than "+strconv.Itoa(s.cfg.LapseWindow)+" days before "+day+" (last check-out "+period+"); a lapse is written about only within that window (REGULARS_LAPSE_WINDOW)")
		}
	}
	if st, ok := c.Messages[period]; ok && period != "" {
		what := "already greeted for " + period
		if kind == preferences.OutreachLapse {
			what = "already written to for this lapse (last check-out " + period + ")"
		}
		reasons = append(reasons, what+": message "+st)
	} else if other, ok := c.Shared[period]; ok && period != "" {
		reasons = append(reasons, "another guest with this address ("+other+") already has this letter")
	}
	return reasons, period
}

// compose renders the guest's letter into a new outbox message with a stable Message-ID.
func (s *Scheduler) compose(kind preferences.OutreachKind, c preferences.OutreachCandidate, d time.Time, period string) (preferences.OutreachMessage, error) {
	g := c.Guest
	l := letter{Hotel: s.cfg.HotelName, Name: preferences.AddressName(g, g.Language), UnsubscribeURL: s.unsub.URL(g.ID), Year: d.Year()}
	if kind == preferences.OutreachBirthday {
		b := lastBirthday(g.Birthday, d)
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
