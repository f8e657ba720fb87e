package frontdesk_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
)

// The card page says when letters to the guest's address are stopped, and when not.
func TestCardShowsStoppedLetters(t *testing.T) {
	a := start(t)
	s := seedHotel(t, a)
	desk := staffClient(t, a, "mei", preferences.RoleFrontDesk)
	card := desk.get("/frontdesk/guests/" + s.Ding.ID)
	wantStatus(t, "card", card, http.StatusOK)
	if strings.Contains(card.Body, "Letters stopped") {
		t.Fatal("the card shows stopped letters before any bounce")
	}
	if s.Ding.Email == "" {
		t.Fatal("the seeded guest has no address")
	}
	at := time.Now().Add(-time.Hour)
	if _, err := a.Store.RecordBounce(context.Background(), preferences.Bounce{Email: s.Ding.Email, Kind: preferences.BounceHard,
		At: at, Source: preferences.BounceFromWebhook}); err != nil {
		t.Fatal(err)
	}
	card = desk.get("/frontdesk/guests/" + s.Ding.ID)
	want := "Letters stopped: address bounced (hard) on " + at.In(a.Config.Location).Format("2 Jan 2006")
	if !strings.Contains(card.Body, want) {
		t.Fatalf("card without %q:\n%s", want, card.Body)
	}
}
