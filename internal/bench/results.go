package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
)

// Results are the figures of one run. The JSON form is bench/results.json, the shape
// tools compare runs by; the fields marked "-" only feed the printed table.
type Results struct {
	Guests         int   `json:"guests"`
	BaselineStatic Stats `json:"baseline_static"`
	BaselinePK     Stats `json:"baseline_pk"` // the mean of BaselinePKRuns
	// BaselinePKRuns are the rows of baseline B in the order run: one before the
	// service's rows and one after each of them.
	BaselinePKRuns   []Stats `json:"baseline_pk_runs"`
	Lookup           Stats   `json:"lookup"`
	Recognition      Stats   `json:"recognition"`
	Housekeeping     Stats   `json:"housekeeping"`
	Mixed            Stats   `json:"mixed"`
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
	Locked       int      `json:"-"` // "database is locked" lines in the service log
	Notes        []string `json:"-"`
}

// WriteJSON writes the results to path.
func (r *Results) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
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
	return []loadRow{
		{"A  baseline: Fiber, fixed JSON", r.BaselineStatic},
		{"B  baseline: Fiber + PK SELECT (mean)", r.BaselinePK},
		{"3  POST /api/guests/lookup", r.Lookup},
		{"4  GET /api/guests/{id}/recognition", r.Recognition},
		{"5  GET /api/housekeeping", r.Housekeeping},
		{"6  mixed 90% reads / 10% writes", r.Mixed},
	}
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

// share is a row's requests/s as a percentage of baseline B's: of the B rows around
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
	fmt.Fprintf(w, "%d guests, %d connections, %.0f s per row\n\n", r.Guests, r.Concurrency, r.Seconds)
	fmt.Fprintf(w, "| %-38s | %9s | %8s | %8s | %6s | %7s |\n", "row", "req/s", "p50 ms", "p99 ms", "errors", "vs B")
	fmt.Fprintf(w, "|%s|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 40), strings.Repeat("-", 11), strings.Repeat("-", 10),
		strings.Repeat("-", 10), strings.Repeat("-", 8), strings.Repeat("-", 9))
	for _, row := range r.loadRows() {
		fmt.Fprintf(w, "| %-38s | %9.0f | %8.2f | %8.2f | %6d | %7s |\n", row.name, row.stats.RPS, row.stats.P50, row.stats.P99,
			row.stats.Errors, r.ratio(row.stats))
	}
	if len(r.BaselinePKRuns) > 1 {
		runs := make([]string, len(r.BaselinePKRuns))
		for i, b := range r.BaselinePKRuns {
			runs[i] = fmt.Sprintf("%.0f", b.RPS)
		}
		fmt.Fprintf(w, "\nB was measured before the service's rows and after each (req/s: %s); each row's\n"+
			"\"vs B\" is against the mean of the B just before and just after it. Each row follows an unmeasured\n"+
			"warm-up of %s, the first B and the service's first row one of %s (their page caches start empty).\n",
			strings.Join(runs, ", "), warmup(rowDuration(r.Seconds)), coldWarmup(rowDuration(r.Seconds)))
	}
	fmt.Fprintf(w, "\n| %-38s | %-30s |\n|%s|%s|\n", "measurement", "result", strings.Repeat("-", 40), strings.Repeat("-", 32))
	fmt.Fprintf(w, "| %-38s | %-30s |\n", "7  birthday selection, one day", fmt.Sprintf("%.1f ms, %d rows", r.SelectBirthdayMS, r.BirthdayRows))
	fmt.Fprintf(w, "| %-38s | %-30s |\n", "7  lapse selection, one day", fmt.Sprintf("%.1f ms, %d rows", r.SelectLapseMS, r.LapseRows))
	fmt.Fprintf(w, "| %-38s | %-30s |\n", fmt.Sprintf("8  outbox → SMTP, %d msgs, %d conns", r.MailMessages, MailConnections), fmt.Sprintf("%.0f messages/s", r.MailPerS))
	fmt.Fprintf(w, "| %-38s | %-30s |\n", "C  baseline: go-mail alone, 1 conn", fmt.Sprintf("%.0f messages/s", r.MailBaselinePerS))
	fmt.Fprintf(w, "| %-38s | %-30s |\n", "9  peak RSS of the service", fmt.Sprintf("%.0f MiB", r.RSSMB))
	fmt.Fprintf(w, "| %-38s | %-30s |\n", "9  start-up of the service", fmt.Sprintf("%.0f ms", r.StartupMS))
	fmt.Fprintf(w, "| %-38s | %-30d |\n", `"database is locked" in the log`, r.Locked)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "\nNote: %s\n", n)
	}
}

// Target is one goal of issue 7 and whether the run met it.
type Target struct {
	Goal   string
	Actual string
	Met    bool
}

// Targets checks the run against the goals set for 1,000,000 guests.
func (r *Results) Targets() []Target {
	pct := r.share
	var out []Target
	for _, row := range []struct {
		name string
		s    Stats
	}{{"lookup", r.Lookup}, {"recognition", r.Recognition}} {
		out = append(out,
			Target{row.name + " ≥ 50% of baseline B req/s", fmt.Sprintf("%.0f%%", pct(row.s)), pct(row.s) >= 50},
			Target{row.name + " p99 < 10 ms", fmt.Sprintf("%.2f ms", row.s.P99), row.s.P99 > 0 && row.s.P99 < 10})
	}
	out = append(out,
		Target{"mixed ≥ 35% of baseline B req/s", fmt.Sprintf("%.0f%%", pct(r.Mixed)), pct(r.Mixed) >= 35},
		Target{"mixed: no failed request, no \"database is locked\"", fmt.Sprintf("%d errors, %d locked", r.Mixed.Errors, r.Locked),
			r.Mixed.Requests > 0 && r.Mixed.Errors == 0 && r.Locked == 0},
		Target{"birthday selection < 100 ms", fmt.Sprintf("%.1f ms", r.SelectBirthdayMS), r.SelectBirthdayMS > 0 && r.SelectBirthdayMS < 100},
		Target{"lapse selection < 100 ms", fmt.Sprintf("%.1f ms", r.SelectLapseMS), r.SelectLapseMS > 0 && r.SelectLapseMS < 100},
		Target{"mail ≥ 50% of baseline C", mailPct(r), r.MailBaselinePerS > 0 && r.MailPerS >= r.MailBaselinePerS/2},
		Target{"RSS < 200 MB", fmt.Sprintf("%.0f MiB", r.RSSMB), r.RSSMB > 0 && r.RSSMB*1.048576 < 200},
		Target{"start-up < 2 s", fmt.Sprintf("%.0f ms", r.StartupMS), r.StartupMS > 0 && r.StartupMS < 2000},
	)
	return out
}

func mailPct(r *Results) string {
	if r.MailBaselinePerS == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*r.MailPerS/r.MailBaselinePerS)
}

// WriteMarkdown writes BENCHMARKS.md: the table, the machine and the targets, then
// notes (kept by hand in bench/notes.md: what was changed and the figures before).
func (r *Results) WriteMarkdown(w io.Writer, machine string, notes []byte) {
	fmt.Fprintf(w, "# Benchmarks\n\nLatest `make bench` run (regenerated by it; the figures are also in `bench/results.json`).\n")
	fmt.Fprintf(w, "Load generator: closed loop in Go (fasthttp client) on the same machine, over loopback.\n\n")
	fmt.Fprintf(w, "## Machine\n\n%s\n\n## Results\n\n", machine)
	r.WriteTable(w)
	fmt.Fprintf(w, "\n## Targets (issue 7, at 1,000,000 guests, 32 connections)\n\n")
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
	if len(notes) > 0 {
		fmt.Fprintf(w, "\n%s", notes)
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
