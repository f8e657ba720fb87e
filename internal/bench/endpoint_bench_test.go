package bench_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"regulars/internal/app"
	"regulars/internal/bench"
	"regulars/internal/benchdata"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// endpoint is the real service on a generated hotel, called in-process through its
// fasthttp handler (no sockets), so that profiles show the endpoints' own cost. It runs
// on the tests' engine (testkit.Engine: REGULARS_TEST_ENGINE=postgres for PostgreSQL).
type endpoint struct {
	handler fasthttp.RequestHandler
	db      string // REGULARS_DB
	desk    string
	board   string
	ids     []string
	docs    [][]byte

	clerkPassword string
}

func newEndpoint(b *testing.B, guests int) *endpoint {
	b.Helper()
	cfg := app.FromEnv(func(string) string { return "" })
	cfg.DBPath = testkit.Database(b)
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
	if err := a.Store.GenerateBench(ctx, benchdata.Options{Guests: guests, Secret: cfg.Secret, Location: cfg.Location}); err != nil {
		b.Fatal(err)
	}
	e := &endpoint{handler: a.HTTP.Handler(), db: cfg.DBPath}
	if e.desk, err = a.Store.CreateToken(ctx, preferences.RoleFrontDesk, "bench"); err != nil {
		b.Fatal(err)
	}
	if e.board, err = a.Store.CreateToken(ctx, preferences.RoleHousekeeping, "bench"); err != nil {
		b.Fatal(err)
	}
	if e.clerkPassword, err = a.Store.CreateUser(ctx, "bench-clerk", preferences.RoleFrontDesk); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < guests; i += guests / 100 {
		d := benchdata.PersonAt(i).Document
		g, err := a.Store.LookupGuest(ctx, preferences.System, d.Type, d.Number)
		if err != nil {
			b.Fatal(err)
		}
		e.ids = append(e.ids, g.ID)
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

// BenchmarkBaselinePK is baseline B (P on PostgreSQL) in-process (one primary-key
// SELECT, a small JSON), on the same database as the endpoints: the floor their figures
// compare with.
func BenchmarkBaselinePK(b *testing.B) {
	e := newEndpoint(b, 5000)
	app, closeDB, err := bench.BaselineApp(e.db)
	if err != nil {
		b.Fatal(err)
	}
	defer closeDB()
	e.handler = app.Handler()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		e.call(b, "GET", "/guests/"+e.ids[i%len(e.ids)], "", nil)
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

// BenchmarkCardPage renders the front desk's recognition card page (html/template)
// for a signed-in clerk.
func BenchmarkCardPage(b *testing.B) {
	e := newEndpoint(b, 5000)
	const host = "127.0.0.1:8080"
	var login fasthttp.RequestCtx
	login.Request.Header.SetMethod("POST")
	login.Request.SetRequestURI("/login")
	login.Request.Header.SetHost(host)
	login.Request.Header.Set("Origin", "http://"+host)
	login.Request.Header.Set("Sec-Fetch-Site", "same-origin")
	login.Request.Header.SetContentType("application/x-www-form-urlencoded")
	login.Request.SetBodyString("name=bench-clerk&password=" + url.QueryEscape(e.clerkPassword))
	e.handler(&login)
	if login.Response.StatusCode() != 303 {
		b.Fatalf("login → %d %s", login.Response.StatusCode(), login.Response.Body())
	}
	var cookies []string
	login.Response.Header.VisitAllCookie(func(_, v []byte) {
		var c fasthttp.Cookie
		if c.ParseBytes(v) == nil {
			cookies = append(cookies, string(c.Key())+"="+string(c.Value()))
		}
	})
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		var c fasthttp.RequestCtx
		c.Request.SetRequestURI("/frontdesk/guests/" + e.ids[i%len(e.ids)])
		c.Request.Header.SetHost(host)
		c.Request.Header.Set("Accept", "text/html")
		c.Request.Header.Set("Cookie", strings.Join(cookies, "; "))
		e.handler(&c)
		if c.Response.StatusCode() != 200 || !bytes.Contains(c.Response.Body(), []byte("<html")) {
			b.Fatalf("card page → %d %.300s", c.Response.StatusCode(), c.Response.Body())
		}
	}
}
