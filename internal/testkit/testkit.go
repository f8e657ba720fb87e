// Package testkit starts the real service on a fresh database (an SQLite file, or a
// PostgreSQL database when REGULARS_TEST_ENGINE=postgres) for tests and offers small
// helpers to call its HTTP API.
package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"regulars/internal/app"
	"regulars/internal/shiftclock"
	"regulars/preferences"
)

// Secret is the service secret of test instances.
var Secret = []byte("test-secret-0123456789abcdef")

// Config returns a resolved configuration on a fresh database in t's temp dir.
func Config(t testing.TB) app.Config {
	t.Helper()
	cfg := app.FromEnv(func(string) string { return "" })
	cfg.DBPath = Database(t)
	cfg.Secret = Secret
	cfg.StoreClock = shiftclock.New()
	cfg.Location, _ = time.LoadLocation("Asia/Shanghai")
	if err := cfg.Resolve(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Start builds the service on cfg (Config(t) when nil) and closes it when the test ends.
// Logs go to the returned buffer.
func Start(t testing.TB, cfg *app.Config) (*app.App, *LogBuffer) {
	t.Helper()
	if cfg == nil {
		c := Config(t)
		cfg = &c
	}
	logs := &LogBuffer{}
	a, err := app.New(*cfg, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, logs
}

// Token creates an API token for role.
func Token(t testing.TB, a *app.App, role preferences.Role) string {
	t.Helper()
	tok, err := a.Store.CreateToken(context.Background(), role, "test "+string(role))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Response is a finished API call.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on error.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r Response) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// Call sends a request to the app. body may be nil, a string/[]byte sent as is, or a
// value encoded as JSON. token may be empty.
func Call(t testing.TB, a *app.App, method, path, token string, body any) Response {
	t.Helper()
	return Do(t, a, Request(t, method, path, token, body))
}

// Request builds the request Call sends, for a test that adds headers or sends it from
// another goroutine (with Send).
func Request(t testing.TB, method, path, token string, body any) *http.Request {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewReader([]byte(b))
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(enc)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// Send sends req to the app and reads the answer; it is safe from any goroutine.
func Send(a *app.App, req *http.Request) (Response, error) {
	resp, err := a.HTTP.Test(req, -1)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, err
}

// LogBuffer collects log output safely from many goroutines.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything logged so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Serve serves the app on a 127.0.0.1 listener until the test ends and returns its base URL.
func Serve(t testing.TB, a *app.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}
