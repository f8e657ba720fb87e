package web

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// A browser that meets an error outside the staff pages (a mistyped address, a form's
// address opened again) gets a styled page that says what happened, not a bare title;
// API clients still get problem+json.
func TestErrorPageForBrowsers(t *testing.T) {
	app := NewApp(slog.New(slog.NewTextHandler(io.Discard, nil)))
	app.Post("/frontdesk/lookup", func(c *fiber.Ctx) error { return nil })
	for path, want := range map[string]string{
		"/frontdesk/nope":   "There is no page at this address.",
		"/frontdesk/lookup": "This address only answers a form.",
	} {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
		resp, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		page := string(body)
		if resp.StatusCode < 400 || !strings.Contains(page, want) || !strings.Contains(page, ShellStaticPrefix+"/shell.css") ||
			!strings.Contains(page, `class="card narrow"`) {
			t.Errorf("GET %s: %d\n%s", path, resp.StatusCode, page)
		}
	}
	req := httptest.NewRequest("GET", "/api/nope", nil)
	req.Header.Set("Accept", "text/html")
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 404 || ct != "application/problem+json" {
		t.Errorf("GET /api/nope: %d %s", resp.StatusCode, ct)
	}
}

// The request log names the route pattern; a request that matched none is logged as
// route=(none), not as "/" (which read as if the root page were missing).
func TestRequestLogUnmatchedRoute(t *testing.T) {
	var buf strings.Builder
	app := NewApp(slog.New(slog.NewTextHandler(&buf, nil)))
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString("home") })
	app.Get("/guests/:id", func(c *fiber.Ctx) error { return c.SendString("guest") })
	for _, path := range []string{"/favicon.ico", "/", "/guests/g_1"} {
		if _, err := app.Test(httptest.NewRequest("GET", path, nil), -1); err != nil {
			t.Fatal(err)
		}
	}
	log := buf.String()
	for _, want := range []string{"route=(none) status=404", "route=/ status=200", "route=/guests/:id status=200"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}
