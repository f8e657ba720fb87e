package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// A backup copies each file of the store (the database, then its access log) with
// SQLite's online backup API from a read-only connection that holds one read transaction
// for the whole copy: every step reads the same snapshot, and in WAL mode the service's
// writes go on beside it (they neither wait for the copy nor restart it). The copy is
// page for page, so it takes the time of reading the file, not of rebuilding it as
// VACUUM INTO does. While it runs, the write-ahead log cannot be emptied past the
// snapshot and grows with the writes made meanwhile.

// backupStepPages is how many pages one step copies (32 MB of 4 KB pages): the progress
// callback runs between steps.
var backupStepPages = 8192

// BackupFile is one file written by Backup.
type BackupFile struct {
	Name  string        // base name, as beside the database
	Bytes int64         // size of the copy
	At    time.Time     // when its snapshot was taken
	Took  time.Duration // how long the copy took, without its check
}

// BackupProgress is told, for the file named, how many bytes of total are copied: once
// with done 0 when the snapshot is taken, then after each step.
type BackupProgress func(name string, done, total int64)

// Backup writes a consistent copy of the database at path, and of its access log when
// there is one, into dir, a folder it creates (mode 0700; the copies 0600). It refuses
// a dir that exists. The copies are written into a temporary folder beside dir, synced
// and renamed to dir at the end: a folder named dir is a complete backup.
func Backup(ctx context.Context, path, dir string, progress BackupProgress) ([]BackupFile, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("sqlite: backup: no database at %s: %w", path, err)
	}
	if err := checkFile(path); err != nil {
		return nil, err
	}
	sources := []string{path}
	if access := accessLogPath(path); fileExists(access) {
		sources = append(sources, access)
	}
	// Refused now rather than after a long copy; os.Rename refuses it again at the end
	// (it never replaces a folder, and rename(2) no file with a folder).
	if _, err := os.Lstat(dir); err == nil {
		return nil, fmt.Errorf("sqlite: backup: %s already exists: give a new folder", dir)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".partial-") // 0700
	if err != nil {
		return nil, fmt.Errorf("sqlite: backup: %w", err)
	}
	files, err := backupInto(ctx, sources, tmp, progress)
	if err == nil {
		err = syncDir(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, dir)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("sqlite: backup: %w", err)
	}
	return files, syncDir(filepath.Dir(dir))
}

func backupInto(ctx context.Context, sources []string, dir string, progress BackupProgress) ([]BackupFile, error) {
	var files []BackupFile
	for _, src := range sources {
		f, err := backupFile(ctx, src, filepath.Join(dir, filepath.Base(src)), progress)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// backupFile copies the database src to the new file dst, from one snapshot.
func backupFile(ctx context.Context, src, dst string, progress BackupProgress) (BackupFile, error) {
	out := BackupFile{Name: filepath.Base(src)}
	drv := &sqlite3.SQLiteDriver{}
	source, err := openConn(drv, fileURI(src)+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return out, fmt.Errorf("open %s: %w", src, err)
	}
	defer source.Close()
	pageSize, err := beginRead(source)
	if err != nil {
		return out, fmt.Errorf("read %s: %w", src, err)
	}
	out.At = time.Now().UTC()
	defer source.Exec("ROLLBACK", nil)

	// SQLite would create the file 0644; created first, it keeps 0600. No journal and no
	// sync by SQLite: a failed copy is thrown away.
	if err := createPrivate(dst); err != nil {
		return out, err
	}
	dest, err := openConn(drv, fileURI(dst)+"?_journal_mode=OFF&_synchronous=OFF")
	if err != nil {
		return out, fmt.Errorf("create %s: %w", dst, err)
	}
	defer dest.Close()
	// Each step's pages are flushed (through a descriptor of our own) before the next:
	// written out at once at the end, the copy's dirty pages held up the service's
	// commits (their fsyncs) on the same disk for 0.7 s at 485 MB.
	flush, err := os.OpenFile(dst, os.O_RDWR, 0)
	if err != nil {
		return out, err
	}
	defer flush.Close()
	b, err := dest.Backup("main", source, "main")
	if err != nil {
		return out, err
	}
	defer b.Close()
	for step := 0; ; step = backupStepPages {
		done, err := b.Step(step) // 0 pages first: learns the size
		if err == nil {
			err = flush.Sync()
		}
		if err != nil {
			return out, fmt.Errorf("copy %s: %w", src, err)
		}
		if progress != nil {
			total := int64(b.PageCount()) * pageSize
			progress(out.Name, total-int64(b.Remaining())*pageSize, total)
		}
		if done {
			break
		}
		if err := ctx.Err(); err != nil {
			return out, err
		}
	}
	if err := errors.Join(b.Close(), dest.Close()); err != nil {
		return out, fmt.Errorf("copy %s: %w", src, err)
	}
	out.Took = time.Since(out.At)
	// The copy is read back whole (its pages are likely still cached), so that a folder
	// named as the backup holds files known to open.
	if err := quickCheck(ctx, dst); err != nil {
		return out, fmt.Errorf("check the copy of %s: %w", src, err)
	}
	out.Bytes, err = syncFile(dst)
	return out, err
}

func openConn(drv *sqlite3.SQLiteDriver, dsn string) (*sqlite3.SQLiteConn, error) {
	c, err := drv.Open(dsn)
	if err != nil {
		return nil, err
	}
	return c.(*sqlite3.SQLiteConn), nil
}

// beginRead opens a read transaction on c and takes its snapshot with a first read of
// the schema, which also gives the page size (for the progress).
func beginRead(c *sqlite3.SQLiteConn) (pageSize int64, err error) {
	if _, err := c.Exec("BEGIN", nil); err != nil {
		return 0, err
	}
	rows, err := c.Query("SELECT count(*), (SELECT page_size FROM pragma_page_size()) FROM sqlite_schema", nil)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	v := make([]driver.Value, 2)
	if err := rows.Next(v); err != nil {
		return 0, err
	}
	n, _ := v[1].(int64)
	if n <= 0 {
		return 0, fmt.Errorf("page size %v", v[1])
	}
	return n, nil
}

func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	return f.Close()
}

// syncFile flushes the file at path to the disk and returns its size.
func syncFile(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return fi.Size(), f.Sync()
}

// syncDir makes the entries of dir (files created, renamed) durable.
func syncDir(dir string) error {
	_, err := syncFile(dir)
	return err
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
