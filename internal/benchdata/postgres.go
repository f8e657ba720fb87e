package benchdata

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// GeneratePostgres fills the migrated PostgreSQL database of pool, which must hold no
// guests yet, with the hotel Generate writes into SQLite for the same options: the
// same guests, documents, consent, preferences, stays, complaints and rooms (other ids).
// Everything is written in one transaction with COPY, the secondary indexes and foreign
// keys dropped meanwhile and rebuilt after: a load that fails leaves nothing behind.
func GeneratePostgres(ctx context.Context, pool *pgxpool.Pool, opt Options) error {
	opt, err := opt.withDefaults()
	if err != nil {
		return err
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	// Another load started meanwhile waits here, then finds the guests of the first.
	if _, err := tx.Exec(ctx, `LOCK TABLE guests IN EXCLUSIVE MODE`); err != nil {
		return err
	}
	if err := checkEmpty(tx.QueryRow(ctx, `SELECT count(*) FROM guests`)); err != nil {
		return err
	}
	// Index builds sort the whole table: more memory sorts it in one pass.
	if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '512MB'`); err != nil {
		return err
	}
	g := newGenerator(opt, func(t time.Time) any { return t })
	rooms, err := g.rooms()
	if err != nil {
		return err
	}
	for _, p := range g.properties() {
		if _, err := tx.Exec(ctx, numbered(propertyInsert), p...); err != nil {
			return fmt.Errorf("benchdata: properties: %w", err)
		}
	}
	upsert := numbered(roomUpsert)
	for _, r := range rooms {
		if _, err := tx.Exec(ctx, upsert, r...); err != nil {
			return fmt.Errorf("benchdata: rooms: %w", err)
		}
	}
	restore, err := dropSecondary(ctx, tx)
	if err != nil {
		return err
	}
	err = g.run(ctx, func(b *batch) error {
		for k, t := range tables {
			if err := copyRows(ctx, tx, t, b.rows[k]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	g.progress("guests written")
	if err := restore(); err != nil {
		return err
	}
	g.progress("indexes and foreign keys rebuilt")
	if err := copyRows(ctx, tx, tables[tStays], g.checkIns()); err != nil {
		return fmt.Errorf("benchdata: check-in: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	g.progress("committed")
	if _, err = pool.Exec(ctx, `ANALYZE`); err != nil {
		return err
	}
	g.progress("analysed")
	return nil
}

func copyRows(ctx context.Context, tx pgx.Tx, t table, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.columns, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("benchdata: %s: %w", t.name, err)
	}
	return nil
}

// numbered rewrites the ? placeholders of q as PostgreSQL's $1, $2…
func numbered(q string) string {
	parts := strings.Split(q, "?")
	var b strings.Builder
	for k, p := range parts {
		if k > 0 {
			b.WriteString("$" + strconv.Itoa(k))
		}
		b.WriteString(p)
	}
	return b.String()
}

// dropSecondary drops the foreign keys and the indexes that back no constraint in the
// current schema, and returns what recreates them (indexes first: the foreign keys are
// listed, so dropped, first). Checking the data once then is much faster than row by row.
func dropSecondary(ctx context.Context, tx pgx.Tx) (restore func() error, err error) {
	rows, err := tx.Query(ctx, `SELECT undo, redo FROM (
		SELECT 0 AS kind, format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname) AS undo,
			format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) AS redo
		FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
		UNION ALL
		SELECT 1, format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE c.relnamespace = current_schema()::regnamespace
			AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
		) s ORDER BY kind`)
	if err != nil {
		return nil, err
	}
	return dropListed(rows, rows.Close, func(q string) error {
		_, err := tx.Exec(ctx, q)
		return err
	})
}
