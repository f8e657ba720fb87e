package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"regulars/internal/app"
	"regulars/internal/testkit"
	"regulars/preferences"
	"regulars/preferences/sqlite"
)

// wantUnavailable checks a 503 problem with the reason's type and a Retry-After.
func wantUnavailable(t *testing.T, r testkit.Response, reason, step string) {
	t.Helper()
	p := r.Map(t)
	if r.Status != 503 || p["type"] != "https://regulars.example/problems/"+reason || r.Header.Get("Retry-After") == "" {
		t.Fatalf("%s: %d %v Retry-After %q, want 503 %s", step, r.Status, p, r.Header.Get("Retry-After"), reason)
	}
	if d, _ := p["detail"].(string); strings.Contains(d, "/") || strings.Contains(strings.ToUpper(d), "SELECT") {
		t.Errorf("%s: the detail leaks a path or SQL: %q", step, d)
	}
}

// wantHealth checks /healthz: 200 ok, or 503 unavailable with the reason.
func wantHealth(t *testing.T, a *app.App, reason, step string) {
	t.Helper()
	r := testkit.Call(t, a, "GET", "/healthz", "", nil)
	m := r.Map(t)
	if reason == "" {
		if r.Status != 200 || m["status"] != "ok" {
			t.Fatalf("%s: healthz %d %v, want 200 ok", step, r.Status, m)
		}
		return
	}
	if r.Status != 503 || m["status"] != "unavailable" || m["reason"] != reason {
		t.Fatalf("%s: healthz %d %v, want 503 %s", step, r.Status, m, reason)
	}
}

// sqliteFile skips, on PostgreSQL, a test of what only an SQLite file has (its pages,
// its lock, its disk's free space), saying why.
func sqliteFile(t *testing.T, why string) {
	t.Helper()
	if testkit.Engine() != "sqlite" {
		t.Skip("SQLite only: " + why)
	}
}

// sqliteDB is the SQLite engine under a.
func sqliteDB(t *testing.T, a *app.App) *sqlite.DB {
	t.Helper()
	db, ok := a.Store.Repository().(*sqlite.DB)
	if !ok {
		t.Fatalf("the store runs on %s, not SQLite", a.Store.Engine)
	}
	return db
}

var testGuest = map[string]any{"family_name": "丁", "given_name": "伟", "email": "ding@example.com"}

// A data page of a copy of the database is overwritten (not the header): the service
// starts on it at once, the integrity check in the background finds the damage, and
// from then on /healthz answers 503 storage-corrupt and writes are refused; reads of
// sound tables still work, reads of the damaged one answer 503 too, never 500.
func TestHealthzOnACorruptedCopy(t *testing.T) {
	sqliteFile(t, "damages a page of the database file (PostgreSQL's pages are the server's)")
	cfg := testkit.Config(t)
	a, err := app.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	token := testkit.Token(t, a, preferences.RoleManager)
	if r := testkit.Call(t, a, "PUT", "/api/rooms/2102", token, map[string]any{"floor": 21, "view": "river", "bed": "king"}); r.Status != 200 {
		t.Fatal(r.Status, string(r.Body))
	}
	var id string
	for i := range 300 { // enough guests for the table to need pages of its own
		g := map[string]any{"family_name": "Guest", "given_name": fmt.Sprint(i), "email": fmt.Sprintf("g%d@example.com", i)}
		r := testkit.Call(t, a, "POST", "/api/guests", token, g)
		if r.Status != 201 {
			t.Fatal(r.Status, string(r.Body))
		}
		id = r.Map(t)["id"].(string)
	}
	<-sqliteDB(t, a).IntegrityChecked()
	wantHealth(t, a, "", "sound file")
	var root, pageSize int64
	if err := testkit.QueryRow(t, a, `SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_schema WHERE name = 'guests'`).Scan(&root, &pageSize); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	damaged := cfg
	damaged.DBPath = filepath.Join(t.TempDir(), "copy.db")
	body, err := os.ReadFile(cfg.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	if root < 2 || root*pageSize > int64(len(body)) {
		t.Fatalf("guests root page %d of %d bytes", root, len(body))
	}
	for i := range 64 { // the page's header and cell pointers
		body[(root-1)*pageSize+int64(i)] = 0xA5
	}
	if err := os.WriteFile(damaged.DBPath, body, 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	b, logs := testkit.Start(t, &damaged)
	t.Logf("started on the damaged copy in %v", time.Since(start))
	<-sqliteDB(t, b).IntegrityChecked()
	wantHealth(t, b, preferences.ReasonCorrupt, "damaged copy")
	if !strings.Contains(logs.String(), "integrity check failed") {
		t.Errorf("the failed check is not logged:\n%s", logs)
	}
	r := testkit.Call(t, b, "POST", "/api/guests", token, testGuest)
	wantUnavailable(t, r, preferences.ReasonCorrupt, "write on the damaged copy")
	if r := testkit.Call(t, b, "GET", "/api/rooms", token, nil); r.Status != 200 {
		t.Errorf("a read of a sound table: %d %s", r.Status, r.Body)
	}
	if r := testkit.Call(t, b, "GET", "/api/guests/"+id, token, nil); r.Status != 200 {
		t.Logf("read of the damaged table: %d %s", r.Status, r.Body)
		wantUnavailable(t, r, preferences.ReasonCorrupt, "read of the damaged table")
	}
	if strings.Contains(logs.String(), "status=500") {
		t.Errorf("a request answered 500:\n%s", logs)
	}
}

// An empty file where the database should be is refused at start (it is not turned
// into a new, empty hotel), and so is a file that is not an SQLite database.
func TestEmptyOrForeignDatabaseFileRefused(t *testing.T) {
	sqliteFile(t, "a file where the database should be")
	for name, content := range map[string]string{"empty": "", "foreign": "name,email\nDing,ding@example.com\n"} {
		cfg := testkit.Config(t)
		if err := os.WriteFile(cfg.DBPath, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		a, err := app.New(cfg, slog.New(slog.DiscardHandler))
		if err == nil {
			a.Close()
			t.Fatalf("%s: the service started", name)
		}
		if !strings.Contains(err.Error(), cfg.DBPath) || !strings.Contains(err.Error(), "restore it from a backup") {
			t.Errorf("%s: %v", name, err)
		}
		if fi, err := os.Stat(cfg.DBPath); err != nil || fi.Size() != int64(len(content)) {
			t.Errorf("%s: the file was changed: %v %v", name, fi, err)
		}
	}
}

// While another connection (as another process would) holds the write lock, /healthz
// answers 503 storage-busy and a write 503 storage-busy with Retry-After, once the busy
// timeout has passed; reads go on. When the lock is released, both work again.
func TestAnotherWriteLock(t *testing.T) {
	sqliteFile(t, "another process's lock on the file")
	cfg := testkit.Config(t)
	cfg.BusyTimeout = 100 * time.Millisecond
	a, logs := testkit.Start(t, &cfg)
	token := testkit.Token(t, a, preferences.RoleFrontDesk)
	other, err := sql.Open("sqlite3", "file:"+cfg.DBPath+"?_busy_timeout=100")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	wantHealth(t, a, preferences.ReasonBusy, "lock held")
	wantUnavailable(t, testkit.Call(t, a, "POST", "/api/guests", token, testGuest), preferences.ReasonBusy, "write behind the lock")
	if !strings.Contains(logs.String(), "route=/api/guests status=503") {
		t.Errorf("the request log does not record the 503 sent:\n%s", logs)
	}
	if r := testkit.Call(t, a, "GET", "/api/rooms", token, nil); r.Status != 200 {
		t.Errorf("a read behind the lock: %d %s", r.Status, r.Body)
	}
	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	wantHealth(t, a, "", "lock released")
	if r := testkit.Call(t, a, "POST", "/api/guests", token, testGuest); r.Status != 201 {
		t.Fatalf("write after the lock: %d %s", r.Status, r.Body)
	}
}

// A disk with less free space than the store needs makes /healthz answer 503
// storage-full (the store's threshold is raised above any real disk's free space).
func TestHealthzOnAFullDisk(t *testing.T) {
	sqliteFile(t, "the free space of the file's disk (PostgreSQL's disk is the server's, reported as disk_full)")
	a, _ := testkit.Start(t, nil)
	wantHealth(t, a, "", "room on the disk")
	sqliteDB(t, a).MinFree = math.MaxUint64
	wantHealth(t, a, preferences.ReasonFull, "disk full")
	sqliteDB(t, a).MinFree = sqlite.DefaultMinFree
	wantHealth(t, a, "", "room again")
}
