package app_test

import (
	"context"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"regulars/internal/app"
	"regulars/internal/smtpsink"
	"regulars/internal/testkit"
	"regulars/preferences"
	"regulars/preferences/postgres"
	"regulars/preferences/sqlstore"
	"regulars/scheduler"
)

// scrape GETs /metrics at base with the X-Forwarded-For hop given (none when empty).
func scrape(t *testing.T, base, forwardedFor string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest("GET", base+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// series is a parsed scrape.
type series map[string]*dto.MetricFamily

func parseScrape(t *testing.T, body string) series {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the scrape is not Prometheus text: %v\n%.2000s", err, body)
	}
	return fams
}

// value is the value of the series name with the labels given (a histogram's count),
// and whether there is one.
func (s series) value(name string, labels ...string) (float64, bool) {
	f := s[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.Metric {
		for i := 0; i+1 < len(labels); i += 2 {
			found := false
			for _, l := range m.Label {
				found = found || l.GetName() == labels[i] && l.GetValue() == labels[i+1]
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func (s series) want(t *testing.T, want float64, name string, labels ...string) {
	t.Helper()
	if got, ok := s.value(name, labels...); !ok || got != want {
		t.Errorf("%s%v = %v (present %v), want %v", name, labels, got, ok, want)
	}
}

// A scrape from loopback shows the runtime, the database pools, the requests by route
// pattern and the business series, each matching what the test did through the real
// service; no label or value names a guest, an address, a document, a password or a token.
func TestMetricsScrape(t *testing.T) {
	sink := smtpsink.Start(t)
	cfg := testkit.Config(t)
	cfg.SMTPURL = "smtp://" + sink.Addr + "?tls=none"
	cfg.LapseAt = "00:00" // the lapse part of a run is always due
	cfg.Kiosk.MaxFailures, cfg.Kiosk.MinIdentify = 2, time.Millisecond
	a, _ := testkit.Start(t, &cfg)
	base := testkit.Serve(t, a)
	ctx := context.Background()

	// A scheduled run on the empty outbox succeeds in all its parts.
	before := time.Now()
	if err := a.Outreach.Tick(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	after := time.Now()

	desk := testkit.Token(t, a, preferences.RoleFrontDesk)
	today := time.Now().In(cfg.Location)
	secrets := []string{desk}
	var ids []string
	for i, who := range []struct{ family, email, doc string }{
		{"Abernathy", "quill.abernathy@example.com", "X71650034"}, {"Zoltanski", "marek.zoltanski@example.org", "X90331257"},
	} {
		r := testkit.Call(t, a, "POST", "/api/guests", desk, map[string]any{"family_name": who.family, "given_name": "Ottoline",
			"email": who.email, "birthday": today.AddDate(-40-i, 0, 0).Format(preferences.DateLayout), "marketing_consent": true,
			"documents": []map[string]string{{"type": "passport", "number": who.doc}}})
		if r.Status != 201 {
			t.Fatal(r.Status, string(r.Body))
		}
		id := r.Map(t)["id"].(string)
		if r := testkit.Call(t, a, "GET", "/api/guests/"+id, desk, nil); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		ids = append(ids, id)
		secrets = append(secrets, id, who.family, who.email, who.doc)
	}
	// Two birthday greetings: the server refuses one (retried later), takes the other.
	sink.RefuseNext(1)
	if _, err := a.Outreach.Run(ctx, preferences.OutreachBirthday, today.Format(preferences.DateLayout), false); err != nil {
		t.Fatal(err)
	}
	if sink.Count() != 1 {
		t.Fatalf("the sink got %d letters, want 1", sink.Count())
	}
	// The queued one has waited an hour.
	hourAgo := time.Now().Add(-time.Hour).UTC()
	if _, err := testkit.DB(t, a).Exec(testkit.Bind(a, `UPDATE outreach_messages SET created_at = ? WHERE status = 'queued'`),
		storedTime(a, hourAgo)); err != nil {
		t.Fatal(err)
	}

	// A kiosk locked out after two misses.
	kioskToken := testkit.Token(t, a, preferences.RoleKiosk)
	secrets = append(secrets, kioskToken)
	for i := 0; i < 3; i++ {
		testkit.Call(t, a, "POST", "/api/kiosk/identify", kioskToken, map[string]string{"reference": "NOPE-1", "family_name": "Abernathy"})
	}
	// A wrong password, then the pair throttled after five.
	pw, err := a.Store.CreateUser(ctx, "mei", preferences.RoleFrontDesk)
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, pw, "wrong-Pa55word")
	for i, want := range []int{401, 401, 401, 401, 401, 429} {
		req := testkit.Request(t, "POST", "/login", "", url.Values{"name": {"mei"}, "password": {"wrong-Pa55word"}}.Encode())
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if r := testkit.Do(t, a, req); r.Status != want {
			t.Fatalf("sign-in %d: %d, want %d", i+1, r.Status, want)
		}
	}

	status, ctype, body := scrape(t, base, "")
	if status != 200 || !strings.HasPrefix(ctype, "text/plain") {
		t.Fatalf("scrape from loopback: %d %s\n%.500s", status, ctype, body)
	}
	s := parseScrape(t, body)
	for _, name := range []string{"go_goroutines", "go_memstats_alloc_bytes", "process_resident_memory_bytes", "go_build_info"} {
		if s[name] == nil {
			t.Errorf("the scrape has no %s", name)
		}
	}
	// The pools of the engine: SQLite's writer and readers, or PostgreSQL's one pool.
	pools := map[string]float64{"write": 1, "read": 4}
	if pg, ok := a.Store.Repository().(*postgres.DB); ok {
		pools = map[string]float64{"pool": float64(pg.Pool().Config().MaxConns)}
	}
	for pool, open := range pools {
		s.want(t, open, "go_sql_max_open_connections", "db_name", pool)
		if _, ok := s.value("go_sql_open_connections", "db_name", pool); !ok {
			t.Errorf("the scrape has no go_sql_open_connections of the pool %s", pool)
		}
	}
	for _, f := range s["go_sql_max_open_connections"].GetMetric() {
		for _, l := range f.GetLabel() {
			if _, ok := pools[l.GetValue()]; l.GetName() == "db_name" && !ok {
				t.Errorf("the scrape has a pool %s the %s engine does not have", l.GetValue(), a.Store.Engine)
			}
		}
	}
	h := "regulars_http_request_duration_seconds"
	s.want(t, 2, h, "route", "/api/guests/:id", "method", "GET", "status", "200")
	s.want(t, 2, h, "route", "/api/guests", "method", "POST", "status", "201")
	s.want(t, 2, h, "route", "/api/kiosk/identify", "method", "POST", "status", "404")
	s.want(t, 1, h, "route", "/api/kiosk/identify", "method", "POST", "status", "429")
	s.want(t, 5, h, "route", "/login", "method", "POST", "status", "401")
	s.want(t, 1, "regulars_outbox_messages", "status", "sent")
	s.want(t, 1, "regulars_outbox_messages", "status", "queued")
	s.want(t, 0, "regulars_outbox_messages", "status", "failed")
	if age, _ := s.value("regulars_outbox_oldest_queued_age_seconds"); age < 3600 || age > 3600+600 {
		t.Errorf("oldest queued age %v s, want about an hour", age)
	}
	s.want(t, 1, "regulars_letters_sent_total", "kind", "birthday", "result", "sent")
	s.want(t, 1, "regulars_letters_sent_total", "kind", "birthday", "result", "retry")
	s.want(t, 0, "regulars_letters_sent_total", "kind", "lapse", "result", "failed")
	s.want(t, 1, "regulars_kiosk_lockouts_total")
	s.want(t, 5, "regulars_signin_failures_total", "reason", "password")
	s.want(t, 1, "regulars_signin_failures_total", "reason", "throttled")
	for _, job := range []string{scheduler.JobBirthday, scheduler.JobLapse, scheduler.JobDeliver} {
		at, ok := s.value("regulars_job_last_success_timestamp_seconds", "job", job)
		if lo, hi := float64(before.UnixMilli())/1e3, float64(after.UnixMilli()+1)/1e3; !ok || at < lo || at > hi {
			t.Errorf("job %s last success %v, want within the run [%v, %v]", job, at, lo, hi)
		}
	}
	for _, v := range secrets {
		if strings.Contains(body, v) {
			t.Errorf("the scrape contains %q", v)
		}
	}
	if strings.Contains(body, ids[0]) || !strings.Contains(body, `route="/api/guests/:id"`) {
		t.Error("a request is labelled by its path, not its route pattern")
	}
}

// Only clients in REGULARS_METRICS_ALLOW (by default loopback) get the metrics, judged by
// the real client's address: behind a trusted proxy, the one it forwards for.
func TestMetricsOnlyToAllowedClients(t *testing.T) {
	cfg := testkit.Config(t)
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	a, _ := testkit.Start(t, &cfg)
	base := testkit.Serve(t, a)
	if status, _, body := scrape(t, base, ""); status != 200 || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("from loopback: %d %.300s", status, body)
	}
	if status, _, _ := scrape(t, base, "127.0.0.1"); status != 200 {
		t.Fatalf("from loopback through the proxy: %d", status)
	}
	status, ctype, body := scrape(t, base, "203.0.113.7")
	if status != 403 || !strings.HasPrefix(ctype, "application/problem+json") || strings.Contains(body, "go_goroutines") {
		t.Fatalf("from 203.0.113.7 through the proxy: %d %s %.300s", status, ctype, body)
	}
	// app.Test's peer is 0.0.0.0, not loopback.
	if r := testkit.Call(t, a, "GET", "/metrics", "", nil); r.Status != 403 {
		t.Fatalf("from 0.0.0.0: %d", r.Status)
	}

	other := testkit.Config(t)
	other.MetricsAllow = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	b, _ := testkit.Start(t, &other)
	if status, _, _ := scrape(t, testkit.Serve(t, b), ""); status != 403 {
		t.Fatalf("loopback when only 10.0.0.0/8 is allowed: %d", status)
	}
}

// The allow-list is read from REGULARS_METRICS_ALLOW, loopback when unset.
func TestMetricsAllowConfig(t *testing.T) {
	for env, want := range map[string]string{"": "[127.0.0.0/8 ::1/128]", " 10.1.2.3, 192.168.0.0/16 ": "[10.1.2.3/32 192.168.0.0/16]"} {
		cfg := app.FromEnv(func(k string) string {
			if k == "REGULARS_METRICS_ALLOW" {
				return env
			}
			return ""
		})
		cfg.DBPath = t.TempDir() + "/r.db"
		if err := cfg.Resolve(); err != nil {
			t.Fatal(err)
		}
		if got := prefixList(cfg.MetricsAllow); got != want {
			t.Errorf("REGULARS_METRICS_ALLOW=%q: %s, want %s", env, got, want)
		}
	}
}

// storedTime is t as a's engine stores an instant: text on SQLite, timestamptz on PostgreSQL.
func storedTime(a *app.App, t time.Time) any {
	if a.Store.Engine == "postgres" {
		return t
	}
	return t.UTC().Format(sqlstore.TimeLayout)
}

func prefixList(ps []netip.Prefix) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return "[" + strings.Join(out, " ") + "]"
}
