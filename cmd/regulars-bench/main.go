// Command regulars-bench is the harness behind `make bench`: it measures the service at
// BENCH_GUESTS guests (default 1,000,000) for BENCH_SECONDS per row (default 10) beside
// the raw limits of the stack, prints the table and writes bench/results.json and
// BENCHMARKS.md.
//
//	regulars-bench [--regulars bin/regulars] [--out bench/out] [--json bench/results.json] [--md BENCHMARKS.md]
//	regulars-bench baseline --db PATH --addr HOST:PORT   (started by the harness)
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"

	"regulars/internal/bench"
	"regulars/internal/runtimetune"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if len(os.Args) > 1 && os.Args[1] == "baseline" {
		err = baseline(ctx, os.Args[2:])
	} else {
		err = run(ctx, os.Args[1:])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "regulars-bench:", err)
		os.Exit(1)
	}
}

func baseline(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("baseline", flag.ContinueOnError)
	db := fs.String("db", "", "database file")
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	if err := fs.Parse(args); err != nil {
		return err
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
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cfg := bench.Config{Guests: int(guests), Seconds: seconds, Concurrency: int(conc), MailMessages: 10_000,
		OutDir: *out, Regulars: *regulars, Log: os.Stderr, SettleOutreach: true,
		Baseline: func(db, addr string) *exec.Cmd { return exec.Command(self, "baseline", "--db", db, "--addr", addr) }}
	loadBefore := bench.LoadAverage()
	res, err := bench.Execute(ctx, cfg)
	if err != nil {
		return err
	}
	machine := fmt.Sprintf("%s Load average (1, 5, 15 min) at the start: %s; at the end: %s.",
		bench.Machine(), loadBefore, bench.LoadAverage())
	fmt.Println()
	res.WriteTable(os.Stdout)
	if err := res.WriteJSON(*jsonPath); err != nil {
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
	res.WriteMarkdown(f, machine, notes)
	return f.Close()
}
