package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
)

// sentinel is the erased guest's data: none of it may be readable after the erasure.
const sentinel = "morvalisk"

// testErasure: an erasure forgets the guest's personal data everywhere, keeps who did
// what (never a value), runs the hooks after the commit, and touches no other guest.
func testErasure(t *testing.T, open Opener) {
	ctx := context.Background()
	s, repo, clock := ServiceRepo(t, open)
	var hooked []preferences.Erased
	s.OnErase(func(ctx context.Context, e preferences.Erased) error { hooked = append(hooked, e); return nil })
	g, passport := erasureFixture(t, s, repo)
	neighbour := NewGuest(t, s, Named("Ren", "Qing"))

	if err := s.EraseGuest(ctx, Manager, g.ID); err != nil {
		t.Fatal(err)
	}
	if len(hooked) != 1 || hooked[0].GuestID != g.ID || len(hooked[0].MessageIDs) != 0 {
		t.Fatalf("hooks got %+v, want the guest without letters", hooked)
	}

	t.Run("NothingReadableThroughTheService", func(t *testing.T) {
		_, err := s.Guest(ctx, Desk, g.ID)
		WantCode(t, err, preferences.ENOTFOUND, "")
		_, err = s.Preferences(ctx, Desk, g.ID)
		WantCode(t, err, preferences.ENOTFOUND, "")
		_, err = s.LookupGuest(ctx, Desk, preferences.DocPassport, passport)
		WantCode(t, err, preferences.ENOTFOUND, "")
		_, err = s.ExportGuest(ctx, Manager, g.ID)
		WantCode(t, err, preferences.ENOTFOUND, "")
		_, err = s.GuestAudit(ctx, Manager, g.ID)
		WantCode(t, err, preferences.ENOTFOUND, "")
		_, err = s.ConsentHistory(ctx, Manager, g.ID)
		WantCode(t, err, preferences.ENOTFOUND, "")
		_, err = s.PreferenceHistory(ctx, Manager, g.ID)
		WantCode(t, err, preferences.ENOTFOUND, "")
		_, err = s.KeptAnswer(ctx, "tok_erase", "k-erase")
		WantCode(t, err, preferences.ENOTFOUND, "")
		for _, q := range []string{sentinel, "13100007777"} {
			wantIDs(t, search(t, s, q, 10))
		}
		notes, err := s.GuestNotes(ctx, g.ID)
		if err == nil && len(notes) > 0 {
			t.Fatalf("notes after the erasure = %+v", notes)
		}
		followUps, err := s.OpenFollowUps(ctx, g.ID)
		if err == nil && len(followUps) > 0 {
			t.Fatalf("follow-ups after the erasure = %+v", followUps)
		}
	})
	t.Run("TheTrailKeepsWhoAndWhenNeverAValue", func(t *testing.T) {
		var entries, changes []preferences.AuditEntry
		var ledger []preferences.ConsentEvent
		var records preferences.GuestRecords
		err := repo.Read(ctx, func(tx preferences.Tx) (err error) {
			if entries, err = tx.GuestAuditEntries(ctx, g.ID); err != nil {
				return err
			}
			if changes, err = tx.PreferenceChanges(ctx, g.ID); err != nil {
				return err
			}
			if ledger, err = tx.ConsentEvents(ctx, g.ID); err != nil {
				return err
			}
			records, err = tx.GuestRecords(ctx, g.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if e := findAction(entries, preferences.ActionErase); e == nil || e.Actor != Manager.Name || !e.At.Equal(clock.Now()) {
			t.Fatalf("erasure's audit entry = %+v", e)
		}
		for _, e := range entries {
			if strings.Contains(strings.ToLower(e.Detail), sentinel) {
				t.Fatalf("an audit entry keeps a value: %+v", e)
			}
		}
		if len(changes) != 1 || changes[0].Section != preferences.SectionNotes || changes[0].Actor != Desk.Name ||
			len(changes[0].Old) != 0 || len(changes[0].New) != 0 {
			t.Fatalf("preference changes = %+v, want who, when and the section, without values", changes)
		}
		if len(ledger) != 0 || len(records.Notes) != 0 || len(records.FollowUps) != 0 || len(records.Stays) != 1 ||
			records.Stays[0].Spend != "" {
			t.Fatalf("after the erasure: ledger %+v, records %+v; want an anonymous stay only", ledger, records)
		}
	})
	t.Run("TheDocumentIsFreeAgain", func(t *testing.T) {
		NewGuest(t, s, WithPassport(Named("Shen", "Tao"), passport))
	})
	t.Run("OtherGuestsUntouched", func(t *testing.T) {
		wantFamilyName(t, s, neighbour.ID, "Ren")
	})
	t.Run("ChangesOfAnErasedGuest", func(t *testing.T) {
		WantCode(t, s.EraseGuest(ctx, Manager, g.ID), preferences.ENOTFOUND, "")
		WantCode(t, s.EraseGuest(ctx, Manager, "g_unknown"), preferences.ENOTFOUND, "")
		_, err := s.UpdateGuest(ctx, Desk, g.ID, preferences.GuestFields{GivenName: Ptr("X")})
		WantCode(t, err, preferences.ENOTFOUND, "")
		_, err = s.SetPreferences(ctx, Desk, g.ID, preferences.Preferences{Notes: "x"}, preferences.Sections)
		WantCode(t, err, preferences.ENOTFOUND, "")
		WantCode(t, s.RecordConsent(ctx, g.ID, true, preferences.ChannelImport, "import"), preferences.ENOTFOUND, "")
		// A concurrent erasure that read the guest before this one committed finds it gone.
		err = repo.Write(ctx, func(tx preferences.Tx) error { _, err := tx.EraseGuestData(ctx, g.ID, clock.Now()); return err })
		WantCode(t, err, preferences.ENOTFOUND, "")
		err = repo.Write(ctx, func(tx preferences.Tx) error {
			return tx.AppendConsent(ctx, g.ID, preferences.ConsentEvent{Granted: true, At: clock.Now(), Channel: preferences.ChannelImport, By: "import"})
		})
		WantCode(t, err, preferences.ENOTFOUND, "")
		if len(hooked) != 1 {
			t.Fatalf("hooks ran for a refused erasure: %+v", hooked)
		}
	})
	t.Run("AHooksFailureComesAfterTheCommit", func(t *testing.T) {
		s.OnErase(func(ctx context.Context, e preferences.Erased) error { return errors.New("outbox unreachable") })
		if err := s.EraseGuest(ctx, Manager, neighbour.ID); err == nil {
			t.Fatal("a hook's failure was not returned")
		}
		_, err := s.Guest(ctx, Desk, neighbour.ID)
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
}

// erasureFixture creates a guest whose every record holds the sentinel; it returns the
// guest and its passport number.
func erasureFixture(t *testing.T, s *preferences.Service, repo preferences.Repository) (preferences.Guest, string) {
	ctx := context.Background()
	const passport = "M12345678"
	in := WithPassport(Named("Morvalisk", "Morvalisk"), passport)
	in.Salutation = Ptr("Morvalisk")
	in.Email = Ptr(sentinel + "@example.com")
	in.Phone = Ptr("+86 131-0000-7777")
	in.MarketingConsent = Ptr(true)
	r := &preferences.Replay{Owner: "tok_erase", Key: "k-erase", Hash: []byte("h"), Status: 201,
		Encode: func(v any) ([]byte, error) { return []byte(v.(preferences.Guest).FamilyName), nil }}
	g, err := s.CreateGuest(preferences.WithReplay(ctx, r), Desk, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetPreferences(ctx, Desk, g.ID, preferences.Preferences{Notes: "Morvalisk pillows"}, preferences.Sections); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddNote(ctx, Desk, g.ID, preferences.Note{Department: "kitchen", Text: "Morvalisk note"}); err != nil {
		t.Fatal(err)
	}
	PutRooms(t, s, preferences.Room{Number: "606", Floor: 6, Bed: "twin"})
	out := Start.Add(-24 * time.Hour)
	mustWrite(t, repo, func(tx preferences.Tx) error {
		if err := tx.InsertStay(ctx, preferences.Stay{ID: "s_erase", GuestID: g.ID, PropertyID: preferences.MainPropertyID, Room: "606", CheckIn: out.Add(-48 * time.Hour),
			CheckOut: &out, PlannedNights: 2, Spend: "Morvalisk spend"}); err != nil {
			return err
		}
		return tx.InsertFollowUp(ctx, g.ID, Desk.Name, preferences.FollowUp{ID: "f_erase", Text: "Morvalisk follow-up", CreatedAt: Start})
	})
	return g, passport
}
