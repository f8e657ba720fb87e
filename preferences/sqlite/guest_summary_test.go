package sqlite_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/preferences/sqlite"
)

// staleSummaries counts the guests whose trigger-kept summary (migration 0008) differs
// from the same summary computed from scratch.
const staleSummaries = `SELECT count(*) FROM guests g WHERE
	g.doc_summary IS NOT coalesce((SELECT group_concat(type || char(31) || last4, char(30) ORDER BY created_at, type)
		FROM guest_documents WHERE guest_id = g.id), '')
	OR g.stays_count IS NOT (SELECT count(*) FROM stays WHERE guest_id = g.id)
	OR (g.last_stay_id, g.last_stay_room, g.last_stay_check_in, g.last_stay_check_out, g.last_stay_planned_nights,
		g.last_stay_spend) IS NOT (SELECT id, room, check_in, check_out, planned_nights, spend FROM stays
		WHERE guest_id = g.id AND check_out IS NOT NULL ORDER BY check_in DESC, id LIMIT 1)`

// checkCard compares the card and the guest reads, which use the summaries and the
// card flags, with the same data read row by row.
func checkCard(t *testing.T, db *sqlite.DB, id, step string) {
	t.Helper()
	ctx := context.Background()
	var stale int
	if err := db.Reader().QueryRowContext(ctx, staleSummaries).Scan(&stale); err != nil || stale != 0 {
		t.Fatalf("%s: %d stale summaries (%v)", step, stale, err)
	}
	checkFlags(t, db, step)
	docs := []preferences.Document{}
	rows, err := db.Reader().QueryContext(ctx, `SELECT type, last4 FROM guest_documents WHERE guest_id = ? ORDER BY created_at, type`, id)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var d preferences.Document
		if err := rows.Scan(&d.Type, &d.Last4); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	rows.Close()
	r, err := db.Recognition(ctx, id)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	g, err := db.Guest(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Guest.Documents, docs) || !reflect.DeepEqual(g.Documents, docs) {
		t.Errorf("%s: documents card %v, guest %v, want %v", step, r.Guest.Documents, g.Documents, docs)
	}
	stays, err := db.GuestStays(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var inHouse, last *preferences.Stay
	for i := range stays {
		if s := &stays[i]; s.CheckOut == nil && inHouse == nil {
			inHouse = s
		} else if s.CheckOut != nil && last == nil {
			last = s
		}
	}
	if r.StaysCount != len(stays) || !reflect.DeepEqual(r.InHouse, inHouse) || !reflect.DeepEqual(r.LastStay, last) ||
		r.Returning != (last != nil) {
		t.Errorf("%s: card stays %d in house %+v last %+v, want %d %+v %+v", step, r.StaysCount, r.InHouse, r.LastStay, len(stays), inHouse, last)
	}
	fu, _ := db.OpenFollowUps(ctx, id)
	notes, _ := db.GuestNotes(ctx, id)
	if !reflect.DeepEqual(r.FollowUps, fu) || !reflect.DeepEqual(r.Notes, notes) {
		t.Errorf("%s: card follow-ups %v notes %v, want %v %v", step, r.FollowUps, r.Notes, fu, notes)
	}
	a, err := db.ArrivalToday(ctx, id)
	if (err == nil) != (r.Arrival != nil) || err == nil && *r.Arrival != a {
		t.Errorf("%s: card arrival %+v, want %+v (%v)", step, r.Arrival, a, err)
	}
}

func TestGuestSummariesFollowEveryChange(t *testing.T) {
	now := time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC)
	db := mustOpen(t, now)
	ctx := context.Background()
	mustRooms(t, db, preferences.Room{Number: "2102", Floor: 21, Bed: "king"}, preferences.Room{Number: "305", Floor: 3, Bed: "twin"})
	family := "丁"
	g, err := db.CreateGuest(ctx, desk, preferences.GuestFields{FamilyName: &family, Documents: &[]preferences.DocumentInput{
		{Type: preferences.DocPassport, Number: "E12345678"}, {Type: preferences.DocCNResidentID, Number: "110105197505120038"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Documents) != 2 || g.Documents[0].Type != preferences.DocCNResidentID || g.Documents[1].Last4 != "5678" {
		t.Fatalf("documents = %v, want the resident ID then the passport", g.Documents)
	}
	checkCard(t, db, g.ID, "created")
	other := mustGuest(t, db, "Other", nil)
	checkCard(t, db, other.ID, "no documents")

	// Past stays: two begin at the same time (the smaller id is the last), one earlier.
	day := func(d int) time.Time { return time.Date(2026, 4, d, 6, 0, 0, 0, time.UTC) }
	for _, s := range []sqlite.PastStay{
		{GuestID: g.ID, Room: "305", CheckIn: day(1), CheckOut: day(3), Nights: 2},
		{GuestID: g.ID, Room: "2102", CheckIn: day(5), CheckOut: day(6), Nights: 1},
		{GuestID: g.ID, Room: "305", CheckIn: day(5), CheckOut: day(7), Nights: 2},
		{GuestID: other.ID, Room: "305", CheckIn: day(2), CheckOut: day(4), Nights: 2},
	} {
		if err := db.RecordPastStay(ctx, s); err != nil {
			t.Fatal(err)
		}
		checkCard(t, db, s.GuestID, "past stay")
	}

	if _, err := db.CreateArrival(ctx, desk, preferences.Arrival{GuestID: g.ID, ArrivalDate: "2026-05-10", Nights: 2}); err != nil {
		t.Fatal(err)
	}
	checkCard(t, db, g.ID, "arrival")
	stay, err := db.CheckIn(ctx, desk, g.ID, "2102", 0)
	if err != nil {
		t.Fatal(err)
	}
	checkCard(t, db, g.ID, "checked in")
	if _, err := db.AddNote(ctx, desk, g.ID, preferences.Note{Department: "kitchen", Text: "less sugar"}); err != nil {
		t.Fatal(err)
	}
	f, err := db.AddFeedback(ctx, desk, g.ID, preferences.FeedbackInput{Kind: "complaint", Text: "noisy"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ResolveFeedback(ctx, desk, f.ID, preferences.Resolution{Resolution: "moved", FollowUp: "offer a quiet room"}); err != nil {
		t.Fatal(err)
	}
	checkCard(t, db, g.ID, "note and follow-up")

	g, err = db.UpdateGuest(ctx, desk, g.ID, preferences.GuestFields{Documents: &[]preferences.DocumentInput{{Type: preferences.DocPassport, Number: "K7654321"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Documents) != 1 || g.Documents[0].Last4 != "4321" {
		t.Fatalf("patched documents = %v", g.Documents)
	}
	checkCard(t, db, g.ID, "documents patched")
	if found, err := db.LookupGuest(ctx, preferences.DocPassport, "K7654321"); err != nil || !reflect.DeepEqual(found.Documents, g.Documents) {
		t.Errorf("look-up = %+v, %v", found, err)
	}

	db.Now = func() time.Time { return now.Add(50 * time.Hour) }
	if _, err := db.CheckOut(ctx, desk, stay.ID, "1200.00"); err != nil {
		t.Fatal(err)
	}
	checkCard(t, db, g.ID, "checked out")
	r, _ := db.Recognition(ctx, g.ID)
	if r.LastStay == nil || r.LastStay.ID != stay.ID || r.StaysCount != 4 {
		t.Errorf("after check-out last stay %+v, count %d", r.LastStay, r.StaysCount)
	}
	for _, fu := range r.FollowUps {
		if _, err := db.FollowUpDone(ctx, desk, fu.ID); err != nil {
			t.Fatal(err)
		}
	}
	checkCard(t, db, g.ID, "follow-up done")

	// Erasure clears the documents' last digits and the last stay's spend from the copies too.
	if err := db.EraseGuest(ctx, desk, g.ID); err != nil {
		t.Fatal(err)
	}
	var summary, spend string
	if err := db.Reader().QueryRowContext(ctx, `SELECT doc_summary, last_stay_spend FROM guests WHERE id = ?`, g.ID).Scan(&summary, &spend); err != nil ||
		summary != "" || spend != "" {
		t.Errorf("doc_summary and last stay's spend after erasure = %q, %q (%v)", summary, spend, err)
	}
	_, err = db.Recognition(ctx, g.ID)
	wantCode(t, err, preferences.ENOTFOUND)
	checkCard(t, db, other.ID, "other guest after erasure")
}

// The migration fills the summaries of the guests already stored.
func TestGuestSummariesBackfilled(t *testing.T) {
	path, now := t.TempDir()+"/regulars.db", time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC)
	db := openAt(t, path, now)
	ctx := context.Background()
	mustRooms(t, db, preferences.Room{Number: "305", Floor: 3, Bed: "twin"})
	family := "Lee"
	g, err := db.CreateGuest(ctx, desk, preferences.GuestFields{FamilyName: &family, Documents: &[]preferences.DocumentInput{
		{Type: preferences.DocPassport, Number: "E12345678"}, {Type: preferences.DocCNResidentID, Number: "110105197505120038"}}})
	if err != nil {
		t.Fatal(err)
	}
	for d := 1; d <= 3; d++ {
		in := time.Date(2026, 4, d*3, 6, 0, 0, 0, time.UTC)
		if err := db.RecordPastStay(ctx, sqlite.PastStay{GuestID: g.ID, Room: "305", CheckIn: in, CheckOut: in.Add(24 * time.Hour), Nights: 1}); err != nil {
			t.Fatal(err)
		}
	}
	undo := append(undoStayTriggers(t, db), dropTriggers(t, db, "guest_summary_")...)
	db = reapply(t, db, path, now, "0008_", append(undo, dropColumns("guests", "doc_summary",
		"stays_count", "last_stay_id", "last_stay_room", "last_stay_check_in", "last_stay_check_out", "last_stay_planned_nights",
		"last_stay_spend")...)...)
	var stale, count int
	var summary string
	if err := db.Reader().QueryRowContext(ctx, staleSummaries).Scan(&stale); err != nil || stale != 0 {
		t.Fatalf("%d stale summaries after the backfill (%v)", stale, err)
	}
	if err := db.Reader().QueryRowContext(ctx, `SELECT doc_summary, stays_count FROM guests WHERE id = ?`, g.ID).Scan(&summary, &count); err != nil ||
		summary != "cn_resident_id\x1f0038\x1epassport\x1f5678" || count != 3 {
		t.Errorf("backfilled summary %q, stays %d (%v)", summary, count, err)
	}
	wantStaysKept(t, db, g.ID, "305")
}
