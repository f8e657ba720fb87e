package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"regulars/internal/app"
	"regulars/preferences"
)

// outreachRun runs the birthday or lapse job now as if the hotel's date were --date and
// prints guest_id<TAB>email<TAB>status per recipient. Unlike the API's run it waits for
// the sends (a one-shot command has no background sender), so the status is the outcome.
// The public URL and zone are the service's (recorded at its start) unless this
// environment sets REGULARS_PUBLIC_URL or REGULARS_TZ; stderr says which it used.
func outreachRun(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"outreach run: say birthday or lapse"}
	}
	kind, err := preferences.ParseOutreachKind(args[0])
	if err != nil {
		return usageError{fmt.Sprintf("outreach run: %q: must be birthday or lapse", args[0])}
	}
	fs := newFlags("outreach run", stderr)
	date := fs.String("date", "", "the day to run for, YYYY-MM-DD within 2 years of today (default today, hotel time)")
	dry := fs.Bool("dry-run", false, "list the recipients, send nothing")
	fs.StringVar(&cfg.DBPath, "db", cfg.DBPath, "SQLite file path or postgres:// URL")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if err := cfg.Resolve(); err != nil {
		return err
	}
	log := newLogger(stderr)
	db, err := openAsService(ctx, &cfg, log, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := app.NewOutreach(cfg, db, log)
	if err != nil {
		return err
	}
	if *date == "" {
		*date = s.Today()
	}
	recipients, err := s.Run(ctx, kind, *date, *dry)
	if err != nil {
		return err
	}
	for _, r := range recipients {
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", r.GuestID, r.Email, r.Status)
	}
	return nil
}

// openAsService opens the store with the public URL and zone the service recorded, unless
// the environment sets them (the links must point at the service, whatever this shell
// says), and says on stderr which it uses.
func openAsService(ctx context.Context, cfg *app.Config, log *slog.Logger, stderr io.Writer) (*app.Store, error) {
	db, err := app.OpenStore(*cfg, log)
	if err != nil {
		return nil, err
	}
	said, reopen, err := app.AdoptServiceSettings(ctx, cfg, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	if reopen { // the store too works in the service's zone
		db.Close()
		if db, err = app.OpenStore(*cfg, log); err != nil {
			return nil, err
		}
	}
	fmt.Fprintln(stderr, "outreach run: "+said)
	return db, nil
}
