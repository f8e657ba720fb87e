package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/preferences/sqlite"
)

// stayTriggers lists the triggers on the stays table by name.
func stayTriggers(t *testing.T, db *sqlite.DB) []string {
	t.Helper()
	return queryStrings(t, db, `SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'stays' ORDER BY name`)
}

// Migration 0012 leaves one trigger per kind of change to a stay (and 0003's, which keep
// another table).
func TestStayTriggersMerged(t *testing.T) {
	db := mustOpen(t, time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC))
	want := []string{"guest_stays_check_out", "guest_stays_delete", "guest_stays_insert", "guest_stays_update",
		"open_stays_version_update", "outreach_stay_checked_out", "outreach_stay_inserted"}
	if got := stayTriggers(t, db); !reflect.DeepEqual(got, want) {
		t.Errorf("triggers on stays %v, want %v", got, want)
	}
}

// shadowVersion adds to db a copy of migration 0007's table and triggers under other
// names, which count the changes to the open stays as 0007 did, and returns what reads
// how far the store's version and the copy have moved since.
func shadowVersion(t *testing.T, db *sqlite.DB) (moved func() (version, shadow int)) {
	t.Helper()
	body, err := os.ReadFile("migrations/0007_open_stays_version.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer().Exec(strings.ReplaceAll(string(body), "open_stays_version", "shadow_open_stays_version")); err != nil {
		t.Fatal(err)
	}
	read := func() (n, shadow int) {
		t.Helper()
		if err := db.Reader().QueryRow(`SELECT (SELECT n FROM open_stays_version), (SELECT n FROM shadow_open_stays_version)`).
			Scan(&n, &shadow); err != nil {
			t.Fatal(err)
		}
		return n, shadow
	}
	base, _ := read()
	return func() (int, int) {
		n, shadow := read()
		return n - base, shadow
	}
}

// checkStays fails the test when a guest's stays columns (0008, 0010) differ from their
// recount, or when the open stays' version moved otherwise than 0007's triggers move it.
func checkStays(t *testing.T, db *sqlite.DB, moved func() (int, int), step string) {
	t.Helper()
	var stale int
	if err := db.Reader().QueryRow(staleSummaries).Scan(&stale); err != nil || stale != 0 {
		t.Fatalf("%s: %d stale summaries (%v)", step, stale, err)
	}
	checkFlags(t, db, step)
	if n, shadow := moved(); n != shadow {
		t.Fatalf("%s: the open stays' version moved by %d, 0007's triggers by %d", step, n, shadow)
	}
}

// wantLastStay checks the id of the guest's last stay as stored in the guests row.
func wantLastStay(t *testing.T, db *sqlite.DB, guestID, step, want string) {
	t.Helper()
	var last sql.NullString
	if err := db.Reader().QueryRow(`SELECT last_stay_id FROM guests WHERE id = ?`, guestID).Scan(&last); err != nil {
		t.Fatal(err)
	}
	if last.String != want {
		t.Errorf("%s: last stay %q, want %q", step, last.String, want)
	}
}

// The check-out's fast path makes the closed stay the last one only when it began later
// than the last one (ties: the smaller id), as the recount orders them; the other updates
// and deletes search again. An update setting columns of both update triggers' lists
// runs both, in an order SQLite leaves unspecified (the newest first): the test runs in
// both orders.
func TestStayTriggersCheckOutOrder(t *testing.T) {
	t.Run("as migrated", func(t *testing.T) { testCheckOutOrder(t, false) })
	t.Run("check-out trigger first", func(t *testing.T) { testCheckOutOrder(t, true) })
}

func testCheckOutOrder(t *testing.T, recreate bool) {
	now := time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC)
	db := mustOpen(t, now)
	ctx := context.Background()
	if recreate { // created again, it is the newest
		var def string
		if err := db.Reader().QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'guest_stays_check_out'`).Scan(&def); err != nil {
			t.Fatal(err)
		}
		mustExec(t, db, `DROP TRIGGER guest_stays_check_out`)
		mustExec(t, db, def)
	}
	mustRooms(t, db, preferences.Room{Number: "2102", Floor: 21, Bed: "king"}, preferences.Room{Number: "305", Floor: 3, Bed: "twin"})
	g, other := mustGuest(t, db, "丁", nil), mustGuest(t, db, "Other", nil)
	moved := shadowVersion(t, db)
	at := func(h int) string { return now.Add(time.Duration(h) * time.Hour).Format(sqlite.TimeLayout) }
	const open = 1000 // a check-out hour for none
	insert := func(id, guest string, in, out int) {
		t.Helper()
		var checkOut any
		if out != open {
			checkOut = at(out)
		}
		mustExec(t, db, `INSERT INTO stays (id, guest_id, room, check_in, check_out, planned_nights, spend) VALUES (?, ?, '305', ?, ?, 1, '')`,
			id, guest, at(in), checkOut)
	}
	checkOut := func(id string, out int) {
		t.Helper()
		mustExec(t, db, `UPDATE stays SET check_out = ?, spend = '120.00' WHERE id = ?`, at(out), id)
	}
	step := func(name, last string) {
		t.Helper()
		checkStays(t, db, moved, name)
		wantLastStay(t, db, g.ID, name, last)
	}

	insert("s5", g.ID, -48, -24)
	step("past stay", "s5")
	insert("s3", g.ID, -48, open)
	checkOut("s3", -20)
	step("checked out, same check-in, smaller id", "s3")
	insert("s7", g.ID, -48, open)
	checkOut("s7", -20)
	step("checked out, same check-in, larger id", "s3")
	insert("s9", g.ID, -72, open)
	checkOut("s9", -10)
	step("checked out, began earlier", "s3")
	insert("s8", g.ID, -2, open)
	checkOut("s8", 0)
	step("checked out, began later", "s8")
	stay, err := db.CheckIn(ctx, desk, g.ID, "2102", 2)
	if err != nil {
		t.Fatal(err)
	}
	step("checked in", "s8")
	if _, err := db.CheckOut(ctx, desk, stay.ID, "880.00"); err != nil {
		t.Fatal(err)
	}
	step("checked out by the store", stay.ID)
	checkCard(t, db, g.ID, "checked out by the store")

	// A check-out that also moves the check-in (both update triggers run).
	insert("s1", g.ID, -1, open)
	mustExec(t, db, `UPDATE stays SET check_out = ?, check_in = ? WHERE id = 's1'`, at(1), at(-100))
	step("checked out with an earlier check-in", stay.ID)
	// The rare cases: re-opened, moved, renamed, blanked, deleted.
	mustExec(t, db, `UPDATE stays SET check_out = NULL WHERE id = ?`, stay.ID)
	step("re-opened", "s8")
	mustExec(t, db, `UPDATE stays SET guest_id = ? WHERE id = ?`, other.ID, stay.ID)
	step("open stay moved", "s8")
	mustExec(t, db, `UPDATE stays SET guest_id = ? WHERE id = 's8'`, other.ID)
	step("last stay moved", "s3")
	wantLastStay(t, db, other.ID, "last stay moved", "s8")
	mustExec(t, db, `UPDATE stays SET id = 's0' WHERE id = 's7'`)
	step("renamed", "s0")
	mustExec(t, db, `UPDATE stays SET check_out = check_out WHERE guest_id = ?`, g.ID)
	step("check-outs set again", "s0")
	mustExec(t, db, `UPDATE stays SET spend = '' WHERE guest_id = ?`, g.ID)
	step("spend blanked", "s0")
	mustExec(t, db, `UPDATE stays SET check_out = ?, id = 's2' WHERE id = ?`, at(3), stay.ID)
	step("checked out and renamed", "s0")
	wantLastStay(t, db, other.ID, "checked out and renamed", "s2")
	mustExec(t, db, `DELETE FROM stays WHERE id = 's0'`)
	step("deleted", "s3")
	insert("s4", g.ID, 0, open)
	mustExec(t, db, `DELETE FROM stays WHERE id = 's4'`)
	step("open stay deleted", "s3")
	// SQLite lets a TEXT PRIMARY KEY be NULL (the triggers compare ids with IS): a stay
	// without an id, of a guest without a closed stay (last_stay_id NULL too).
	third := mustGuest(t, db, "Third", nil)
	mustExec(t, db, `INSERT INTO stays (id, guest_id, room, check_in, planned_nights) VALUES (NULL, ?, '305', ?, 1)`, third.ID, at(5))
	step("open stay without an id", "s3")
	mustExec(t, db, `UPDATE stays SET check_out = ? WHERE id IS NULL`, at(6))
	step("stay without an id closed", "s3")
	mustExec(t, db, `UPDATE stays SET check_out = NULL WHERE id IS NULL`)
	step("stay without an id re-opened", "s3")
	mustExec(t, db, `DELETE FROM stays WHERE id IS NULL`)
	step("stay without an id deleted", "s3")
	mustExec(t, db, `DELETE FROM stays WHERE guest_id = ?`, g.ID)
	step("all deleted", "")
	checkCard(t, db, other.ID, "the end")
}

// A generated hotel (bulk-loaded without indexes, as the benchmarks' is), then a random
// sequence of the store's changes and of the updates and deletes the store never makes,
// keep every guest's stays columns equal to 0008's and 0010's recounts and the open
// stays' version moving as 0007's triggers move it.
func TestStayTriggersMatchRecountAfterRandomChanges(t *testing.T) {
	now := time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC)
	db := generatedHotel(t, now)
	ctx := context.Background()
	moved := shadowVersion(t, db)
	checkStays(t, db, moved, "generated")
	rng := rand.New(rand.NewPCG(12, 2026))
	pick := func(query string) string { return pickID(t, db, rng, query) }
	// Check-ins at a few hours around now, so that check-ins tie and some past stays
	// begin after an open one: check-outs that do and do not become the last stay.
	clock := now
	db.Now = func() time.Time { return clock }
	hour := func() time.Time { return now.Add(time.Duration(rng.IntN(5)-2) * time.Hour) }
	// tryExec runs a change the store never makes; the constraints may refuse it (a
	// second open stay for a guest or a room, a stay referenced by feedback).
	tryExec := func(stmt string, args ...any) (changed bool) {
		res, err := db.Writer().Exec(stmt, args...)
		if err != nil {
			if !strings.Contains(err.Error(), "constraint failed") {
				t.Fatalf("%s: %v", stmt, err)
			}
			return false
		}
		n, err := res.RowsAffected()
		return err == nil && n > 0
	}
	done := map[string]int{}
	var becameLast, notLast int
	for i := range 600 {
		guest := pick(`SELECT id FROM guests WHERE erased_at IS NULL`)
		clock = hour()
		var err error
		changed := false // by a statement the store never runs
		kind := ""
		switch op := rng.IntN(24); {
		case op < 5:
			kind = "check-in"
			_, err = db.CheckInBestRoom(ctx, desk, guest, 1+rng.IntN(3))
			changed = err == nil
		case op < 10:
			kind = "check-out"
			s := pick(`SELECT id FROM stays WHERE check_out IS NULL`)
			if s == "" {
				break
			}
			var owner string
			if err := db.Reader().QueryRow(`SELECT guest_id FROM stays WHERE id = ?`, s).Scan(&owner); err != nil {
				t.Fatal(err)
			}
			if _, err = db.CheckOut(ctx, desk, s, fmt.Sprintf("%d.00", rng.IntN(900))); err == nil {
				changed = true
				var last string
				if err := db.Reader().QueryRow(`SELECT last_stay_id FROM guests WHERE id = ?`, owner).Scan(&last); err != nil {
					t.Fatal(err)
				}
				if last == s {
					becameLast++
				} else {
					notLast++
				}
			}
		case op < 12:
			kind = "past stay"
			in := hour()
			err = db.RecordPastStay(ctx, sqlite.PastStay{GuestID: guest, Room: "101", CheckIn: in, CheckOut: in.Add(time.Hour), Nights: 1, Spend: "50.00"})
			changed = err == nil
		case op < 13:
			kind = "erasure"
			err = db.EraseGuest(ctx, desk, guest)
			changed = err == nil
		case op < 15:
			kind = "moved"
			changed = tryExec(`UPDATE stays SET guest_id = ? WHERE id = ?`, guest, pick(`SELECT id FROM stays`))
		case op < 17:
			kind = "re-opened"
			changed = tryExec(`UPDATE stays SET check_out = NULL WHERE id = ?`, pick(`SELECT id FROM stays WHERE check_out IS NOT NULL`))
		case op < 18:
			kind = "check-in moved"
			changed = tryExec(`UPDATE stays SET check_in = ? WHERE id = ?`, hour().Format(sqlite.TimeLayout), pick(`SELECT id FROM stays`))
		case op < 19:
			kind = "renamed"
			changed = tryExec(`UPDATE stays SET id = ? WHERE id = ?`, sqlite.NewID("s"), pick(`SELECT id FROM stays`))
		case op < 20:
			kind = "closed by hand"
			changed = tryExec(`UPDATE stays SET check_out = ?, room = '102', planned_nights = 3 WHERE id = ?`,
				clock.Format(sqlite.TimeLayout), pick(`SELECT id FROM stays WHERE check_out IS NULL`))
		case op < 21:
			kind = "spend changed"
			changed = tryExec(`UPDATE stays SET spend = ? WHERE guest_id = ?`, fmt.Sprintf("%d.50", rng.IntN(9)), pick(`SELECT guest_id FROM stays`))
		default:
			kind = "deleted"
			changed = tryExec(`DELETE FROM stays WHERE id = ?`, pick(`SELECT id FROM stays`))
		}
		if code := preferences.ErrorCode(err); err != nil && code == preferences.EINTERNAL {
			t.Fatalf("change %d (%s): %v", i, kind, err)
		}
		if changed {
			done[kind]++
		}
		checkStays(t, db, moved, fmt.Sprintf("change %d (%s)", i, kind))
	}
	for _, kind := range []string{"check-in", "check-out", "past stay", "erasure", "moved", "re-opened", "check-in moved", "renamed",
		"closed by hand", "spend changed", "deleted"} {
		if done[kind] == 0 {
			t.Errorf("no %s succeeded (%v): the test exercised nothing there", kind, done)
		}
	}
	if becameLast == 0 || notLast == 0 {
		t.Errorf("check-outs that became the last stay %d, that did not %d: want both", becameLast, notLast)
	}
}
