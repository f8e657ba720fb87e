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
	fs.StringVar(&cfg.DBPath, "db", cfg.DBPath, "SQLite file path or postgres:// URL (must hold no guests)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *guests < benchdata.MinGuests {
		return usageError{fmt.Sprintf("--guests must be at least %d", benchdata.MinGuests)}
	}
	return withStore(ctx, cfg, stderr, func(db *app.Store, cfg app.Config) error {
		start := time.Now()
		err := db.GenerateBench(ctx, benchdata.Options{Guests: *guests, Secret: cfg.Secret, Location: cfg.Location, Progress: stderr})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "generated %d guests in %s into %s\n", *guests, time.Since(start).Round(time.Millisecond), shownDB(cfg.DBPath))
		return nil
	})
}
