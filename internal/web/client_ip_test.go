package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// The client's address is the peer's unless the peer is a trusted proxy; then it is the
// first X-Forwarded-For hop, from the right, that is not a trusted proxy, so that what a
// client writes into the header itself is never believed. The log records that address.
func TestClientIPBehindTrustedProxies(t *testing.T) {
	for _, c := range []struct {
		name, trusted string
		forwarded     []string
		want          string
	}{
		{"no proxy trusted: the header is ignored", "", []string{"203.0.113.7"}, "0.0.0.0"},
		{"the peer is not a trusted proxy", "10.0.0.0/8", []string{"203.0.113.7"}, "0.0.0.0"},
		{"one trusted proxy", "0.0.0.0", []string{"203.0.113.7"}, "203.0.113.7"},
		{"a spoofed hop left of the real client", "0.0.0.0", []string{"6.6.6.6, 203.0.113.7"}, "203.0.113.7"},
		{"two proxies, the inner one trusted too", "0.0.0.0/32, 10.0.0.0/8", []string{"6.6.6.6, 203.0.113.7, 10.1.2.3"}, "203.0.113.7"},
		{"the header sent twice", "0.0.0.0,10.0.0.0/8", []string{"6.6.6.6", "203.0.113.7, 10.1.2.3"}, "203.0.113.7"},
		{"a malformed hop stops the walk", "0.0.0.0,10.0.0.0/8", []string{"203.0.113.7, junk, 10.1.2.3"}, "10.1.2.3"},
		{"only proxies", "0.0.0.0,10.0.0.0/8", []string{"10.9.9.9"}, "10.9.9.9"},
		{"IPv6", "0.0.0.0", []string{"2001:db8::7"}, "2001:db8::7"},
	} {
		t.Run(c.name, func(t *testing.T) {
			trusted, err := ParseProxies(c.trusted)
			if err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			app := NewApp(slog.New(slog.NewTextHandler(&logs, nil)), trusted...)
			app.Get("/ip", func(c *fiber.Ctx) error { return c.SendString(ClientIP(c)) })
			req := httptest.NewRequest("GET", "/ip", nil)
			for _, h := range c.forwarded {
				req.Header.Add("X-Forwarded-For", h)
			}
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if string(body) != c.want {
				t.Errorf("client %q, want %q", body, c.want)
			}
			if !strings.Contains(logs.String(), "client="+c.want) {
				t.Errorf("the log does not name the client %s: %s", c.want, logs.String())
			}
		})
	}
}

func TestParseProxies(t *testing.T) {
	if _, err := ParseProxies("10.0.0.0/8, 192.168.1.4, ::1"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.local", "10.0.0"} {
		if _, err := ParseProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
