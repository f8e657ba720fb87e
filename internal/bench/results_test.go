package bench_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"regulars/internal/bench"
)

// targets returns the run's targets by goal.
func targets(r *bench.Results) map[string]bench.Target {
	out := map[string]bench.Target{}
	for _, t := range r.Targets() {
		out[t.Goal] = t
	}
	return out
}

// Issue 21's targets on PostgreSQL: look-up and card at least half of baseline P, the
// mixed load 35 %, no failed request in any service row; issue 7's stay on SQLite.
func TestTargetsByEngine(t *testing.T) {
	row := func(rps, base float64, errs int64) bench.Stats {
		return bench.Stats{RPS: rps, P50: 1, P99: 5, BaselineRPS: base, Requests: 1000, Errors: errs}
	}
	pg := &bench.Results{Engine: bench.Postgres, Lookup: row(600, 1000, 0), Recognition: row(400, 1000, 0),
		Housekeeping: row(100, 1000, 1), Mixed: row(350, 1000, 0)}
	got := targets(pg)
	for goal, met := range map[string]bool{
		"lookup ≥ 50% of baseline P req/s":      true,
		"recognition ≥ 50% of baseline P req/s": false,
		"mixed ≥ 35% of baseline P req/s":       true,
		"no failed request in rows 3 to 6":      false, // the board's error counts
	} {
		if tg, ok := got[goal]; !ok || tg.Met != met {
			t.Errorf("PostgreSQL %q: %+v (present %v), want met=%v", goal, tg, ok, met)
		}
	}
	if len(got) != 4 {
		t.Errorf("PostgreSQL targets %v, want issue 21's four", got)
	}

	lite := &bench.Results{Engine: bench.SQLite, Lookup: row(600, 1000, 0), Recognition: row(600, 1000, 0),
		Housekeeping: row(400, 1000, 0), Mixed: row(400, 1000, 0), Locked: 1}
	got = targets(lite)
	for goal, met := range map[string]bool{
		"lookup ≥ 50% of baseline B req/s":                    true,
		"housekeeping ≥ 50% of baseline B req/s":              false,
		"housekeeping p99 < 10 ms":                            true,
		"mixed ≥ 35% of baseline B req/s":                     true,
		"mixed: no failed request, no \"database is locked\"": false,
		"RSS < 200 MB": false, // not measured
	} {
		if tg, ok := got[goal]; !ok || tg.Met != met {
			t.Errorf("SQLite %q: %+v (present %v), want met=%v", goal, tg, ok, met)
		}
	}
}

// bench/results.json keeps each engine's latest results: a run of one engine leaves the
// other's; a file of the shape before there were two engines reads as empty.
func TestReportByEngine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.json")
	if err := os.WriteFile(path, []byte(`{"guests": 1000000, "baseline_pk": {"rps": 1}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := bench.ReadReport(path)
	if err != nil || len(rep) != 0 {
		t.Fatalf("old shape: %v, %v; want an empty report", rep, err)
	}
	rep[bench.SQLite] = &bench.Results{Guests: 1000}
	if err := rep.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	rep, err = bench.ReadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	rep[bench.Postgres] = &bench.Results{Guests: 2000}
	if err := rep.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	rep, err = bench.ReadReport(path)
	if err != nil || len(rep) != 2 || rep[bench.SQLite].Guests != 1000 || rep[bench.Postgres].Guests != 2000 {
		t.Fatalf("report %v, %v; want SQLite's 1000 guests beside PostgreSQL's 2000", rep, err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `"postgres": {`) || !strings.Contains(string(b), `"sqlite": {`) {
		t.Errorf("results.json: %s", b)
	}
}

// The row of two instances stands beside row 6 in PostgreSQL's table, with its share of
// the one instance's req/s, and any error it had misses its target.
func TestTwoInstancesRow(t *testing.T) {
	two := bench.Stats{RPS: 450, P50: 2, P99: 9, Requests: 900, Errors: 2}
	pg := &bench.Results{Engine: bench.Postgres, Mixed: bench.Stats{RPS: 500, Requests: 1000, BaselineRPS: 1000}, TwoInstances: &two}
	var b strings.Builder
	pg.WriteTable(&b)
	for _, want := range []string{"| 6b mixed, 2 instances, round-robin     |       450 |", "450 req/s together, 90% of row 6's one instance (500 req/s), 2 errors"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
	if tg := targets(pg)["two instances (6b): no failed request"]; tg.Met || tg.Actual != "2 errors" {
		t.Errorf("two instances' target %+v, want missed with 2 errors", tg)
	}
	two.Errors = 0
	if tg := targets(pg)["two instances (6b): no failed request"]; !tg.Met {
		t.Errorf("two instances' target %+v, want met", tg)
	}
	pg.TwoInstances = nil
	b.Reset()
	pg.WriteTable(&b)
	if strings.Contains(b.String(), "6b") || len(targets(pg)) != 4 {
		t.Errorf("a run without the row shows it:\n%s", b.String())
	}
}
