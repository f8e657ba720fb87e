package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
)

// Results are the figures of one run on one engine. The JSON form is an engine's entry
// of bench/results.json (Report), the shape tools compare runs by; the fields marked "-"
// only feed the printed table.
type Results struct {
	Engine         string `json:"-"` // SQLite or Postgres
	Guests         int    `json:"guests"`
	BaselineStatic Stats  `json:"baseline_static"`
	// BaselinePK is the mean of BaselinePKRuns: baseline B on SQLite, P on PostgreSQL.
	BaselinePK Stats `json:"baseline_pk"`
	// BaselinePKRuns are the rows of baseline B in the order run: one before the
	// service's rows and one after each of them.
	BaselinePKRuns []Stats `json:"baseline_pk_runs"`
	Lookup         Stats   `json:"lookup"`
	Recognition    Stats   `json:"recognition"`
	Housekeeping   Stats   `json:"housekeeping"`
	Mixed          Stats   `json:"mixed"`
	// TwoInstances is the mixed row served by two instances on one database, called in
	// turn (PostgreSQL only): their combined figures, beside Mixed's one instance.
	TwoInstances     *Stats  `json:"two_instances_mixed,omitempty"`
	SelectBirthdayMS float64 `json:"select_birthday_ms"`
	SelectLapseMS    float64 `json:"select_lapse_ms"`
	MailPerS         float64 `json:"mail_per_s"`
	MailBaselinePerS float64 `json:"mail_baseline_per_s"`
	RSSMB            float64 `json:"rss_mb"`
	StartupMS        float64 `json:"startup_ms"`

	Seconds      float64  `json:"-"` // of load per row
	Concurrency  int      `json:"-"`
	BirthdayRows int      `json:"-"`
	LapseRows    int      `json:"-"`
	MailMessages int      `json:"-"`
	Locked       int      `json:"-"` // "database is locked" lines in the service log (SQLite)
	Notes        []string `json:"-"`
}

// Engines are the engines `make bench` measures, in the order of the report.
var Engines = []string{SQLite, Postgres}

// engineNames are the engines' names in the report, and the letter of their baseline.
var engineNames = map[string]struct{ name, base string }{
	SQLite:   {"SQLite", "B"},
	Postgres: {"PostgreSQL", "P"},
}

func (r *Results) base() string { return engineNames[r.Engine].base }

// Report is bench/results.json: the latest results of each engine, by engine.
type Report map[string]*Results

// ReadReport reads the report at path; a missing file, or one of the shape before
// there were two engines, is an empty report.
func ReadReport(path string) (Report, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return Report{}, nil
	}
	if err != nil {
		return nil, err
	}
	rep := Report{}
	if json.Unmarshal(b, &rep) != nil {
		return Report{}, nil
	}
	for e, r := range rep {
		if _, ok := engineNames[e]; !ok || r == nil {
			delete(rep, e)
		}
	}
	return rep, nil
}

// WriteJSON writes the report to path.
func (rep Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

type loadRow struct {
	name  string
	stats Stats
}

func (r *Results) loadRows() []loadRow {
	e := engineNames[r.Engine]
	return []loadRow{
		{"A  baseline: Fiber, fixed JSON", r.BaselineStatic},
		{e.base + "  baseline: Fiber + PK SELECT (mean)", r.BaselinePK},
		{"3  POST /api/guests/lookup", r.Lookup},
		{"4  GET /api/guests/{id}/recognition", r.Recognition},
		{"5  GET /api/housekeeping", r.Housekeeping},
		{"6  mixed 90% reads / 10% writes", r.Mixed},
	}
}

// twoInstancesRow is the row of two instances, when measured.
func (r *Results) twoInstancesRow() []loadRow {
	if r.TwoInstances == nil {
		return nil
	}
	return []loadRow{{"6b mixed, 2 instances, round-robin", *r.TwoInstances}}
}

// meanStats is the mean of rows' requests/s, p50 and p99, with their errors and
// requests summed.
func meanStats(rows []Stats) Stats {
	var mean Stats
	n := float64(len(rows))
	for _, s := range rows {
		mean.RPS += s.RPS / n
		mean.P50 += s.P50 / n
		mean.P99 += s.P99 / n
		mean.Errors += s.Errors
		mean.Requests += s.Requests
	}
	return mean
}

// share is a row's requests/s as a percentage of baseline B's (P's): of the rows around
// it for a service row, of B's mean otherwise; 0 when either is unknown.
func (r *Results) share(s Stats) float64 {
	b := s.BaselineRPS
	if b == 0 {
		b = r.BaselinePK.RPS
	}
	if b == 0 {
		return 0
	}
	return 100 * s.RPS / b
}

func (r *Results) ratio(s Stats) string {
	if p := r.share(s); p > 0 {
		return fmt.Sprintf("%.0f%%", p)
	}
	return "–"
}

// WriteTable prints the run as a Markdown table (readable in a terminal too).
func (r *Results) WriteTable(w io.Writer) {
	b := r.base()
	fmt.Fprintf(w, "%s: %d guests, %d connections, %.0f s per row\n\n", engineNames[r.Engine].name, r.Guests, r.Concurrency, r.Seconds)
	fmt.Fprintf(w, "| %-38s | %9s | %8s | %8s | %6s | %7s |\n", "row", "req/s", "p50 ms", "p99 ms", "errors", "vs "+b)
	fmt.Fprintf(w, "|%s|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 40), strings.Repeat("-", 11), strings.Repeat("-", 10),
		strings.Repeat("-", 10), strings.Repeat("-", 8), strings.Repeat("-", 9))
	for _, row := range append(r.loadRows(), r.twoInstancesRow()...) {
		fmt.Fprintf(w, "| %-38s | %9.0f | %8.2f | %8.2f | %6d | %7s |\n", row.name, row.stats.RPS, row.stats.P50, row.stats.P99,
			row.stats.Errors, r.ratio(row.stats))
	}
	if len(r.BaselinePKRuns) > 1 {
		runs := make([]string, len(r.BaselinePKRuns))
		for i, b := range r.BaselinePKRuns {
			runs[i] = fmt.Sprintf("%.0f", b.RPS)
		}
		fmt.Fprintf(w, "\n%s was measured before the service's rows and after each (req/s: %s); each row's\n"+
			"\"vs %s\" is against the mean of the %s just before and just after it. Each row follows an unmeasured\n"+
			"warm-up of %s, the first %s and the service's first row one of %s (their page caches start empty).\n",
			b, strings.Join(runs, ", "), b, b, warmup(rowDuration(r.Seconds)), b, coldWarmup(rowDuration(r.Seconds)))
	}
	if t := r.TwoInstances; t != nil && r.Mixed.RPS > 0 {
		fmt.Fprintf(w, "\nRow 6b: two `regulars serve` on the one database, each request to the next in turn:\n"+
			"%.0f req/s together, %.0f%% of row 6's one instance (%.0f req/s), %d errors. On 2 cores no\n"+
			"speed-up is expected; the row shows that nothing breaks and what the second instance costs.\n",
			t.RPS, 100*t.RPS/r.Mixed.RPS, r.Mixed.RPS, t.Errors)
	}
	fmt.Fprintf(w, "\n| %-38s | %-30s |\n|%s|%s|\n", "measurement", "result", strings.Repeat("-", 40), strings.Repeat("-", 32))
	fmt.Fprintf(w, "| %-38s | %-30s |\n", "7  birthday selection, one day", fmt.Sprintf("%.1f ms, %d rows", r.SelectBirthdayMS, r.BirthdayRows))
	fmt.Fprintf(w, "| %-38s | %-30s |\n", "7  lapse selection, one day", fmt.Sprintf("%.1f ms, %d rows", r.SelectLapseMS, r.LapseRows))
	fmt.Fprintf(w, "| %-38s | %-30s |\n", fmt.Sprintf("8  outbox → SMTP, %d msgs, %d conns", r.MailMessages, MailConnections), fmt.Sprintf("%.0f messages/s", r.MailPerS))
	fmt.Fprintf(w, "| %-38s | %-30s |\n", "C  baseline: go-mail alone, 1 conn", fmt.Sprintf("%.0f messages/s", r.MailBaselinePerS))
	fmt.Fprintf(w, "| %-38s | %-30s |\n", "9  peak RSS of the service", fmt.Sprintf("%.0f MiB", r.RSSMB))
	fmt.Fprintf(w, "| %-38s | %-30s |\n", "9  start-up of the service", fmt.Sprintf("%.0f ms", r.StartupMS))
	if r.Engine == SQLite {
		fmt.Fprintf(w, "| %-38s | %-30d |\n", `"database is locked" in the log`, r.Locked)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "\nNote: %s\n", n)
	}
}

// Target is one goal of issues 7 and 21 and whether the run met it.
type Target struct {
	Goal   string
	Actual string
	Met    bool
}

// Targets checks the run against the goals set for 1,000,000 guests: issue 7's on
// SQLite, issue 21's on PostgreSQL.
func (r *Results) Targets() []Target {
	if r.Engine == Postgres {
		return r.postgresTargets()
	}
	var out []Target
	for _, row := range []loadRow{{"lookup", r.Lookup}, {"recognition", r.Recognition}, {"housekeeping", r.Housekeeping}} {
		out = append(out, r.shareTarget(row, 50),
			Target{row.name + " p99 < 10 ms", fmt.Sprintf("%.2f ms", row.stats.P99), row.stats.P99 > 0 && row.stats.P99 < 10})
	}
	return append(out, r.shareTarget(loadRow{"mixed", r.Mixed}, 35),
		Target{"mixed: no failed request, no \"database is locked\"", fmt.Sprintf("%d errors, %d locked", r.Mixed.Errors, r.Locked),
			r.Mixed.Requests > 0 && r.Mixed.Errors == 0 && r.Locked == 0},
		Target{"birthday selection < 100 ms", fmt.Sprintf("%.1f ms", r.SelectBirthdayMS), r.SelectBirthdayMS > 0 && r.SelectBirthdayMS < 100},
		Target{"lapse selection < 100 ms", fmt.Sprintf("%.1f ms", r.SelectLapseMS), r.SelectLapseMS > 0 && r.SelectLapseMS < 100},
		Target{"mail ≥ 50% of baseline C", mailPct(r), r.MailBaselinePerS > 0 && r.MailPerS >= r.MailBaselinePerS/2},
		Target{"RSS < 200 MB", fmt.Sprintf("%.0f MiB", r.RSSMB), r.RSSMB > 0 && r.RSSMB*1.048576 < 200},
		Target{"start-up < 2 s", fmt.Sprintf("%.0f ms", r.StartupMS), r.StartupMS > 0 && r.StartupMS < 2000},
	)
}

// postgresTargets are issue 21's: shares of baseline P, and no failed request.
func (r *Results) postgresTargets() []Target {
	rows := []loadRow{{"lookup", r.Lookup}, {"recognition", r.Recognition}, {"housekeeping", r.Housekeeping}, {"mixed", r.Mixed}}
	var errs, reqs int64
	for _, row := range rows {
		errs, reqs = errs+row.stats.Errors, reqs+row.stats.Requests
	}
	out := []Target{r.shareTarget(rows[0], 50), r.shareTarget(rows[1], 50), r.shareTarget(rows[3], 35),
		{"no failed request in rows 3 to 6", fmt.Sprintf("%d errors", errs), reqs > 0 && errs == 0}}
	if t := r.TwoInstances; t != nil { // issue 22's: two instances break nothing
		out = append(out, Target{"two instances (6b): no failed request", fmt.Sprintf("%d errors", t.Errors), t.Requests > 0 && t.Errors == 0})
	}
	return out
}

// shareTarget is "row ≥ pct% of the baseline's req/s".
func (r *Results) shareTarget(row loadRow, pct float64) Target {
	return Target{fmt.Sprintf("%s ≥ %.0f%% of baseline %s req/s", row.name, pct, r.base()),
		fmt.Sprintf("%.0f%%", r.share(row.stats)), r.share(row.stats) >= pct}
}

func mailPct(r *Results) string {
	if r.MailBaselinePerS == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*r.MailPerS/r.MailBaselinePerS)
}

// WriteMarkdown writes BENCHMARKS.md: the machine, then each engine's table and targets
// (runs holds the engines measured now; an engine not measured now shows the figures
// kept holds from an earlier run, said so), then notes (bench/notes.md: the method).
func WriteMarkdown(w io.Writer, runs []*Results, kept Report, machine string, notes []byte) {
	fmt.Fprintf(w, "# Benchmarks\n\nLatest `make bench` run (regenerated by it; the figures are also in `bench/results.json`).\n")
	fmt.Fprintf(w, "Load generator: closed loop in Go (fasthttp client) on the same machine, over loopback.\n\n")
	fmt.Fprintf(w, "## Machine\n\n%s\n", machine)
	for _, e := range Engines {
		fmt.Fprintf(w, "\n## %s\n\n", engineNames[e].name)
		i := slices.IndexFunc(runs, func(r *Results) bool { return r.Engine == e })
		if i < 0 {
			if old := kept[e]; old != nil {
				fmt.Fprintf(w, "Not measured by this run: the figures of the last run that measured it (kept in `bench/results.json`; its machine's load is not recorded).\n\n")
				old.Engine = e
				old.writeEngine(w)
				continue
			}
			fmt.Fprintf(w, "Not measured yet.\n")
			continue
		}
		runs[i].writeEngine(w)
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "\n%s", notes)
	}
}

// writeEngine writes one engine's section of BENCHMARKS.md.
func (r *Results) writeEngine(w io.Writer) {
	r.WriteTable(w)
	issue := "issue 7"
	if r.Engine == Postgres {
		issue = "issue 21"
	}
	fmt.Fprintf(w, "\n### Targets (%s, at 1,000,000 guests, 32 connections)\n\n", issue)
	if r.Guests != 1_000_000 || r.Concurrency != 32 {
		fmt.Fprintf(w, "This run had %d guests and %d connections; the targets are set for 1,000,000 and 32.\n\n", r.Guests, r.Concurrency)
	}
	fmt.Fprintf(w, "| target | this run | met |\n|---|---|---|\n")
	for _, t := range r.Targets() {
		met := "**missed**"
		if t.Met {
			met = "yes"
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", t.Goal, t.Actual, met)
	}
}

// Machine describes this machine for BENCHMARKS.md.
func Machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int
		fmt.Sscanf(strings.SplitN(string(b), "\n", 2)[0], "MemTotal: %d kB", &kb)
		mem = fmt.Sprintf(", %.1f GiB RAM", float64(kb)/1024/1024)
	}
	kernel := ""
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = ", Linux " + strings.TrimSpace(string(b))
	}
	return fmt.Sprintf("%d × %s%s%s, %s; server and load generator share the CPUs.", runtime.NumCPU(), cpu, mem, kernel, runtime.Version())
}

// LoadAverage returns the machine's 1, 5 and 15 minute load averages; other work on
// the machine skews the figures, so the report gives them at the start and the end.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}
