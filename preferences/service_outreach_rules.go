package preferences

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// OutreachRules are the hotel's settings for the letters it writes on its own.
type OutreachRules struct {
	LapseAfter    int // a guest has lapsed this many days after the last check-out (REGULARS_LAPSE_AFTER)
	LapseWindow   int // a lapse is written about only within this many days of it (REGULARS_LAPSE_WINDOW)
	BirthdayGrace int // a greeting not sent on the day still goes this many days late (REGULARS_BIRTHDAY_GRACE)
}

// OutreachPick is a guest who gets a letter, and the period the letter is for.
type OutreachPick struct {
	Candidate OutreachCandidate
	Period    string
}

// OutreachExplanation says whether a guest would get a letter on a day, and why not.
type OutreachExplanation struct {
	Eligible bool     `json:"eligible"`
	Reasons  []string `json:"reasons"`
	Period   string   `json:"period,omitempty"`
	// Note says how an eligible guest gets it, when not as usual (a late birthday greeting).
	Note string `json:"note,omitempty"`
	// LastStay is the stay the letter counts from and names, with its property (the last
	// check-out anywhere in the group); absent for a guest who never stayed.
	LastStay *OutreachStay `json:"last_stay,omitempty"`
}

// OutreachCandidates selects the guests a day's letters may go to: what the rules read,
// from a store (a Tx, or the old store the scheduler still runs on).
type OutreachCandidates interface {
	// BirthdayCandidates returns contactable guests with a birthday on one of monthDays
	// ("MM-DD") and no birthday message for period, by ID.
	BirthdayCandidates(ctx context.Context, monthDays []string, period, day string) ([]OutreachCandidate, error)
	// LapseCandidates returns contactable guests whose last check-out is in [from, to),
	// by last check-out.
	LapseCandidates(ctx context.Context, from, to time.Time, day string) ([]OutreachCandidate, error)
}

// OutreachDateWindowYears bounds the dates a run or an explanation is for: a date further
// from the hotel's today (9999-12-31, 1899-01-01) is a typo, not a plan.
const OutreachDateWindowYears = 2

// ParseOutreachDay reads day ("YYYY-MM-DD") in the hotel's zone loc, refusing a date more
// than OutreachDateWindowYears from today (the hotel's date): EINVALID on field "date".
func ParseOutreachDay(day, today string, loc *time.Location) (time.Time, error) {
	d, err := time.ParseInLocation(DateLayout, day, loc)
	if err != nil {
		return d, FieldErr("date", "must be a date as YYYY-MM-DD")
	}
	t, err := time.ParseInLocation(DateLayout, today, loc)
	if err != nil {
		return d, err
	}
	from, to := t.AddDate(-OutreachDateWindowYears, 0, 0), t.AddDate(OutreachDateWindowYears, 0, 0)
	if d.Before(from) || d.After(to) {
		return d, FieldErr("date", "must be within %d years of today: from %s to %s", OutreachDateWindowYears,
			from.Format(DateLayout), to.Format(DateLayout))
	}
	return d, nil
}

// Eligible returns the guests who get the letter of kind on d (midnight in the hotel's
// zone): one per address. Of several records with one address (a duplicate not merged
// yet) the one stayed in last gets it (its name is the freshest), then the lowest ID;
// the outbox's unique address enforces the same across runs and instances.
func (r OutreachRules) Eligible(ctx context.Context, src OutreachCandidates, kind OutreachKind, d time.Time) ([]OutreachPick, error) {
	var cands []OutreachCandidate
	var err error
	switch kind {
	case OutreachBirthday:
		cands, err = r.birthdayCandidates(ctx, src, d)
	case OutreachLapse:
		// Each lapse counts in the zone of its last stay's property, whose midnight lies
		// within a day and two hours of the group's: the rules keep those that are due.
		from, to := r.LapseRange(d)
		cands, err = src.LapseCandidates(ctx, from.Add(-zoneSpread), to.Add(zoneSpread), d.Format(DateLayout))
	default:
		_, err = ParseOutreachKind(string(kind))
	}
	if err != nil {
		return nil, err
	}
	var out []OutreachPick
	byAddress := map[string]int{} // address → its pick in out
	for _, c := range cands {
		reasons, period := r.Reasons(kind, c, d)
		if len(reasons) > 0 {
			continue
		}
		key := AddressKey(c.Guest.Email)
		if i, ok := byAddress[key]; ok {
			if stayedLater(c, out[i].Candidate) {
				out[i] = OutreachPick{c, period}
			}
			continue
		}
		byAddress[key] = len(out)
		out = append(out, OutreachPick{c, period})
	}
	return out, nil
}

// zoneSpread is the furthest two zones' midnights of one date lie apart (UTC+14 to UTC-12).
const zoneSpread = 26 * time.Hour

// stayedLater tells whether a's last check-out is after b's, or, equal, a's ID is lower.
func stayedLater(a, b OutreachCandidate) bool {
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

// birthdayCandidates returns the guests whose birthday was celebrated on d or in the
// BirthdayGrace days before it, without a greeting for that year: one selection per
// date (each date's own year: the window may span New Year).
func (r OutreachRules) birthdayCandidates(ctx context.Context, src OutreachCandidates, d time.Time) ([]OutreachCandidate, error) {
	var out []OutreachCandidate
	for k := max(r.BirthdayGrace, 0); k >= 0; k-- {
		b := d.AddDate(0, 0, -k)
		cands, err := src.BirthdayCandidates(ctx, BirthdayMonthDays(b), strconv.Itoa(b.Year()), d.Format(DateLayout))
		if err != nil {
			return nil, err
		}
		out = append(out, cands...)
	}
	return out, nil
}

// Explain tells whether the candidate c would get the letter of kind on d, and every
// reason they would not; src answers whether another guest with the same address gets it.
func (r OutreachRules) Explain(ctx context.Context, src OutreachCandidates, kind OutreachKind, c OutreachCandidate, d time.Time) (OutreachExplanation, error) {
	reasons, period := r.Reasons(kind, c, d)
	if c.Suppressed != nil && !c.Erased {
		reasons = append(reasons, c.Suppressed.Reason()+": a letter is recorded as suppressed, not sent")
	}
	if len(reasons) == 0 {
		// Eligible alone; of several guests with this address only one gets the letter.
		picks, err := r.Eligible(ctx, src, kind, d)
		if err != nil {
			return OutreachExplanation{}, err
		}
		for _, p := range picks {
			if p.Candidate.Guest.ID != c.Guest.ID && AddressKey(p.Candidate.Guest.Email) == AddressKey(c.Guest.Email) {
				reasons = append(reasons, "another guest with this address ("+p.Candidate.Guest.ID+") gets this letter: one letter per address")
			}
		}
	}
	ex := OutreachExplanation{Eligible: len(reasons) == 0, Reasons: reasons, Period: period, LastStay: c.LastStay}
	if ex.Eligible && kind == OutreachBirthday {
		b := LastBirthday(c.Guest.Birthday, d)
		if late := daysBetween(b, d); late > 0 {
			ex.Note = fmt.Sprintf("birthday %d %s ago (%s), within the %d-day grace (REGULARS_BIRTHDAY_GRACE): sent late",
				late, plural(late, "day"), b.Format(DateLayout), r.BirthdayGrace)
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

// LapseCutoff is the start of the hotel day LapseAfter days before d: a guest whose last
// check-out is before it has not stayed for more than LapseAfter days.
func (r OutreachRules) LapseCutoff(d time.Time) time.Time { return d.AddDate(0, 0, -r.LapseAfter) }

// LapseRange is [from, to) of the last check-outs written about on d: lapsed, within
// the window.
func (r OutreachRules) LapseRange(d time.Time) (from, to time.Time) {
	to = r.LapseCutoff(d)
	return to.AddDate(0, 0, -r.LapseWindow), to
}

// Reasons lists why the guest would not get the letter of kind on day d (none: they
// would), and the period the letter would be for.
func (r OutreachRules) Reasons(kind OutreachKind, c OutreachCandidate, d time.Time) ([]string, string) {
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
	case g.Consent != nil && g.Consent.Channel == ChannelEmailLink:
		reasons = append(reasons, "unsubscribed")
	case c.EverGranted:
		reasons = append(reasons, "marketing consent withdrawn")
	default:
		reasons = append(reasons, "no marketing consent")
	}
	day := d.Format(DateLayout)
	period := ""
	switch kind {
	case OutreachBirthday:
		period = strconv.Itoa(d.Year())
		if len(g.Birthday) != len(DateLayout) {
			reasons = append(reasons, "no birthday on file")
			break
		}
		b := LastBirthday(g.Birthday, d)
		switch late := daysBetween(b, d); {
		case late <= max(r.BirthdayGrace, 0):
			period = strconv.Itoa(b.Year()) // a late greeting is for the birthday's year
		case r.BirthdayGrace <= 0:
			reasons = append(reasons, "birthday is not on "+day)
		default:
			reasons = append(reasons, fmt.Sprintf("birthday %d days ago (%s), past the %d-day grace (REGULARS_BIRTHDAY_GRACE)",
				late, b.Format(DateLayout), r.BirthdayGrace))
		}
	case OutreachLapse:
		reasons, period = r.lapseReasons(reasons, c, d)
	}
	if st, ok := c.Messages[period]; ok && period != "" {
		what := "already greeted for " + period
		if kind == OutreachLapse {
			what = "already written to for this lapse (last check-out " + period + ")"
		}
		reasons = append(reasons, what+": message "+st)
	} else if other, ok := c.Shared[period]; ok && period != "" {
		reasons = append(reasons, "another guest with this address ("+other+") already has this letter")
	}
	return reasons, period
}

// lapseReasons adds the lapse letter's own reasons. They count in the zone of the last
// stay's property: d is that date there, and the period is the last check-out's date there.
func (r OutreachRules) lapseReasons(reasons []string, c OutreachCandidate, d time.Time) ([]string, string) {
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, c.LastStay.Zone(d.Location()))
	day := d.Format(DateLayout)
	if c.InHouse {
		reasons = append(reasons, "in house")
	}
	if c.NextArrival != "" {
		reasons = append(reasons, "arrival expected on "+c.NextArrival)
	}
	if c.LastCheckOut == nil {
		return append(reasons, "no past stay"), ""
	}
	period := c.LastCheckOut.In(d.Location()).Format(DateLayout)
	from, to := r.LapseRange(d)
	switch {
	case !c.LastCheckOut.Before(to):
		reasons = append(reasons, "last check-out on "+period+" is not more than "+strconv.Itoa(r.LapseAfter)+" days before "+day)
	case c.LastCheckOut.Before(from):
		reasons = append(reasons, "lapsed more than "+strconv.Itoa(r.LapseWindow)+" days before "+day+" (last check-out "+period+
			"); a lapse is written about only within that window (REGULARS_LAPSE_WINDOW)")
	}
	return reasons, period
}

// LastBirthday is the latest date on or before d on which a guest born on birthday
// ("YYYY-MM-DD") is celebrated: 29 February falls on 28 February in other years.
func LastBirthday(birthday string, d time.Time) time.Time {
	born, _ := time.Parse(DateLayout, birthday)
	on := func(year int) time.Time {
		c := CelebratedOn(born, year)
		return time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, d.Location())
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

// BornOn tells whether the guest's birthday is celebrated on d itself (not late, in the
// grace after it).
func BornOn(c OutreachCandidate, d time.Time) bool {
	return len(c.Guest.Birthday) == len(DateLayout) && slices.Contains(BirthdayMonthDays(d), c.Guest.Birthday[5:])
}

// BirthdayMonthDays are the birthdays ("MM-DD") celebrated on d: its own, and 29 February
// on 28 February of a year without one.
func BirthdayMonthDays(d time.Time) []string {
	md := d.Format("01-02")
	if md == "02-28" && !isLeap(d.Year()) {
		return []string{md, "02-29"}
	}
	return []string{md}
}
