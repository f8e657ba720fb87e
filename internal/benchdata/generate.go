// Package benchdata fills a database with a large, believable hotel for benchmarks:
// guests with documents, birthdays, e-mails, consent, preferences and past stays, and a
// hotel of 600 rooms with most of them occupied. One generator makes the rows; a writer
// per engine (SQLite, PostgreSQL) stores them, so both engines hold the same hotel.
package benchdata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"regulars/preferences"
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
	// Properties is how many hotels the group has (default 1): room k and its stays
	// belong to property k mod Properties, the first being MAIN, the others P2, P3, …
	Properties int
}

// MaxProperties bounds Options.Properties: every property keeps some of the 600 rooms.
const MaxProperties = 100

// Actor is who the generated rows are attributed to in the audit log and consent ledger.
var Actor = preferences.Actor{Name: "bench import", Role: preferences.RoleSystem}

// MinGuests is the smallest hotel Generate builds: every occupied room needs a guest.
const MinGuests = 500

const batchSize = 10_000

// withDefaults fills the options left zero and checks that the hotel can be built.
func (opt Options) withDefaults() (Options, error) {
	if opt.Occupied == 0 {
		opt.Occupied = 450
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	if opt.Properties == 0 {
		opt.Properties = 1
	}
	if opt.Properties < 1 || opt.Properties > MaxProperties {
		return opt, fmt.Errorf("benchdata: properties must be between 1 and %d", MaxProperties)
	}
	if opt.Occupied > Floors*RoomsPerFloor || opt.Occupied > opt.Guests {
		return opt, errors.New("benchdata: more occupied rooms than rooms or guests")
	}
	return opt, nil
}

// table is one table the generator fills: its name and the columns of its rows, in order.
type table struct {
	name    string
	columns []string
}

// The tables of a batch, in the order they are written: a row after those it refers to.
const (
	tGuests = iota
	tDocuments
	tConsent
	tAudit
	tStays
	tFeedback
	tFollowUps
	numTables
)

var tables = [numTables]table{
	tGuests: {"guests", []string{"id", "family_name", "given_name", "salutation", "email", "phone", "birthday",
		"birthday_md", "language", "time_zone", "marketing_consent", "consent_at", "consent_channel", "consent_by",
		"preferences", "search_text", "created_at", "updated_at"}},
	tDocuments: {"guest_documents", []string{"type", "number_hash", "guest_id", "last4", "birth_date", "created_at"}},
	tConsent:   {"consent_events", []string{"guest_id", "granted", "channel", "actor", "at"}},
	tAudit:     {"audit_log", []string{"at", "actor", "role", "action", "guest_id", "detail"}},
	tStays:     {"stays", []string{"id", "guest_id", "property_id", "room", "check_in", "check_out", "planned_nights", "spend"}},
	tFeedback: {"feedback", []string{"id", "guest_id", "stay_id", "kind", "text", "status", "created_at", "created_by",
		"resolution", "resolved_at", "resolved_by"}},
	tFollowUps: {"follow_ups", []string{"id", "guest_id", "feedback_id", "text", "created_at", "created_by"}},
}

// propertyInsert adds a property of the group; MAIN, which the migrations make, stays.
const propertyInsert = `INSERT INTO properties (id, code, name, time_zone) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`

var roomsTable = table{"rooms", []string{"property_id", "number", "floor", "view", "bed", "quiet", "smoking", "features", "updated_at"}}

// roomUpsert writes a room as the store's PutRoom does: a room that exists is replaced.
var roomUpsert = insertSQL(roomsTable) + ` ON CONFLICT (property_id, number) DO UPDATE SET floor = excluded.floor,
	view = excluded.view, bed = excluded.bed, quiet = excluded.quiet, smoking = excluded.smoking,
	features = excluded.features, updated_at = excluded.updated_at`

// insertSQL is the INSERT of one row of t, with ? placeholders.
func insertSQL(t table) string {
	return `INSERT INTO ` + t.name + ` (` + strings.Join(t.columns, ", ") + `) VALUES (?` +
		strings.Repeat(", ?", len(t.columns)-1) + `)`
}

// batch is the rows of batchSize consecutive guests, by table.
type batch struct {
	rows [numTables][][]any
	last int // index of the last guest
}

// generator makes the rows of the hotel. Instants are stored as at gives them (the
// engine's form); NULL is nil.
type generator struct {
	opt    Options
	sealer *preferences.Sealer
	at     func(time.Time) any
	ids    []string // guest ids by index
	start  time.Time
	// roomAt is the property ID of each room number.
	roomAt map[string]string
}

func newGenerator(opt Options, at func(time.Time) any) *generator {
	g := &generator{opt: opt, sealer: preferences.NewSealer(opt.Secret), at: at, ids: make([]string, opt.Guests),
		start: time.Now(), roomAt: map[string]string{}}
	for k := range Floors * RoomsPerFloor {
		g.roomAt[RoomNumber(k)] = g.propertyID(k % opt.Properties)
	}
	return g
}

// propertyID is the ID of the group's property i (0: MAIN).
func (g *generator) propertyID(i int) string {
	if i == 0 {
		return preferences.MainPropertyID
	}
	return fmt.Sprintf("p_bench_%d", i+1)
}

// properties are the rows of the group's properties besides MAIN.
func (g *generator) properties() [][]any {
	var rows [][]any
	for i := 1; i < g.opt.Properties; i++ {
		rows = append(rows, []any{g.propertyID(i), fmt.Sprintf("P%d", i+1), fmt.Sprintf("Bench Hotel %d", i+1), g.opt.Location.String()})
	}
	return rows
}

// progress writes a progress line with the time since the start.
func (g *generator) progress(what string) {
	if g.opt.Progress != nil {
		fmt.Fprintf(g.opt.Progress, "  %s (%.1fs)\n", what, time.Since(g.start).Seconds())
	}
}

// run makes the guests' batches on a goroutine of its own and hands each to write, in
// order, while the next one is made.
func (g *generator) run(ctx context.Context, write func(*batch) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *batch, 2)
	errc := make(chan error, 1)
	go func() { errc <- g.produce(ctx, batches) }()
	for b := range batches {
		if err := write(b); err != nil {
			cancel()
			for range batches { // let the producer finish
			}
			return err
		}
		if (b.last+1)%100_000 == 0 {
			g.progress(fmt.Sprintf("%d guests", b.last+1))
		}
	}
	return <-errc
}

func (g *generator) produce(ctx context.Context, out chan<- *batch) error {
	defer close(out)
	for lo := 0; lo < g.opt.Guests; lo += batchSize {
		b := &batch{}
		for i := lo; i < min(lo+batchSize, g.opt.Guests); i++ {
			if err := g.guest(b, PersonAt(i)); err != nil {
				return err
			}
			b.last = i
		}
		select {
		case out <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// guest adds the rows of one person to b, with the columns the store's methods write.
func (g *generator) guest(b *batch, p Person) error {
	sd, err := g.sealer.Seal(p.Document, g.opt.Now)
	if err != nil {
		return fmt.Errorf("benchdata: guest %d: %w", p.Index, err)
	}
	id := preferences.NewID("g")
	g.ids[p.Index] = id
	prefs := "{}"
	if p.Prefs != nil {
		js, err := json.Marshal(p.Prefs)
		if err != nil {
			return err
		}
		prefs = string(js)
	}
	first := 30 + p.Index%2500
	if len(p.Stays) > 0 {
		first = p.Stays[0].CheckOutDaysAgo + p.Stays[0].Nights
	}
	created := g.at(g.day(first, 13))
	var consentAt any
	var channel, by string
	if p.Consent != nil {
		consentAt = created
		channel, by = preferences.ChannelDesk, "front desk"
		if p.Index%3 == 0 {
			channel, by = preferences.ChannelKiosk, "Lobby kiosk"
		}
		b.add(tConsent, id, *p.Consent, channel, by, created)
	}
	gu := p.Guest
	gu.ID = id
	b.add(tGuests, id, gu.FamilyName, gu.GivenName, gu.Salutation, gu.Email, gu.Phone, gu.Birthday,
		sqlstore.MonthDay(gu.Birthday), gu.Language, gu.TimeZone, p.Consent != nil && *p.Consent, consentAt,
		channel, by, prefs, sqlstore.SearchText(gu), created, created)
	b.add(tDocuments, p.Document.Type, sd.Hash, id, sd.Last4, sd.BirthDate, created)
	b.add(tAudit, created, Actor.Name, string(Actor.Role), preferences.ActionCreate, id, "")
	var stayID string
	for _, s := range p.Stays {
		// s.Nights hotel dates apart: the nights read back (counted from the dates in the
		// hotel zone, preferences.StayNights) equal the planned ones.
		in, out := g.day(s.CheckOutDaysAgo+s.Nights, 14), g.day(s.CheckOutDaysAgo, 12)
		stayID = preferences.NewID("s")
		b.add(tStays, stayID, id, g.roomAt[s.Room], s.Room, g.at(in), g.at(out), s.Nights, s.Spend)
	}
	if p.Complain {
		g.complaint(b, p, id, stayID)
	}
	return nil
}

// complaint records a resolved complaint about the last stay; every other one leaves a
// follow-up for the next stay.
func (g *generator) complaint(b *batch, p Person, guestID, stayID string) {
	last := p.Stays[len(p.Stays)-1]
	at := g.at(g.day(last.CheckOutDaysAgo, 11))
	id := preferences.NewID("f")
	text := complaints[p.Index%len(complaints)]
	b.add(tFeedback, id, guestID, stayID, "complaint", text, "resolved", at, "front desk",
		"apologised and noted", at, "duty manager")
	if p.Index%2 == 0 {
		b.add(tFollowUps, preferences.NewID("fu"), guestID, id, "Check at arrival: "+text, at, "duty manager")
	}
}

func (b *batch) add(t int, values ...any) { b.rows[t] = append(b.rows[t], values) }

// day returns hour:00 hotel time, daysAgo days before the generation day.
func (g *generator) day(daysAgo, hour int) time.Time {
	d := g.opt.Now.In(g.opt.Location)
	return time.Date(d.Year(), d.Month(), d.Day()-daysAgo, hour, 0, 0, 0, g.opt.Location).UTC()
}

// rooms are the rows of the hotel's rooms, as the store's PutRoom keeps them.
func (g *generator) rooms() ([][]any, error) {
	var rows [][]any
	for k := range Floors * RoomsPerFloor {
		r := RoomAt(k)
		r.Normalize()
		if err := r.Validate(); err != nil {
			return nil, err
		}
		features, err := json.Marshal(r.Features)
		if err != nil {
			return nil, err
		}
		rows = append(rows, []any{g.roomAt[r.Number], r.Number, r.Floor, r.View, r.Bed, r.Quiet, r.Smoking, string(features), g.at(g.opt.Now)})
	}
	return rows, nil
}

// checkIns are the stays rows that put distinct guests into Occupied distinct rooms,
// arrived in the last days; they follow every guest's rows.
func (g *generator) checkIns() [][]any {
	r := rand.New(rand.NewPCG(seed, 1<<62))
	rooms := r.Perm(Floors * RoomsPerFloor)[:g.opt.Occupied]
	guests := map[int]bool{}
	var rows [][]any
	for _, k := range rooms {
		i := r.IntN(g.opt.Guests)
		for guests[i] {
			i = r.IntN(g.opt.Guests)
		}
		guests[i] = true
		arrived := r.IntN(4)
		nights := arrived + 1 + r.IntN(5)
		rows = append(rows, []any{preferences.NewID("s"), g.ids[i], g.roomAt[RoomNumber(k)], RoomNumber(k), g.at(g.day(arrived, 14)), nil, nights, ""})
	}
	return rows
}
