package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Before the shared store, the audit entries of reads were kept in a second file beside
// the database (regulars.db → regulars-access.db). There is one audit log now: at the
// first open, that file's entries move into audit_log, in one transaction, and the file
// goes.
func (db *DB) adoptAccessLog(ctx context.Context, path string) error {
	access := accessLogPath(path)
	if _, err := os.Stat(access); err != nil {
		return nil // none, or not ours to read: nothing to adopt
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS access`, fileURI(access)); err != nil {
		return fmt.Errorf("sqlite: open the old access log %s: %w", access, err)
	}
	defer conn.ExecContext(context.Background(), `DETACH DATABASE access`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, role, action, guest_id, detail)
		SELECT at, actor, role, action, guest_id, '' FROM access.guest_reads ORDER BY id`)
	if err != nil {
		return fmt.Errorf("sqlite: move the old access log %s into the audit log: %w", access, err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `DETACH DATABASE access`); err != nil {
		return err
	}
	n, _ := res.RowsAffected()
	for _, f := range []string{access, access + "-wal", access + "-shm"} {
		if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("sqlite: the old access log's entries are in the audit log now; remove %s: %w", f, err)
		}
	}
	db.log.Info("sqlite: the old access log's entries moved into the audit log", "entries", n, "file", filepath.Base(access))
	return nil
}

// accessLogPath is the old access log of the database at path.
func accessLogPath(path string) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-access" + ext
}
