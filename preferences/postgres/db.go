// Package postgres is the PostgreSQL engine of the preferences store: its connection
// pool and its migrations. Several instances of the service may share one database.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"regulars/preferences/sqlstore"
)

// Options tune Open.
type Options struct {
	Logger *slog.Logger // where applied migrations are reported; none when nil

	migrations fs.FS // tests: these migrations in place of the embedded ones
}

// DB is an open PostgreSQL database: one pgx pool, also reachable through database/sql.
type DB struct {
	pool  *pgxpool.Pool
	sql   *sql.DB
	store *sqlstore.Store
}

// Open connects to the database at url (postgres://user:password@host:port/db?…) and
// applies the migrations it does not have yet. The URL's pool_max_conns caps the pool;
// by default it has 4 connections a CPU, at least 4.
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message repeats the URL, password masked at best: not shown.
		return nil, errors.New("postgres: the database URL is malformed (want postgres://user:password@host:port/db?sslmode=…)")
	}
	if !strings.Contains(url, "pool_max_conns") {
		// A request mostly waits on the round trip to the server, not on a CPU; 8 on 2
		// CPUs also leaves room for several instances within max_connections (100).
		cfg.MaxConns = int32(max(4, 4*runtime.NumCPU()))
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["lock_timeout"]; !ok {
		// A write behind another session's lock waits as long as SQLite's busy timeout,
		// then fails as busy (55P03: 503 storage-busy), rather than hanging the request.
		cfg.ConnConfig.RuntimeParams["lock_timeout"] = "5s"
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "regulars" // seen in pg_stat_activity
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.migrations == nil {
		opt.migrations, _ = fs.Sub(migrationFS, "migrations")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := migrate(ctx, pool, opt.migrations, opt.Logger); err != nil {
		pool.Close()
		return nil, err
	}
	db := &DB{pool: pool, sql: stdlib.OpenDBFromPool(pool)}
	// database/sql holds as many connections as the pool has, so that its statistics
	// (the go_sql_* metrics: the limit, the waits) describe the real pool.
	db.sql.SetMaxOpenConns(int(cfg.MaxConns))
	db.store = sqlstore.New(db.sql, db.sql, Dialect)
	return db, nil
}

// Close closes every connection.
func (db *DB) Close() error {
	err := db.sql.Close() // leaves the pool open: it is closed next
	db.pool.Close()
	return err
}

// SQL is the database through database/sql, over the same pool.
func (db *DB) SQL() *sql.DB { return db.sql }

// Pool is pgx's pool, for what database/sql cannot do (COPY, LISTEN/NOTIFY).
func (db *DB) Pool() *pgxpool.Pool { return db.pool }
