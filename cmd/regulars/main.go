// Command regulars runs the Regulars guest-recognition service and its admin commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"regulars/internal/app"
	"regulars/internal/demo"
	"regulars/internal/logbuf"
	"regulars/internal/runtimetune"
)

const usage = `regulars: guest recognition for hotels

Usage:
  regulars serve [--addr A] [--db PATH] [--demo]
  regulars token create --role ROLE --name NAME [--property CODE] [--expires DAYSd] [--db PATH]
  regulars token list [--db PATH]
  regulars token revoke --name NAME [--db PATH]
  regulars user add --name NAME --role ROLE [--property CODE] [--db PATH]
  regulars user list [--db PATH]
  regulars user disable|enable|reset-password --name NAME [--db PATH]
  regulars property add --code CODE --name NAME --tz ZONE [--address A] [--phone P] [--db PATH]
  regulars property list [--db PATH]
  regulars demo generate --guests N [--properties N] [--db PATH]
  regulars outreach run birthday|lapse [--date YYYY-MM-DD] [--dry-run] [--db PATH]
  regulars backup PATH [--db PATH]      (PATH: a new folder; see README, Backup and restore)
  regulars bounces import FILE [--db PATH]   (FILE: a bounce report .eml, or an mbox of them)
  regulars bounces lift --email ADDRESS [--db PATH]

Roles: manager, frontdesk, housekeeping, kiosk, relay (a token that only posts bounces).
A property code is 2 to 16 of A-Z, 0-9 and '-'. Configuration: REGULARS_* environment
variables (see README.md); flags win. outreach run greets, late, birthdays of the
REGULARS_BIRTHDAY_GRACE days before --date too, and writes its unsubscribe links to the
public URL (and works in the zone) that the service recorded at its start, unless
REGULARS_PUBLIC_URL (REGULARS_TZ) is set; stderr says which.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "regulars:", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run executes one command; main and the tests call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	cfg := app.FromEnv(getenv)
	switch cmd := args[0]; {
	case cmd == "serve":
		return serve(ctx, cfg, args[1:], stdout, stderr)
	case (cmd == "token" || cmd == "user") && len(args) > 1 && staffCommands[cmd+" "+args[1]] != nil:
		return staffCommands[cmd+" "+args[1]](ctx, cfg, args[2:], stdout, stderr)
	case cmd == "property" && len(args) > 1 && propertyCommands[args[1]] != nil:
		return propertyCommands[args[1]](ctx, cfg, args[2:], stdout, stderr)
	case cmd == "demo" && len(args) > 1 && args[1] == "generate":
		return demoGenerate(ctx, cfg, args[2:], stdout, stderr)
	case cmd == "outreach" && len(args) > 1 && args[1] == "run":
		return outreachRun(ctx, cfg, args[2:], stdout, stderr)
	case cmd == "bounces" && len(args) > 1 && args[1] == "import":
		return bouncesImport(ctx, cfg, args[2:], stdout, stderr)
	case cmd == "bounces" && len(args) > 1 && args[1] == "lift":
		return bouncesLift(ctx, cfg, args[2:], stdout, stderr)
	case cmd == "backup":
		return backupCmd(ctx, cfg, args[1:], stdout, stderr)
	case cmd == "help" || cmd == "-h" || cmd == "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// parseWithArgs is parse for a command that also takes arguments, before or after its
// flags; it returns them.
func parseWithArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func serve(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address host:port")
	fs.StringVar(&cfg.DBPath, "db", cfg.DBPath, "SQLite file path or postgres:// URL")
	fs.BoolVar(&cfg.Demo, "demo", false, "load the demo hotel into an empty database")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := cfg.Resolve(); err != nil {
		return err
	}
	runtimetune.Apply(os.Getenv)
	// One line a request: written out in batches (at most 100 ms late) instead of a
	// write call each.
	logs := logbuf.New(stderr, 100*time.Millisecond)
	defer logs.Close()
	log := newLogger(logs)
	a, err := app.New(cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if cfg.Demo {
		creds, err := demo.Load(ctx, a.Store.Repository(), cfg.Secret, cfg.Location)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if creds != nil {
			creds.Print(stdout, cfg.PublicURL)
		} else {
			fmt.Fprintf(stdout, "\nDemo hotel not loaded: %s already has guests or staff logins (the demo's\n"+
				"passwords were shown once, on its first start). To sign in, create a login:\n"+
				"  regulars user add --name NAME --role manager --db %s\n\n", shownDB(cfg.DBPath), shownDB(cfg.DBPath))
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	ln, err = app.WrapTLS(ln, cfg)
	if err != nil {
		return err
	}
	if err := a.Start(ctx); err != nil {
		ln.Close()
		if ctx.Err() != nil { // stopped (SIGTERM) while starting: a clean stop, not a failure
			log.Info("stopped while starting")
			return nil
		}
		return err
	}
	log.Info("serving", "addr", ln.Addr().String(), "url", cfg.PublicURL, "db", shownDB(cfg.DBPath), "tz", cfg.Location.String())
	err = a.Serve(ctx, ln)
	log.Info("stopped")
	return err
}

// withStore resolves the configuration, opens the store for one command, hands both to fn
// and closes the store after.
// shownDB is REGULARS_DB as it may be printed or logged: a PostgreSQL URL without its
// password.
func shownDB(db string) string {
	if app.IsPostgres(db) {
		shown, _ := withoutPassword(db)
		return shown
	}
	return db
}

func withStore(ctx context.Context, cfg app.Config, stderr io.Writer, fn func(db *app.Store, cfg app.Config) error) error {
	if err := cfg.Resolve(); err != nil {
		return err
	}
	db, err := app.OpenStore(cfg, newLogger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db, cfg)
}
