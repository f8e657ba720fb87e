package web

import (
	"io"
	"log/slog"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"regulars/preferences"
)

// BenchmarkRequestShell is what every API request pays outside its handler: the request
// log line (a real TextHandler), security headers, bearer authentication and the role
// check, through Fiber with a reused request context as the server runs it.
func BenchmarkRequestShell(b *testing.B) {
	app := NewApp(slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo})))
	actor := preferences.Actor{Name: "bench clerk", Role: preferences.RoleFrontDesk}
	api := app.Group("/api", Authenticate(BearerToken(func(c *fiber.Ctx, token string) (preferences.Actor, error) {
		return actor, nil
	})))
	api.Get("/guests/:id/recognition", Allow(preferences.RoleFrontDesk, preferences.RoleManager), func(c *fiber.Ctx) error {
		return c.SendString(`{}`)
	})
	h := app.Handler()
	var c fasthttp.RequestCtx
	c.Request.Header.SetMethod("GET")
	c.Request.SetRequestURI("/api/guests/g_01JD6Z7Q3K/recognition")
	c.Request.Header.Set("Authorization", "Bearer 0123456789abcdef0123456789abcdef")
	b.ReportAllocs()
	for b.Loop() {
		h(&c)
		if c.Response.StatusCode() != 200 {
			b.Fatalf("%d %s", c.Response.StatusCode(), c.Response.Body())
		}
		c.Response.Reset()
	}
}
