package storetest

import (
	"context"
	"testing"

	"regulars/preferences"
)

// testGuestFinding covers the search and the look-up by document.
func testGuestFinding(t *testing.T, s *preferences.Service) {
	ctx := context.Background()
	xiu := WithPassport(Named("Ouyang", "Xiu"), "P12345678")
	xiu.Email = Ptr("xiu@ouyang.example")
	xiu.Phone = Ptr("+86 139-1234-5678")
	gx := NewGuest(t, s, xiu)
	ga := NewGuest(t, s, Named("Ouyang", "Ai"))

	t.Run("SearchIsCaseInsensitiveAndOrdered", func(t *testing.T) {
		wantIDs(t, search(t, s, " OUYANG ", 10), ga.ID, gx.ID) // by family name, then given name
		wantIDs(t, search(t, s, "XIU@Ouyang.EXAMPLE", 10), gx.ID)
		wantIDs(t, search(t, s, "ouyang", 1), ga.ID)
	})
	t.Run("SearchMatchesPhoneDigits", func(t *testing.T) {
		wantIDs(t, search(t, s, "139 1234-56", 10), gx.ID)
		wantIDs(t, search(t, s, "8613912345678", 10), gx.ID)
	})
	t.Run("SearchTakesWildcardsLiterally", func(t *testing.T) {
		wantIDs(t, search(t, s, "ouyan_", 10))
		wantIDs(t, search(t, s, "ou%ang", 10))
	})
	t.Run("SearchNeedsAQuery", func(t *testing.T) {
		_, err := s.SearchGuests(ctx, Desk, "   ", 10)
		WantCode(t, err, preferences.EINVALID, "q")
		_, err = s.SearchGuests(ctx, Desk, "ouyang", 0)
		WantCode(t, err, preferences.EINVALID, "limit")
	})
	t.Run("SearchAuditsEachHit", func(t *testing.T) {
		search(t, s, "ai ouyang", 10)
		if e := findAction(auditOf(t, s, ga.ID), preferences.ActionSearch); e == nil || e.Actor != Desk.Name {
			t.Fatalf("search hit's audit entry = %+v", e)
		}
	})
	t.Run("LookupByANormalisedNumber", func(t *testing.T) {
		g, err := s.LookupGuest(ctx, Desk, preferences.DocPassport, " p1234-5678 ")
		if err != nil || g.ID != gx.ID || len(g.Documents) != 1 || g.Documents[0].Last4 != "5678" {
			t.Fatalf("look-up = %+v, %v; want %s", g, err, gx.ID)
		}
		if e := findAction(auditOf(t, s, gx.ID), preferences.ActionLookup); e == nil || e.Actor != Desk.Name {
			t.Fatalf("look-up's audit entry = %+v", e)
		}
	})
	t.Run("LookupNamesTheBadField", func(t *testing.T) {
		_, err := s.LookupGuest(ctx, Desk, "", "P12345678")
		WantCode(t, err, preferences.EINVALID, "document_type")
		_, err = s.LookupGuest(ctx, Desk, preferences.DocPassport, "P1")
		WantCode(t, err, preferences.EINVALID, "document_number")
		_, err = s.LookupGuest(ctx, Desk, preferences.DocPassport, "P99999999")
		WantCode(t, err, preferences.ENOTFOUND, "")
		// The same number as another type of document is another document.
		_, err = s.LookupGuest(ctx, Desk, preferences.DocOther, "P12345678")
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
}

// search runs a search as the front desk and fails t when it fails.
func search(t *testing.T, s *preferences.Service, q string, limit int) []preferences.Guest {
	t.Helper()
	gs, err := s.SearchGuests(context.Background(), Desk, q, limit)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return gs
}

// wantIDs fails t unless guests are exactly those of ids, in order.
func wantIDs(t *testing.T, guests []preferences.Guest, ids ...string) {
	t.Helper()
	got := make([]string, len(guests))
	for i, g := range guests {
		got[i] = g.ID
	}
	if len(got) != len(ids) {
		t.Fatalf("guests %v, want %v", got, ids)
	}
	for i := range ids {
		if got[i] != ids[i] {
			t.Fatalf("guests %v, want %v", got, ids)
		}
	}
}
