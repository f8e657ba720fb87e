// Command regulars-bench is the harness behind `make bench`: it measures the service at
// BENCH_GUESTS guests (default 1,000,000) for BENCH_SECONDS per row (default 10) beside
// the raw limits of the stack, on each engine of BENCH_ENGINES (default "sqlite
// postgres"), prints the tables and writes bench/results.json and BENCHMARKS.md.
// PostgreSQL runs on the server BENCH_POSTGRES names (a postgres:// URL of a role that
// may create databases), else REGULARS_TEST_POSTGRES's (scripts/with-postgres).
//
//	regulars-bench [--regulars bin/regulars] [--out bench/out] [--json bench/results.json] [--md BENCHMARKS.md]
//	regulars-bench baseline --db PATH --addr HOST:PORT      (started by the harness: A and B)
//	regulars-bench baseline-pg --db URL --addr HOST:PORT    (started by the harness: A and P)
//
// The baselines' --db defaults to REGULARS_DB, which the harness sets.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"regulars/internal/app"
	"regulars/internal/bench"
	"regulars/internal/runtimetune"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if len(os.Args) > 1 && (os.Args[1] == "baseline" || os.Args[1] == "baseline-pg") {
		err = baseline(ctx, os.Args[1], os.Args[2:])
	} else {
		err = run(ctx, os.Args[1:])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "regulars-bench:", err)
		os.Exit(1)
	}
}

// baselineCommand is the subcommand serving the baselines on db.
func baselineCommand(db string) string {
	if app.IsPostgres(db) {
		return "baseline-pg"
	}
	return "baseline"
}

func baseline(ctx context.Context, name string, args []string) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	db := fs.String("db", os.Getenv("REGULARS_DB"), "database file (baseline) or postgres:// URL (baseline-pg); default $REGULARS_DB")
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if baselineCommand(*db) != name {
		return fmt.Errorf("%s: --db must be %s", name, map[string]string{"baseline": "an SQLite file", "baseline-pg": "a postgres:// URL"}[name])
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// The service's runtime settings: the baselines are the raw limit of the same stack.
	runtimetune.Apply(os.Getenv)
	return bench.ServeBaseline(ctx, ln, *db)
}

func envNumber(name string, def float64) (float64, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s=%q: must be a positive number", name, v)
	}
	return n, nil
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("regulars-bench", flag.ContinueOnError)
	regulars := fs.String("regulars", "bin/regulars", "the regulars binary to measure")
	out := fs.String("out", "bench/out", "folder for cached databases and logs")
	jsonPath := fs.String("json", "bench/results.json", "results file")
	mdPath := fs.String("md", "BENCHMARKS.md", "report file")
	notesPath := fs.String("notes", "bench/notes.md", "notes appended to the report")
	if err := fs.Parse(args); err != nil {
		return err
	}
	guests, err := envNumber("BENCH_GUESTS", 1_000_000)
	if err != nil {
		return err
	}
	seconds, err := envNumber("BENCH_SECONDS", 10)
	if err != nil {
		return err
	}
	conc, err := envNumber("BENCH_CONCURRENCY", 32)
	if err != nil {
		return err
	}
	engines := strings.Fields(os.Getenv("BENCH_ENGINES"))
	if len(engines) == 0 {
		engines = bench.Engines
	}
	for _, e := range engines {
		if !slices.Contains(bench.Engines, e) {
			return fmt.Errorf("BENCH_ENGINES=%q: each must be one of %s", os.Getenv("BENCH_ENGINES"), strings.Join(bench.Engines, ", "))
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	server := os.Getenv("BENCH_POSTGRES")
	if server == "" {
		server = os.Getenv("REGULARS_TEST_POSTGRES")
	}
	report, err := bench.ReadReport(*jsonPath)
	if err != nil {
		return err
	}
	loadBefore := bench.LoadAverage()
	var runs []*bench.Results
	for _, e := range engines {
		cfg := bench.Config{Engine: e, Postgres: server, Guests: int(guests), Seconds: seconds, Concurrency: int(conc),
			MailMessages: 10_000, OutDir: *out, Regulars: *regulars, Log: os.Stderr, SettleOutreach: true,
			Baseline: func(db, addr string) *exec.Cmd {
				cmd := exec.Command(self, baselineCommand(db), "--addr", addr)
				cmd.Env = append(os.Environ(), "REGULARS_DB="+db) // not in the arguments, which ps shows
				return cmd
			}}
		fmt.Fprintf(os.Stderr, "== %s\n", e)
		res, err := bench.Execute(ctx, cfg)
		if err != nil {
			return fmt.Errorf("%s: %w", e, err)
		}
		fmt.Println()
		res.WriteTable(os.Stdout)
		runs, report[e] = append(runs, res), res
	}
	machine := fmt.Sprintf("%s Load average (1, 5, 15 min) at the start: %s; at the end: %s.",
		bench.Machine(), loadBefore, bench.LoadAverage())
	if err := report.WriteJSON(*jsonPath); err != nil {
		return err
	}
	f, err := os.Create(*mdPath)
	if err != nil {
		return err
	}
	notes, err := os.ReadFile(*notesPath)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	bench.WriteMarkdown(f, runs, report, machine, notes)
	return f.Close()
}
