package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql's "pgx" driver (waitForCatchUp)

	"regulars/internal/app"
	"regulars/internal/benchdata"
	"regulars/preferences/postgres"
	"regulars/preferences/sqlite"
	"regulars/preferences/sqlstore"
)

// The engines a run measures (Config.Engine).
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// A run's database is named as REGULARS_DB names it: the SQLite file's path, or the
// postgres:// URL of a database on the server Config.Postgres names.

// prepareDB returns a fresh working copy of the generated hotel of cfg.Guests guests,
// generating the pristine one first when it is not cached: an SQLite file in OutDir,
// or a database on the PostgreSQL server kept for the next runs. What the results must
// say about the database goes to res.Notes.
func prepareDB(ctx context.Context, cfg Config, res *Results) (string, error) {
	if cfg.Engine == Postgres {
		return preparePostgres(ctx, cfg, res)
	}
	pristine := filepath.Join(cfg.OutDir, fmt.Sprintf("guests-%d.db", cfg.Guests))
	if _, err := os.Stat(pristine); err != nil {
		tmp := pristine + ".tmp"
		removeDB(tmp)
		if err := generate(ctx, cfg, tmp, pristine); err != nil {
			return "", err
		}
		if err := os.Rename(tmp, pristine); err != nil {
			return "", err
		}
	}
	work := filepath.Join(cfg.OutDir, "run.db")
	removeDB(work)
	return work, copyFile(pristine, work)
}

// preparePostgres is prepareDB on the PostgreSQL server: the hotel is generated once
// into a database of its own (renamed into place when complete), and each run works on
// a copy made from it as a template, which takes seconds where generating takes minutes.
func preparePostgres(ctx context.Context, cfg Config, res *Results) (string, error) {
	if cfg.Postgres == "" {
		return "", errors.New("bench: the PostgreSQL rows need a server: set BENCH_POSTGRES=postgres://… " +
			"or run through ./scripts/with-postgres (make bench does)")
	}
	conn, err := pgx.Connect(ctx, cfg.Postgres)
	if err != nil {
		// pgx's message may repeat the URL: not shown, it may hold a password.
		return "", errors.New("bench: cannot connect to the PostgreSQL server BENCH_POSTGRES names")
	}
	defer conn.Close(context.Background())
	admin := func(stmt string) error {
		_, err := conn.Exec(ctx, stmt)
		return err
	}
	prefix := cfg.PostgresNames
	if prefix == "" {
		prefix = "regulars_bench"
	}
	pristine, run := fmt.Sprintf("%s_guests_%d", prefix, cfg.Guests), prefix+"_run"
	var cached bool
	err = conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, pristine).Scan(&cached)
	if err != nil {
		return "", err
	}
	if !cached {
		tmp := pristine + "_tmp"
		if err := admin("DROP DATABASE IF EXISTS " + tmp + " WITH (FORCE)"); err != nil {
			return "", err
		}
		if err := admin("CREATE DATABASE " + tmp + " TEMPLATE template0"); err != nil {
			return "", err
		}
		if err := generate(ctx, cfg, databaseURL(cfg.Postgres, tmp), "database "+pristine); err != nil {
			return "", err
		}
		if err := admin("ALTER DATABASE " + tmp + " RENAME TO " + pristine); err != nil {
			return "", err
		}
	}
	start := time.Now()
	if err := admin("DROP DATABASE IF EXISTS " + run + " WITH (FORCE)"); err != nil {
		return "", err
	}
	// FILE_COPY (PostgreSQL 15's default is WAL_LOG) copies the files after a checkpoint
	// rather than writing the whole hotel to the log again.
	strategy := ""
	var version int
	if err := conn.QueryRow(ctx, `SELECT current_setting('server_version_num')::int`).Scan(&version); err != nil {
		return "", err
	}
	if version >= 150000 {
		strategy = " STRATEGY FILE_COPY"
	}
	if err := admin("CREATE DATABASE " + run + " TEMPLATE " + pristine + strategy); err != nil {
		return "", err
	}
	cfg.logf("copied %s in %.1f s", pristine, time.Since(start).Seconds())
	// SQLite commits with synchronous=FULL; a server without fsync (a throw-away one
	// for tests) would make PostgreSQL's writes look cheaper than durable ones are.
	var fsync, syncCommit string
	err = conn.QueryRow(ctx, `SELECT current_setting('fsync'), current_setting('synchronous_commit')`).Scan(&fsync, &syncCommit)
	if err != nil {
		return "", err
	}
	if fsync != "on" || syncCommit != "on" {
		res.Notes = append(res.Notes, fmt.Sprintf("the PostgreSQL server ran with fsync=%s, synchronous_commit=%s: "+
			"its commits were not durable, its writes cheaper than a hotel's server's.", fsync, syncCommit))
	}
	return databaseURL(cfg.Postgres, run), nil
}

// databaseURL is the URL of the database name on the server of serverURL.
func databaseURL(serverURL, name string) string {
	u, err := url.Parse(serverURL)
	if err != nil {
		return serverURL // pgx.Connect refused it already
	}
	u.Path = "/" + name
	return u.String()
}

// generate fills the new database db with the hotel of cfg.Guests guests, through the
// engine's bulk loader; what names it in the log.
func generate(ctx context.Context, cfg Config, db, what string) error {
	cfg.logf("generating %d guests into %s", cfg.Guests, what)
	start := time.Now()
	s, err := openStore(db, "")
	if err != nil {
		return err
	}
	var progress io.Writer
	if cfg.Guests >= 1_000_000 {
		progress = cfg.Log
	}
	err = s.GenerateBench(ctx, benchdata.Options{Guests: cfg.Guests, Secret: Secret, Location: s.Location(), Progress: progress})
	if err := errors.Join(err, s.Close()); err != nil {
		return err
	}
	cfg.logf("generated in %.1f s", time.Since(start).Seconds())
	return nil
}

// removeDB removes the SQLite database at path with its log files.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	// Written out now, not by the kernel during the first rows (1.6 GB at 1M guests).
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// sqlDB is a database/sql handle on a bench database with its engine's dialect, for the
// harness's own queries (written with ? placeholders).
type sqlDB struct {
	*sql.DB
	d sqlstore.Dialect
}

// openSQL opens db beside the running service: an SQLite file read-only.
func openSQL(db string) (sqlDB, error) {
	if app.IsPostgres(db) {
		h, err := sql.Open("pgx", db)
		return sqlDB{h, postgres.Dialect}, err
	}
	h, err := sql.Open("sqlite3", sqlite.DSN(db, true))
	return sqlDB{h, sqlite.Dialect}, err
}

// storeSQL is the read pool of an open store (PostgreSQL's one pool).
func storeSQL(s *app.Store) sqlDB {
	if s.Engine == Postgres {
		return sqlDB{s.Pools()["pool"], postgres.Dialect}
	}
	return sqlDB{s.Pools()["read"], sqlite.Dialect}
}

// bind is query with the engine's placeholders.
func (db sqlDB) bind(query string) string {
	if db.d.Numbered {
		return sqlstore.Numbered(query)
	}
	return query
}

func (db sqlDB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.QueryRowContext(ctx, db.bind(query), args...)
}
