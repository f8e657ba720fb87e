// Package benchdata fills a database with a large, believable hotel for benchmarks:
// guests with documents, birthdays, e-mails, consent, preferences and past stays, and a
// hotel of 600 rooms with most of them occupied.
package benchdata

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"regulars/preferences"
	"regulars/preferences/sqlite"
	"regulars/preferences/sqlstore"
)

// Options size and date a generated hotel.
type Options struct {
	Guests   int            // number of guests
	Occupied int            // rooms occupied now; default 450 of the 600
	Secret   []byte         // the service secret, so that document look-ups work
	Now      time.Time      // the generation day; default time.Now
	Location *time.Location // the hotel's zone (check-in 14:00, check-out 12:00); default UTC
	Progress io.Writer      // progress lines; nil: none
}

// Actor is who the generated rows are attributed to in the audit log and consent ledger.
var Actor = preferences.Actor{Name: "bench import", Role: preferences.RoleSystem}

const batchSize = 10_000

// Generate fills db, which must hold no guests yet. Rows are written directly, in
// transactions of 10,000 guests with prepared statements, with the same columns the
// store's methods write.
func Generate(ctx context.Context, db *sqlite.DB, opt Options) error {
	if opt.Occupied == 0 {
		opt.Occupied = 450
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.Occupied > Floors*RoomsPerFloor || opt.Occupied > opt.Guests {
		return errors.New("benchdata: more occupied rooms than rooms or guests")
	}
	w := db.Writer()
	var n int
	if err := w.QueryRowContext(ctx, `SELECT count(*) FROM guests`).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("benchdata: the database already holds %d guests", n)
	}
	// A bulk load that fails is simply run again on a new file: no need to sync each batch.
	// The indexes on random ids outgrow the usual page cache; a large one keeps the
	// load from slowing down as they grow.
	if _, err := w.ExecContext(ctx, `PRAGMA synchronous = OFF; PRAGMA cache_size = -2000000`); err != nil {
		return err
	}
	defer w.ExecContext(context.Background(), `PRAGMA synchronous = FULL; PRAGMA cache_size = -20000`)
	start := time.Now()
	for k := range Floors * RoomsPerFloor {
		r := RoomAt(k)
		features, err := json.Marshal(append([]string{}, r.Features...))
		if err != nil {
			return err
		}
		if _, err := w.ExecContext(ctx, `INSERT INTO rooms (number, floor, view, bed, quiet, smoking, features, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.Number, r.Floor, r.View, r.Bed, r.Quiet, r.Smoking, string(features), ts(opt.Now.UTC())); err != nil {
			return err
		}
	}
	restore, err := dropIndexes(ctx, w)
	if err != nil {
		return err
	}
	g := &generator{opt: opt, sealer: preferences.NewSealer(opt.Secret), ids: make([]string, opt.Guests)}
	batches := make(chan []row, 2)
	errc := make(chan error, 1)
	go func() { errc <- g.produce(ctx, batches) }()
	for b := range batches {
		if err := g.write(ctx, w, b); err != nil {
			for range batches { // let the producer finish
			}
			return err
		}
		if opt.Progress != nil && (b[len(b)-1].Index+1)%100_000 == 0 {
			fmt.Fprintf(opt.Progress, "  %d guests (%.1fs)\n", b[len(b)-1].Index+1, time.Since(start).Seconds())
		}
	}
	if err := <-errc; err != nil {
		return err
	}
	if err := restore(); err != nil {
		return err
	}
	if err := g.checkIn(ctx, w); err != nil {
		return err
	}
	if _, err := w.ExecContext(ctx, `ANALYZE`); err != nil {
		return err
	}
	_, err = w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// dropIndexes drops the indexes the migrations created (primary keys stay) and returns
// what recreates them: building an index once over all rows is much faster than
// keeping it up to date row by row, and recreating a unique one checks the data.
func dropIndexes(ctx context.Context, w *sql.DB) (restore func() error, err error) {
	rows, err := w.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := w.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return nil, err
		}
	}
	return func() error {
		for _, def := range defs {
			if _, err := w.ExecContext(ctx, def); err != nil {
				return fmt.Errorf("benchdata: recreate index: %w", err)
			}
		}
		return nil
	}, nil
}

type generator struct {
	opt    Options
	sealer *preferences.Sealer
	ids    []string // guest ids by index
}

// row is a Person with everything derived that costs CPU (hash, JSON, search text).
type row struct {
	Person
	id, searchText, prefs string
	hash                  []byte
	last4, birthDate      string
	created               time.Time
}

func (g *generator) produce(ctx context.Context, out chan<- []row) error {
	defer close(out)
	today := g.opt.Now
	for lo := 0; lo < g.opt.Guests; lo += batchSize {
		b := make([]row, 0, batchSize)
		for i := lo; i < min(lo+batchSize, g.opt.Guests); i++ {
			p := PersonAt(i)
			sd, err := g.sealer.Seal(p.Document, today)
			if err != nil {
				return fmt.Errorf("benchdata: guest %d: %w", i, err)
			}
			r := row{Person: p, id: preferences.NewID("g"), hash: sd.Hash, last4: sd.Last4, birthDate: sd.BirthDate, prefs: "{}"}
			r.Guest.ID = r.id
			r.searchText = sqlstore.SearchText(r.Guest)
			if p.Prefs != nil {
				js, err := json.Marshal(p.Prefs)
				if err != nil {
					return err
				}
				r.prefs = string(js)
			}
			first := 30 + i%2500
			if len(p.Stays) > 0 {
				first = p.Stays[0].CheckOutDaysAgo + p.Stays[0].Nights
			}
			r.created = g.day(first, 13)
			g.ids[i] = r.id
			b = append(b, r)
		}
		select {
		case out <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// day returns hour:00 hotel time, daysAgo days before the generation day, as stored text.
func (g *generator) day(daysAgo, hour int) time.Time {
	d := g.opt.Now.In(g.opt.Location)
	return time.Date(d.Year(), d.Month(), d.Day()-daysAgo, hour, 0, 0, 0, g.opt.Location).UTC()
}

func ts(t time.Time) string { return t.Format(sqlstore.TimeLayout) }

// statements are the inserts of one batch, prepared once per transaction.
var statements = []string{
	`INSERT INTO guests (id, family_name, given_name, salutation, email, phone, birthday, birthday_md, language,
		time_zone, marketing_consent, consent_at, consent_channel, consent_by, preferences, search_text, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	`INSERT INTO guest_documents (type, number_hash, guest_id, last4, birth_date, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
	`INSERT INTO consent_events (guest_id, granted, channel, actor, at) VALUES (?, ?, ?, ?, ?)`,
	`INSERT INTO audit_log (at, actor, role, action, guest_id, detail) VALUES (?, ?, ?, ?, ?, ?)`,
	`INSERT INTO stays (id, guest_id, room, check_in, check_out, planned_nights, spend) VALUES (?, ?, ?, ?, ?, ?, ?)`,
	`INSERT INTO feedback (id, guest_id, stay_id, kind, text, status, created_at, created_by, resolution, resolved_at, resolved_by)
		VALUES (?, ?, ?, 'complaint', ?, 'resolved', ?, 'front desk', 'apologised and noted', ?, 'duty manager')`,
	`INSERT INTO follow_ups (id, guest_id, feedback_id, text, created_at, created_by) VALUES (?, ?, ?, ?, ?, 'duty manager')`,
}

const (
	stmtGuest = iota
	stmtDocument
	stmtConsent
	stmtAudit
	stmtStay
	stmtFeedback
	stmtFollowUp
)

func (g *generator) write(ctx context.Context, w *sql.DB, batch []row) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st := make([]*sql.Stmt, len(statements))
	for k, q := range statements {
		if st[k], err = tx.PrepareContext(ctx, q); err != nil {
			return err
		}
		defer st[k].Close()
	}
	for _, r := range batch {
		created := ts(r.created)
		var consentAt sql.NullString
		var channel, by string
		if r.Consent != nil {
			consentAt = sql.NullString{String: created, Valid: true}
			channel, by = preferences.ChannelDesk, "front desk"
			if r.Index%3 == 0 {
				channel, by = preferences.ChannelKiosk, "Lobby kiosk"
			}
		}
		gu := r.Guest
		if _, err := st[stmtGuest].ExecContext(ctx, r.id, gu.FamilyName, gu.GivenName, gu.Salutation, gu.Email, gu.Phone,
			gu.Birthday, sqlstore.MonthDay(gu.Birthday), gu.Language, gu.TimeZone, r.Consent != nil && *r.Consent, consentAt,
			channel, by, r.prefs, r.searchText, created, created); err != nil {
			return fmt.Errorf("benchdata: guest %d: %w", r.Index, err)
		}
		if _, err := st[stmtDocument].ExecContext(ctx, r.Document.Type, r.hash, r.id, r.last4, r.birthDate, created); err != nil {
			return fmt.Errorf("benchdata: document of guest %d: %w", r.Index, err)
		}
		if _, err := st[stmtAudit].ExecContext(ctx, created, Actor.Name, string(Actor.Role), preferences.ActionCreate, r.id, ""); err != nil {
			return err
		}
		if r.Consent != nil {
			if _, err := st[stmtConsent].ExecContext(ctx, r.id, *r.Consent, channel, by, created); err != nil {
				return err
			}
		}
		var stayID string
		for _, s := range r.Stays {
			// s.Nights hotel dates apart: the nights read back (counted from the dates in the
			// hotel zone, preferences.StayNights) equal the planned ones.
			in, out := g.day(s.CheckOutDaysAgo+s.Nights, 14), g.day(s.CheckOutDaysAgo, 12)
			stayID = preferences.NewID("s")
			if _, err := st[stmtStay].ExecContext(ctx, stayID, r.id, s.Room, ts(in), ts(out), s.Nights, s.Spend); err != nil {
				return err
			}
		}
		if r.Complain {
			if err := g.complaint(ctx, st, r, stayID); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// complaint records a resolved complaint about the last stay; every other one leaves a
// follow-up for the next stay.
func (g *generator) complaint(ctx context.Context, st []*sql.Stmt, r row, stayID string) error {
	last := r.Stays[len(r.Stays)-1]
	at := ts(g.day(last.CheckOutDaysAgo, 11))
	id := preferences.NewID("f")
	text := complaints[r.Index%len(complaints)]
	if _, err := st[stmtFeedback].ExecContext(ctx, id, r.id, stayID, text, at, at); err != nil {
		return err
	}
	if r.Index%2 == 1 {
		return nil
	}
	_, err := st[stmtFollowUp].ExecContext(ctx, preferences.NewID("fu"), r.id, id, "Check at arrival: "+text, at)
	return err
}

// checkIn puts distinct guests into Occupied distinct rooms, arrived in the last days.
func (g *generator) checkIn(ctx context.Context, w *sql.DB) error {
	r := rand.New(rand.NewPCG(seed, 1<<62))
	rooms := r.Perm(Floors * RoomsPerFloor)[:g.opt.Occupied]
	guests := map[int]bool{}
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, k := range rooms {
		i := r.IntN(g.opt.Guests)
		for guests[i] {
			i = r.IntN(g.opt.Guests)
		}
		guests[i] = true
		arrived := r.IntN(4)
		nights := arrived + 1 + r.IntN(5)
		if _, err := tx.ExecContext(ctx, statements[stmtStay], preferences.NewID("s"), g.ids[i], RoomNumber(k),
			ts(g.day(arrived, 14)), nil, nights, ""); err != nil {
			return fmt.Errorf("benchdata: check-in: %w", err)
		}
	}
	return tx.Commit()
}

// MinGuests is the smallest hotel Generate builds: every occupied room needs a guest.
const MinGuests = 500
