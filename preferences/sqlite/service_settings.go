package sqlite

import (
	"context"
	"database/sql"
)

// SaveServiceSettings records the settings the service runs with (name → value), replacing
// those of its previous start, for the commands run from another environment.
func (db *DB) SaveServiceSettings(ctx context.Context, settings map[string]string) error {
	ts := db.nowText()
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for name, value := range settings {
			if _, err := tx.ExecContext(ctx, `INSERT INTO service_settings (name, value, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, name, value, ts); err != nil {
				return err
			}
		}
		return nil
	})
}

// ServiceSettings returns the settings the service recorded at its last start (none
// before its first).
func (db *DB) ServiceSettings(ctx context.Context) (map[string]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT name, value FROM service_settings`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return nil, err
		}
		out[name] = value
	}
	return out, rows.Err()
}
