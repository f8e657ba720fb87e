package sqlstore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"regulars/internal/pgtest"
	"regulars/preferences"
	"regulars/preferences/postgres"
	"regulars/preferences/sqlstore"
	"regulars/preferences/storetest"
)

// PostgreSQL's one-statement card gives exactly the facts of the portable queries, on a
// guest with something in every part of the card.
func TestCardPostgresAgreesWithPortable(t *testing.T) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.URL(t), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, repo, clock := storetest.ServiceRepo(t, func(*testing.T) preferences.Repository { return db.Store() })
	storetest.PutRooms(t, s, preferences.Room{Number: "2101", Floor: 21, View: "river", Bed: "king", Features: []string{"internet"}},
		preferences.Room{Number: "305", Floor: 3, Bed: "twin", Quiet: true}, preferences.Room{Number: "306", Floor: 3, Bed: "twin"})
	in := storetest.Named("丁", "伟")
	in.Salutation, in.Birthday, in.MarketingConsent = storetest.Ptr("丁总"), storetest.Ptr("1980-03-17"), storetest.Ptr(true)
	in.Documents = &[]preferences.DocumentInput{{Type: preferences.DocPassport, Number: "E12345678"}}
	g := storetest.NewGuest(t, s, in)
	empty := storetest.NewGuest(t, s, storetest.Named("Qian", "Li"))
	clock.Advance(time.Minute)
	out := storetest.Start.Add(-48 * time.Hour)
	p := preferences.Preferences{Room: preferences.RoomPrefs{View: "river"}, Allergies: []preferences.Allergy{{Allergen: "dust", Severity: "mild"}}}
	err = repo.Write(ctx, func(tx preferences.Tx) error {
		for _, st := range []preferences.Stay{
			{ID: "s_old", GuestID: g.ID, Room: "306", CheckIn: out.Add(-72 * time.Hour), CheckOut: &out, PlannedNights: 3, Spend: "88.10"},
			{ID: "s_older", GuestID: g.ID, Room: "305", CheckIn: out.AddDate(-1, 0, 0), CheckOut: &out, PlannedNights: 9},
			{ID: "s_now", GuestID: g.ID, Room: "2101", CheckIn: storetest.Start.Add(123456 * time.Microsecond), PlannedNights: 2},
		} {
			if err := tx.InsertStay(ctx, st); err != nil {
				return err
			}
		}
		if err := tx.InsertFollowUp(ctx, g.ID, "desk", preferences.FollowUp{ID: "f_1", Text: "flowers", CreatedAt: out}); err != nil {
			return err
		}
		return tx.StorePreferences(ctx, g.ID, p)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddNote(ctx, storetest.Desk, g.ID, preferences.Note{Department: "kitchen", Text: "no coriander"}); err != nil {
		t.Fatal(err)
	}
	_, err = db.SQL().ExecContext(ctx, `INSERT INTO arrivals (id, guest_id, arrival_date, nights, reference, created_at)
		VALUES ('a_1', $1, $2, 2, 'PMS-1', now())`, g.ID, s.Today())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{g.ID, empty.ID} {
		err := repo.Read(ctx, func(tx preferences.Tx) error {
			engine, portable, err := sqlstore.CardFactsBothWays(ctx, tx, id, s.Today())
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(engine, portable) {
				t.Errorf("card facts of %s:\nPostgreSQL %#v\nportable   %#v", id, engine, portable)
			}
			if id == g.ID && (engine.InHouse == nil || engine.LastStay == nil || engine.Arrival == nil || len(engine.Notes) != 1 ||
				len(engine.FollowUps) != 1 || engine.Guest.Consent == nil || len(engine.Guest.Documents) != 1 || len(engine.FreeRooms) != 2) {
				t.Errorf("the fixture left a part of the card empty: %+v", engine)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
