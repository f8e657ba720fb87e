package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
)

// driverRow is one row as go-sqlite3 returns it: string for TEXT, []byte for a BLOB
// (what a []byte argument stores, such as the preferences' JSON), int64 for INTEGER, nil
// for NULL. The columns read through it are typed by the schema (TEXT NOT NULL,
// INTEGER), so a NULL reads as "" or 0.
type driverRow []driver.Value

func (r driverRow) text(i int) string {
	return r.nullText(i).String
}

func (r driverRow) nullText(i int) sql.NullString {
	switch v := r[i].(type) {
	case string:
		return sql.NullString{String: v, Valid: true}
	case []byte:
		return sql.NullString{String: string(v), Valid: true}
	}
	return sql.NullString{}
}

func (r driverRow) integer(i int) int64 {
	n, _ := r[i].(int64)
	return n
}

func (r driverRow) nullInteger(i int) sql.NullInt64 {
	n, ok := r[i].(int64)
	return sql.NullInt64{Int64: n, Valid: ok}
}

// scanRow scans the current row of row into values, one a column.
func scanRow(row scanner, values driverRow) error {
	ptrs := make([]any, len(values))
	for i := range values {
		ptrs[i] = (*any)(&values[i]) // database/sql stores a driver value as it is into an *any
	}
	return row.Scan(ptrs...)
}

// readRow reads the first row of query on a read connection into values, one a column;
// sql.ErrNoRows when there is none. It asks the driver directly, not through
// database/sql's Row: on the look-up's and the card's row that saved a fifth of the
// query's time (the conversion of every column into its destination by reflection, and
// the Rows machinery around one row).
func (db *DB) readRow(ctx context.Context, values driverRow, query string, args ...driver.Value) error {
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return conn.Raw(func(dc any) error {
		rows, err := dc.(driver.QueryerContext).QueryContext(ctx, query, named)
		if err != nil {
			return err
		}
		if n := len(rows.Columns()); n != len(values) { // as database/sql checks its Scan
			rows.Close()
			return fmt.Errorf("sqlite: the query returns %d columns, the row has room for %d", n, len(values))
		}
		err = rows.Next(values)
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
		if err == io.EOF {
			return sql.ErrNoRows
		}
		return err
	})
}
