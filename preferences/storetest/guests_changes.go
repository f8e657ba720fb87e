package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"regulars/preferences"
)

// residentID is a valid resident ID number, born 1975-05-12.
const residentID = "110105197505120038"

// testGuestChanges covers changing a guest and the consent ledger.
func testGuestChanges(t *testing.T, s *preferences.Service, repo preferences.Repository) {
	ctx := context.Background()

	t.Run("UpdateAppliesTheFieldsSentAndAuditsTheirNames", func(t *testing.T) {
		in := Named("Feng", "Lan")
		in.Phone = Ptr("13800000001")
		g := NewGuest(t, s, in)
		patch := preferences.GuestFields{Email: Ptr(" Feng.Lan@Example.CN "), Salutation: Ptr("Ms")}
		got, err := s.UpdateGuest(ctx, Manager, g.ID, patch)
		if err != nil {
			t.Fatal(err)
		}
		if got.Email != "feng.lan@example.cn" || got.Salutation != "Ms" || got.FamilyName != "Feng" || got.Phone != "13800000001" {
			t.Fatalf("updated guest = %+v", got)
		}
		entries := auditOf(t, s, g.ID)
		last := findAction(entries, preferences.ActionUpdate)
		if last == nil || last.Detail != "salutation,email" || last.Actor != Manager.Name {
			t.Fatalf("update's audit entry = %+v, want the names salutation,email", last)
		}
		for _, e := range entries {
			if strings.Contains(e.Detail, "example") {
				t.Fatalf("an audit entry holds a value: %+v", e)
			}
		}
	})
	t.Run("UpdateWithAnInvalidFieldChangesNothing", func(t *testing.T) {
		g := NewGuest(t, s, Named("Gao", "Yun"))
		_, err := s.UpdateGuest(ctx, Desk, g.ID, preferences.GuestFields{FamilyName: Ptr("Gu"), Email: Ptr("no-at-sign")})
		WantCode(t, err, preferences.EINVALID, "email")
		_, err = s.UpdateGuest(ctx, Desk, g.ID, preferences.GuestFields{FamilyName: Ptr("")})
		WantCode(t, err, preferences.EINVALID, "family_name")
		wantFamilyName(t, s, g.ID, "Gao")
	})
	t.Run("UpdateReplacesTheDocuments", func(t *testing.T) {
		g := NewGuest(t, s, WithPassport(Named("He", "Jun"), "H11112222"))
		got, err := s.UpdateGuest(ctx, Desk, g.ID, WithPassport(preferences.GuestFields{}, "H33334444"))
		if err != nil || len(got.Documents) != 1 || got.Documents[0].Last4 != "4444" {
			t.Fatalf("documents after the update = %+v, %v", got.Documents, err)
		}
		_, err = s.LookupGuest(ctx, Desk, preferences.DocPassport, "H11112222")
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
	t.Run("UpdateWithAnotherGuestsDocumentChangesNothing", func(t *testing.T) {
		NewGuest(t, s, WithPassport(Named("Jiang", "Bo"), "J55556666"))
		g := NewGuest(t, s, WithPassport(Named("Kong", "Yu"), "K77778888"))
		patch := WithPassport(preferences.GuestFields{FamilyName: Ptr("Kang")}, "j5555-6666") // its owner's, typed otherwise
		_, err := s.UpdateGuest(ctx, Desk, g.ID, patch)
		WantCode(t, err, preferences.ECONFLICT, "documents[0].number")
		got := wantFamilyName(t, s, g.ID, "Kong")
		if len(got.Documents) != 1 || got.Documents[0].Last4 != "8888" {
			t.Fatalf("documents after a refused update = %+v", got.Documents)
		}
	})
	t.Run("UpdateKeepsTheBirthdayOfTheResidentID", func(t *testing.T) {
		in := Named("Lu", "Xin")
		in.Documents = &[]preferences.DocumentInput{{Type: preferences.DocCNResidentID, Number: residentID}}
		g := NewGuest(t, s, in)
		if g.Birthday != "1975-05-12" {
			t.Fatalf("birthday from the resident ID = %q", g.Birthday)
		}
		_, err := s.UpdateGuest(ctx, Desk, g.ID, preferences.GuestFields{Birthday: Ptr("1980-01-01")})
		WantCode(t, err, preferences.EINVALID, "birthday")
	})
	t.Run("UpdateOfAnUnknownGuest", func(t *testing.T) {
		_, err := s.UpdateGuest(ctx, Desk, "g_unknown", preferences.GuestFields{GivenName: Ptr("X")})
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
	t.Run("ConcurrentChangesAreAllKept", func(t *testing.T) {
		g := NewGuest(t, s, Named("Lei", "Hong"))
		patches := []preferences.GuestFields{{GivenName: Ptr("Hongyu")}, {Salutation: Ptr("Dr")}, {Phone: Ptr("13900000002")}}
		errs := make(chan error, len(patches)+1)
		for _, p := range patches {
			go func() { _, err := s.UpdateGuest(ctx, Desk, g.ID, p); errs <- err }()
		}
		go func() {
			_, err := s.SetPreferences(ctx, Desk, g.ID, preferences.Preferences{Notes: "Late check-out"}, preferences.Sections)
			errs <- err
		}()
		for range len(patches) + 1 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		got, _ := s.Guest(ctx, Desk, g.ID)
		p, _ := s.Preferences(ctx, Desk, g.ID)
		if got.GivenName != "Hongyu" || got.Salutation != "Dr" || got.Phone != "13900000002" || p.Notes != "Late check-out" {
			t.Fatalf("after concurrent changes: %+v, notes %q; a change was lost", got, p.Notes)
		}
	})
	t.Run("ConditionalWritesSeeAChangeSinceTheRead", func(t *testing.T) {
		g := NewGuest(t, s, Named("Mo", "Yan"))
		stale := g.UpdatedAt.Add(-time.Second)
		var okFields, okPrefs bool
		mustWrite(t, repo, func(tx preferences.Tx) (err error) {
			changed := g
			changed.FamilyName = "Changed"
			if okFields, err = tx.UpdateGuestFields(ctx, changed, stale); err != nil {
				return err
			}
			okPrefs, err = tx.StorePreferences(ctx, g.ID, preferences.Preferences{Notes: "Changed"}, Start, stale)
			return err
		})
		p, _ := s.Preferences(ctx, Desk, g.ID)
		if okFields || okPrefs || p.Notes != "" {
			t.Fatalf("writes conditional on a stale version went through: %v %v, notes %q", okFields, okPrefs, p.Notes)
		}
		wantFamilyName(t, s, g.ID, "Mo")
	})
	t.Run("ConsentLedgerInOrder", func(t *testing.T) {
		in := Named("Ma", "Lin")
		in.MarketingConsent = Ptr(true)
		g := NewGuest(t, s, in)
		if _, err := s.UpdateGuest(ctx, Desk, g.ID, preferences.GuestFields{MarketingConsent: Ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordConsent(ctx, g.ID, false, preferences.ChannelEmailLink, "guest"); err != nil {
			t.Fatal(err)
		}
		ledger, err := s.ConsentHistory(ctx, Desk, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ledger) != 3 || !ledger[0].Granted || !ledger[1].Granted || ledger[2].Granted ||
			ledger[2].Channel != preferences.ChannelEmailLink || ledger[2].By != "guest" || ledger[0].By != Desk.Name {
			t.Fatalf("ledger = %+v, want granted, granted again, withdrawn by email link", ledger)
		}
		got, _ := s.Guest(ctx, Desk, g.ID)
		if got.MarketingConsent || got.Consent == nil || got.Consent.Channel != preferences.ChannelEmailLink {
			t.Fatalf("current consent = %v %+v, want the withdrawal", got.MarketingConsent, got.Consent)
		}
		err = s.RecordConsent(ctx, "g_unknown", false, preferences.ChannelEmailLink, "guest")
		WantCode(t, err, preferences.ENOTFOUND, "")
		_, err = s.ConsentHistory(ctx, Desk, "g_unknown")
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
}

// testKeptAnswers: an answer kept with a creation is found within AnswerTTL, not after.
func testKeptAnswers(t *testing.T, s *preferences.Service, clock *clockwork.FakeClock) {
	ctx := context.Background()
	t.Run("KeptAnswerWithinItsTime", func(t *testing.T) {
		r := &preferences.Replay{Owner: "tok_2", Key: "k-2", Hash: []byte("h2"), Status: 201,
			Encode: func(v any) ([]byte, error) { return []byte("created"), nil }}
		if _, err := s.CreateGuest(preferences.WithReplay(ctx, r), Desk, Named("Ning", "Ke")); err != nil {
			t.Fatal(err)
		}
		a, err := s.KeptAnswer(ctx, "tok_2", "k-2")
		if err != nil || string(a.Body) != "created" || a.Status != 201 || string(a.Hash) != "h2" {
			t.Fatalf("kept answer = %+v, %v", a, err)
		}
		_, err = s.KeptAnswer(ctx, "tok_other", "k-2")
		WantCode(t, err, preferences.ENOTFOUND, "")
		clock.Advance(preferences.AnswerTTL + time.Second)
		_, err = s.KeptAnswer(ctx, "tok_2", "k-2")
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
}

// WithPassport is in with a passport of this number as its only document.
func WithPassport(in preferences.GuestFields, number string) preferences.GuestFields {
	in.Documents = &[]preferences.DocumentInput{{Type: preferences.DocPassport, Number: number}}
	return in
}

// wantFamilyName fails t unless the guest's family name is want; it returns the guest.
func wantFamilyName(t *testing.T, s *preferences.Service, id, want string) preferences.Guest {
	t.Helper()
	g, err := s.Guest(context.Background(), Desk, id)
	if err != nil || g.FamilyName != want {
		t.Fatalf("family name = %q (%v), want %q unchanged", g.FamilyName, err, want)
	}
	return g
}

// auditOf returns the guest's audit entries as the manager reads them.
func auditOf(t *testing.T, s *preferences.Service, id string) []preferences.AuditEntry {
	t.Helper()
	entries, err := s.GuestAudit(context.Background(), Manager, id)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// findAction returns the last entry of action, nil when there is none.
func findAction(entries []preferences.AuditEntry, action string) *preferences.AuditEntry {
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].Action == action {
			return &entries[i]
		}
	}
	return nil
}
