package bench_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"regulars/internal/app"
	"regulars/internal/bench"
	"regulars/internal/benchdata"
	"regulars/preferences"
)

// endpoint is the real service on a generated hotel, called in-process through its
// fasthttp handler (no sockets), so that profiles show the endpoints' own cost.
type endpoint struct {
	handler fasthttp.RequestHandler
	desk    string
	board   string
	ids     []string
	docs    [][]byte
}

func newEndpoint(b *testing.B, guests int) *endpoint {
	b.Helper()
	cfg := app.FromEnv(func(string) string { return "" })
	cfg.DBPath = filepath.Join(b.TempDir(), "bench.db")
	cfg.Secret = bench.Secret
	cfg.Location, _ = time.LoadLocation(bench.Zone)
	if err := cfg.Resolve(); err != nil {
		b.Fatal(err)
	}
	a, err := app.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	ctx := context.Background()
	if err := benchdata.Generate(ctx, a.DB, benchdata.Options{Guests: guests, Secret: cfg.Secret, Location: cfg.Location}); err != nil {
		b.Fatal(err)
	}
	e := &endpoint{handler: a.HTTP.Handler()}
	if e.desk, err = a.DB.CreateToken(ctx, preferences.RoleFrontDesk, "bench"); err != nil {
		b.Fatal(err)
	}
	if e.board, err = a.DB.CreateToken(ctx, preferences.RoleHousekeeping, "bench"); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < guests; i += guests / 100 {
		var id string
		if err := a.DB.Reader().QueryRow(`SELECT id FROM guests WHERE rowid = ?`, i+1).Scan(&id); err != nil {
			b.Fatal(err)
		}
		d := benchdata.PersonAt(i).Document
		e.ids = append(e.ids, id)
		e.docs = append(e.docs, fmt.Appendf(nil, `{"document_type":%q,"document_number":%q}`, d.Type, d.Number))
	}
	return e
}

func (e *endpoint) call(b *testing.B, method, path, token string, body []byte) {
	var c fasthttp.RequestCtx
	c.Request.Header.SetMethod(method)
	c.Request.SetRequestURI(path)
	c.Request.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		c.Request.Header.SetContentType("application/json")
		c.Request.SetBody(body)
	}
	e.handler(&c)
	if c.Response.StatusCode() != 200 {
		b.Fatalf("%s %s → %d %s", method, path, c.Response.StatusCode(), c.Response.Body())
	}
}

func BenchmarkLookup(b *testing.B) {
	e := newEndpoint(b, 5000)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		e.call(b, "POST", "/api/guests/lookup", e.desk, e.docs[i%len(e.docs)])
	}
}

func BenchmarkRecognition(b *testing.B) {
	e := newEndpoint(b, 5000)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		e.call(b, "GET", "/api/guests/"+e.ids[i%len(e.ids)]+"/recognition", e.desk, nil)
	}
}

func BenchmarkHousekeeping(b *testing.B) {
	e := newEndpoint(b, 5000)
	b.ResetTimer()
	for b.Loop() {
		e.call(b, "GET", "/api/housekeeping", e.board, nil)
	}
}
