package app_test

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"regulars/internal/app"
	"regulars/internal/testkit"
	"regulars/internal/web"
	"regulars/preferences"
)

// TestRestart writes data, stops the service, starts it again on the same file: the data
// is there and no migration is applied twice.
func TestRestart(t *testing.T) {
	cfg := testkit.Config(t)
	a, err := app.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	token := testkit.Token(t, a, preferences.RoleFrontDesk)
	r := testkit.Call(t, a, "POST", "/api/guests", token, map[string]any{"family_name": "Thompson", "given_name": "Emma",
		"documents": []map[string]string{{"type": "passport", "number": "533401817"}}})
	if r.Status != 201 {
		t.Fatal(r.Status, string(r.Body))
	}
	id := r.Map(t)["id"].(string)
	r = testkit.Call(t, a, "PATCH", "/api/guests/"+id+"/preferences", token, map[string]any{"notes": "window seat at breakfast"})
	if r.Status != 200 {
		t.Fatal(r.Status, string(r.Body))
	}
	testkit.Call(t, a, "GET", "/api/guests/"+id, token, nil) // an audited read, queued
	applied := appliedMigrations(t, a)
	if len(applied) == 0 {
		t.Fatal("no migration recorded")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	b, err := app.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if again := appliedMigrations(t, b); !maps.Equal(applied, again) {
		t.Fatalf("migrations changed on restart: %v -> %v", applied, again)
	}
	r = testkit.Call(t, b, "GET", "/api/guests/"+id, token, nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), "window seat at breakfast") {
		t.Fatalf("after restart: %d %s", r.Status, r.Body)
	}
	r = testkit.Call(t, b, "POST", "/api/guests/lookup", token, map[string]string{"document_type": "passport", "document_number": "533401817"})
	if r.Status != 200 {
		t.Fatalf("lookup after restart: %d", r.Status)
	}
	entries, err := b.Store.GuestAudit(ctx, preferences.System, id)
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, e := range entries {
		if e.Action == preferences.ActionRead {
			reads++
		}
	}
	if reads < 1 {
		t.Fatalf("the read queued before the stop was lost: %v", entries)
	}
}

// appliedMigrations maps the migrations recorded in a's database to when each was applied.
func appliedMigrations(t *testing.T, a *app.App) map[string]string {
	t.Helper()
	rows, err := testkit.DB(t, a).Query(`SELECT name, CAST(applied_at AS TEXT) FROM schema_migrations`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, at string
		if err := rows.Scan(&name, &at); err != nil {
			t.Fatal(err)
		}
		out[name] = at
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestHealthAndOpenAPI(t *testing.T) {
	a, _ := testkit.Start(t, nil)
	scheduler := func() any {
		t.Helper()
		r := testkit.Call(t, a, "GET", "/healthz", "", nil)
		m := r.Map(t)
		if r.Status != 200 || m["status"] != "ok" || m["database"] != "ok" {
			t.Fatalf("healthz %d %v", r.Status, m)
		}
		return m["scheduler"]
	}
	if s := scheduler(); s != "stopped" {
		t.Fatalf("before the start the scheduler is %v, want stopped", s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if s := scheduler(); s != "standby" {
		t.Fatalf("before its first run the scheduler is %v, want standby", s)
	}
	// A minute the job's own runs have not reached: it is this run's to claim.
	if err := a.Outreach.Tick(ctx, time.Now().Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if s := scheduler(); s != "holder" {
		t.Fatalf("after its run, alone on the database, the scheduler is %v, want holder", s)
	}
	r := testkit.Call(t, a, "GET", "/api/openapi.json", "", nil)
	if r.Status != http.StatusOK {
		t.Fatal(r.Status)
	}
	doc := r.Map(t)
	paths := doc["paths"].(map[string]any)
	for _, p := range []string{"/api/guests", "/api/guests/{id}", "/api/guests/lookup", "/api/guests/{id}/preferences", "/api/guests/{id}/audit", "/healthz"} {
		if paths[p] == nil {
			t.Errorf("openapi lacks %s", p)
		}
	}
}

func TestSecretFileCreatedOnce(t *testing.T) {
	dir := t.TempDir()
	cfg := app.FromEnv(func(string) string { return "" })
	cfg.DBPath = dir + "/db/regulars.db"
	if err := cfg.Resolve(); err != nil {
		t.Fatal(err)
	}
	cfg2 := app.FromEnv(func(string) string { return "" })
	cfg2.DBPath = cfg.DBPath
	if err := cfg2.Resolve(); err != nil {
		t.Fatal(err)
	}
	if string(cfg.Secret) != string(cfg2.Secret) || len(cfg.Secret) != 32 {
		t.Fatal("the secret is not kept")
	}
	if fi, err := osStat(dir + "/db/secret"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode: %v %v", fi, err)
	}
}

// Every malformed variable stops the start with an error naming the variable and the
// rule; a secret's value is never repeated in it.
func TestConfigErrors(t *testing.T) {
	for _, c := range []struct{ env, rule string }{
		{"REGULARS_TZ=Mars/Base", "IANA time zone"},
		{"REGULARS_BIRTHDAY_AT=9am", "HH:MM"},
		{"REGULARS_BIRTHDAY_AT=9:00", "HH:MM"},
		{"REGULARS_LAPSE_AT=24:00", "HH:MM"},
		{"REGULARS_ADDR=8080", "host:port"},
		{"REGULARS_ADDR=127.0.0.1:http", "host:port"},
		{"REGULARS_ADDR=127.0.0.1:70000", "host:port"},
		{"REGULARS_SECRET=short", "at least 16 characters"},
		{"REGULARS_TLS_CERT=/tmp/cert", "set together"},
		{"REGULARS_MAIL_RATE=fast", "messages a second"},
		{"REGULARS_MAIL_RATE=0", "messages a second"},
		{"REGULARS_MAIL_RATE=NaN", "messages a second"},
		{"REGULARS_MAIL_RATE=Inf", "messages a second"},
		{"REGULARS_MAIL_CONNECTIONS=0", "from 1 to 64"},
		{"REGULARS_MAIL_CONNECTIONS=x", "from 1 to 64"},
		{"REGULARS_SESSION_IDLE=soon", "duration"},
		{"REGULARS_SESSION_IDLE=5s", "duration"},
		{"REGULARS_OUTBOX_LEASE=1s", "duration from 5s to 1h"},
		{"REGULARS_OUTBOX_LEASE=long", "duration from 5s to 1h"},
		{"REGULARS_TEST_CLOCK_OFFSET=3", "Go duration"},
		{"REGULARS_TEST_CLOCK_OFFSET=an hour", "Go duration"},
		{"REGULARS_LAPSE_AFTER=abc", "whole number of days"},
		{"REGULARS_LAPSE_AFTER=12x", "whole number of days"},
		{"REGULARS_LAPSE_AFTER=0", "whole number of days"},
		{"REGULARS_LAPSE_AFTER=1e3", "whole number of days"},
		{"REGULARS_LAPSE_WINDOW=0", "from 1 to 60"},
		{"REGULARS_LAPSE_WINDOW=61", "from 1 to 60"},
		{"REGULARS_LAPSE_WINDOW=7d", "whole number of days"},
		{"REGULARS_BIRTHDAY_GRACE=-1", "from 0 to 14"},
		{"REGULARS_BIRTHDAY_GRACE=15", "from 0 to 14"},
		{"REGULARS_BIRTHDAY_GRACE=2.5", "whole number of days"},
		{"REGULARS_BIRTHDAY_GRACE=two", "whole number of days"},
		{"REGULARS_MAIL_FROM=frontdesk", "email address"},
		{"REGULARS_MAIL_FROM=a@b.example, c@d.example", "one email address"},
		{"REGULARS_PUBLIC_URL=hotel.example", "absolute http"},
		{"REGULARS_PUBLIC_URL=ftp://hotel.example", "absolute http"},
		{"REGULARS_HOTEL_NAME=Hotel\r\nBcc: x@y.example", "control characters"},
		{"REGULARS_TRUSTED_PROXIES=proxy.local", "CIDRs or addresses"},
		{"REGULARS_METRICS_ALLOW=localhost", "CIDR or address"},
		{"REGULARS_METRICS_ALLOW=10.0.0.0/33", "CIDR or address"},
		{"REGULARS_METRICS_ALLOW=,", "at least one"},
		{"REGULARS_KIOSK_MAX_FAILURES=none", "positive number"},
		{"REGULARS_KIOSK_LOCKOUT=-5m", "duration"},
	} {
		k, v, _ := strings.Cut(c.env, "=")
		cfg := app.FromEnv(func(name string) string {
			if name == k {
				return v
			}
			return ""
		})
		cfg.DBPath = t.TempDir() + "/r.db"
		err := cfg.Resolve()
		if err == nil || !strings.Contains(err.Error(), k) || !strings.Contains(err.Error(), c.rule) {
			t.Errorf("%s: got %v, want an error naming %s and %q", c.env, err, k, c.rule)
		}
		if k == "REGULARS_SECRET" && strings.Contains(err.Error(), v) {
			t.Errorf("the error repeats the secret: %v", err)
		}
	}
}

// REGULARS_TEST_CLOCK_OFFSET moves every clock of the service, and only a test's own
// clocks are left alone.
func TestConfigClockOffset(t *testing.T) {
	cfg := app.FromEnv(func(k string) string {
		return map[string]string{"REGULARS_TEST_CLOCK_OFFSET": "-72h"}[k]
	})
	cfg.DBPath = t.TempDir() + "/r.db"
	if err := cfg.Resolve(); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]interface{ Now() time.Time }{"store": cfg.StoreClock, "sign-in": cfg.SignInClock,
		"scheduler": cfg.SchedulerClock, "kiosk": cfg.Kiosk.Clock} {
		if c == nil {
			t.Fatalf("the %s clock is not shifted", name)
		}
		if d := time.Until(c.Now()); d > -72*time.Hour+time.Minute || d < -72*time.Hour-time.Minute {
			t.Errorf("the %s clock is %v off, want -72h", name, d)
		}
	}
	if cfg.OutboxLease != time.Minute {
		t.Errorf("the default lease is %v, want 1m", cfg.OutboxLease)
	}
}

// REGULARS_DB may be a PostgreSQL URL. The instances on one database must seal documents
// with the same key, so REGULARS_SECRET is then required (no secret file is made up);
// an error never repeats the URL, which may hold a password.
func TestConfigPostgresURL(t *testing.T) {
	const url = "postgres://regulars:Hunter2-pw@db.hotel.example:5432/regulars?sslmode=require"
	t.Chdir(t.TempDir()) // a secret file made up by mistake would land in data/ here
	for _, env := range []map[string]string{
		{"REGULARS_DB": url},
		{"REGULARS_DB": "POSTGRESQL://regulars:Hunter2-pw@db.hotel.example/regulars"},
	} {
		cfg := app.FromEnv(func(k string) string { return env[k] })
		err := cfg.Resolve()
		if err == nil || !strings.Contains(err.Error(), "REGULARS_SECRET") || !strings.Contains(err.Error(), "PostgreSQL") {
			t.Errorf("%v: got %v, want an error naming REGULARS_SECRET", env, err)
		}
		if err != nil && (strings.Contains(err.Error(), "Hunter2") || strings.Contains(err.Error(), "db.hotel.example")) {
			t.Errorf("the error repeats the URL: %v", err)
		}
	}
	if _, err := os.Stat("data"); !os.IsNotExist(err) {
		t.Errorf("a PostgreSQL configuration made a data folder: %v", err)
	}
	env := map[string]string{"REGULARS_DB": url, "REGULARS_SECRET": "a-secret-of-32-characters-000000"}
	cfg := app.FromEnv(func(k string) string { return env[k] })
	if err := cfg.Resolve(); err != nil {
		t.Fatal(err)
	}
	if cfg.DBPath != url || string(cfg.Secret) != env["REGULARS_SECRET"] || !app.IsPostgres(cfg.DBPath) {
		t.Errorf("config = %v %q", cfg.DBPath, cfg.Secret)
	}
	if _, err := os.Stat("data/secret"); !os.IsNotExist(err) {
		t.Errorf("a secret file was made for PostgreSQL: %v", err)
	}
	// A malformed URL stops the start without repeating it.
	cfg.DBPath = "postgres://regulars:Hunter2-pw@db.hotel.example:port/regulars"
	if _, err := app.OpenStore(cfg, slog.New(slog.DiscardHandler)); err == nil || strings.Contains(err.Error(), "Hunter2") {
		t.Errorf("malformed URL: %v", err)
	}
}

// One start names every malformed variable, not only the first.
func TestConfigErrorsAllNamed(t *testing.T) {
	env := map[string]string{"REGULARS_LAPSE_AFTER": "12x", "REGULARS_MAIL_FROM": "nobody", "REGULARS_LAPSE_AT": "25:00"}
	cfg := app.FromEnv(func(k string) string { return env[k] })
	err := cfg.Resolve()
	for k := range env {
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("got %v, want it to name %s", err, k)
		}
	}
}

// The defaults are valid, and good values are taken as given.
func TestConfigValues(t *testing.T) {
	env := map[string]string{"REGULARS_LAPSE_AFTER": " 400 ", "REGULARS_MAIL_FROM": "Hotel Aurora <hello@aurora.example>",
		"REGULARS_PUBLIC_URL": "https://guests.aurora.example/", "REGULARS_MAIL_RATE": "2.5", "REGULARS_BIRTHDAY_AT": "08:30"}
	// The bench runs the outbox at 100000 a second: "unlimited" must stay a valid rate.
	// (On a database in the test's folder: the default one would leave a secret file
	// in the source tree.)
	fast := app.FromEnv(func(k string) string { return map[string]string{"REGULARS_MAIL_RATE": "100000"}[k] })
	fast.DBPath = t.TempDir() + "/r.db"
	if err := fast.Resolve(); err != nil {
		t.Errorf("REGULARS_MAIL_RATE=100000: %v", err)
	}
	cfg := app.FromEnv(func(k string) string { return env[k] })
	cfg.DBPath = t.TempDir() + "/r.db"
	if err := cfg.Resolve(); err != nil {
		t.Fatal(err)
	}
	if cfg.LapseAfter != 400 || cfg.MailRate != 2.5 || cfg.BirthdayAt != "08:30" || cfg.LapseAt != "10:00" ||
		cfg.LapseWindow != 7 || cfg.BirthdayGrace != 2 ||
		cfg.PublicURL != "https://guests.aurora.example" || cfg.MailConnections != 4 || cfg.HotelName != app.DefaultHotelName {
		t.Errorf("config = %+v", cfg)
	}
}

var osStat = os.Stat

// TestOpenAPICoversEveryRoute checks that every API route the app serves is described
// in /api/openapi.json with its method, and that the document describes no route the
// app does not serve.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	a, _ := testkit.Start(t, nil)
	doc := testkit.Call(t, a, "GET", "/api/openapi.json", "", nil).Map(t)
	paths := doc["paths"].(map[string]any)
	served := map[string]bool{}
	param := regexp.MustCompile(`:([A-Za-z_]+)`)
	for _, r := range a.HTTP.GetRoutes(true) {
		if r.Method == "HEAD" || r.Method == "USE" || !(strings.HasPrefix(r.Path, "/api/") || r.Path == "/healthz" || strings.HasPrefix(r.Path, "/u/")) {
			continue
		}
		p := param.ReplaceAllString(r.Path, "{$1}")
		key := strings.ToLower(r.Method) + " " + p
		served[key] = true
		ops, _ := paths[p].(map[string]any)
		if ops[strings.ToLower(r.Method)] == nil {
			t.Errorf("%s %s is served but not in the OpenAPI document", r.Method, p)
		}
	}
	for p, ops := range paths {
		for method := range ops.(map[string]any) {
			if method == "parameters" {
				continue
			}
			if !served[method+" "+p] {
				t.Errorf("the OpenAPI document describes %s %s, which is not served", strings.ToUpper(method), p)
			}
		}
	}
}

// A bad mail URL or a broken letter template stops the start.
func TestOutreachConfigFailsAtStart(t *testing.T) {
	broken := t.TempDir()
	if err := os.WriteFile(broken+"/lapse.en.txt", []byte("{{.Name"), 0o644); err != nil {
		t.Fatal(err)
	}
	for what, set := range map[string]func(*app.Config){
		"REGULARS_SMTP_URL": func(c *app.Config) { c.SMTPURL = "http://mail.example" },
		"lapse.en.txt":      func(c *app.Config) { c.Templates = broken },
	} {
		cfg := testkit.Config(t)
		set(&cfg)
		if a, err := app.New(cfg, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), what) {
			if a != nil {
				a.Close()
			}
			t.Errorf("%s: New = %v", what, err)
		}
	}
}

// A service stopped in the moment it starts (a signal at start-up) still stops: the
// server's shutdown came before it had taken up the listener.
func TestServeStoppedAtOnceReturns(t *testing.T) {
	a, err := app.New(testkit.Config(t), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve went on serving after its context ended")
	}
}

// errorRecorder is a testing.TB that keeps what Errorf would report.
type errorRecorder struct {
	testing.TB
	errs []string
}

func (r *errorRecorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// The suite's OpenAPI check fails a response the document does not describe: a status it
// does not list, or a body that breaks its schema; a described one passes.
func TestOpenAPICheckCatchesMismatches(t *testing.T) {
	req := httptest.NewRequest("GET", "/api/rooms", nil)
	json := http.Header{"Content-Type": {"application/json"}}
	for _, c := range []struct {
		name   string
		status int
		body   string
		bad    bool
	}{
		{"described", 200, `{"rooms":[]}`, false},
		{"undescribed status", 418, `{}`, true},
		{"body against the schema", 200, `{"rooms":"none"}`, true},
	} {
		rec := &errorRecorder{TB: t}
		testkit.CheckOpenAPI(rec, req, c.status, json, []byte(c.body))
		if got := len(rec.errs) > 0; got != c.bad {
			t.Errorf("%s: reported %v, want a report %v", c.name, rec.errs, c.bad)
		}
	}
}

// HTTP as clients expect it: a 401 carries its challenge, a known path with another method
// gets 405 with Allow, and every problem's type is of one scheme.
func TestHTTPSemantics(t *testing.T) {
	a, _ := testkit.Start(t, nil)
	manager := testkit.Token(t, a, preferences.RoleManager)
	for _, c := range []struct {
		method, path, token string
		status              int
		header, value       string
	}{
		{"GET", "/api/rooms", "", 401, "WWW-Authenticate", `Bearer realm="regulars"`},
		{"GET", "/api/rooms", "rgl_not-a-token", 401, "WWW-Authenticate", `Bearer realm="regulars", error="invalid_token"`},
		{"DELETE", "/api/rooms", manager, 405, "Allow", "GET, HEAD"},
		{"GET", "/api/stays", manager, 405, "Allow", "POST"},
		{"POST", "/healthz", "", 405, "Allow", "GET, HEAD"},
		{"GET", "/api/no-such-thing", manager, 404, "", ""},
	} {
		r := testkit.Call(t, a, c.method, c.path, c.token, nil)
		if r.Status != c.status || r.Header.Get(c.header) != c.value {
			t.Errorf("%s %s: %d %s=%q, want %d %q", c.method, c.path, r.Status, c.header, r.Header.Get(c.header), c.status, c.value)
		}
		var p web.Problem
		r.JSON(t, &p)
		if !strings.HasPrefix(p.Type, web.ProblemType) || p.Status != c.status {
			t.Errorf("%s %s: problem %+v, want a type under %s", c.method, c.path, p, web.ProblemType)
		}
	}
}

// A JSON endpoint refuses a body sent as anything but JSON with 415, and stores nothing.
func TestNonJSONBodyIs415(t *testing.T) {
	a, _ := testkit.Start(t, nil)
	desk := testkit.Token(t, a, preferences.RoleFrontDesk)
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=latin1"} {
		req := testkit.Request(t, "POST", "/api/guests", desk, `{"family_name":"Ding"}`)
		req.Header.Set("Content-Type", ct)
		r := testkit.Do(t, a, req)
		if r.Status != 415 || !strings.Contains(string(r.Body), `"field":"Content-Type"`) {
			t.Errorf("Content-Type %q: %d %s, want 415 naming Content-Type", ct, r.Status, r.Body)
		}
	}
	for _, ct := range []string{"application/json", "application/json; charset=UTF-8", "application/merge-patch+json"} {
		req := testkit.Request(t, "POST", "/api/guests", desk, `{"family_name":"Ding"}`)
		req.Header.Set("Content-Type", ct)
		if r := testkit.Do(t, a, req); r.Status != 201 {
			t.Errorf("Content-Type %q: %d %s, want it taken as JSON", ct, r.Status, r.Body)
		}
	}
	if r := testkit.Call(t, a, "GET", "/api/guests?q=Ding", desk, nil); strings.Count(string(r.Body), `"family_name":"Ding"`) != 3 {
		t.Errorf("want the three JSON bodies stored and none of the others: %s", r.Body)
	}
}

// REGULARS_BIRTHDAY_GRACE reaches the scheduler: with the default (2 days) explain says a
// guest born yesterday gets a late greeting, with 0 that they get none.
func TestBirthdayGraceSetting(t *testing.T) {
	today := time.Now().UTC()
	yesterday := today.AddDate(0, 0, -1)
	if yesterday.Format("01-02") == "02-29" {
		t.Skip("a 29 February birthday is 28 February in other years: not yesterday's") // one day in 1461
	}
	day, born := today.Format(preferences.DateLayout), yesterday.Format(preferences.DateLayout)
	for grace, want := range map[string]string{
		"":  "true [] birthday 1 day ago (" + born + "), within the 2-day grace (REGULARS_BIRTHDAY_GRACE): sent late",
		"0": "false [birthday is not on " + day + "] ",
	} {
		cfg := app.FromEnv(func(k string) string { return map[string]string{"REGULARS_BIRTHDAY_GRACE": grace}[k] })
		cfg.DBPath, cfg.Secret, cfg.Location = testkit.Database(t), testkit.Secret, time.UTC
		if err := cfg.Resolve(); err != nil {
			t.Fatal(err)
		}
		a, _ := testkit.Start(t, &cfg)
		token := testkit.Token(t, a, preferences.RoleManager)
		r := testkit.Call(t, a, "POST", "/api/guests", token, map[string]any{"family_name": "丁", "email": "ding@example.cn",
			"birthday": yesterday.AddDate(-40, 0, 0).Format(preferences.DateLayout), "marketing_consent": true})
		if r.Status != 201 {
			t.Fatal(r.Status, string(r.Body))
		}
		r = testkit.Call(t, a, "GET", "/api/outreach/birthday/explain/"+r.Map(t)["id"].(string)+"?date="+day, token, nil)
		var ex struct {
			Eligible bool
			Reasons  []string
			Note     string
		}
		r.JSON(t, &ex)
		if got := fmt.Sprint(ex.Eligible, " ", ex.Reasons, " ", ex.Note); r.Status != 200 || got != want {
			t.Errorf("grace %q: explain = %d %q, want %q", grace, r.Status, got, want)
		}
	}
}

// The service records its public URL and zone at every start, the last start's winning;
// a command adopts them where its environment sets neither, and says where each came from.
func TestServiceSettingsRecordedAtStart(t *testing.T) {
	ctx := context.Background()
	database := testkit.Database(t)
	command := func() (app.Config, string) {
		t.Helper()
		cfg := app.FromEnv(func(string) string { return "" })
		cfg.DBPath, cfg.Secret, cfg.Location = database, testkit.Secret, time.UTC
		if err := cfg.Resolve(); err != nil {
			t.Fatal(err)
		}
		db, err := app.OpenStore(cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		said, _, err := app.AdoptServiceSettings(ctx, &cfg, db)
		if err != nil {
			t.Fatal(err)
		}
		return cfg, said
	}
	if cfg, said := command(); cfg.PublicURL != "http://127.0.0.1:8080" ||
		said != "public URL http://127.0.0.1:8080 (default; the service has recorded none: set REGULARS_PUBLIC_URL), zone UTC (default; the service has recorded none: set REGULARS_TZ)" {
		t.Errorf("before any start: %s, %q", cfg.PublicURL, said)
	}
	for _, url := range []string{"https://old.hotel.example", "https://guests.hotel.example"} {
		cfg := testkit.Config(t)
		cfg.DBPath, cfg.PublicURL = database, url
		a, err := app.New(cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		a.Close()
	}
	if cfg, said := command(); cfg.PublicURL != "https://guests.hotel.example" || cfg.Location.String() != "Asia/Shanghai" ||
		!strings.Contains(said, "public URL https://guests.hotel.example (recorded by the service at its last start)") {
		t.Errorf("after the starts: %s %s, %q", cfg.PublicURL, cfg.Location, said)
	}
}
