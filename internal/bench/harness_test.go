package bench_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"regulars/internal/bench"
	"regulars/internal/pgtest"
	"regulars/internal/runtimetune"
	"regulars/internal/testkit"
)

// TestMain lets the test binary serve the baselines when the harness starts it so.
func TestMain(m *testing.M) {
	if db := os.Getenv("REGULARS_BENCH_BASELINE_DB"); db != "" {
		runtimetune.Apply(os.Getenv)
		ln, err := net.Listen("tcp", os.Getenv("REGULARS_BENCH_BASELINE_ADDR"))
		if err == nil {
			err = bench.ServeBaseline(context.Background(), ln, db)
		}
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestHarnessSmoke runs the whole harness on a tiny hotel with a fraction of a second
// of load per row, against the real regulars binary, so that `make bench` cannot rot:
// on the tests' engine (REGULARS_TEST_ENGINE=postgres: baseline P and the service on
// the server REGULARS_TEST_POSTGRES names).
func TestHarnessSmoke(t *testing.T) {
	dir := t.TempDir()
	engine := testkit.Engine()
	bin := filepath.Join(dir, "regulars")
	build := exec.Command("go", "build", "-o", bin, "regulars/cmd/regulars")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cfg := bench.Config{Engine: engine, Postgres: os.Getenv(pgtest.Env), PostgresNames: postgresNames(t, engine), Guests: 1000, Seconds: 0.4, Concurrency: 4, MailMessages: 200, OutDir: filepath.Join(dir, "out"), Regulars: bin, Log: testLog{t},
		Baseline: func(db, addr string) *exec.Cmd {
			cmd := exec.Command(self)
			cmd.Env = append(os.Environ(), "REGULARS_BENCH_BASELINE_DB="+db, "REGULARS_BENCH_BASELINE_ADDR="+addr)
			return cmd
		}}
	res, err := bench.Execute(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]bench.Stats{"baseline_static": res.BaselineStatic, "baseline_pk": res.BaselinePK, "lookup": res.Lookup}
	for name, s := range rows {
		if s.Requests == 0 || s.RPS <= 0 || s.P50 <= 0 || s.P99 < s.P50 {
			t.Errorf("%s: implausible figures %+v", name, s)
		}
		if s.Errors != 0 {
			t.Errorf("%s: %d errors, first: %s", name, s.Errors, s.FirstError)
		}
	}
	// B before the service's rows and after each; every service row is compared with the
	// two around it.
	if len(res.BaselinePKRuns) != 5 {
		t.Errorf("%d rows of baseline B, want 5", len(res.BaselinePKRuns))
	}
	for i, s := range []bench.Stats{res.Lookup, res.Recognition, res.Housekeeping, res.Mixed} {
		want := (res.BaselinePKRuns[i].RPS + res.BaselinePKRuns[i+1].RPS) / 2
		if s.BaselineRPS <= 0 || s.BaselineRPS != want {
			t.Errorf("service row %d: baseline B %.1f req/s, want %.1f (the B rows around it)", i, s.BaselineRPS, want)
		}
	}
	// On PostgreSQL, the mixed row again through two instances in turn (issue 22): it
	// goes on from row 6's desks (their guests in house checked out first), no error.
	if two := res.TwoInstances; engine == bench.Postgres && (two == nil || two.Requests == 0 || two.Errors != 0) {
		t.Errorf("two instances: %+v, want requests and no error", two)
	} else if engine != bench.Postgres && two != nil {
		t.Errorf("two instances measured on %s: %+v", engine, two)
	}
	if res.RSSMB <= 0 || res.StartupMS <= 0 {
		t.Errorf("rss %.1f MiB, start-up %.1f ms: want both measured", res.RSSMB, res.StartupMS)
	}
	if res.Engine != engine {
		t.Errorf("results of engine %q, want %q", res.Engine, engine)
	}
	if res.Locked != 0 {
		t.Errorf(`%d "database is locked" in the service log`, res.Locked)
	}

	// The JSON has the shape of the issue, under the engine's key, and the rows of B (P)
	// each service row is compared with.
	path := filepath.Join(dir, "results.json")
	if err := (bench.Report{engine: res}).WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	var file map[string]map[string]any
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	got := file[engine]
	if len(file) != 1 || got == nil {
		t.Fatalf("results.json: want one key %q: %s", engine, b)
	}
	want := []string{"guests", "baseline_static", "baseline_pk", "lookup", "recognition", "housekeeping", "mixed",
		"select_birthday_ms", "select_lapse_ms", "mail_per_s", "mail_baseline_per_s", "rss_mb", "startup_ms",
		"baseline_pk_runs"}
	if engine == bench.Postgres {
		want = append(want, "two_instances_mixed")
	}
	if len(got) != len(want) {
		t.Errorf("results.json has %d keys, want %d: %s", len(got), len(want), b)
	}
	for _, k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("results.json lacks %q", k)
		}
	}
	lookup, _ := got["lookup"].(map[string]any)
	for _, k := range []string{"rps", "p50_ms", "p99_ms", "errors", "baseline_pk_rps"} {
		if _, ok := lookup[k]; !ok {
			t.Errorf("results.json lookup lacks %q: %v", k, lookup)
		}
	}
	// The other engine, not measured now, shows the figures kept from its last run.
	other := map[string]string{bench.SQLite: bench.Postgres, bench.Postgres: bench.SQLite}[engine]
	earlier := *res
	var md strings.Builder
	bench.WriteMarkdown(&md, []*bench.Results{res}, bench.Report{other: &earlier}, bench.Machine(), []byte("## Notes\n"))
	for _, s := range []string{"# Benchmarks", "B  baseline: Fiber + PK SELECT", "P  baseline: Fiber + PK SELECT", "after each",
		"## Notes", "Not measured by this run: the figures of the last run"} {
		if !strings.Contains(md.String(), s) {
			t.Errorf("BENCHMARKS.md lacks %q:\n%s", s, md.String())
		}
	}
}

// postgresNames is a prefix of the databases the harness creates for t alone on the
// tests' PostgreSQL server, which drops them when t ends ("" on SQLite).
func postgresNames(t *testing.T, engine string) string {
	if engine != bench.Postgres {
		return ""
	}
	prefix := fmt.Sprintf("regulars_bench_test_%d", time.Now().UnixNano())
	t.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, os.Getenv(pgtest.Env))
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(ctx)
		rows, _ := conn.Query(ctx, `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, prefix)
		names, err := pgx.CollectRows(rows, pgx.RowTo[string]) // the query's error too
		if err != nil {
			t.Error(err)
		}
		if len(names) != 2 {
			t.Errorf("databases %v on the server, want the hotel and the run's copy", names)
		}
		for _, n := range names {
			if _, err := conn.Exec(ctx, "DROP DATABASE "+n+" WITH (FORCE)"); err != nil {
				t.Error(err)
			}
		}
	})
	return prefix
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
