package postgres

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"

	"regulars/internal/pgtest"
)

// childEnv, when set, makes the test binary an instance that opens the database it
// names with the counted migrations, for TestSeparateProcessesApplyEachMigrationOnce.
const childEnv = "REGULARS_PG_MIGRATE_CHILD"

func TestMain(m *testing.M) {
	if url := os.Getenv(childEnv); url != "" {
		db, err := Open(context.Background(), url, Options{migrations: counted})
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		db.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// counted are migrations that each record in runs that they ran.
var counted = fstest.MapFS{
	"0001_runs.sql":   {Data: []byte("CREATE TABLE runs (migration integer NOT NULL);\nINSERT INTO runs VALUES (1);")},
	"0002_guests.sql": {Data: []byte("CREATE TABLE guests (id text PRIMARY KEY);\nINSERT INTO runs VALUES (2);")},
	"0010_names.sql":  {Data: []byte("ALTER TABLE guests ADD COLUMN name text;\nINSERT INTO runs VALUES (10);")},
}

func TestMigrationsAppliedOnceAndRecorded(t *testing.T) {
	url := pgtest.URL(t)
	db := open(t, url, counted)
	want := []string{"0001_runs.sql", "0002_guests.sql", "0010_names.sql"}
	if got := applied(t, db); !reflect.DeepEqual(got, want) {
		t.Fatalf("recorded %v, want %v", got, want)
	}
	at := appliedAt(t, db)
	db.Close()

	db = open(t, url, counted)
	if got := appliedAt(t, db); !reflect.DeepEqual(got, at) {
		t.Errorf("a second start recorded %v, want the first start's %v untouched", got, at)
	}
	checkRanOnce(t, db, 1, 2, 10)

	more := fstest.MapFS{"0011_notes.sql": {Data: []byte("CREATE TABLE notes (body text);\nINSERT INTO runs VALUES (11);")}}
	maps.Copy(more, counted)
	db = open(t, url, more)
	checkRanOnce(t, db, 1, 2, 10, 11)
}

// Instances that start together on a new database: each waits for the migration lock
// (the test holds it until all of them wait, so that they really do start together),
// then each migration runs once in all, and every instance opens.
func TestInstancesStartingAtOnceApplyEachMigrationOnce(t *testing.T) {
	url := pgtest.URL(t)
	startTogether(t, url, 5, func() error {
		db, err := Open(context.Background(), url, Options{migrations: counted})
		if err == nil {
			db.Close()
		}
		return err
	})
}

// The same with separate processes, as instances of the service on several machines:
// this test binary, started again as an instance (see TestMain).
func TestSeparateProcessesApplyEachMigrationOnce(t *testing.T) {
	url := pgtest.URL(t)
	startTogether(t, url, 3, func() error {
		child := exec.Command(os.Args[0], "-test.run=^$")
		child.Env = append(os.Environ(), childEnv+"="+url)
		if out, err := child.CombinedOutput(); err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		return nil
	})
}

// A migration that fails leaves none of its changes and no record, stops the start
// with an error naming its file, and runs again at the next start.
func TestBrokenMigrationLeavesNothingHalfApplied(t *testing.T) {
	url := pgtest.URL(t)
	broken := fstest.MapFS{
		"0001_runs.sql":   counted["0001_runs.sql"],
		"0002_guests.sql": {Data: []byte("CREATE TABLE guests (id text PRIMARY KEY);\nINSERT INTO runs VALUES (2);\nINSERT INTO nowhere VALUES (1);")},
	}
	_, err := Open(context.Background(), url, Options{migrations: broken})
	if err == nil || !strings.Contains(err.Error(), "0002_guests.sql") {
		t.Fatalf("Open = %v, want an error naming 0002_guests.sql", err)
	}
	db := open(t, url, fstest.MapFS{"0001_runs.sql": counted["0001_runs.sql"]})
	if got := applied(t, db); !reflect.DeepEqual(got, []string{"0001_runs.sql"}) {
		t.Errorf("recorded %v, want only 0001_runs.sql", got)
	}
	var table bool
	if err := db.SQL().QueryRow(`SELECT to_regclass('guests') IS NOT NULL`).Scan(&table); err != nil || table {
		t.Errorf("the broken migration's table is there: %v (%v)", table, err)
	}
	checkRanOnce(t, db, 1)
	checkRanOnce(t, open(t, url, counted), 1, 2, 10)
}

// A database whose number 2 is another file than this build's stops the start: two
// branches gave the same number to different migrations.
func TestRecordedMigrationUnderAnotherName(t *testing.T) {
	url := pgtest.URL(t)
	open(t, url, counted)
	other := fstest.MapFS{"0001_runs.sql": counted["0001_runs.sql"], "0002_rooms.sql": {Data: []byte("SELECT 1")}}
	_, err := Open(context.Background(), url, Options{migrations: other})
	if err == nil || !strings.Contains(err.Error(), "0002_rooms.sql") || !strings.Contains(err.Error(), "0002_guests.sql") {
		t.Errorf("Open = %v, want an error naming both files", err)
	}
}

func TestMigrationFileNames(t *testing.T) {
	for _, tc := range []struct {
		files fstest.MapFS
		err   string // "" when the list is good
	}{
		{fstest.MapFS{"0002_b.sql": {}, "0001_a.sql": {}, "README.md": {}}, ""},
		{fstest.MapFS{"1_a.sql": {}}, "1_a.sql: name it NNNN_name.sql"},
		{fstest.MapFS{"0001_Guests.sql": {}}, "0001_Guests.sql: name it NNNN_name.sql"},
		{fstest.MapFS{"0001_a.sql": {}, "0001_b.sql": {}}, "0001_a.sql and 0001_b.sql have the same number"},
	} {
		list, err := migrations(tc.files)
		if tc.err == "" && (err != nil || len(list) != 2 || list[0].file != "0001_a.sql" || list[1].version != 2) {
			t.Errorf("%v: %v, %v; want 0001_a.sql then 0002_b.sql", tc.files, list, err)
		}
		if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%v: %v, want an error with %q", tc.files, err, tc.err)
		}
	}
}

// The embedded migrations apply on a new database; the pool is sized by default or by
// the URL.
func TestOpenWithTheEmbeddedMigrations(t *testing.T) {
	url := pgtest.URL(t)
	db := open(t, url, nil)
	files, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if got := applied(t, db); len(got) != len(files) {
		t.Errorf("recorded %v, want the %d embedded migrations", got, len(files))
	}
	if got, want := db.Pool().Config().MaxConns, int32(max(4, 4*runtime.NumCPU())); got != want {
		t.Errorf("pool of %d connections, want %d", got, want)
	}
	if got := open(t, url+"&pool_max_conns=3", nil).Pool().Config().MaxConns; got != 3 {
		t.Errorf("pool_max_conns=3 gave a pool of %d", got)
	}
}

// A malformed URL is refused without repeating it: it may hold a password.
func TestMalformedURLNotRepeated(t *testing.T) {
	_, err := Open(context.Background(), "postgres://regulars:s3cret-pw@db.example:notaport/regulars", Options{})
	if err == nil || strings.Contains(err.Error(), "s3cret-pw") {
		t.Errorf("Open = %v, want an error without the password", err)
	}
}

// open opens url with the migrations of fsys (the embedded ones when nil), closed at the
// end of the test.
func open(t *testing.T, url string, fsys fs.FS) *DB {
	t.Helper()
	db, err := Open(context.Background(), url, Options{migrations: fsys})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// startTogether runs n instances of start at once while the test holds the migration
// lock, lets them go once all n wait for it, and checks that each succeeded and that
// each counted migration ran once in all.
func startTogether(t *testing.T, url string, n int, start func() error) {
	t.Helper()
	ctx := context.Background()
	holder, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(ctx)
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, n)
	for range n {
		go func() { done <- start() }()
	}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(time.Minute)
	for waiting := 0; waiting < n; {
		select {
		case err := <-done: // it never waited for the lock
			t.Fatalf("an instance finished while the test held the migration lock: %v", err)
		case <-deadline:
			t.Fatalf("%d of %d instances wait for the migration lock after a minute", waiting, n)
		case <-tick.C:
			if err := holder.QueryRow(ctx, `SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
				WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()`).Scan(&waiting); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_unlock($1)`, migrationLock); err != nil {
		t.Fatal(err)
	}
	for range n {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	checkRanOnce(t, open(t, url, counted), 1, 2, 10)
}

// applied lists the recorded migrations in order.
func applied(t *testing.T, db *DB) []string {
	t.Helper()
	rows, _ := db.Pool().Query(context.Background(), `SELECT name FROM schema_migrations ORDER BY version`)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// appliedAt maps the recorded migrations to when they were applied.
func appliedAt(t *testing.T, db *DB) map[string]time.Time {
	t.Helper()
	rows, _ := db.Pool().Query(context.Background(), `SELECT name, applied_at FROM schema_migrations`)
	at := map[string]time.Time{}
	var name string
	var when time.Time
	if _, err := pgx.ForEachRow(rows, []any{&name, &when}, func() error { at[name] = when; return nil }); err != nil {
		t.Fatal(err)
	}
	return at
}

// checkRanOnce checks that each of the counted migrations ran once, and no other.
func checkRanOnce(t *testing.T, db *DB, want ...int) {
	t.Helper()
	rows, _ := db.Pool().Query(context.Background(), `SELECT migration FROM runs ORDER BY migration`)
	got, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the migrations ran as %v, want once each of %v", got, want)
	}
}
