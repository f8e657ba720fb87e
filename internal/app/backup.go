package app

import (
	"context"

	"regulars/preferences/sqlite"
)

// BackupFile is one file a backup copied; BackupProgress is told how the copy goes.
type (
	BackupFile     = sqlite.BackupFile
	BackupProgress = sqlite.BackupProgress
)

// BackupSQLite copies the SQLite database at path into the new folder dir, consistently,
// while the service runs (PostgreSQL is backed up with pg_dump).
func BackupSQLite(ctx context.Context, path, dir string, progress BackupProgress) ([]BackupFile, error) {
	return sqlite.Backup(ctx, path, dir, progress)
}
