package frontdesk_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"regulars/internal/app"
	"regulars/preferences"
)

// chromiumPath finds headless Chromium; browser tests fail (never skip) without it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("REGULARS_CHROMIUM"), "/usr/lib/chromium/chromium"} {
		if st, err := os.Stat(p); p != "" && err == nil && !st.IsDir() {
			return p
		}
	}
	t.Fatal("Chromium is needed for the browser tests and was not found at /usr/lib/chromium/chromium " +
		"(or $REGULARS_CHROMIUM). Install it with: make browser  (or: apt-get install -y --no-install-recommends chromium)")
	return ""
}

// serve runs the app on a real listener on 127.0.0.1 and returns its base URL.
func serve(t *testing.T, a *app.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go a.HTTP.Listener(ln)
	t.Cleanup(func() { a.HTTP.ShutdownWithTimeout(5 * time.Second) })
	return "http://" + ln.Addr().String()
}

// newBrowser starts one headless Chromium for the test and returns a tab context.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser: no timeout on this context
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// screenshotDir is where browser tests leave screenshots for people to look at:
// $REGULARS_SCREENSHOTS, or testdata/screenshots (git-ignored).
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("REGULARS_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func saveShot(t *testing.T, ctx context.Context, name string, full bool) {
	t.Helper()
	shot := chromedp.CaptureScreenshot()
	if full {
		shot = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(screenshotDir(t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func step(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("%s (at %s): %v", what, loc, err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func signIn(t *testing.T, ctx context.Context, base, name, password string) {
	t.Helper()
	step(t, ctx, "sign in as "+name,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), name),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("sign-in")),
		chromedp.WaitVisible(chromedp.CSS(".who-name")))
}

func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	step(t, ctx, "sign out", chromedp.Click(chromedp.CSS(".who button")), chromedp.WaitVisible(chromedp.ID("sign-in")))
}

// TestBrowserDingStory: in real Chromium, the desk finds Mr. Ding by his document
// number, checks him in to the first suggested room, housekeeping sees the room on a
// tablet, and the desk checks him out and sees the follow-up.
func TestBrowserDingStory(t *testing.T) {
	a := start(t)
	s := seedHotel(t, a)
	deskPW := staffUser(t, a, "mei", preferences.RoleFrontDesk)
	hkPW := staffUser(t, a, "hk", preferences.RoleHousekeeping)
	base := serve(t, a)
	browser := newBrowser(t)
	ctx, cancel := context.WithTimeout(browser, 30*time.Second)
	defer cancel()

	signIn(t, ctx, base, "mei", deskPW)
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != base+"/frontdesk" {
		t.Fatalf("front desk lands on %s", loc)
	}
	if arr := text(t, ctx, "#arrivals"); !strings.Contains(arr, "丁总") || !strings.Contains(arr, "Allergies") {
		t.Fatalf("today's arrivals %q", arr)
	}
	saveShot(t, ctx, "frontdesk-desk.png", false)
	step(t, ctx, "look up the document",
		chromedp.SendKeys(chromedp.ID("document_number"), DingDocument),
		chromedp.Click(chromedp.ID("lookup")),
		chromedp.WaitVisible(chromedp.ID("greeting")))
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if strings.Contains(loc, DingDocument) || !strings.HasSuffix(loc, "/frontdesk/guests/"+s.Ding.ID) {
		t.Fatalf("card URL %s", loc)
	}
	if g := text(t, ctx, "#greeting"); g != "丁总,欢迎您再次入住!" {
		t.Fatalf("greeting %q", g)
	}
	if al := text(t, ctx, "#allergies"); !strings.Contains(al, "laundry detergent") {
		t.Fatalf("allergies %q", al)
	}
	if fu := text(t, ctx, "#follow-ups"); !strings.Contains(fu, s.FollowUp) {
		t.Fatalf("follow-ups %q", fu)
	}
	saveShot(t, ctx, "frontdesk-card.png", true)

	best := text(t, ctx, ".room-best .room-no")
	step(t, ctx, "check in to the first suggested room",
		chromedp.Click(chromedp.CSS(".room-best button.checkin")),
		chromedp.WaitVisible(chromedp.ID("checkout")))
	if best != "2101" || !strings.Contains(text(t, ctx, "#checkout h2"), best) {
		t.Fatalf("checked in to %q, card says %q", best, text(t, ctx, "#checkout h2"))
	}
	signOut(t, ctx)

	// Housekeeping on a tablet.
	step(t, ctx, "tablet viewport", chromedp.EmulateViewport(820, 1180, chromedp.EmulatePortrait, chromedp.EmulateTouch))
	signIn(t, ctx, base, "hk", hkPW)
	step(t, ctx, "board", chromedp.WaitVisible(chromedp.ID("room-2101")))
	room := text(t, ctx, "#room-2101")
	for _, want := range []string{"laundry detergent", "MODERATE", "wash clothes with soap only", "soap only, no detergent"} {
		if !strings.Contains(room, want) {
			t.Errorf("board card of 2101 lacks %q: %q", want, room)
		}
	}
	if strings.Contains(room, "丁") || strings.Contains(room, "ding") {
		t.Errorf("board shows who is in the room: %q", room)
	}
	saveShot(t, ctx, "housekeeping-board.png", false)
	signOut(t, ctx)

	// Back at the desk: check out with the spend; the follow-up comes up to act on.
	step(t, ctx, "desk viewport", chromedp.EmulateViewport(1280, 900))
	signIn(t, ctx, base, "mei", deskPW)
	step(t, ctx, "check out",
		chromedp.Navigate(base+"/frontdesk/guests/"+s.Ding.ID),
		chromedp.WaitVisible(chromedp.ID("spend")),
		chromedp.SendKeys(chromedp.ID("spend"), "5230.50"),
		chromedp.Click(chromedp.ID("checkout-button")),
		chromedp.WaitVisible(chromedp.ID("checked-out")))
	if fu := text(t, ctx, "#departure-follow-ups"); !strings.Contains(fu, s.FollowUp) {
		t.Fatalf("check-out follow-ups %q", fu)
	}
	saveShot(t, ctx, "checkout.png", false)
}
