package postgres

import (
	"context"
	"database/sql"
	"errors"

	"regulars/preferences"
)

// Read runs fn in a read-only transaction.
func (db *DB) Read(ctx context.Context, fn func(preferences.Tx) error) error {
	return db.store.Read(ctx, fn)
}

// Write runs fn in a transaction.
func (db *DB) Write(ctx context.Context, fn func(preferences.Tx) error) error {
	return db.store.Write(ctx, fn)
}

// Health checks that the server answers, that the schema is there, and that it takes
// writes (a read-only standby after a failover would not).
func (db *DB) Health(ctx context.Context) error {
	var readOnly string
	if err := db.sql.QueryRowContext(ctx, `SHOW transaction_read_only`).Scan(&readOnly); err != nil {
		return unavailable(err)
	}
	if readOnly == "on" {
		return preferences.Unavailable(preferences.ReasonFailed, "The database takes no writes (a read-only server).", errors.New("transaction_read_only = on"))
	}
	var n int
	if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		return unavailable(err)
	}
	return nil
}

// Engine names the engine: "postgres".
func (db *DB) Engine() string { return "postgres" }

// Pools are the database's connection pools by name, for their statistics.
func (db *DB) Pools() map[string]*sql.DB { return map[string]*sql.DB{"pool": db.sql} }

// unavailable is StorageError, with any other failure of a check (a timeout) as failed.
func unavailable(err error) error {
	var de *preferences.Error
	if err = StorageError(err); errors.As(err, &de) {
		return err
	}
	return preferences.Unavailable(preferences.ReasonFailed, "The database does not answer.", err)
}
