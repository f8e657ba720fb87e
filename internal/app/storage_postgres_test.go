package app_test

import (
	"context"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"regulars/internal/testkit"
	"regulars/preferences"
)

// postgresOnly skips, on SQLite, the PostgreSQL equivalent of an SQLite storage test.
func postgresOnly(t *testing.T, sqliteTest string) {
	t.Helper()
	if testkit.Engine() != "postgres" {
		t.Skip("PostgreSQL only: on SQLite, " + sqliteTest)
	}
}

// TestAnotherWriteLockPostgres is TestAnotherWriteLock on PostgreSQL: while another
// session (another program, a migration by hand) holds a lock that blocks writes to the
// guests, a write waits at most the lock timeout and answers 503 storage-busy with
// Retry-After; reads go on. When the lock is released, writes work again.
func TestAnotherWriteLockPostgres(t *testing.T) {
	postgresOnly(t, "TestAnotherWriteLock")
	def, _ := testkit.Start(t, nil)
	var wait string
	if err := testkit.QueryRow(t, def, `SHOW lock_timeout`).Scan(&wait); err != nil || wait != "5s" {
		t.Errorf("lock_timeout by default = %q (%v), want 5s", wait, err)
	}
	cfg := testkit.Config(t)
	cfg.DBPath += "&lock_timeout=100" // ms; by default the engine waits 5 s, as SQLite's busy timeout
	a, logs := testkit.Start(t, &cfg)
	token := testkit.Token(t, a, preferences.RoleFrontDesk)
	ctx := context.Background()
	other, err := pgx.Connect(ctx, cfg.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	tx, err := other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `LOCK TABLE guests IN EXCLUSIVE MODE`); err != nil { // reads are still allowed
		t.Fatal(err)
	}
	wantUnavailable(t, testkit.Call(t, a, "POST", "/api/guests", token, testGuest), preferences.ReasonBusy, "write behind the lock")
	if !strings.Contains(logs.String(), "route=/api/guests status=503") {
		t.Errorf("the request log does not record the 503 sent:\n%s", logs)
	}
	if r := testkit.Call(t, a, "GET", "/api/guests?q=x", token, nil); r.Status != 200 {
		t.Errorf("a read behind the lock: %d %s", r.Status, r.Body)
	}
	wantHealth(t, a, "", "a table locked: the database still reads and writes")
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if r := testkit.Call(t, a, "POST", "/api/guests", token, testGuest); r.Status != 201 {
		t.Fatalf("write after the lock: %d %s", r.Status, r.Body)
	}
}

// TestDatabaseServerUnreachable is, on PostgreSQL, what a failed disk is to SQLite: the
// server cannot be reached (it stopped, the network failed). /healthz answers 503
// storage-failed, and so do a read and a write, with Retry-After, never 500; once the
// server is reachable again, the service works again without a restart.
func TestDatabaseServerUnreachable(t *testing.T) {
	postgresOnly(t, "TestHealthzOnACorruptedCopy and TestHealthzOnAFullDisk")
	cfg := testkit.Config(t)
	u, err := url.Parse(cfg.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, u.Host)
	u.Host = p.addr
	cfg.DBPath = u.String()
	a, logs := testkit.Start(t, &cfg)
	token := testkit.Token(t, a, preferences.RoleFrontDesk)
	wantHealth(t, a, "", "server reachable")

	p.cut()
	wantHealth(t, a, preferences.ReasonFailed, "server unreachable")
	wantUnavailable(t, testkit.Call(t, a, "POST", "/api/guests", token, testGuest), preferences.ReasonFailed, "write")
	wantUnavailable(t, testkit.Call(t, a, "GET", "/api/guests?q=x", token, nil), preferences.ReasonFailed, "read")
	if strings.Contains(logs.String(), "status=500") {
		t.Errorf("a request answered 500:\n%s", logs)
	}

	p.resume(t)
	wantHealth(t, a, "", "server reachable again")
	if r := testkit.Call(t, a, "POST", "/api/guests", token, testGuest); r.Status != 201 {
		t.Fatalf("write once the server is back: %d %s", r.Status, r.Body)
	}
}

// proxy forwards TCP connections on 127.0.0.1 to target, until it is cut.
type proxy struct {
	target, addr string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	p := &proxy{target: target}
	p.listen(t, "127.0.0.1:0")
	t.Cleanup(p.cut)
	return p
}

func (p *proxy) listen(t *testing.T, addr string) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
}

// cut closes the listener and every connection: the server is unreachable.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// resume listens again on the same address.
func (p *proxy) resume(t *testing.T) { p.listen(t, p.addr) }
