package main

import (
	"bytes"
	"context"
	"testing"

	"regulars/internal/smtpsink"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// `regulars outreach run` on the database of a running service: dry lists, real sends
// through REGULARS_SMTP_URL, one guest_id<TAB>email<TAB>status line each, never twice.
func TestOutreachRunCommand(t *testing.T) {
	sink := smtpsink.Start(t)
	cfg := testkit.Config(t)
	a, _ := testkit.Start(t, &cfg)
	yes := true
	s := func(v string) *string { return &v }
	g, err := a.DB.CreateGuest(context.Background(), preferences.Actor{Name: "t", Role: preferences.RoleFrontDesk},
		preferences.GuestFields{FamilyName: s("丁"), Email: s("ding@example.cn"), Birthday: s("1975-05-12"), MarketingConsent: &yes})
	if err != nil {
		t.Fatal(err)
	}
	env := envOf(map[string]string{"REGULARS_DB": cfg.DBPath, "REGULARS_SECRET": string(cfg.Secret),
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
	if out := cmd("birthday", "--date", "2026-05-12", "--dry-run"); out != g.ID+"\tding@example.cn\tdry_run\n" || sink.Count() != 0 {
		t.Fatalf("dry run printed %q, sink %d", out, sink.Count())
	}
	if out := cmd("birthday", "--date", "2026-05-12"); out != g.ID+"\tding@example.cn\tsent\n" || sink.Count() != 1 {
		t.Fatalf("run printed %q, sink %d", out, sink.Count())
	}
	if out := cmd("birthday", "--date", "2026-05-12"); out != "" || sink.Count() != 1 {
		t.Fatalf("second run printed %q, sink %d", out, sink.Count())
	}
	if out := cmd("lapse", "--db", cfg.DBPath); out != "" {
		t.Fatalf("lapse printed %q", out)
	}
	for _, bad := range [][]string{{"outreach", "run"}, {"outreach", "run", "anniversary"}, {"outreach", "run", "birthday", "--date", "12/05/2026"}} {
		var out, errOut bytes.Buffer
		if err := run(ctx, bad, env, &out, &errOut); err == nil {
			t.Errorf("%v succeeded", bad)
		}
	}
}
