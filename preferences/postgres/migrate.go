package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations
var migrationFS embed.FS

// migrationLock keys the advisory lock ("regulars" in ASCII) under which one instance
// at a time migrates a database; advisory locks are per database.
const migrationLock int64 = 0x72656775_6c617273

var migrationName = regexp.MustCompile(`^([0-9]{4})_[a-z0-9_]+\.sql$`)

type migration struct {
	version int
	file    string
}

// migrations lists the *.sql files of fsys in the order of their numbers.
func migrations(fsys fs.FS) ([]migration, error) {
	files, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var list []migration
	for _, f := range files {
		m := migrationName.FindStringSubmatch(f)
		if m == nil {
			return nil, fmt.Errorf("postgres: migration %s: name it NNNN_name.sql (lower case)", f)
		}
		v, _ := strconv.Atoi(m[1])
		list = append(list, migration{version: v, file: f})
	}
	slices.SortFunc(list, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(list); i++ {
		if list[i].version == list[i-1].version {
			return nil, fmt.Errorf("postgres: migrations %s and %s have the same number", list[i-1].file, list[i].file)
		}
	}
	return list, nil
}

// migrate applies the migrations of fsys that the database has not recorded. It holds
// a session advisory lock on one connection throughout, so that instances starting at
// once apply each migration once (the others wait, then find it recorded), and the lock
// goes with the session if the process dies. Each migration commits on its own with
// its record: one that fails rolls back alone, and the error names its file. (One
// transaction for all would also undo the ones before it, and PostgreSQL refuses some
// pairs in one transaction, such as using an enum value added in the same one.)
func migrate(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS, log *slog.Logger) error {
	list, err := migrations(fsys)
	if err != nil {
		return err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: connect: %w", err)
	}
	defer conn.Release()
	// Another instance may migrate for longer than the lock timeout Open sets: its
	// migrations are waited for, however long they take.
	if _, err := conn.Exec(ctx, `SET lock_timeout = 0`); err != nil {
		return fmt.Errorf("postgres: connect: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `RESET lock_timeout`)
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("postgres: wait for the migration lock: %w", err)
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, uerr := conn.Exec(uctx, `SELECT pg_advisory_unlock($1)`, migrationLock); uerr != nil {
			conn.Conn().Close(uctx) // the lock ends with the session; the pool drops the connection
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("postgres: the migrations table: %w", err)
	}
	applied, err := recorded(ctx, conn.Conn())
	if err != nil {
		return err
	}
	for _, m := range list {
		if name, ok := applied[m.version]; ok {
			if name != m.file {
				return fmt.Errorf("postgres: migration %s: the database applied %s as number %d", m.file, name, m.version)
			}
			continue
		}
		start := time.Now()
		if err := apply(ctx, conn.Conn(), fsys, m); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.file, err)
		}
		log.Info("postgres: migration applied", "file", m.file, "ms", time.Since(start).Milliseconds())
	}
	return nil
}

// recorded maps the applied migrations' numbers to their files.
func recorded(ctx context.Context, conn *pgx.Conn) (map[int]string, error) {
	rows, _ := conn.Query(ctx, `SELECT version, name FROM schema_migrations`)
	applied := map[int]string{}
	var v int
	var name string
	_, err := pgx.ForEachRow(rows, []any{&v, &name}, func() error { applied[v] = name; return nil })
	if err != nil {
		return nil, fmt.Errorf("postgres: read the applied migrations: %w", err)
	}
	return applied, nil
}

// apply runs one migration and records it, in one transaction.
func apply(ctx context.Context, conn *pgx.Conn, fsys fs.FS, m migration) error {
	body, err := fs.ReadFile(fsys, m.file)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		// Without arguments pgx sends the simple protocol: a file may hold many statements.
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.file)
		return err
	})
}
