package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"regulars/internal/app"
	"regulars/preferences"
	"regulars/scheduler"
)

// errBadMessages ends an import that met malformed messages: exit status 1, after the
// others were recorded.
var errBadMessages = errors.New("bounces import: some messages were malformed (see above)")

// bouncesImport runs `regulars bounces import FILE [--db PATH]`: the delivery status
// notifications (RFC 3464) and abuse reports (ARF) of one .eml or an mbox, recorded as
// bounces with the same rules as the webhook. One line per message, on stdout:
// index, outcome (recorded, repeat, skipped, malformed) and why; then the totals. No
// address is printed.
func bouncesImport(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bounces import", stderr)
	fs.StringVar(&cfg.DBPath, "db", cfg.DBPath, "SQLite file path or postgres:// URL")
	files, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usageError{"bounces import: give one FILE, an .eml or an mbox"}
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()
	reports, err := scheduler.ReadBounceReports(f)
	if err != nil {
		return fmt.Errorf("bounces import: %s: %w", files[0], err)
	}
	return withStore(ctx, cfg, stderr, func(db *app.Store, _ app.Config) error {
		var n struct{ recorded, repeat, skipped, malformed, suppressed int }
		line := func(i int, outcome, why string) { fmt.Fprintf(stdout, "%d\t%s\t%s\n", i, outcome, why) }
		for _, r := range reports {
			switch {
			case r.Err != nil:
				n.malformed++
				line(r.Index, "malformed", r.Err.Error())
				continue
			case len(r.Bounces) == 0:
				n.skipped++
				line(r.Index, "skipped", r.Skipped)
				continue
			}
			for _, b := range r.Bounces {
				res, err := db.RecordBounce(ctx, b)
				switch {
				case preferences.ErrorCode(err) == preferences.EINVALID:
					n.skipped++
					line(r.Index, "skipped", invalidFields(err))
				case err != nil:
					return err
				case !res.Recorded:
					n.repeat++
					line(r.Index, "repeat", string(b.Kind)+" bounce recorded before")
				default:
					n.recorded++
					why := string(b.Kind) + " bounce"
					if res.Suppressed {
						n.suppressed++
						why += "; letters to the address are stopped"
					}
					line(r.Index, "recorded", why)
				}
			}
		}
		fmt.Fprintf(stdout, "%d messages: %d bounces recorded (%d addresses stopped), %d recorded before, %d skipped, %d malformed\n",
			len(reports), n.recorded, n.suppressed, n.repeat, n.skipped, n.malformed)
		if n.malformed > 0 {
			return errBadMessages
		}
		return nil
	})
}

// invalidFields says which fields of a bounce broke which rule.
func invalidFields(err error) string {
	var e *preferences.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err.Error()
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + " " + f.Message
	}
	return strings.Join(parts, "; ")
}

// bouncesLift runs `regulars bounces lift --email ADDRESS [--db PATH]`: letters go to
// the address again (as POST /api/outreach/suppressions/lift).
func bouncesLift(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bounces lift", stderr)
	email := fs.String("email", "", "the address letters may go to again")
	fs.StringVar(&cfg.DBPath, "db", cfg.DBPath, "SQLite file path or postgres:// URL")
	if err := parse(fs, args); err != nil {
		return err
	}
	return withStore(ctx, cfg, stderr, func(db *app.Store, _ app.Config) error {
		sup, err := db.LiftSuppression(ctx, commandLine, *email)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "lifted: letters stopped since %s (%s) go again\n", sup.Since.Format("2006-01-02 15:04 MST"), sup.Kind)
		return nil
	})
}
