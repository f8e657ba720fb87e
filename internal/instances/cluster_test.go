package instances_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql "pgx": the tests read the database directly

	"regulars/internal/app"
	"regulars/internal/smtpsink"
	"regulars/internal/testkit"
)

const secret = "instances-test-secret-0123456789"

// needPostgres skips on the SQLite pass of `make test`: several processes on one
// database is PostgreSQL's case (SQLite is one process). The PostgreSQL pass runs it.
func needPostgres(t *testing.T) {
	t.Helper()
	if testkit.Engine() != "postgres" {
		t.Skip("needs PostgreSQL: runs in make test's PostgreSQL pass (REGULARS_TEST_ENGINE=postgres); SQLite is one process")
	}
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the regulars command once for the package's tests.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "regulars-instances-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "regulars")
		out, err := exec.Command("go", "build", "-o", binPath, "regulars/cmd/regulars").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// TestMain removes the built binary.
func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// cluster is one PostgreSQL database, an SMTP sink, and the instances serving on them.
type cluster struct {
	t    *testing.T
	url  string // REGULARS_DB
	db   *sql.DB
	sink *smtpsink.Sink
	env  map[string]string // the variables every instance gets
}

func newCluster(t *testing.T, env map[string]string) *cluster {
	t.Helper()
	needPostgres(t)
	binary(t) // built before any clock offset is reckoned
	c := &cluster{t: t, url: testkit.Database(t), sink: smtpsink.Start(t)}
	var err error
	if c.db, err = sql.Open("pgx", c.url); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.db.Close() })
	c.env = map[string]string{
		"REGULARS_DB": c.url, "REGULARS_SECRET": secret, "REGULARS_TZ": "UTC",
		"REGULARS_PUBLIC_URL": "https://hotel.example", "REGULARS_HOTEL_NAME": "River Hotel",
		"REGULARS_SMTP_URL": "smtp://" + c.sink.Addr + "?tls=none", "REGULARS_MAIL_FROM": "River Hotel <hello@hotel.example>",
	}
	for k, v := range env {
		c.env[k] = v
	}
	return c
}

// store opens the database in this process (migrating it), for fixtures.
func (c *cluster) store() *app.Store {
	c.t.Helper()
	cfg := app.FromEnv(func(k string) string { return c.env[k] })
	if err := cfg.Resolve(); err != nil {
		c.t.Fatal(err)
	}
	s, err := app.OpenStore(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { s.Close() })
	return s
}

// instance is one `regulars serve` process.
type instance struct {
	name   string
	base   string // http://127.0.0.1:port
	cmd    *exec.Cmd
	exited chan struct{}
	log    string // its output
}

// start starts an instance with extra variables and waits until /healthz answers 200.
func (c *cluster) start(name string, extra map[string]string) *instance {
	c.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		c.t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := c.t.TempDir()
	in := &instance{name: name, base: "http://" + addr, exited: make(chan struct{}), log: filepath.Join(dir, "log")}
	logf, err := os.Create(in.log)
	if err != nil {
		c.t.Fatal(err)
	}
	in.cmd = exec.Command(binary(c.t), "serve")
	in.cmd.Dir = dir // data/ (the .eml outbox beside PostgreSQL) stays in the test's folder
	in.cmd.Stdout, in.cmd.Stderr = logf, logf
	in.cmd.Env = append(os.Environ(), "REGULARS_ADDR="+addr)
	for k, v := range c.env {
		in.cmd.Env = append(in.cmd.Env, k+"="+v)
	}
	for k, v := range extra {
		in.cmd.Env = append(in.cmd.Env, k+"="+v)
	}
	if err := in.cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	go func() { in.cmd.Wait(); logf.Close(); close(in.exited) }()
	c.t.Cleanup(func() {
		in.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-in.exited:
		case <-time.After(15 * time.Second):
			in.cmd.Process.Kill()
			<-in.exited
		}
		if c.t.Failed() {
			b, _ := os.ReadFile(in.log)
			c.t.Logf("%s's output:\n%s", in.name, tail(string(b), 4000))
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-in.exited:
			b, _ := os.ReadFile(in.log)
			c.t.Fatalf("%s exited at start:\n%s", name, b)
		default:
		}
		if r, err := http.Get(in.base + "/healthz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return in
			}
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("%s did not answer /healthz within 30 s", name)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startThree starts three instances at once, the i-th (from 0) with env(i).
func (c *cluster) startThree(env func(i int) map[string]string) [3]*instance {
	c.t.Helper()
	var ins [3]*instance
	var wg sync.WaitGroup
	for i := range ins {
		wg.Go(func() { ins[i] = c.start(fmt.Sprintf("instance %d", i+1), env(i)) })
	}
	wg.Wait()
	if c.t.Failed() {
		c.t.FailNow()
	}
	return ins
}

// kill ends the instance with SIGKILL: no shutdown, no recorded outcome.
func (in *instance) kill(t *testing.T) {
	t.Helper()
	if err := in.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-in.exited
}

// owner is the prefix of the claims the instance's scheduler makes (host:pid:).
func (in *instance) owner() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d:", host, in.cmd.Process.Pid)
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// call makes an API call with a bearer token and returns the status and the decoded body.
func call(t *testing.T, in *instance, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = strings.NewReader(string(b))
	}
	req, err := http.NewRequest(method, in.base+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	if strings.Contains(resp.Header.Get("Content-Type"), "json") && len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s %s: %v: %s", req.Method, req.URL.Path, err, b)
		}
	} else {
		out["html"] = string(b)
	}
	for _, ck := range resp.Cookies() {
		out["cookie:"+ck.Name] = ck.Value
	}
	return resp.StatusCode, out
}

// noRedirects hands back redirects (a sign-in's 303) as they are.
var noRedirects = &http.Client{Timeout: 30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// form posts a form, with a session cookie when given.
func form(t *testing.T, in *instance, path, session string, values url.Values) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", in.base+path, strings.NewReader(values.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", in.base)
	if session != "" {
		req.AddCookie(&http.Cookie{Name: "regulars_staff", Value: session})
	}
	return do(t, req)
}

// page gets a staff page with a session cookie.
func page(t *testing.T, in *instance, path, session string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", in.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "regulars_staff", Value: session})
	status, out := do(t, req)
	html, _ := out["html"].(string)
	return status, html
}

// poll calls cond until it is true, failing after within.
func poll(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// counts reads the outbox's messages by status.
func (c *cluster) counts() map[string]int {
	c.t.Helper()
	rows, err := c.db.Query(`SELECT status, count(*) FROM outreach_messages GROUP BY status`)
	if err != nil {
		c.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			c.t.Fatal(err)
		}
		out[s] = n
	}
	return out
}

func (c *cluster) count(query string, args ...any) int {
	c.t.Helper()
	var n int
	if err := c.db.QueryRow(query, args...).Scan(&n); err != nil {
		c.t.Fatal(err)
	}
	return n
}

var _ = context.Background
