package kiosk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jonboulle/clockwork"

	"regulars/internal/browsertest"
	"regulars/internal/testkit"
	"regulars/kiosk"
	"regulars/preferences"
)

// The kiosk screen: portrait full HD, as lobby kiosks are.
const screenW, screenH = 1080, 1920

// kioskBrowser serves the hotel on 127.0.0.1, opens a headless Chromium at kiosk size
// and pairs it through /kiosk?pair=TOKEN, with a kiosk token of its own (the hotel's is
// paired already). It returns the tab's context (with a timeout) and the base URL.
func kioskBrowser(t *testing.T, h *hotel) (context.Context, string) {
	t.Helper()
	base := testkit.Serve(t, h.app)
	tctx := browsertest.New(t, screenW, screenH)
	do(t, tctx, chromedp.Navigate(base+"/kiosk?pair="+h.kioskToken("browser kiosk")), chromedp.WaitVisible(chromedp.ID("lang-zh")))
	if loc := run(t, tctx, chromedp.Location()); loc != base+"/kiosk" {
		t.Fatalf("after pairing the page is at %q", loc)
	}
	return tctx, base
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func text(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	return strings.TrimSpace(run(t, ctx, chromedp.Text(chromedp.ID(id))))
}

// waitScreen waits until the page shows screen.
func waitScreen(t *testing.T, ctx context.Context, screen string) {
	t.Helper()
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-screen="`+screen+`"]`)))
}

// fillDingInChinese picks Chinese and types Mr. Ding's document number and family.
func fillDingInChinese(t *testing.T, ctx context.Context, family string) {
	t.Helper()
	do(t, ctx, chromedp.Click(chromedp.ID("lang-zh")), chromedp.WaitVisible(chromedp.ID("document-number")),
		chromedp.SendKeys(chromedp.ID("document-number"), dingDoc), chromedp.SendKeys(chromedp.ID("family-name"), family))
}

// identifyError submits the identify form and returns the error it shows.
func identifyError(t *testing.T, ctx context.Context) string {
	t.Helper()
	do(t, ctx, chromedp.Click(chromedp.ID("identify-submit")), chromedp.WaitVisible(chromedp.ID("identify-error")))
	return text(t, ctx, "identify-error")
}

// greet submits the identify form and checks the greeting screen it leads to.
func greet(t *testing.T, ctx context.Context, greeting, nights string) {
	t.Helper()
	do(t, ctx, chromedp.Click(chromedp.ID("identify-submit")))
	waitScreen(t, ctx, "greeting")
	if got := text(t, ctx, "greeting"); got != greeting {
		t.Errorf("greeting %q, want %q", got, greeting)
	}
	if got := text(t, ctx, "nights"); got != nights {
		t.Errorf("nights %q, want %q", got, nights)
	}
}

// toPrefs goes on from the greeting to the preferences screen.
func toPrefs(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.Click(chromedp.ID("to-prefs")))
	waitScreen(t, ctx, "prefs")
}

// checkIn checks in from the preferences screen and checks the room it shows.
func checkIn(t *testing.T, ctx context.Context, room, floor string) {
	t.Helper()
	do(t, ctx, chromedp.Click(chromedp.ID("checkin")))
	waitScreen(t, ctx, "done")
	if gotRoom, gotFloor := text(t, ctx, "room-number"), text(t, ctx, "room-floor"); gotRoom != room || gotFloor != floor {
		t.Errorf("room %q floor %q, want %q %q", gotRoom, gotFloor, room, floor)
	}
}

// assertForgotten checks that nothing of the guest is left in the page, its storage or
// its history, and that the start screen shows.
func assertForgotten(t *testing.T, ctx context.Context, traces ...string) {
	t.Helper()
	waitScreen(t, ctx, "start")
	html := run(t, ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	for _, s := range traces {
		if strings.Contains(html, s) {
			t.Errorf("the page still holds %q after the reset", s)
		}
	}
	values := run(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('input')].map(i => i.value).join('') +
		sessionStorage.length + localStorage.length + document.cookie`))
	if values != "00" {
		t.Errorf("inputs+storage+cookie after the reset: %q, want 00", values)
	}
	hist := run(t, ctx, chromedp.NavigationEntries())
	for _, e := range hist.Entries {
		if e.URL != "about:blank" && !strings.HasSuffix(e.URL, "/kiosk") {
			t.Errorf("history holds %q", e.URL)
		}
	}
}

func browserHotel(t *testing.T, idle time.Duration) *hotel {
	return newHotel(t, func(c *kiosk.Config) {
		c.Clock = clockwork.NewRealClock()
		c.IdleTimeout = idle
		c.DoneAfter = 2 * time.Second
	})
}

func TestBrowserFullFlowInChinese(t *testing.T) {
	h := browserHotel(t, time.Minute)
	ctx, _ := kioskBrowser(t, h)
	browsertest.Screenshot(t, ctx, "zh-1-start")
	fillDingInChinese(t, ctx, "丁")
	if got := text(t, ctx, "identify-submit"); got != "继续" {
		t.Errorf("submit button reads %q", got)
	}
	browsertest.Screenshot(t, ctx, "zh-2-identify")
	greet(t, ctx, "丁总,欢迎您再次入住!", "本次入住 7 晚")
	browsertest.Screenshot(t, ctx, "zh-3-greeting")
	toPrefs(t, ctx)
	if got := text(t, ctx, "min-floor"); got != "20" {
		t.Errorf("min floor shows %q", got)
	}
	if v := run(t, ctx, chromedp.Evaluate[string](`document.getElementById('laundry').value`)); v != "soap only, no detergent" {
		t.Errorf("laundry shows %q", v)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.ID("allergen"), "花生"),
		chromedp.Click(chromedp.CSS(`[data-severity="severe"]`)),
		chromedp.Click(chromedp.ID("add-allergy")),
	)
	run(t, ctx, chromedp.Evaluate[string](`document.getElementById('breakfast').value = ''`))
	do(t, ctx, chromedp.SendKeys(chromedp.ID("breakfast"), "白粥"))
	browsertest.Screenshot(t, ctx, "zh-4-prefs")
	checkIn(t, ctx, "2101", "21 楼")
	browsertest.Screenshot(t, ctx, "zh-5-room")

	p, err := h.app.Store.Preferences(context.Background(), preferences.System, h.ding)
	if err != nil || len(p.Allergies) != 2 || p.Allergies[1].Allergen != "花生" || p.Allergies[1].Severity != "severe" || p.Dining.Breakfast != "白粥" {
		t.Errorf("preferences after the kiosk: %+v %v", p, err)
	}
	// After check-in the kiosk goes back to the start by itself and forgets the guest.
	assertForgotten(t, ctx, "丁总", "2101", "花生", "白粥", "soap only")
	browsertest.Screenshot(t, ctx, "zh-6-back-to-start")
}

func TestBrowserFullFlowInEnglishByReference(t *testing.T) {
	h := browserHotel(t, time.Minute)
	ctx, _ := kioskBrowser(t, h)
	do(t, ctx, chromedp.Click(chromedp.ID("lang-en")), chromedp.WaitVisible(chromedp.ID("document-number")),
		chromedp.Click(chromedp.ID("way-reference")), chromedp.WaitVisible(chromedp.ID("reference")),
		chromedp.SendKeys(chromedp.ID("reference"), smithRef), chromedp.SendKeys(chromedp.ID("family-name"), "smith "))
	browsertest.Screenshot(t, ctx, "en-2-identify")
	greet(t, ctx, "Welcome, Anna Smith!", "Your stay: 2 nights") // a first stay
	browsertest.Screenshot(t, ctx, "en-3-greeting")
	toPrefs(t, ctx)
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-step="1"]`)), chromedp.Click(chromedp.CSS(`[data-step="1"]`)),
		chromedp.Click(chromedp.CSS(`[data-bed="queen"]`)),
		chromedp.Click(chromedp.ID("quiet")),
		chromedp.SendKeys(chromedp.ID("laundry"), "fold, no ironing"))
	browsertest.Screenshot(t, ctx, "en-4-prefs")
	checkIn(t, ctx, "305", "Floor 3") // queen bed and quiet: 305 is the only room with both
	browsertest.Screenshot(t, ctx, "en-5-room")
	p, err := h.app.Store.Preferences(context.Background(), preferences.System, h.smith)
	if err != nil || p.Room.MinFloor != 2 || p.Room.Bed != "queen" || !p.Room.Quiet || p.Housekeeping.Laundry != "fold, no ironing" {
		t.Errorf("Smith's preferences: %+v %v", p, err)
	}
	do(t, ctx, chromedp.Click(chromedp.ID("finish")))
	assertForgotten(t, ctx, "Smith", "305", "fold, no ironing")
}

func TestBrowserWrongFamilyNameShowsTheGenericMessage(t *testing.T) {
	h := browserHotel(t, time.Minute)
	ctx, _ := kioskBrowser(t, h)
	fillDingInChinese(t, ctx, "王")
	if got := identifyError(t, ctx); got != "未能找到与这些信息相符的今日预订。请核对后重试,或前往前台。" {
		t.Errorf("error %q", got)
	}
	browsertest.Screenshot(t, ctx, "zh-2b-wrong-name")
	// The same message in English, for an unknown reference.
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-screen="identify"] [data-action="restart"]`)),
		chromedp.Click(chromedp.ID("lang-en")), chromedp.Click(chromedp.ID("way-reference")),
		chromedp.SendKeys(chromedp.ID("reference"), "PMS-000"), chromedp.SendKeys(chromedp.ID("family-name"), "Ding"))
	if got := identifyError(t, ctx); !strings.HasPrefix(got, "We could not find a stay for today") {
		t.Errorf("error %q", got)
	}
	browsertest.Screenshot(t, ctx, "en-2b-unknown")
}

func TestBrowserIdleKioskGoesBackToStartAndForgets(t *testing.T) {
	const idle = 2 * time.Second
	h := browserHotel(t, idle)
	ctx, _ := kioskBrowser(t, h)
	fillDingInChinese(t, ctx, "丁")
	do(t, ctx, chromedp.Click(chromedp.ID("identify-submit")))
	waitScreen(t, ctx, "greeting")
	toPrefs(t, ctx)
	screen := run(t, ctx, chromedp.Evaluate[string](`document.getElementById("app").dataset.current`))
	if screen != "prefs" {
		t.Fatalf("screen %q", screen)
	}
	started := time.Now()
	assertForgotten(t, ctx, "丁总", "丁", "soap only", "laundry detergent", "fruit platter")
	if waited := time.Since(started); waited < idle/2 {
		t.Errorf("reset after %v, sooner than the idle time %v", waited, idle)
	}
	browsertest.Screenshot(t, ctx, "zh-7-idle-reset")
}
