package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"regulars/internal/app"
)

// backupCmd runs `regulars backup PATH [--db FILE]`: a consistent copy of the running
// service's SQLite database in the new folder PATH. It opens the files
// read-only, never through app.Open: no migration, no background work, no write lock.
func backupCmd(ctx context.Context, cfg app.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", stderr)
	fs.StringVar(&cfg.DBPath, "db", cfg.DBPath, "SQLite database file (a postgres:// URL: says how to use pg_dump)")
	paths, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(paths) != 1 {
		return usageError{"backup: give one PATH, the new folder that receives the backup"}
	}
	if app.IsPostgres(cfg.DBPath) {
		pgDumpAdvice(stderr, cfg.DBPath, paths[0])
		return errors.New("backup: the database is PostgreSQL: back it up with pg_dump (see above)")
	}
	start := time.Now()
	files, err := app.BackupSQLite(ctx, cfg.DBPath, paths[0], progressPrinter(stderr))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backup of %s written to %s, and checked, in %.1f s:\n", cfg.DBPath, paths[0], time.Since(start).Seconds())
	for _, f := range files {
		fmt.Fprintf(stdout, "  %-24s %10s  snapshot %s, copied in %.1f s\n", f.Name, megabytes(f.Bytes), f.At.Format(time.RFC3339), f.Took.Seconds())
	}
	fmt.Fprintf(stdout, "Not in it: the service secret, which keys the document hashes: %s.\n"+
		"A restore needs that same secret. Keep a copy of it with the backups but apart from them,\n"+
		"as well protected (with both, a thief can test guessed document numbers).\n"+
		"Guests erased after the snapshot must be erased again after a restore (README: Backup and restore).\n",
		secretWhere(cfg))
	return nil
}

// secretWhere says where the service's secret is, never what it is.
func secretWhere(cfg app.Config) string {
	path := app.SecretPath(cfg.DBPath)
	switch _, err := os.Stat(path); {
	case cfg.Secret != nil:
		return "REGULARS_SECRET in the service's environment"
	case err == nil:
		return "the file " + path
	default:
		return "no file " + path + ", so the service must have REGULARS_SECRET: keep that value"
	}
}

// progressPrinter tells on w when each file's copy starts, each tenth copied of a file
// copied in several steps, and when its check starts.
func progressPrinter(w io.Writer) app.BackupProgress {
	shown := 0
	return func(name string, done, total int64) {
		switch {
		case done == 0:
			fmt.Fprintf(w, "copying %s (%s)\n", name, megabytes(total))
			shown = 0
		case done == total:
			fmt.Fprintf(w, "  %s: copied; checking the copy (quick_check)\n", name)
		default:
			if tenth := int(done * 10 / total); tenth > shown {
				fmt.Fprintf(w, "  %s: %d%%\n", name, tenth*10)
				shown = tenth
			}
		}
	}
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// pgDumpAdvice prints the pg_dump and pg_restore commands for the database at dbURL,
// without its password.
func pgDumpAdvice(w io.Writer, dbURL, path string) {
	shown, hadPassword := withoutPassword(dbURL)
	target, file := shellQuote(shown), shellQuote(path)
	fmt.Fprintf(w, "regulars backup: the database is PostgreSQL; regulars does not copy it. Back it up with pg_dump:\n\n"+
		"  pg_dump --format=custom --file=%s %s\n\n"+
		"Restore it, with every instance of the service stopped, with:\n\n"+
		"  pg_restore --clean --if-exists --dbname=%s %s\n\n", file, target, target, file)
	if hadPassword {
		fmt.Fprint(w, "The URL's password is not shown: give it to both in PGPASSWORD or ~/.pgpass.\n")
	}
	fmt.Fprint(w, "Keep the service secret (REGULARS_SECRET) with the backups, apart from them and as well\n"+
		"protected: it keys the document hashes, and a restore needs the same one.\n")
}

// withoutPassword returns dbURL without a password (in the user part or a password=
// parameter), and whether it had one. A URL that does not parse plainly (a password
// with an unescaped "/" or "#" is read as something else) is not repeated at all.
func withoutPassword(dbURL string) (string, bool) {
	const placeholder = "postgres://USER@HOST:5432/DATABASE"
	u, err := url.Parse(dbURL)
	if err != nil || u.Opaque != "" || u.Fragment != "" || strings.Contains(dbURL, "@") != (u.User != nil) {
		return placeholder, true
	}
	var passwords []string
	if p, ok := u.User.Password(); ok {
		passwords = append(passwords, p)
		u.User = url.User(u.User.Username())
	}
	if q := u.Query(); q.Has("password") {
		passwords = append(passwords, q["password"]...)
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	shown := u.String()
	for _, p := range passwords {
		if p != "" && strings.Contains(shown, p) {
			return placeholder, true
		}
	}
	return shown, len(passwords) > 0
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
