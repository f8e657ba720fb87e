package web

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"regulars/preferences"
)

// SendJSON answers exactly as c.JSON does: same status, headers and body; an encoding
// error goes to the error handler like c.JSON's.
func TestSendJSONAsCJSON(t *testing.T) {
	app := NewApp(slog.New(slog.NewTextHandler(io.Discard, nil)))
	card := preferences.Recognition{
		Guest:    preferences.Guest{ID: "g_1", FamilyName: "丁", GivenName: "伟", CreatedAt: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)},
		Greeting: "欢迎回来 <丁总> & co",
		Notes:    []preferences.Note{},
	}
	app.Get("/json", func(c *fiber.Ctx) error { return c.JSON(card) })
	app.Get("/send", func(c *fiber.Ctx) error { return SendJSON(c, card.AppendJSON) })
	app.Get("/fail", func(c *fiber.Ctx) error {
		c.Response().SetBodyString("partial")
		return SendJSON(c, func(b []byte) ([]byte, error) { return append(b, "{"...), errors.New("no") })
	})
	call := func(path string) (int, http.Header, string) {
		resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(body)
	}
	ws, wh, wb := call("/json")
	for range 3 { // the pooled body buffer is reused across requests
		gs, gh, gb := call("/send")
		if gs != ws || !reflect.DeepEqual(gh, wh) || gb != wb {
			t.Fatalf("SendJSON: %d %v\n%s\nc.JSON: %d %v\n%s", gs, gh, gb, ws, wh, wb)
		}
	}
	if s, h, b := call("/fail"); s != 500 || h.Get("Content-Type") != "application/problem+json" {
		t.Errorf("failed encoding: %d %v %s", s, h, b)
	}
}
