package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/preferences"
)

// The request line is exactly what log.Info("request", method, route, status, ms, actor,
// role) writes with the same handler (time and latency pinned to compare), and nothing
// when the handler does not log at Info.
func TestRequestLogLine(t *testing.T) {
	opts := &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		switch a.Key {
		case slog.TimeKey:
			return slog.Time(a.Key, time.Date(2026, 11, 24, 22, 10, 0, 0, time.UTC))
		case "ms":
			return slog.Float64("ms", 1.25)
		}
		return a
	}}
	var got, want strings.Builder
	app := NewApp(slog.New(slog.NewTextHandler(&got, opts)))
	clerk := preferences.Actor{Name: `李 娜 "desk"`, Role: preferences.RoleFrontDesk}
	api := app.Group("/api", func(c *fiber.Ctx) error { SetActor(c, clerk); return c.Next() })
	api.Get("/guests/:id", func(c *fiber.Ctx) error {
		if c.Params("id") == "g_gone" {
			return preferences.Errorf(preferences.ENOTFOUND, "No such guest.")
		}
		return c.SendString("ok")
	})
	app.Get("/open", func(c *fiber.Ctx) error { return fiber.NewError(fiber.StatusTeapot, "tea") })
	for _, path := range []string{"/api/guests/g_1", "/api/guests/g_gone", "/open", "/nope?doc=123"} {
		if _, err := app.Test(httptest.NewRequest("GET", path, nil), -1); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(&want, opts))
	actor := []any{"client", "0.0.0.0", "actor", clerk.Name, "role", string(clerk.Role)}
	log.Info("request", append([]any{"method", "GET", "route", "/api/guests/:id", "status", 200, "ms", 0.0}, actor...)...)
	log.Info("request", append([]any{"method", "GET", "route", "/api/guests/:id", "status", 404, "ms", 0.0}, actor...)...)
	log.Info("request", "method", "GET", "route", "/open", "status", 418, "ms", 0.0, "client", "0.0.0.0")
	log.Info("request", "method", "GET", "route", NoRoute, "status", 404, "ms", 0.0, "client", "0.0.0.0")
	if got.String() != want.String() {
		t.Errorf("request log:\n%s\nwant:\n%s", got.String(), want.String())
	}

	var quiet strings.Builder
	app = NewApp(slog.New(slog.NewTextHandler(&quiet, &slog.HandlerOptions{Level: slog.LevelWarn})))
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString("home") })
	if _, err := app.Test(httptest.NewRequest("GET", "/", nil), -1); err != nil {
		t.Fatal(err)
	}
	if quiet.Len() != 0 {
		t.Errorf("logged below the handler's level: %s", quiet.String())
	}
}

// Every response carries the security headers once each; a handler can still override one.
func TestSecurityHeaders(t *testing.T) {
	app := NewApp(slog.New(slog.DiscardHandler))
	app.Get("/api/x", func(c *fiber.Ctx) error { return c.SendString("x") })
	app.Get("/page", func(c *fiber.Ctx) error { c.Set("Referrer-Policy", "same-origin"); return c.SendString("p") })
	for path, referrer := range map[string]string{"/api/x": "no-referrer", "/page": "same-origin", "/nope": "no-referrer"} {
		resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": referrer, "X-Frame-Options": "DENY"}
		for k, v := range want {
			if got := resp.Header.Values(k); len(got) != 1 || got[0] != v {
				t.Errorf("GET %s: %s = %q, want %q", path, k, got, v)
			}
		}
	}
}

// The log records the status actually sent, also for an error the handler returned
// that Fiber alone would have logged as 200: an unexpected error (500), a storage
// failure (503, with Retry-After and its own problem type) and bad input (422).
func TestRequestLogStatusSent(t *testing.T) {
	var logs strings.Builder
	app := NewApp(slog.New(slog.NewTextHandler(&logs, nil)))
	app.Post("/api/broken", func(c *fiber.Ctx) error { return errors.New("disk image is malformed") })
	app.Post("/api/busy", func(c *fiber.Ctx) error {
		return preferences.Unavailable(preferences.ReasonBusy, "The database is busy.", errors.New("database is locked"))
	})
	app.Post("/api/bad", func(c *fiber.Ctx) error { return preferences.FieldErr("name", "is required") })
	for path, want := range map[string]int{"/api/broken": 500, "/api/busy": 503, "/api/bad": 422} {
		logs.Reset()
		resp, err := app.Test(httptest.NewRequest("POST", path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != want {
			t.Errorf("POST %s: status %d, want %d", path, resp.StatusCode, want)
		}
		line := logs.String()
		if !strings.Contains(line, "msg=request") || !strings.Contains(line, fmt.Sprintf(" status=%d ", want)) {
			t.Errorf("POST %s: log %q does not record status %d", path, line, want)
		}
		if want == 503 {
			var p Problem
			if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
				t.Fatal(err)
			}
			if resp.Header.Get("Retry-After") != "2" || p.Type != ProblemType+"storage-busy" || strings.Contains(p.Detail, "locked") {
				t.Errorf("busy: Retry-After %q, problem %+v", resp.Header.Get("Retry-After"), p)
			}
		}
	}
}

// The observer gets every request as the log line has it (route pattern, status sent),
// also when the log is quieter than Info.
func TestRequestObserver(t *testing.T) {
	type seen struct {
		method, route string
		status        int
	}
	var got []seen
	app := NewAppWith(slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn})), AppConfig{
		Observe: func(method, route string, status int, took time.Duration) {
			if took <= 0 {
				t.Errorf("%s %s took %v", method, route, took)
			}
			got = append(got, seen{method, route, status})
		}})
	app.Get("/api/guests/:id", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Post("/api/bad", func(c *fiber.Ctx) error { return preferences.FieldErr("name", "is required") })
	for _, r := range []struct{ method, path string }{{"GET", "/api/guests/g_1"}, {"POST", "/api/bad"}, {"GET", "/nope/g_2"}} {
		if _, err := app.Test(httptest.NewRequest(r.method, r.path, nil), -1); err != nil {
			t.Fatal(err)
		}
	}
	want := []seen{{"GET", "/api/guests/:id", 200}, {"POST", "/api/bad", 422}, {"GET", NoRoute, 404}}
	if !slices.Equal(got, want) {
		t.Errorf("observed %v, want %v", got, want)
	}
}
