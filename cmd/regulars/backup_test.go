package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"regulars/internal/app"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// onLine is a writer that runs fn, once, when a line starting with prefix is written
// to it: the backup writes "copying <file>" to stderr once the file's snapshot is taken.
type onLine struct {
	bytes.Buffer
	prefix string
	fn     func()
}

func (w *onLine) Write(p []byte) (int, error) {
	if w.fn != nil && bytes.HasPrefix(p, []byte(w.prefix)) {
		fn := w.fn
		w.fn = nil
		fn()
	}
	return w.Buffer.Write(p)
}

// guestWriters creates n guests through the API from 4 goroutines; each outcome (nil,
// or what went wrong) arrives on the returned channel. It is unbuffered: a writer waits
// for its outcome to be taken, so at most 4 are done and not yet taken.
func guestWriters(t *testing.T, a *app.App, token string, n int) <-chan error {
	jobs, results := make(chan int), make(chan error)
	go func() {
		for i := range n {
			jobs <- i
		}
		close(jobs)
	}()
	for range 4 {
		go func() {
			for i := range jobs {
				body, _ := json.Marshal(map[string]any{"family_name": fmt.Sprintf("Backup%03d", i), "given_name": "Test",
					"email": fmt.Sprintf("guest%03d@example.com", i), "documents": []map[string]string{{"type": "passport", "number": passport(i)}}})
				r, err := testkit.Send(a, testkit.Request(t, "POST", "/api/guests", token, body))
				if err == nil && r.Status != 201 {
					err = fmt.Errorf("guest %d: %d %s", i, r.Status, r.Body)
				}
				results <- err
			}
		}()
	}
	return results
}

func passport(i int) string { return fmt.Sprintf("E%08d", 4711000+i) }

// await takes n outcomes from results and fails the test on any error. The minute is a
// guard against a backup that blocks the writers, not a timing.
func await(t *testing.T, results <-chan error, n int) {
	t.Helper()
	for range n {
		select {
		case err := <-results:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(time.Minute):
			t.Fatal("the writers are stuck")
		}
	}
}

func countGuests(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM guests`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// openCopy opens a file of the backup read-only and checks it whole.
func openCopy(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var check string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("%s: integrity_check = %q, %v", path, check, err)
	}
	return db
}

// TestBackupWhileWriting backs up a running service while 300 guests are written
// through its API: the writers carry on, unhurt, while the backup holds its snapshot;
// the copy passes integrity_check, holds the guests of one moment, and a service
// started on it with the same secret finds their documents.
func TestBackupWhileWriting(t *testing.T) {
	sqliteOnly(t, "the backup copies the SQLite file (on PostgreSQL it advises pg_dump: TestBackupOnPostgresSaysPgDump)")
	cfg := testkit.Config(t)
	a, _ := testkit.Start(t, &cfg)
	desk := testkit.Token(t, a, preferences.RoleFrontDesk)
	env := serviceEnv(t, cfg, map[string]string{"REGULARS_SECRET": string(cfg.Secret)})
	live := a.Store.Pools()["read"]
	results := guestWriters(t, a, desk, 300)
	await(t, results, 100)
	before := countGuests(t, live)

	var atSnapshot, during int
	stderr := &onLine{prefix: "copying regulars.db", fn: func() {
		atSnapshot = countGuests(t, live)
		await(t, results, 20) // at most 4 of them were committed before the snapshot
		during = countGuests(t, live)
	}}
	dir := filepath.Join(t.TempDir(), "backup-1")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"backup", dir, "--db", cfg.DBPath}, env, &out, stderr); err != nil {
		t.Fatal(err, stderr.String())
	}
	await(t, results, 180)
	after := countGuests(t, live)
	if during <= atSnapshot || after != 300 {
		t.Fatalf("guests: %d at the snapshot, %d after 20 more writes during the backup, %d at the end", atSnapshot, during, after)
	}

	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 1 {
		t.Errorf("the backup holds %v (%v), want regulars.db alone (the audit of reads is in it)", entries, err)
	}
	copyDB := openCopy(t, filepath.Join(dir, "regulars.db"))
	if n := countGuests(t, copyDB); n < before || n > atSnapshot {
		t.Errorf("the backup has %d guests, want %d to %d (before it and at its snapshot)", n, before, atSnapshot)
	}
	for _, name := range []string{"", "regulars.db"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if want := map[bool]os.FileMode{true: 0o700, false: 0o600}[name == ""]; err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", name, fi.Mode().Perm(), err, want)
		}
	}
	for _, want := range []string{"regulars.db", "REGULARS_SECRET in the service's environment"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report does not name %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String()+stderr.String(), string(cfg.Secret)) {
		t.Error("the secret was printed")
	}
	restoreAndLookUp(t, dir, cfg.Secret, 200)
	restoreAndLookUp(t, dir, []byte("another-secret-0123456789"), 404)
}

// restoreAndLookUp puts the backup's files in a new data folder, starts the service on
// them with secret and looks up the first guest's passport.
func restoreAndLookUp(t *testing.T, backup string, secret []byte, want int) {
	t.Helper()
	cfg := testkit.Config(t)
	cfg.Secret = secret
	b, err := os.ReadFile(filepath.Join(backup, "regulars.db"))
	if err == nil {
		err = os.WriteFile(cfg.DBPath, b, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	a, _ := testkit.Start(t, &cfg)
	r := testkit.Call(t, a, "POST", "/api/guests/lookup", testkit.Token(t, a, preferences.RoleFrontDesk),
		map[string]string{"document_type": "passport", "document_number": passport(0)})
	if r.Status != want {
		t.Errorf("restored with secret %q: look-up answered %d, want %d", secret[:7], r.Status, want)
	}
}

func TestBackupRefusesAnExistingPath(t *testing.T) {
	sqliteOnly(t, "a backup folder of the SQLite file (on PostgreSQL no folder is made: TestBackupOnPostgresSaysPgDump)")
	cfg := testkit.Config(t)
	testkit.Start(t, &cfg)
	env := serviceEnv(t, cfg, nil)
	parent := t.TempDir()
	file, folder := filepath.Join(parent, "file"), filepath.Join(parent, "folder")
	if err := os.WriteFile(file, []byte("an older backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{file, folder} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), []string{"backup", path}, env, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), "already exists") || out.Len() != 0 {
			t.Errorf("backup to the existing %s: %v, printed %q", path, err, out.String())
		}
	}
	if b, _ := os.ReadFile(file); string(b) != "an older backup" {
		t.Errorf("the existing file now holds %q", b)
	}
	// A missing database is refused too, and leaves nothing behind.
	missing := envOf(map[string]string{"REGULARS_DB": filepath.Join(parent, "none", "regulars.db")})
	if err := run(context.Background(), []string{"backup", filepath.Join(parent, "new")}, missing, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Error("a backup of a missing database succeeded")
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 2 {
		t.Errorf("left in the folder: %v", entries)
	}
}

// sqliteOnly skips, on PostgreSQL, a test of what only an SQLite file has, saying why.
func sqliteOnly(t *testing.T, why string) {
	t.Helper()
	if testkit.Engine() != "sqlite" {
		t.Skip("SQLite only: " + why)
	}
}

// On PostgreSQL the command connects to nothing and prints the pg_dump and pg_restore
// commands, without the URL's password.
func TestBackupOnPostgresSaysPgDump(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var connections atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			connections.Add(1)
			c.Close()
		}
	}()
	host := ln.Addr().String()
	dir := filepath.Join(t.TempDir(), "dump")
	for _, c := range []struct{ env, flag, shown string }{
		{env: "postgres://alice:s3cret-pw@" + host + "/regulars?sslmode=disable", shown: "'postgres://alice@" + host + "/regulars?sslmode=disable'"},
		{flag: "postgresql://alice@" + host + "/regulars?password=s3cret-pw", shown: "'postgresql://alice@" + host + "/regulars'"},
		{env: "postgres://alice:s3cret-pw/x@" + host + "/regulars", shown: "'postgres://USER@HOST:5432/DATABASE'"},
	} {
		args := []string{"backup", dir}
		if c.flag != "" {
			args = append(args, "--db", c.flag)
		}
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, envOf(map[string]string{"REGULARS_DB": c.env}), &out, &errOut)
		msg := errOut.String()
		if err == nil || out.Len() != 0 {
			t.Errorf("%s%s: err %v, stdout %q", c.env, c.flag, err, out.String())
		}
		for _, want := range []string{"pg_dump --format=custom --file='" + dir + "' " + c.shown,
			"pg_restore --clean --if-exists --dbname=" + c.shown + " '" + dir + "'", "PGPASSWORD or ~/.pgpass", "REGULARS_SECRET"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s%s: the advice lacks %q:\n%s", c.env, c.flag, want, msg)
			}
		}
		if strings.Contains(msg+fmt.Sprint(err), "s3cret") {
			t.Errorf("the password was printed:\n%s", msg)
		}
	}
	ln.Close()
	if n := connections.Load(); n != 0 {
		t.Errorf("the command connected %d times", n)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("a PostgreSQL backup created its folder")
	}
}
