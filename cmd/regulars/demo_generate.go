package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"regulars/internal/app"
	"regulars/internal/benchdata"
)

// demoGenerate fills an empty database with a large generated hotel for benchmarks.
func demoGenerate(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo generate", stderr)
	guests := fs.Int("guests", 1_000_000, "number of guests")
	properties := fs.Int("properties", 1, fmt.Sprintf("number of hotels of the group (1 to %d): room k and its stays belong to property k mod N (MAIN, P2, P3, …)", benchdata.MaxProperties))
	fs.StringVar(&cfg.DBPath, "db", cfg.DBPath, "SQLite file path or postgres:// URL (must hold no guests)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *guests < benchdata.MinGuests {
		return usageError{fmt.Sprintf("--guests must be at least %d", benchdata.MinGuests)}
	}
	if *properties < 1 || *properties > benchdata.MaxProperties {
		return usageError{fmt.Sprintf("--properties must be between 1 and %d", benchdata.MaxProperties)}
	}
	return withStore(ctx, cfg, stderr, func(db *app.Store, cfg app.Config) error {
		start := time.Now()
		err := db.GenerateBench(ctx, benchdata.Options{Guests: *guests, Secret: cfg.Secret, Location: cfg.Location, Progress: stderr,
			Properties: *properties})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "generated %d guests in %s into %s\n", *guests, time.Since(start).Round(time.Millisecond), shownDB(cfg.DBPath))
		return nil
	})
}
