package sqlite_test

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/preferences/sqlite"
)

// pickID returns a random id among those query returns, "" for none.
func pickID(t *testing.T, db *sqlite.DB, rng *rand.Rand, query string, args ...any) string {
	t.Helper()
	ids := queryStrings(t, db, query, args...)
	if len(ids) == 0 {
		return ""
	}
	return ids[rng.IntN(len(ids))]
}

// staleCardFlags counts the guests whose trigger-kept card flags (migration 0010)
// differ from the same values computed from the other tables.
const staleCardFlags = `SELECT count(*) FROM guests g WHERE
	g.open_stay_id IS NOT (SELECT id FROM stays WHERE guest_id = g.id AND check_out IS NULL)
	OR g.open_follow_ups IS NOT (SELECT count(*) FROM follow_ups WHERE guest_id = g.id AND done_at IS NULL)
	OR g.notes_count IS NOT (SELECT count(*) FROM guest_notes WHERE guest_id = g.id)
	OR g.expected_arrivals IS NOT (SELECT count(*) FROM arrivals WHERE guest_id = g.id AND status = 'expected')`

// cardFlags are a guest's flags as stored in the guests row.
type cardFlags struct {
	openStay                     string // "" for none
	followUps, notes, arrivalsIn int
}

// checkFlags fails the test when any guest's card flags are stale.
func checkFlags(t *testing.T, db *sqlite.DB, step string) {
	t.Helper()
	var stale int
	if err := db.Reader().QueryRow(staleCardFlags).Scan(&stale); err != nil || stale != 0 {
		t.Fatalf("%s: %d guests with stale card flags (%v)", step, stale, err)
	}
}

// wantFlags checks the stored flags of one guest.
func wantFlags(t *testing.T, db *sqlite.DB, id, step string, want cardFlags) {
	t.Helper()
	var got cardFlags
	var open sql.NullString
	if err := db.Reader().QueryRow(`SELECT open_stay_id, open_follow_ups, notes_count, expected_arrivals FROM guests WHERE id = ?`, id).
		Scan(&open, &got.followUps, &got.notes, &got.arrivalsIn); err != nil {
		t.Fatal(err)
	}
	if got.openStay = open.String; got != want {
		t.Errorf("%s: flags %+v, want %+v", step, got, want)
	}
}

// mustFollowUp opens a follow-up for the guest (through feedback resolved with one).
func mustFollowUp(t *testing.T, db *sqlite.DB, guestID, text string) {
	t.Helper()
	ctx := context.Background()
	f, err := db.AddFeedback(ctx, desk, guestID, preferences.FeedbackInput{Kind: "request", Text: text})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ResolveFeedback(ctx, desk, f.ID, preferences.Resolution{Resolution: "noted", FollowUp: text}); err != nil {
		t.Fatal(err)
	}
}

// mustExec runs a statement the store has no method for (cancelling an arrival,
// moving a row to another guest).
func mustExec(t *testing.T, db *sqlite.DB, stmt string, args ...any) {
	t.Helper()
	if _, err := db.Writer().Exec(stmt, args...); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// countRows runs a count query; a broken query fails the test rather than counting none.
func countRows(t *testing.T, db *sqlite.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Reader().QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestCardFlagsFollowEveryChange(t *testing.T) {
	now := time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC) // 10:00 on 10 May in Shanghai
	db := mustOpen(t, now)
	ctx := context.Background()
	mustRooms(t, db, preferences.Room{Number: "2102", Floor: 21, Bed: "king"}, preferences.Room{Number: "305", Floor: 3, Bed: "twin"})
	g, other := mustGuest(t, db, "丁", nil), mustGuest(t, db, "Other", nil)
	wantFlags(t, db, g.ID, "new guest", cardFlags{})
	check := func(step string, want cardFlags) {
		t.Helper()
		wantFlags(t, db, g.ID, step, want)
		checkCard(t, db, g.ID, step)
		checkCard(t, db, other.ID, step)
	}

	// Arrivals: today's and a later one count; the card shows only today's.
	today, err := db.CreateArrival(ctx, desk, preferences.Arrival{GuestID: g.ID, ArrivalDate: "2026-05-10", Nights: 2})
	if err != nil {
		t.Fatal(err)
	}
	later, err := db.CreateArrival(ctx, desk, preferences.Arrival{GuestID: g.ID, ArrivalDate: "2026-06-01", Nights: 1})
	if err != nil {
		t.Fatal(err)
	}
	tomorrow, err := db.CreateArrival(ctx, desk, preferences.Arrival{GuestID: other.ID, ArrivalDate: "2026-05-11", Nights: 1})
	if err != nil {
		t.Fatal(err)
	}
	check("arrivals", cardFlags{arrivalsIn: 2})
	wantFlags(t, db, other.ID, "tomorrow's arrival", cardFlags{arrivalsIn: 1})
	if r, err := db.Recognition(ctx, other.ID); err != nil || r.Arrival != nil {
		t.Errorf("card with only tomorrow's arrival: arrival %+v (%v), want none", r.Arrival, err)
	}
	if r, err := db.Recognition(ctx, g.ID); err != nil || r.Arrival == nil || r.Arrival.ID != today.ID {
		t.Errorf("card arrival %+v (%v), want today's %s", r.Arrival, err, today.ID)
	}

	// Check-in takes today's arrival (expected → checked in) and opens the stay.
	stay, err := db.CheckIn(ctx, desk, g.ID, "2102", 0)
	if err != nil {
		t.Fatal(err)
	}
	check("checked in", cardFlags{openStay: stay.ID, arrivalsIn: 1})
	mustExec(t, db, `UPDATE arrivals SET status = 'cancelled' WHERE id = ?`, later.ID)
	check("arrival cancelled", cardFlags{openStay: stay.ID})

	// Notes and follow-ups.
	for _, text := range []string{"less sugar", "extra pillow"} {
		if _, err := db.AddNote(ctx, desk, g.ID, preferences.Note{Department: "kitchen", Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	mustFollowUp(t, db, g.ID, "call back")
	mustFollowUp(t, db, g.ID, "send flowers")
	check("notes and follow-ups", cardFlags{openStay: stay.ID, followUps: 2, notes: 2})
	fu, err := db.OpenFollowUps(ctx, g.ID)
	if err != nil || len(fu) != 2 {
		t.Fatalf("open follow-ups %v (%v)", fu, err)
	}
	if _, err := db.FollowUpDone(ctx, desk, fu[0].ID); err != nil {
		t.Fatal(err)
	}
	check("follow-up done", cardFlags{openStay: stay.ID, followUps: 1, notes: 2})

	db.Now = func() time.Time { return now.Add(50 * time.Hour) }
	if _, err := db.CheckOut(ctx, desk, stay.ID, "880.00"); err != nil {
		t.Fatal(err)
	}
	check("checked out", cardFlags{followUps: 1, notes: 2})
	visit, err := db.CheckIn(ctx, desk, other.ID, "305", 1)
	if err != nil {
		t.Fatal(err)
	}
	wantFlags(t, db, other.ID, "other checked in", cardFlags{openStay: visit.ID, arrivalsIn: 1})

	// The store never moves a row to another guest, but the triggers follow it if it
	// happens: the old guest and the new one are both recounted.
	notes, err := db.GuestNotes(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, `UPDATE guest_notes SET guest_id = ? WHERE id = ?`, other.ID, notes[0].ID)
	mustExec(t, db, `UPDATE follow_ups SET guest_id = ? WHERE guest_id = ?`, other.ID, g.ID)
	mustExec(t, db, `UPDATE arrivals SET guest_id = ? WHERE id = ?`, g.ID, tomorrow.ID)
	mustExec(t, db, `UPDATE stays SET guest_id = ? WHERE id = ?`, g.ID, visit.ID)
	check("rows moved", cardFlags{openStay: visit.ID, notes: 1, arrivalsIn: 1})
	wantFlags(t, db, other.ID, "rows moved to other", cardFlags{followUps: 1, notes: 1})
	mustExec(t, db, `UPDATE stays SET guest_id = ? WHERE id = ?`, other.ID, visit.ID)
	check("stay moved back", cardFlags{notes: 1, arrivalsIn: 1})
	wantFlags(t, db, other.ID, "stay moved back", cardFlags{openStay: visit.ID, followUps: 1, notes: 1})

	// Erasure deletes the notes, follow-ups and arrivals; the stays stay.
	if err := db.EraseGuest(ctx, desk, other.ID); err != nil {
		t.Fatal(err)
	}
	wantFlags(t, db, other.ID, "erased", cardFlags{openStay: visit.ID})
	checkFlags(t, db, "erased")
	checkCard(t, db, g.ID, "other erased")
	// A deleted open stay (the store never deletes stays) clears the open stay.
	mustExec(t, db, `DELETE FROM stays WHERE id = ?`, visit.ID)
	wantFlags(t, db, other.ID, "stay deleted", cardFlags{})
	checkFlags(t, db, "stay deleted")
}

// The migration fills the flags of the guests already stored.
func TestCardFlagsBackfilled(t *testing.T) {
	path, now := t.TempDir()+"/regulars.db", time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC)
	db := openAt(t, path, now)
	ctx := context.Background()
	mustRooms(t, db, preferences.Room{Number: "2102", Floor: 21, Bed: "king"}, preferences.Room{Number: "305", Floor: 3, Bed: "twin"})
	g, quiet, past := mustGuest(t, db, "丁", nil), mustGuest(t, db, "Quiet", nil), mustGuest(t, db, "Past", nil)
	for _, a := range []preferences.Arrival{{GuestID: g.ID, ArrivalDate: "2026-05-10", Nights: 2},
		{GuestID: g.ID, ArrivalDate: "2026-05-20", Nights: 1}, {GuestID: g.ID, ArrivalDate: "2026-06-01", Nights: 1}} {
		if _, err := db.CreateArrival(ctx, desk, a); err != nil {
			t.Fatal(err)
		}
	}
	stay, err := db.CheckIn(ctx, desk, g.ID, "2102", 0) // today's arrival is checked in
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, `UPDATE arrivals SET status = 'cancelled' WHERE guest_id = ? AND arrival_date = '2026-06-01'`, g.ID)
	for range 3 {
		if _, err := db.AddNote(ctx, desk, g.ID, preferences.Note{Department: "housekeeping", Text: "feather-free"}); err != nil {
			t.Fatal(err)
		}
		mustFollowUp(t, db, g.ID, "ask about the stay")
	}
	fu, err := db.OpenFollowUps(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.FollowUpDone(ctx, desk, fu[0].ID); err != nil {
		t.Fatal(err)
	}
	in := now.Add(-72 * time.Hour)
	if err := db.RecordPastStay(ctx, sqlite.PastStay{GuestID: past.ID, Room: "305", CheckIn: in, CheckOut: in.Add(24 * time.Hour), Nights: 1}); err != nil {
		t.Fatal(err)
	}

	undo := append(undoStayTriggers(t, db), dropTriggers(t, db, "guest_card_")...)
	db = reapply(t, db, path, now, "0010_", append(undo,
		dropColumns("guests", "open_stay_id", "open_follow_ups", "notes_count", "expected_arrivals")...)...)
	checkFlags(t, db, "backfilled")
	wantFlags(t, db, g.ID, "backfilled", cardFlags{openStay: stay.ID, followUps: 2, notes: 3, arrivalsIn: 1})
	wantFlags(t, db, quiet.ID, "backfilled, nothing", cardFlags{})
	wantFlags(t, db, past.ID, "backfilled, past stay only", cardFlags{})
	for _, id := range []string{g.ID, quiet.ID, past.ID} {
		checkCard(t, db, id, "backfilled")
	}
	wantStaysKept(t, db, past.ID, "305")
}

// A generated hotel (bulk-loaded without indexes, as the benchmarks' is) and then a
// random sequence of the store's changes keep the flags equal to the tables'.
func TestCardFlagsMatchTablesAfterRandomChanges(t *testing.T) {
	now := time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC)
	db := generatedHotel(t, now)
	ctx := context.Background()
	checkFlags(t, db, "generated")
	var open int
	if err := db.Reader().QueryRow(`SELECT count(*) FROM guests WHERE open_stay_id IS NOT NULL`).Scan(&open); err != nil || open != 40 {
		t.Fatalf("%d guests in house after generation, want 40 (%v)", open, err)
	}
	rng := rand.New(rand.NewPCG(7, 10))
	pick := func(query string) string { return pickID(t, db, rng, query) }
	dates := []string{"2026-05-10", "2026-05-11", "2026-05-20"}
	for i := range 300 {
		guest := pick(`SELECT id FROM guests WHERE erased_at IS NULL`)
		var err error
		erased := false
		switch op := rng.IntN(20); {
		case op < 3:
			_, err = db.CreateArrival(ctx, desk, preferences.Arrival{GuestID: guest, ArrivalDate: dates[rng.IntN(len(dates))], Nights: 2})
		case op < 6:
			_, err = db.CheckInBestRoom(ctx, desk, guest, rng.IntN(3)) // 0: today's arrival's nights
		case op < 9:
			if s := pick(`SELECT id FROM stays WHERE check_out IS NULL`); s != "" {
				_, err = db.CheckOut(ctx, desk, s, "100.00")
			}
		case op < 12:
			_, err = db.AddNote(ctx, desk, guest, preferences.Note{Department: "front_office", Text: "late arrival"})
		case op < 15:
			mustFollowUp(t, db, guest, "follow up")
		case op < 17:
			if f := pick(`SELECT id FROM follow_ups WHERE done_at IS NULL`); f != "" {
				_, err = db.FollowUpDone(ctx, desk, f)
			}
		case op < 19:
			if a := pick(`SELECT id FROM arrivals WHERE status = 'expected'`); a != "" {
				mustExec(t, db, `UPDATE arrivals SET status = 'cancelled' WHERE id = ?`, a)
			}
		default:
			err = db.EraseGuest(ctx, desk, guest)
			erased = true
		}
		if code := preferences.ErrorCode(err); err != nil && code == preferences.EINTERNAL {
			t.Fatalf("change %d: %v", i, err)
		}
		checkFlags(t, db, "after a change")
		if i%10 == 0 && !erased {
			checkCard(t, db, guest, "random changes")
		}
	}
	var n [4]int
	if err := db.Reader().QueryRow(`SELECT count(open_stay_id), sum(open_follow_ups > 0), sum(notes_count > 0),
		sum(expected_arrivals > 0) FROM guests`).Scan(&n[0], &n[1], &n[2], &n[3]); err != nil {
		t.Fatal(err)
	}
	for k, v := range n {
		if v == 0 {
			t.Errorf("flag %d is never set after the random changes (%v): the test exercised nothing", k, n)
		}
	}
}
