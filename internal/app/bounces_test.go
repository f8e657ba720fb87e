package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"regulars/internal/smtpsink"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// The "a hard bounce that stops the next letter": a relay posts a hard bounce
// through the webhook, and the next birthday letter to that address is recorded as
// suppressed and never reaches the SMTP server; explain, the card and the profile say
// so, the database keeps no address, and the metrics count the bounce.
func TestWebhookHardBounceStopsTheNextLetter(t *testing.T) {
	sink := smtpsink.Start(t)
	cfg := testkit.Config(t)
	cfg.SMTPURL = "smtp://" + sink.Addr + "?tls=none"
	a, _ := testkit.Start(t, &cfg)
	ctx := context.Background()
	relay, desk, manager := testkit.Token(t, a, preferences.RoleRelay), testkit.Token(t, a, preferences.RoleFrontDesk),
		testkit.Token(t, a, preferences.RoleManager)
	now := time.Now()
	today := now.In(cfg.Location).Format(preferences.DateLayout)
	birthday := now.In(cfg.Location).AddDate(-40, 0, 0).Format(preferences.DateLayout)
	consent := true
	guest := func(family, email string) string {
		t.Helper()
		g, err := a.Store.CreateGuest(ctx, preferences.Actor{Name: "t", Role: preferences.RoleManager},
			preferences.GuestFields{FamilyName: &family, Email: &email, Birthday: &birthday, MarketingConsent: &consent})
		if err != nil {
			t.Fatal(err)
		}
		return g.ID
	}
	gone, kept := guest("丁", "Ding.Gone@example.cn"), guest("钱", "qian@example.cn")

	at := now.Add(-time.Hour).UTC().Format(time.RFC3339)
	body := map[string]any{"email": "ding.gone@example.cn", "kind": "hard", "at": at,
		"diagnostic": "smtp; 550 5.1.1 <ding.gone@example.cn>: Recipient address rejected: User unknown"}
	r := testkit.Call(t, a, "POST", "/api/outreach/bounces", relay, body)
	res := r.Map(t)
	if r.Status != 201 || res["recorded"] != true || res["suppressed"] != true || res["suppression"].(map[string]any)["kind"] != "hard" {
		t.Fatalf("hard bounce: %d %s", r.Status, r.Body)
	}
	if again := testkit.Call(t, a, "POST", "/api/outreach/bounces", relay, body); again.Status != 200 || again.Map(t)["recorded"] != false {
		t.Fatalf("the same bounce again: %d %s", again.Status, again.Body)
	}

	// The dry run already tells which letter would be suppressed.
	dry := testkit.Call(t, a, "POST", "/api/outreach/birthday/run", manager, map[string]any{"date": today})
	if dry.Status != 200 || !strings.Contains(string(dry.Body), `"guest_id":"`+gone+`","email":"ding.gone@example.cn","status":"suppressed"`) ||
		!strings.Contains(string(dry.Body), `"guest_id":"`+kept+`","email":"qian@example.cn","status":"dry_run"`) {
		t.Fatalf("dry run: %d %s", dry.Status, dry.Body)
	}
	recipients, err := a.Outreach.Run(ctx, preferences.OutreachBirthday, today, false)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, rc := range recipients {
		status[rc.GuestID] = rc.Status
	}
	if status[gone] != preferences.OutboxSuppressed || status[kept] != preferences.OutboxSent {
		t.Fatalf("run: %+v, want %s suppressed and %s sent", recipients, gone, kept)
	}
	for _, m := range sink.Messages() {
		for _, to := range m.To {
			if strings.EqualFold(to, "ding.gone@example.cn") {
				t.Fatal("the letter to the bounced address reached the SMTP server")
			}
		}
	}
	if n := len(sink.Messages()); n != 1 {
		t.Fatalf("the sink got %d letters, want 1 (to the other guest)", n)
	}
	var st, lastErr string
	if err := testkit.QueryRow(t, a, `SELECT status, last_error FROM outreach_messages WHERE guest_id = ?`, gone).Scan(&st, &lastErr); err != nil {
		t.Fatal(err)
	}
	if st != "suppressed" || !strings.Contains(lastErr, "bounced (hard)") {
		t.Fatalf("outbox row: %s %q", st, lastErr)
	}
	if r := testkit.Call(t, a, "GET", "/api/outreach/messages?status=suppressed", manager, nil); r.Status != 200 || !strings.Contains(string(r.Body), gone) {
		t.Fatalf("suppressed messages: %d %s", r.Status, r.Body)
	}
	ex := testkit.Call(t, a, "GET", "/api/outreach/birthday/explain/"+gone+"?date="+today, manager, nil)
	if ex.Status != 200 || !strings.Contains(string(ex.Body), "letters stopped: the address bounced (hard)") {
		t.Fatalf("explain: %d %s", ex.Status, ex.Body)
	}

	// The card and the profile show it; the other guest's do not.
	for _, path := range []string{"/api/guests/" + gone + "/recognition", "/api/guests/" + gone} {
		r := testkit.Call(t, a, "GET", path, desk, nil)
		sup, _ := r.Map(t)["mail_suppressed"].(map[string]any)
		if r.Status != 200 || sup["kind"] != "hard" || sup["since"] == nil {
			t.Fatalf("%s: %d %s", path, r.Status, r.Body)
		}
	}
	if r := testkit.Call(t, a, "GET", "/api/guests/"+kept+"/recognition", desk, nil); r.Map(t)["mail_suppressed"] != nil {
		t.Fatalf("card of a guest without bounces: %s", r.Body)
	}

	// Only the keyed hash and a diagnostic without the address are kept.
	if n := testkit.Count(t, a, `SELECT count(*) FROM mail_bounces WHERE address_hash LIKE '%@%' OR lower(diagnostic) LIKE '%ding.gone%'`); n != 0 {
		t.Fatalf("%d bounce rows hold the address", n)
	}
	if n := testkit.Count(t, a, `SELECT count(*) FROM mail_suppressions WHERE address_hash LIKE '%@%'`); n != 0 {
		t.Fatalf("%d suppressions hold the address", n)
	}
	if n := testkit.Count(t, a, `SELECT count(*) FROM mail_bounces`); n != 1 {
		t.Fatalf("%d bounces stored, want 1 (the same bounce twice counts once)", n)
	}

	// A manager lifts it; the relay may not.
	lift := map[string]string{"email": "ding.gone@example.cn"}
	if r := testkit.Call(t, a, "POST", "/api/outreach/suppressions/lift", relay, lift); r.Status != 403 {
		t.Fatalf("relay lifting: %d", r.Status)
	}
	if r := testkit.Call(t, a, "POST", "/api/outreach/suppressions/lift", manager, lift); r.Status != 200 {
		t.Fatalf("lift: %d %s", r.Status, r.Body)
	}
	if r := testkit.Call(t, a, "POST", "/api/outreach/suppressions/lift", manager, lift); r.Status != 404 {
		t.Fatalf("lift again: %d %s", r.Status, r.Body)
	}
	if r := testkit.Call(t, a, "GET", "/api/guests/"+gone+"/recognition", desk, nil); r.Map(t)["mail_suppressed"] != nil {
		t.Fatalf("card after the lift: %s", r.Body)
	}

	_, _, metrics := scrape(t, testkit.Serve(t, a), "")
	if !strings.Contains(metrics, `regulars_bounces_total{kind="hard"} 1`) || !strings.Contains(metrics, `regulars_bounces_total{kind="soft"} 0`) {
		t.Fatalf("metrics: %s", grepLines(metrics, "regulars_bounces_total"))
	}
}

func grepLines(text, word string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, word) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Soft bounces through the webhook: 2 do not stop letters, the 3rd within 30 days does.
func TestWebhookSoftBounces(t *testing.T) {
	a, _ := testkit.Start(t, nil)
	relay := testkit.Token(t, a, preferences.RoleRelay)
	now := time.Now().UTC()
	post := func(email string, at time.Time) map[string]any {
		t.Helper()
		r := testkit.Call(t, a, "POST", "/api/outreach/bounces", relay,
			map[string]any{"email": email, "kind": "soft", "at": at.Format(time.RFC3339), "diagnostic": "452 4.2.2 Mailbox full"})
		if r.Status != 201 {
			t.Fatalf("soft bounce: %d %s", r.Status, r.Body)
		}
		return r.Map(t)
	}
	day := 24 * time.Hour
	if post("full@example.cn", now.Add(-25*day))["suppressed"] != false || post("full@example.cn", now.Add(-10*day))["suppressed"] != false {
		t.Fatal("two soft bounces stopped letters")
	}
	if res := post("full@example.cn", now); res["suppressed"] != true || res["soft_bounces"] != float64(3) {
		t.Fatalf("third soft bounce within 30 days: %v", res)
	}
	for _, at := range []time.Time{now.Add(-40 * day), now.Add(-20 * day), now} {
		if res := post("spread@example.cn", at); res["suppressed"] != false {
			t.Fatalf("three soft bounces over 40 days: %v", res)
		}
	}
}

// Bad payloads get 422 naming each field and its rule.
func TestBounceWebhookRefusesBadInput(t *testing.T) {
	a, _ := testkit.Start(t, nil)
	manager := testkit.Token(t, a, preferences.RoleManager)
	at := time.Now().UTC().Format(time.RFC3339)
	for _, c := range []struct {
		body   any
		fields []string
	}{
		{map[string]any{"kind": "hard", "at": at}, []string{"email"}},
		{map[string]any{"email": "not an address", "kind": "hard", "at": at}, []string{"email"}},
		{map[string]any{"email": "a@example.cn", "kind": "bounced", "at": at}, []string{"kind"}},
		{map[string]any{"email": "a@example.cn", "kind": "hard"}, []string{"at"}},
		{map[string]any{"email": "a@example.cn", "kind": "hard", "at": "yesterday"}, []string{"at"}},
		{map[string]any{"email": "a@example.cn", "kind": "hard", "at": time.Now().Add(72 * time.Hour).Format(time.RFC3339)}, []string{"at"}},
		{map[string]any{"email": "a@example.cn", "kind": "hard", "at": "2019-01-01T00:00:00Z"}, []string{"at"}},
		{map[string]any{"email": "a@example.cn", "kind": "hard", "at": at, "diagnostic": strings.Repeat("x", 4001)}, []string{"diagnostic"}},
		{map[string]any{}, []string{"email", "kind", "at"}},
		{map[string]any{"email": 7, "kind": "hard", "at": at}, []string{"email"}},
	} {
		r := testkit.Call(t, a, "POST", "/api/outreach/bounces", manager, c.body)
		if r.Status != 422 {
			t.Errorf("%v: %d %s", c.body, r.Status, r.Body)
			continue
		}
		for _, f := range c.fields {
			if !strings.Contains(string(r.Body), `"field":"`+f+`"`) {
				t.Errorf("%v: %s does not name %s", c.body, r.Body, f)
			}
		}
	}
	if n := testkit.Count(t, a, `SELECT count(*) FROM mail_bounces`); n != 0 {
		t.Fatalf("%d bounces stored from bad input", n)
	}
}

// A relay token posts bounces and nothing else: every other API route answers it 403.
// A desk token may not post bounces.
func TestRelayTokenDoesNothingElse(t *testing.T) {
	a, _ := testkit.Start(t, nil)
	relay, desk := testkit.Token(t, a, preferences.RoleRelay), testkit.Token(t, a, preferences.RoleFrontDesk)
	if r := testkit.Call(t, a, "POST", "/api/outreach/bounces", desk,
		map[string]any{"email": "a@example.cn", "kind": "hard", "at": time.Now().UTC().Format(time.RFC3339)}); r.Status != 403 {
		t.Fatalf("desk posting a bounce: %d %s", r.Status, r.Body)
	}
	tried := 0
	for _, rt := range a.HTTP.GetRoutes(true) {
		if !strings.HasPrefix(rt.Path, "/api/") || rt.Path == "/api/outreach/bounces" || rt.Method == "HEAD" ||
			rt.Path == "/api/openapi.json" || strings.Contains(rt.Path, "*") {
			continue
		}
		path := rt.Path
		for _, p := range rt.Params {
			path = strings.Replace(path, ":"+p, "x1", 1)
		}
		var body any
		if rt.Method != "GET" && rt.Method != "DELETE" {
			body = map[string]any{}
		}
		req := testkit.Request(t, rt.Method, path, relay, body)
		resp, err := testkit.Send(a, req)
		if err != nil {
			t.Fatal(err)
		}
		tried++
		if resp.Status != http.StatusForbidden {
			t.Errorf("relay token on %s %s: %d %s", rt.Method, rt.Path, resp.Status, resp.Body)
		}
	}
	if tried < 30 {
		t.Fatalf("only %d routes tried", tried)
	}
	if _, err := a.Store.CreateUser(context.Background(), "relay login", preferences.RoleRelay); preferences.ErrorCode(err) != preferences.EINVALID {
		t.Fatalf("a staff login with the relay role: %v", err)
	}
}
