package benchdata

import (
	"context"
	"database/sql"
	"fmt"

	"regulars/preferences/sqlite"
)

// Generate fills db, which must hold no guests yet. Rows are written directly, in
// transactions of 10,000 guests with prepared statements, with the same columns the
// store's methods write.
func Generate(ctx context.Context, db *sqlite.DB, opt Options) error {
	return generateSQLite(ctx, db.Writer(), opt)
}

// generateSQLite fills the SQLite database whose single writer connection is w.
func generateSQLite(ctx context.Context, w *sql.DB, opt Options) error {
	opt, err := opt.withDefaults()
	if err != nil {
		return err
	}
	if err := checkEmpty(w.QueryRowContext(ctx, `SELECT count(*) FROM guests`)); err != nil {
		return err
	}
	// A bulk load that fails is simply run again on a new file: no need to sync each batch.
	// The indexes on random ids outgrow the usual page cache; a large one keeps the
	// load from slowing down as they grow.
	if _, err := w.ExecContext(ctx, `PRAGMA synchronous = OFF; PRAGMA cache_size = -2000000`); err != nil {
		return err
	}
	defer w.ExecContext(context.Background(), `PRAGMA synchronous = FULL; PRAGMA cache_size = -20000`)
	g := newGenerator(opt, sqlite.Dialect.TimeArg)
	rooms, err := g.rooms()
	if err != nil {
		return err
	}
	err = insertSQLite(ctx, w, func(tx *sql.Tx) error {
		if err := execRows(ctx, tx, propertyInsert, g.properties()); err != nil {
			return err
		}
		return execRows(ctx, tx, roomUpsert, rooms)
	})
	if err != nil {
		return err
	}
	restore, err := dropIndexes(ctx, w)
	if err != nil {
		return err
	}
	err = g.run(ctx, func(b *batch) error {
		return insertSQLite(ctx, w, func(tx *sql.Tx) error {
			for k, t := range tables {
				if err := execRows(ctx, tx, insertSQL(t), b.rows[k]); err != nil {
					return fmt.Errorf("benchdata: %s: %w", t.name, err)
				}
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	if err := restore(); err != nil {
		return err
	}
	err = insertSQLite(ctx, w, func(tx *sql.Tx) error { return execRows(ctx, tx, insertSQL(tables[tStays]), g.checkIns()) })
	if err != nil {
		return fmt.Errorf("benchdata: check-in: %w", err)
	}
	if _, err := w.ExecContext(ctx, `ANALYZE`); err != nil {
		return err
	}
	_, err = w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// checkEmpty fails unless the count of guests row reads 0.
func checkEmpty(row interface{ Scan(...any) error }) error {
	var n int
	if err := row.Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("benchdata: the database already holds %d guests", n)
	}
	return nil
}

// insertSQLite runs fn in one transaction of w.
func insertSQLite(ctx context.Context, w *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// execRows runs the statement q, prepared once, for each row.
func execRows(ctx context.Context, tx *sql.Tx, q string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	st, err := tx.PrepareContext(ctx, q)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, r := range rows {
		if _, err := st.ExecContext(ctx, r...); err != nil {
			return err
		}
	}
	return nil
}

// dropIndexes drops the indexes the migrations created (primary keys stay) and returns
// what recreates them: building an index once over all rows is much faster than
// keeping it up to date row by row, and recreating a unique one checks the data.
func dropIndexes(ctx context.Context, w *sql.DB) (restore func() error, err error) {
	rows, err := w.QueryContext(ctx, `SELECT 'DROP INDEX "' || name || '"', sql FROM sqlite_master
		WHERE type = 'index' AND sql IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	return dropListed(rows, func() { rows.Close() }, func(q string) error {
		_, err := w.ExecContext(ctx, q)
		return err
	})
}

// dropListed reads rows of (drop, create) statements, closes them, runs the drops and
// returns what runs the creates, last first.
func dropListed(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}, closeRows func(), exec func(string) error) (restore func() error, err error) {
	var drops, creates []string
	for rows.Next() {
		var drop, create string
		if err := rows.Scan(&drop, &create); err != nil {
			closeRows()
			return nil, err
		}
		drops, creates = append(drops, drop), append(creates, create)
	}
	closeRows()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, q := range drops {
		if err := exec(q); err != nil {
			return nil, err
		}
	}
	return func() error {
		for k := len(creates) - 1; k >= 0; k-- {
			if err := exec(creates[k]); err != nil {
				return fmt.Errorf("benchdata: recreate: %w", err)
			}
		}
		return nil
	}, nil
}
