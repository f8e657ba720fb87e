package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"regulars/preferences"
)

//go:embed templates
var shellTemplates embed.FS

//go:embed static
var shellStatic embed.FS

// ShellStaticPrefix is where the shell's CSS and JS are served.
const ShellStaticPrefix = "/static/shell"

// NavLink is one entry of the staff navigation bar.
type NavLink struct {
	Label  string
	Path   string
	Roles  []preferences.Role
	Active bool
}

// Page is what every page template receives as its dot: the shell's data plus the page's
// own Data. In templates use {{.Data.X}} for page values and {{template "csrf" $}} inside
// every form that posts.
type Page struct {
	Title string
	Hotel string
	Staff *preferences.Actor // nil on the login page
	CSRF  string
	Nav   []NavLink
	// Properties are the picker's choices for a group-scope manager of several
	// properties; nil otherwise.
	Properties []PropertyChoice
	Data       any
}

// pageLocal is the shell data a staff middleware leaves for Render.
const pageLocal = "regulars.page"

// Views are page templates rendered inside the shared staff layout.
type Views struct {
	pages map[string]*template.Template
}

// baseFuncs are available in every view.
var baseFuncs = template.FuncMap{
	"join":  strings.Join,
	"upper": strings.ToUpper,
	// chosenProperty reports whether the picker has a property chosen.
	"chosenProperty": func(list []PropertyChoice) bool {
		return slices.ContainsFunc(list, func(p PropertyChoice) bool { return p.Chosen })
	},
	"add": func(a, b int) int { return a + b },
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
}

// ParseViews parses every top-level *.html file of fsys as a page on the shared layout.
// Files whose names start with "_" are partials available to every page. A page file
// defines {{define "content"}}…{{end}}; funcs adds template functions. Parsing happens
// once, at start-up; an error here is a programming error.
func ParseViews(fsys fs.FS, funcs template.FuncMap) (*Views, error) {
	base := template.New("layout").Funcs(baseFuncs).Funcs(funcs)
	if _, err := base.ParseFS(shellTemplates, "templates/*.html"); err != nil {
		return nil, err
	}
	files, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	var partials, pages []string
	for _, f := range files {
		if strings.HasPrefix(f, "_") {
			partials = append(partials, f)
		} else {
			pages = append(pages, f)
		}
	}
	if len(partials) > 0 {
		if _, err := base.ParseFS(fsys, partials...); err != nil {
			return nil, err
		}
	}
	v := &Views{pages: map[string]*template.Template{}}
	for _, p := range pages {
		t, err := template.Must(base.Clone()).ParseFS(fsys, p)
		if err != nil {
			return nil, err
		}
		v.pages[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return v, nil
}

// MustParseViews is ParseViews that panics, for package-level setup.
func MustParseViews(fsys fs.FS, funcs template.FuncMap) *Views {
	v, err := ParseViews(fsys, funcs)
	if err != nil {
		panic(err)
	}
	return v
}

// Render writes the page name with status inside the layout. The shell data (staff
// member, CSRF token, navigation, hotel name) comes from the staff middleware.
func (v *Views) Render(c *fiber.Ctx, status int, name, title string, data any) error {
	t := v.pages[name]
	if t == nil {
		return fmt.Errorf("web: no view %q", name)
	}
	p := Page{Title: title, Data: data}
	if shell, ok := c.Locals(pageLocal).(*Page); ok {
		p.Hotel, p.Staff, p.CSRF, p.Properties = shell.Hotel, shell.Staff, shell.CSRF, shell.Properties
		p.Nav = activeNav(shell.Nav, c.Path())
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

// activeNav copies nav and marks the link whose path is the longest prefix of path
// (so /manager/outreach lights "Outreach", not "Manager").
func activeNav(nav []NavLink, path string) []NavLink {
	out := append([]NavLink(nil), nav...)
	best := -1
	for i, l := range out {
		if (path == l.Path || strings.HasPrefix(path, l.Path+"/")) && (best < 0 || len(l.Path) > len(out[best].Path)) {
			best = i
		}
	}
	if best >= 0 {
		out[best].Active = true
	}
	return out
}

// PageHeaders sets the security headers of HTML pages: a strict CSP (no inline script or
// style, no framing), nosniff, no referrer to other sites, and no caching (pages show guest data).
func PageHeaders(c *fiber.Ctx) error {
	setPageHeaders(c)
	return c.Next()
}

func setPageHeaders(c *fiber.Ctx) {
	c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	// same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form
	// posts, which defeats the Origin check; other sites still get no referrer.
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Cache-Control", "no-store")
}

// Static serves the embedded directory dir of fsys under prefix (e.g. "/static/frontdesk"),
// cached by browsers for an hour.
func Static(r fiber.Router, prefix string, fsys fs.FS, dir string) {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	r.Use(prefix, filesystem.New(filesystem.Config{Root: http.FS(sub), MaxAge: int(time.Hour.Seconds())}))
}
