// Package browsertest starts headless Chromium for the browser tests and saves their
// screenshots. Browser tests never skip: without Chromium they fail with the command
// that installs it.
package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Timeout bounds everything a test does in its browser tab.
const Timeout = 30 * time.Second

// Install is the command that installs Chromium (and a font with Chinese glyphs) for
// the browser tests.
const Install = "apt-get install -y --no-install-recommends chromium fonts-wqy-microhei"

// Chromium returns the path of the Chromium binary: $REGULARS_CHROMIUM,
// /usr/lib/chromium/chromium or /usr/bin/chromium, the first executable file. It fails
// the test with the install command when there is none.
func Chromium(t testing.TB) string {
	t.Helper()
	places := []string{os.Getenv("REGULARS_CHROMIUM"), "/usr/lib/chromium/chromium", "/usr/bin/chromium"}
	for _, p := range places {
		if st, err := os.Stat(p); p != "" && err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	t.Fatalf("Chromium is needed for the browser tests and was not found at %s (or $REGULARS_CHROMIUM=%q). "+
		"Install it with: make browser  (or: %s)", strings.Join(places[1:], " or "), places[0], Install)
	return ""
}

// New starts a headless Chromium for t with a width×height window and viewport, and
// returns its tab's context, which ends after Timeout or when the test ends.
func New(t testing.TB, width, height int) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(cancelTab)
	// The first action starts the browser, which lives as long as the context it runs
	// on: that one has no timeout.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	t.Cleanup(cancel)
	return tctx
}

// screenshotDir is where browser tests leave screenshots for people to look at:
// $REGULARS_SCREENSHOTS, or testdata/screenshots (git-ignored) in the test's package.
func screenshotDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("REGULARS_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Screenshot saves the whole page in ctx as NAME.png in $REGULARS_SCREENSHOTS, or in
// testdata/screenshots (git-ignored) of the test's package.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(screenshotDir(t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// Do runs steps in ctx; on error it fails the test naming what it did and the page's
// address.
func Do(t testing.TB, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("%s (at %s): %v", what, loc, err)
	}
}

// Text returns the text of the first element matching the CSS selector sel.
func Text(t testing.TB, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// SignIn signs a staff member in through the sign-in page at base/login and waits for
// the page that names who is signed in.
func SignIn(t testing.TB, ctx context.Context, base, name, password string) {
	t.Helper()
	Do(t, ctx, "sign in as "+name,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), name),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("sign-in")),
		chromedp.WaitVisible(chromedp.CSS(".who-name")))
}
