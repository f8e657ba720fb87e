package kiosk

import (
	"bytes"
	"embed"
	"html/template"
	"path"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

//go:embed views/*.html static/*
var assets embed.FS

var pageTmpl = template.Must(template.ParseFS(assets, "views/*.html"))

// contentSecurityPolicy allows only this origin's own script and style: no inline code.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// MountPage registers the /kiosk page and its static files on app.
func (k *Kiosk) MountPage(app fiber.Router) {
	app.Get("/kiosk", pageHeaders, k.page)
	app.Get("/kiosk/static/:name", pageHeaders, serveStatic)
}

func pageHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Content-Security-Policy", contentSecurityPolicy)
	return c.Next()
}

// pageData is what the page template needs; nothing of any guest.
type pageData struct {
	Paired      bool
	PairRefused bool // the pairing token already pairs another device
	IdleSeconds int
	DoneSeconds int
}

// page serves the kiosk app to a paired device; /kiosk?pair=TOKEN pairs it first.
func (k *Kiosk) page(c *fiber.Ctx) error {
	if token := c.Query("pair"); token != "" {
		return k.pair(c, strings.Clone(token))
	}
	_, ok, err := k.DeviceAuth(c)
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if !ok {
		status = fiber.StatusUnauthorized
	}
	return k.render(c, status, pageData{Paired: ok})
}

// render sends the kiosk page with status.
func (k *Kiosk) render(c *fiber.Ctx, status int, data pageData) error {
	data.IdleSeconds, data.DoneSeconds = seconds(k.cfg.IdleTimeout), seconds(k.cfg.DoneAfter)
	var b bytes.Buffer
	if err := pageTmpl.ExecuteTemplate(&b, "kiosk.html", data); err != nil {
		return err
	}
	c.Status(status).Type("html", "utf-8")
	return c.Send(b.Bytes())
}

func seconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return s
}

var staticTypes = map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

// serveStatic serves the page's script and style sheet.
func serveStatic(c *fiber.Ctx) error {
	name := path.Base(c.Params("name"))
	b, err := assets.ReadFile("static/" + name)
	if err != nil {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, staticTypes[path.Ext(name)])
	return c.Send(b)
}
