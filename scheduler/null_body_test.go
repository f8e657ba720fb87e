package scheduler_test

import (
	"context"
	"strings"
	"testing"

	"regulars/internal/testkit"
	"regulars/preferences"
)

// An outreach run whose body is null, not an object, or holds a null is refused (422
// naming it) before anything runs: no letter is queued or sent.
func TestOutreachRunRefusesNull(t *testing.T) {
	a, sink := startApp(t)
	// Born on the run's default day (today), so that a run would greet her.
	birthday := "1984-" + a.Outreach.Today()[5:]
	if _, err := a.Store.CreateGuest(context.Background(), desk, preferences.GuestFields{FamilyName: ptr("Lovelace"),
		Email: ptr("ada@example.com"), Birthday: &birthday, MarketingConsent: yes, Language: ptr("en")}); err != nil {
		t.Fatal(err)
	}
	manager := testkit.Token(t, a, preferences.RoleManager)
	for body, field := range map[string]string{
		`null`: "body", ` null `: "body", `[]`: "body", `false`: "body",
		`{"dry_run":null}`: "dry_run",
		`{"date":null}`:    "date",
	} {
		res := testkit.Call(t, a, "POST", "/api/outreach/birthday/run", manager, body)
		if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"`+field+`"`) {
			t.Errorf("%s: %d %s, want 422 naming %s", body, res.Status, res.Body, field)
		}
	}
	res := testkit.Call(t, a, "GET", "/api/outreach/messages", manager, nil)
	if sink.Count() != 0 || !strings.Contains(string(res.Body), `"messages":[]`) {
		t.Fatalf("a refused run queued or sent letters: %d sent, outbox %s", sink.Count(), res.Body)
	}
}
