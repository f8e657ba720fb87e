package benchdata_test

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"regulars/internal/benchdata"
	"regulars/internal/pgtest"
	"regulars/preferences"
	"regulars/preferences/postgres"
	"regulars/preferences/sqlite"
	"regulars/preferences/sqlstore"
)

var (
	secret   = []byte("benchdata-test-secret-0123456789")
	shanghai = mustZone("Asia/Shanghai")
	options  = benchdata.Options{Guests: benchdata.MinGuests, Secret: secret, Location: shanghai,
		Now: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)}
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func openSQLite(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "hotel.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openPostgres(t *testing.T) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.URL(t), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dumps read every generated table with its references replaced by what they point at
// (a guest by its document hash, a stay by its room and check-in), so that two engines'
// rows compare whatever ids they were given. Each inner join keeps every row: the row
// counts are checked against the tables'.
var dumps = map[string]string{
	"guests": `SELECT d.type, d.number_hash, d.last4, d.birth_date, d.created_at, g.family_name, g.given_name,
		g.salutation, g.email, g.phone, g.birthday, g.birthday_md, g.language, g.time_zone, g.marketing_consent,
		g.consent_at, g.consent_channel, g.consent_by, g.preferences, g.search_text, g.created_at, g.updated_at, g.erased_at
		FROM guests g JOIN guest_documents d ON d.guest_id = g.id`,
	"guest_documents": `SELECT d.type, d.number_hash FROM guest_documents d JOIN guests g ON g.id = d.guest_id`,
	"consent_events": `SELECT d.number_hash, c.granted, c.channel, c.actor, c.at
		FROM consent_events c JOIN guest_documents d ON d.guest_id = c.guest_id`,
	"audit_log": `SELECT d.number_hash, a.at, a.actor, a.role, a.action, a.detail
		FROM audit_log a JOIN guest_documents d ON d.guest_id = a.guest_id`,
	"stays": `SELECT d.number_hash, s.room, s.check_in, s.check_out, s.planned_nights, s.spend
		FROM stays s JOIN guest_documents d ON d.guest_id = s.guest_id`,
	"feedback": `SELECT d.number_hash, s.guest_id = f.guest_id, s.room, s.check_in, f.kind, f.text, f.status,
		f.created_at, f.created_by, f.resolution, f.resolved_at, f.resolved_by
		FROM feedback f JOIN guest_documents d ON d.guest_id = f.guest_id JOIN stays s ON s.id = f.stay_id`,
	"follow_ups": `SELECT d.number_hash, f.guest_id = u.guest_id, f.text, u.text, u.created_at, u.created_by, u.done_at, u.done_by
		FROM follow_ups u JOIN guest_documents d ON d.guest_id = u.guest_id JOIN feedback f ON f.id = u.feedback_id`,
	"rooms": `SELECT number, floor, view, bed, quiet, smoking, features, updated_at FROM rooms`,
}

// dump returns the rows of every table in dumps, as lines.
func dump(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, q := range dumps {
		out[name] = lines(t, db, q)
		if n := count(t, db, name); n != len(out[name]) || n == 0 {
			t.Errorf("%s: %d rows, %d of them joined to what they refer to", name, n, len(out[name]))
		}
	}
	return out
}

// lines runs q and returns its rows as sorted lines, the values written alike whichever
// engine gave them.
func lines(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for k := range vals {
			ptrs[k] = &vals[k]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		line := make([]string, len(vals))
		for k, v := range vals {
			line[k] = text(v)
		}
		out = append(out, strings.Join(line, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// text writes a scanned value as SQLite stores it: instants as fixed-width UTC text,
// booleans as 1 and 0.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return v.UTC().Format(sqlstore.TimeLayout)
	case bool:
		if v {
			return "1"
		}
		return "0"
	case []byte:
		return hex.EncodeToString(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case string:
		return v
	}
	return fmt.Sprintf("%T %v", v, v)
}

// The generated hotel is the same on both engines: every row of every table, and what
// the shared store reads of its guests.
func TestBothEnginesHoldTheSameHotel(t *testing.T) {
	ctx := context.Background()
	lite, pg := openSQLite(t), openPostgres(t)
	schema := postgresSchema(t, pg)
	if err := benchdata.Generate(ctx, lite, options); err != nil {
		t.Fatal(err)
	}
	if err := benchdata.GeneratePostgres(ctx, pg.Pool(), options); err != nil {
		t.Fatal(err)
	}
	if after := postgresSchema(t, pg); !reflect.DeepEqual(after, schema) {
		t.Errorf("indexes and constraints after the load:\n%v\nbefore:\n%v", after, schema)
	}

	want, got := dump(t, lite.Reader()), dump(t, pg.SQL())
	for name := range dumps {
		if len(got[name]) != len(want[name]) {
			t.Errorf("%s: %d rows in PostgreSQL, %d in SQLite", name, len(got[name]), len(want[name]))
			continue
		}
		for k := range want[name] {
			if got[name][k] != want[name][k] {
				t.Errorf("%s differ, first:\nPostgreSQL %s\nSQLite     %s", name, got[name][k], want[name][k])
				break
			}
		}
	}
	var inHouse int
	if err := pg.SQL().QueryRow(`SELECT count(*) FROM stays WHERE check_out IS NULL`).Scan(&inHouse); err != nil {
		t.Fatal(err)
	}
	if len(got["rooms"]) != benchdata.Floors*benchdata.RoomsPerFloor || inHouse != 450 {
		t.Errorf("%d rooms, %d in house; want %d, 450", len(got["rooms"]), inHouse, benchdata.Floors*benchdata.RoomsPerFloor)
	}

	// Through the shared store: guests found by the document a clerk would type, one of
	// them with a complaint's open follow-up.
	sealer := preferences.NewSealer(secret)
	picks := []int{0, 1, 250, benchdata.MinGuests - 1}
	for i := range benchdata.MinGuests {
		if p := benchdata.PersonAt(i); p.Complain && i%2 == 0 {
			picks = append(picks, i)
			break
		}
	}
	for _, i := range picks {
		p := benchdata.PersonAt(i)
		doc, err := sealer.Seal(p.Document, options.Now)
		if err != nil {
			t.Fatal(err)
		}
		l, q := seen(t, lite, doc), seen(t, pg, doc)
		if !reflect.DeepEqual(l, q) {
			t.Errorf("guest %d:\nPostgreSQL %+v\nSQLite     %+v", i, q, l)
		}
		if q.Guest.FamilyName != p.Guest.FamilyName || q.Guest.Email != p.Guest.Email || len(q.Audit) != 1 ||
			(p.Complain && i%2 == 0) != (len(q.FollowUps) == 1) {
			t.Errorf("guest %d read back as %+v, generated %+v", i, q, p)
		}
	}

	// The database must be empty: a second load refuses and adds nothing.
	err := benchdata.GeneratePostgres(ctx, pg.Pool(), options)
	if err == nil || !strings.Contains(err.Error(), "already holds 500 guests") {
		t.Errorf("second load: %v, want a refusal", err)
	}
	if n := count(t, pg.SQL(), "guests"); n != benchdata.MinGuests {
		t.Errorf("%d guests after a second load", n)
	}
}

// A load that fails on the way leaves nothing behind: no rows, and the indexes and
// foreign keys it dropped are back.
func TestPostgresLoadThatFailsLeavesNothing(t *testing.T) {
	pg := openPostgres(t)
	// Rooms take many stays: this index cannot be rebuilt after the stays are in.
	if _, err := pg.SQL().Exec(`CREATE UNIQUE INDEX one_stay_a_room ON stays (room)`); err != nil {
		t.Fatal(err)
	}
	schema := postgresSchema(t, pg)
	err := benchdata.GeneratePostgres(context.Background(), pg.Pool(), options)
	if err == nil || !strings.Contains(err.Error(), "recreate") {
		t.Fatalf("load: %v, want the index rebuild to fail", err)
	}
	for name := range dumps {
		if n := count(t, pg.SQL(), name); n != 0 {
			t.Errorf("%d rows in %s after a failed load", n, name)
		}
	}
	if after := postgresSchema(t, pg); !reflect.DeepEqual(after, schema) {
		t.Errorf("indexes and constraints after a failed load:\n%v\nbefore:\n%v", after, schema)
	}
}

// Options that cannot make a hotel are refused by both engines before anything is written.
func TestMoreOccupiedRoomsThanGuestsRefused(t *testing.T) {
	opt := options
	opt.Guests, opt.Occupied = 10, 11
	lite := openSQLite(t)
	for name, err := range map[string]error{
		"SQLite":     benchdata.Generate(context.Background(), lite, opt),
		"PostgreSQL": benchdata.GeneratePostgres(context.Background(), nil, opt),
	} {
		if err == nil || !strings.Contains(err.Error(), "more occupied rooms than rooms or guests") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := count(t, lite.Reader(), "rooms"); n != 0 {
		t.Errorf("%d rooms written", n)
	}
}

func count(t *testing.T, db *sql.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// guestView is what the store reads of a guest, ids left out.
type guestView struct {
	Guest     preferences.Guest
	Prefs     preferences.Preferences
	Audit     []preferences.AuditEntry
	FollowUps []preferences.FollowUp
}

func seen(t *testing.T, repo preferences.Repository, doc preferences.SealedDocument) guestView {
	t.Helper()
	var v guestView
	err := repo.Read(context.Background(), func(tx preferences.Tx) error {
		id, err := tx.DocumentOwner(context.Background(), doc.Type, doc.Hash)
		if err != nil || id == "" {
			return fmt.Errorf("document owner %q: %v", id, err)
		}
		if v.Guest, err = tx.GuestByID(context.Background(), id); err != nil {
			return err
		}
		if v.Prefs, err = tx.GuestPreferences(context.Background(), id); err != nil {
			return err
		}
		if v.Audit, err = tx.GuestAuditEntries(context.Background(), id); err != nil {
			return err
		}
		v.FollowUps, err = tx.OpenFollowUps(context.Background(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	v.Guest.ID = ""
	for k := range v.Audit {
		v.Audit[k].GuestID = ""
	}
	for k := range v.FollowUps {
		v.FollowUps[k].ID, v.FollowUps[k].FeedbackID = "", ""
	}
	return v
}

// postgresSchema lists the definitions of the indexes and constraints of the database.
func postgresSchema(t *testing.T, db *postgres.DB) []string {
	t.Helper()
	defs := lines(t, db.SQL(), `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()
		UNION ALL SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
		WHERE connamespace = current_schema()::regnamespace`)
	if len(defs) < 10 {
		t.Fatalf("only %d indexes and constraints: %v", len(defs), defs)
	}
	return defs
}
