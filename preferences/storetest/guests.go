package storetest

import (
	"context"
	"testing"

	"regulars/preferences"
)

// testGuests covers guests, their documents, consent, preferences and their history.
func testGuests(t *testing.T, open Opener) {
	ctx := context.Background()
	s, repo, clock := ServiceRepo(t, open)

	t.Run("CreateAndRead", func(t *testing.T) {
		in := Named("Ding", "Wei")
		in.Email = Ptr("ding.wei@example.cn")
		in.MarketingConsent = Ptr(true)
		g := NewGuest(t, s, WithPassport(in, "E12345678"))
		got, err := s.Guest(ctx, Desk, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.FamilyName != "Ding" || got.Email != "ding.wei@example.cn" || !got.MarketingConsent ||
			got.Consent == nil || got.Consent.Channel != preferences.ChannelDesk || got.Consent.By != Desk.Name ||
			len(got.Documents) != 1 || got.Documents[0].Last4 != "5678" || !got.CreatedAt.Equal(Start) {
			t.Fatalf("read back %+v", got)
		}
		p, err := s.Preferences(ctx, Desk, g.ID)
		if err != nil || p.Allergies == nil {
			t.Fatalf("preferences of a new guest = %+v, %v; want empty sections", p, err)
		}
	})
	t.Run("UnknownGuest", func(t *testing.T) {
		_, err := s.Guest(ctx, Desk, "g_unknown")
		WantCode(t, err, preferences.ENOTFOUND, "")
		_, err = s.Preferences(ctx, Desk, "g_unknown")
		WantCode(t, err, preferences.ENOTFOUND, "")
	})
	t.Run("InvalidNamesTheField", func(t *testing.T) {
		in := Named("Ding", "Wei")
		in.Email = Ptr("not an address")
		_, err := s.CreateGuest(ctx, Desk, in)
		WantCode(t, err, preferences.EINVALID, "email")
	})
	t.Run("DocumentOfAnotherGuest", func(t *testing.T) {
		NewGuest(t, s, WithPassport(Named("Qian", "Li"), "G87654321"))
		_, err := s.CreateGuest(ctx, Desk, WithPassport(Named("Sun", "Mei"), "g87654321"))
		WantCode(t, err, preferences.ECONFLICT, "documents[0].number")
	})
	t.Run("IdempotentAnswerKeptWithTheCreation", func(t *testing.T) {
		r := &preferences.Replay{Owner: "tok_1", Key: "k-1", Hash: []byte("h"), Status: 201,
			Encode: func(v any) ([]byte, error) { return []byte(v.(preferences.Guest).ID), nil }}
		g, err := s.CreateGuest(preferences.WithReplay(ctx, r), Desk, Named("Zhou", "Xun"))
		if err != nil || string(r.Body) != g.ID {
			t.Fatalf("kept body %q for guest %s (%v)", r.Body, g.ID, err)
		}
		// The same key again, while the first is "in progress": nothing is created.
		again := &preferences.Replay{Owner: "tok_1", Key: "k-1", Hash: []byte("h"), Status: 201, Encode: r.Encode}
		_, err = s.CreateGuest(preferences.WithReplay(ctx, again), Desk, Named("Zhou", "Xun"))
		WantCode(t, err, preferences.ECONFLICT, "Idempotency-Key")
	})

	// The rest of the guests' use cases, on the same service where they do not interfere.
	testGuestChanges(t, s, repo)
	testGuestFinding(t, s)
	testGuestRecords(t, s, repo, clock)
	testGuestPreferences(t, s)
	testKeptAnswers(t, s, clock) // last: it moves the clock a day on
	testErasure(t, open)
}
