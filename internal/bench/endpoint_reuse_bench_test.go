package bench_test

import (
	"testing"

	"github.com/valyala/fasthttp"
)

// BenchmarkReusedCtx calls the hot endpoints as the server does, with one request
// context reused from call to call (the server pools them), so allocs/op are the
// endpoints' own rather than a fresh context's header and body buffers.
func BenchmarkReusedCtx(b *testing.B) {
	e := newEndpoint(b, 5000)
	run := func(b *testing.B, method, token string, path func(i int) string, body func(i int) []byte) {
		var c fasthttp.RequestCtx
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			c.Request.Reset()
			c.Response.Reset()
			c.Request.Header.SetMethod(method)
			c.Request.SetRequestURI(path(i))
			c.Request.Header.Set("Authorization", "Bearer "+token)
			if body != nil {
				c.Request.Header.SetContentType("application/json")
				c.Request.SetBody(body(i))
			}
			e.handler(&c)
			if c.Response.StatusCode() != 200 {
				b.Fatalf("%s %s → %d %s", method, path(i), c.Response.StatusCode(), c.Response.Body())
			}
		}
	}
	paths := make([]string, len(e.ids))
	for i, id := range e.ids {
		paths[i] = "/api/guests/" + id + "/recognition"
	}
	b.Run("lookup", func(b *testing.B) {
		run(b, "POST", e.desk, func(int) string { return "/api/guests/lookup" }, func(i int) []byte { return e.docs[i%len(e.docs)] })
	})
	b.Run("recognition", func(b *testing.B) {
		run(b, "GET", e.desk, func(i int) string { return paths[i%len(paths)] }, nil)
	})
	b.Run("housekeeping", func(b *testing.B) {
		run(b, "GET", e.board, func(int) string { return "/api/housekeeping" }, nil)
	})
}
