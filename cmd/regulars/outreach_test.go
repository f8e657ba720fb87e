package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"regulars/internal/app"
	"regulars/internal/smtpsink"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// guestBornTomorrow creates a consenting guest whose birthday is tomorrow in the hotel
// (never 29 February), and returns that day: the service's minute job leaves it alone.
func guestBornTomorrow(t *testing.T, a *app.App) (string, preferences.Guest) {
	t.Helper()
	d := time.Now().In(a.Config.Location).AddDate(0, 0, 1)
	if d.Format("01-02") == "02-29" {
		d = d.AddDate(0, 0, 1)
	}
	yes := true
	family, email, birthday := "丁", "ding@example.cn", d.AddDate(-50, 0, 0).Format(preferences.DateLayout)
	g, err := a.Store.CreateGuest(context.Background(), preferences.Actor{Name: "t", Role: preferences.RoleFrontDesk},
		preferences.GuestFields{FamilyName: &family, Email: &email, Birthday: &birthday, MarketingConsent: &yes})
	if err != nil {
		t.Fatal(err)
	}
	return d.Format(preferences.DateLayout), g
}

// `regulars outreach run` on the database of a running service: dry lists, real sends
// through REGULARS_SMTP_URL (the one-shot command waits for them), one
// guest_id<TAB>email<TAB>status line each, never twice; a --date more than two years
// from today is refused.
func TestOutreachRunCommand(t *testing.T) {
	sink := smtpsink.Start(t)
	cfg := testkit.Config(t)
	a, _ := testkit.Start(t, &cfg)
	day, g := guestBornTomorrow(t, a)
	env := serviceEnv(t, cfg, map[string]string{"REGULARS_SECRET": string(cfg.Secret),
		"REGULARS_SMTP_URL": "smtp://" + sink.Addr + "?tls=none", "REGULARS_TZ": "Asia/Shanghai"})
	ctx := context.Background()
	cmd := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(ctx, append([]string{"outreach", "run"}, args...), env, &out, &errOut); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errOut.String())
		}
		return out.String()
	}
	if out := cmd("birthday", "--date", day, "--dry-run"); out != g.ID+"\tding@example.cn\tdry_run\n" || sink.Count() != 0 {
		t.Fatalf("dry run printed %q, sink %d", out, sink.Count())
	}
	if out := cmd("birthday", "--date", day); out != g.ID+"\tding@example.cn\tsent\n" || sink.Count() != 1 {
		t.Fatalf("run printed %q, sink %d", out, sink.Count())
	}
	if out := cmd("birthday", "--date", day); out != "" || sink.Count() != 1 {
		t.Fatalf("second run printed %q, sink %d", out, sink.Count())
	}
	if out := cmd("lapse", "--db", cfg.DBPath); out != "" {
		t.Fatalf("lapse printed %q", out)
	}
	for _, bad := range [][]string{{"outreach", "run"}, {"outreach", "run", "anniversary"}, {"outreach", "run", "birthday", "--date", "12/05/2026"},
		{"outreach", "run", "birthday", "--date", "9999-12-31"}, {"outreach", "run", "lapse", "--date", "1899-01-01", "--dry-run"}} {
		var out, errOut bytes.Buffer
		err := run(ctx, bad, env, &out, &errOut)
		if err == nil {
			t.Errorf("%v succeeded", bad)
		} else if strings.HasPrefix(bad[len(bad)-1], "9999") && !strings.Contains(err.Error(), "date must be within 2 years of today") {
			t.Errorf("%v: %v", bad, err)
		}
	}
}

// SIGTERM (ctx cancelled) while the mail server stalls before DATA: serve stops at once
// and exits cleanly without waiting for the server, and the letter stays queued for the
// next start. The stall is released only when the test ends.
func TestServeStopsAtOnceWithAStalledSend(t *testing.T) {
	sink := smtpsink.Start(t)
	sink.StallMail()
	cfg := testkit.Config(t)
	a, _ := testkit.Start(t, &cfg) // the same database, to prepare it and read it after
	ctx := context.Background()
	day, _ := guestBornTomorrow(t, a)
	token := testkit.Token(t, a, preferences.RoleManager)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := serviceEnv(t, cfg, map[string]string{"REGULARS_SECRET": string(cfg.Secret), "REGULARS_TZ": "Asia/Shanghai",
		"REGULARS_SMTP_URL": "smtp://" + sink.Addr + "?tls=none"})
	serveCtx, sigterm := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- run(serveCtx, []string{"serve", "--addr", addr}, env, io.Discard, io.Discard) }()
	body := `{"date":"` + day + `","dry_run":false}`
	var resp *http.Response
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		req, _ := http.NewRequest("POST", "http://"+addr+"/api/outreach/birthday/run", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		if resp, err = http.DefaultClient.Do(req); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(answer), `"status":"queued"`) {
		t.Fatalf("run = %d %s", resp.StatusCode, answer)
	}
	select {
	case <-sink.Stalled():
	case <-time.After(10 * time.Second):
		t.Fatal("the sender never reached the mail server")
	}
	sigterm()
	stopping := time.Now()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v (exit 1)", err)
		}
		t.Logf("serve stopped %s after SIGTERM", time.Since(stopping))
	case <-time.After(8 * time.Second): // below the HTTP (10 s) and SMTP (30 s) timeouts
		t.Fatal("serve waited for the stalled mail server")
	}
	msgs, err := a.Store.OutreachMessages(ctx, preferences.System, "", 10)
	if err != nil || len(msgs) != 1 || msgs[0].Status != preferences.OutboxQueued || sink.Count() != 0 {
		t.Fatalf("after the stop: %+v %v (sink %d)", msgs, err, sink.Count())
	}
}

// The service started with REGULARS_PUBLIC_URL records it; `regulars outreach run` from a
// shell without it (nor REGULARS_TZ) writes unsubscribe links to the service, not to its
// own default address, and says so. Its own REGULARS_PUBLIC_URL would win.
func TestOutreachRunLinksToTheService(t *testing.T) {
	sink := smtpsink.Start(t)
	cfg := testkit.Config(t)
	cfg.PublicURL = "https://guests.hotel.example"
	a, _ := testkit.Start(t, &cfg)
	day, g := guestBornTomorrow(t, a)
	env := serviceEnv(t, cfg, map[string]string{"REGULARS_SECRET": string(cfg.Secret),
		"REGULARS_SMTP_URL": "smtp://" + sink.Addr + "?tls=none"})
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"outreach", "run", "birthday", "--date", day}, env, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	if out.String() != g.ID+"\tding@example.cn\tsent\n" || sink.Count() != 1 {
		t.Fatalf("run printed %q, sink %d", out.String(), sink.Count())
	}
	m, err := sink.Messages()[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	link := "https://guests.hotel.example/u/" + a.Outreach.Unsubscriber().Token(g.ID)
	if got := m.Header.Get("List-Unsubscribe"); got != "<"+link+">" {
		t.Errorf("List-Unsubscribe = %q, want <%s>", got, link)
	}
	want := "outreach run: public URL https://guests.hotel.example (recorded by the service at its last start), zone Asia/Shanghai (recorded by the service at its last start)"
	if !strings.Contains(errOut.String(), want) {
		t.Errorf("stderr %q does not say %q", errOut.String(), want)
	}

	// This shell's own REGULARS_PUBLIC_URL wins, and is named.
	errOut.Reset()
	mine := serviceEnv(t, cfg, map[string]string{"REGULARS_SECRET": string(cfg.Secret), "REGULARS_PUBLIC_URL": "https://elsewhere.example"})
	if err := run(context.Background(), []string{"outreach", "run", "lapse", "--dry-run"}, mine, io.Discard, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "public URL https://elsewhere.example (REGULARS_PUBLIC_URL)") {
		t.Errorf("stderr %q", errOut.String())
	}
}
