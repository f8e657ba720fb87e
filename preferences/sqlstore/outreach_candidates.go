package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"regulars/preferences"
)

// candidateColumns reads what the outreach rules need of each guest g but the last
// check-out, which each query adds. Its parameters are true (for consent ever granted)
// and the day ('YYYY-MM-DD', for arrivals ahead); the guest's letters are read after it
// (outreachLetters).
const candidateColumns = `SELECT g.id, g.family_name, g.given_name, g.salutation, g.email, g.birthday, g.language,
	g.time_zone, g.marketing_consent, g.consent_at, g.consent_channel, g.erased_at IS NOT NULL,
	EXISTS (SELECT 1 FROM consent_events e WHERE e.guest_id = g.id AND e.granted = ?),
	EXISTS (SELECT 1 FROM stays s WHERE s.guest_id = g.id AND s.check_out IS NULL),
	(SELECT min(a.arrival_date) FROM arrivals a WHERE a.guest_id = g.id AND a.arrival_date >= ? AND a.status = 'expected')`

// candidateSelect is candidateColumns over guests, the last check-out from their stays.
const candidateSelect = candidateColumns + `,
	(SELECT max(s.check_out) FROM stays s WHERE s.guest_id = g.id) FROM guests g`

// contactable keeps guests who can be written to at all (its parameter: true); the rest
// are excluded again, with reasons, by the rules.
const contactable = ` g.erased_at IS NULL AND g.marketing_consent = ? AND g.email <> ''`

func (t *tx) OutreachCandidateByID(ctx context.Context, kind preferences.OutreachKind, guestID, day string) (preferences.OutreachCandidate, error) {
	cands, err := t.candidates(ctx, kind, candidateSelect+` WHERE g.id = ?`, true, day, guestID)
	if err != nil {
		return preferences.OutreachCandidate{}, err
	}
	if len(cands) == 0 {
		return preferences.OutreachCandidate{}, notFound("guest")
	}
	return cands[0], nil
}

// BirthdayCandidates reads the birthday_md index: a few days' birthdays, never the
// whole table.
func (t *tx) BirthdayCandidates(ctx context.Context, monthDays []string, period, day string) ([]preferences.OutreachCandidate, error) {
	if len(monthDays) == 0 {
		return nil, nil
	}
	args := []any{true, day, true, string(preferences.OutreachBirthday), period}
	for _, md := range monthDays {
		args = append(args, md)
	}
	return t.candidates(ctx, preferences.OutreachBirthday, birthdayQuery(len(monthDays)), args...)
}

// birthdayQuery selects by birthday_md among n month-days (parameters: true, day, true,
// occasion, period, the month-days).
func birthdayQuery(n int) string {
	return candidateSelect + ` WHERE` + contactable + `
		AND NOT EXISTS (SELECT 1 FROM outreach_messages o WHERE o.guest_id = g.id AND o.occasion = ? AND o.period = ?)
		AND g.birthday_md IN (` + placeholders(n) + `) ORDER BY g.id`
}

// lapseQuery starts from the stays that ended in [from, to) (parameters 3 and 4; the
// index on stays' check-out) and keeps each guest's last one: no later check-out (an
// equal one with a greater ID for a tie). Starting from guests, PostgreSQL scanned them
// all at 1M guests (0.5 s, against 0.14 s).
const lapseQuery = candidateColumns + `, w.check_out
	FROM stays w JOIN guests g ON g.id = w.guest_id
	WHERE w.check_out >= ? AND w.check_out < ?
	AND NOT EXISTS (SELECT 1 FROM stays s WHERE s.guest_id = w.guest_id
		AND (s.check_out > w.check_out OR (s.check_out = w.check_out AND s.id > w.id)))
	AND` + contactable + ` ORDER BY w.check_out, g.id`

// sqliteLapseQuery is lapseQuery through SQLite's outreach_last_checkout (kept by its
// triggers, indexed): SQLite has no index on stays' check-out, and a scan of every stay
// at each run is what that table was made to avoid. Parameters as lapseQuery's.
const sqliteLapseQuery = candidateColumns + `, l.last_check_out
	FROM outreach_last_checkout l JOIN guests g ON g.id = l.guest_id
	WHERE l.last_check_out >= ? AND l.last_check_out < ? AND` + contactable + `
	ORDER BY l.last_check_out, g.id`

func (t *tx) LapseCandidates(ctx context.Context, from, to time.Time, day string) ([]preferences.OutreachCandidate, error) {
	q := lapseQuery
	if t.s.d.Name == "sqlite" {
		q = sqliteLapseQuery
	}
	return t.candidates(ctx, preferences.OutreachLapse, q, true, day, t.at(from), t.at(to), true)
}

// candidates runs a candidateSelect query and adds each guest's letters of kind.
func (t *tx) candidates(ctx context.Context, kind preferences.OutreachKind, query string, args ...any) ([]preferences.OutreachCandidate, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []preferences.OutreachCandidate{}
	for rows.Next() {
		c, err := scanCandidate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := t.lastStays(ctx, out); err != nil {
		return nil, err
	}
	return out, t.outreachLetters(ctx, kind, out)
}

// lastStays sets each candidate's LastStay: the stay that ended last anywhere in the
// group (the greater ID of a tie, as the lapse query's), with its property.
func (t *tx) lastStays(ctx context.Context, cands []preferences.OutreachCandidate) error {
	byID := map[string][]int{}
	for i, c := range cands {
		if c.LastCheckOut != nil {
			byID[c.Guest.ID] = append(byID[c.Guest.ID], i)
		}
	}
	return t.inChunks(ctx, byID, nil, `SELECT s.guest_id, s.id, s.check_out, `+propertyColumns+`
		FROM stays s JOIN properties p ON p.id = s.property_id
		WHERE s.check_out IS NOT NULL AND s.guest_id IN (%s)
		AND NOT EXISTS (SELECT 1 FROM stays l WHERE l.guest_id = s.guest_id
			AND (l.check_out > s.check_out OR (l.check_out = s.check_out AND l.id > s.id)))`,
		func(rows *sql.Rows) error {
			var guestID string
			var st preferences.OutreachStay
			p := &st.Property
			err := rows.Scan(&guestID, &st.ID, scanAt(&st.CheckOut), &p.ID, &p.Code, &p.Name, &p.TimeZone, &p.Address, &p.Phone, &p.FromConfig)
			for _, i := range byID[guestID] {
				cands[i].LastStay = &st
			}
			return err
		})
}

func scanCandidate(rows *sql.Rows) (preferences.OutreachCandidate, error) {
	c := preferences.OutreachCandidate{Messages: map[string]string{}, Shared: map[string]string{}}
	g := &c.Guest
	var consentAt *time.Time
	var arrival sql.NullString
	var channel string
	err := rows.Scan(&g.ID, &g.FamilyName, &g.GivenName, &g.Salutation, &g.Email, &g.Birthday, &g.Language,
		&g.TimeZone, &g.MarketingConsent, scanAtOrNil(&consentAt), &channel, &c.Erased, &c.EverGranted, &c.InHouse,
		&arrival, scanAtOrNil(&c.LastCheckOut))
	if consentAt != nil {
		g.Consent = &preferences.ConsentEvent{Granted: g.MarketingConsent, At: *consentAt, Channel: channel}
	}
	c.NextArrival = arrival.String
	return c, err
}

// letterChunk bounds the IDs or addresses of one query, under every engine's limit.
const letterChunk = 400

// outreachLetters fills each candidate's Messages (its own letters of kind, by period)
// and Shared (letters of kind to its address written to another guest).
func (t *tx) outreachLetters(ctx context.Context, kind preferences.OutreachKind, cands []preferences.OutreachCandidate) error {
	byID := map[string][]int{}
	byAddress := map[string][]int{}
	for i, c := range cands {
		byID[c.Guest.ID] = append(byID[c.Guest.ID], i)
		if a := preferences.AddressKey(c.Guest.Email); a != "" {
			byAddress[a] = append(byAddress[a], i)
		}
	}
	err := t.lettersBy(ctx, "guest_id", kind, byID, func(i int, period, guestID, status string) {
		cands[i].Messages[period] = status
	})
	if err != nil {
		return err
	}
	return t.lettersBy(ctx, "address", kind, byAddress, func(i int, period, guestID, status string) {
		if guestID != cands[i].Guest.ID {
			cands[i].Shared[period] = guestID
		}
	})
}

// lettersBy reads the letters of kind whose column (guest_id or address) is a key of
// keys, and calls add for each candidate (index) the key names.
func (t *tx) lettersBy(ctx context.Context, column string, kind preferences.OutreachKind, keys map[string][]int,
	add func(i int, period, guestID, status string)) error {
	return t.inChunks(ctx, keys, []any{string(kind)}, `SELECT `+column+`, period, guest_id, status FROM outreach_messages
		WHERE occasion = ? AND `+column+` IN (%s)`,
		func(rows *sql.Rows) error {
			var key, period, guestID, status string
			err := rows.Scan(&key, &period, &guestID, &status)
			for _, i := range keys[key] {
				add(i, period, guestID, status)
			}
			return err
		})
}

// inChunks runs query (its %s: the keys' placeholders, after the parameters first) for
// the keys of keys, letterChunk at a time, and scans each row with scan.
func (t *tx) inChunks(ctx context.Context, keys map[string][]int, first []any, query string,
	scan func(*sql.Rows) error) error {
	list := make([]any, 0, len(keys))
	for k := range keys {
		list = append(list, k)
	}
	for len(list) > 0 {
		n := min(len(list), letterChunk)
		args := append(append([]any{}, first...), list[:n]...)
		rows, err := t.query(ctx, fmt.Sprintf(query, placeholders(n)), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		list = list[n:]
	}
	return nil
}
