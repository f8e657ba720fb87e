package kiosk_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"regulars/internal/testkit"
	"regulars/kiosk"
	"regulars/preferences"
)

var (
	wrongName = map[string]string{"reference": dingRef, "family_name": "Wang"}
	rightName = map[string]string{"reference": dingRef, "family_name": dingFamily}
)

// identify identifies at the kiosk of cookie (or the bearer token) and fails unless the
// answer has status want.
func (h *hotel) identify(what, cookie, token string, body map[string]string, want int) {
	h.t.Helper()
	if r := h.call("POST", "/api/kiosk/identify", cookie, token, body); r.Status != want {
		h.t.Fatalf("%s: %d %s, want %d", what, r.Status, r.Body, want)
	}
}

// throttles returns the lock-outs the front desk sees.
func (h *hotel) throttles() []preferences.KioskThrottle {
	h.t.Helper()
	r := h.call("GET", "/api/kiosk/throttles", "", h.desk, nil)
	var out struct{ Throttles []preferences.KioskThrottle }
	r.JSON(h.t, &out)
	if r.Status != 200 {
		h.t.Fatalf("throttles: %d %s", r.Status, r.Body)
	}
	return out.Throttles
}

// allowRepair is the manager's re-pair of the kiosk token named name.
func (h *hotel) allowRepair(name, token string) (int, []byte) {
	h.t.Helper()
	r := h.call("POST", "/api/kiosk/tokens/"+name+"/re-pair", "", token, nil)
	return r.Status, r.Body
}

// The bypass: four misses, one hit, four misses … never locked the kiosk out.
// Failures now count per kiosk token over the window, whatever succeeds in between.
func TestLockOutCountsFailuresWhateverSucceedsInBetween(t *testing.T) {
	h := newHotel(t, nil) // the defaults: 5 failures within 5 minutes
	for i := 1; i <= 4; i++ {
		h.identify("miss", h.cookie, "", wrongName, http.StatusNotFound)
	}
	h.identify("hit after 4 misses", h.cookie, "", rightName, http.StatusOK)
	h.identify("5th miss, a hit in between", h.cookie, "", wrongName, http.StatusNotFound)
	r := h.call("POST", "/api/kiosk/identify", h.cookie, "", rightName)
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "300" {
		t.Fatalf("after the 5th miss: %d Retry-After %q %s", r.Status, r.Header.Get("Retry-After"), r.Body)
	}
	// The lock-out is the token's: the token itself is locked out too, another kiosk is not.
	h.identify("the same token as bearer", "", h.kiosk, rightName, http.StatusTooManyRequests)
	h.identify("another kiosk token", h.otherKiosk("lobby 2"), "", rightName, http.StatusOK)
	if l := h.throttles(); len(l) != 1 || l[0].Kiosk != "test kiosk" || l[0].Failures != 5 || !l[0].Active {
		t.Fatalf("the desk sees %+v", l)
	}
	h.clock.Advance(kiosk.DefaultLockout - time.Second)
	h.identify("a second before the end", h.cookie, "", rightName, http.StatusTooManyRequests)
	h.clock.Advance(time.Second)
	h.identify("after the lock-out", h.cookie, "", rightName, http.StatusOK)
	if l := h.throttles(); len(l) != 1 || l[0].Active {
		t.Fatalf("after the lock-out the desk sees %+v", l)
	}
	// The lock-out started afresh: four misses are not enough, and misses older than
	// the window no longer count.
	for i := 1; i <= 4; i++ {
		h.identify("miss after the lock-out", h.cookie, "", wrongName, http.StatusNotFound)
	}
	h.identify("4 misses", h.cookie, "", rightName, http.StatusOK)
	h.clock.Advance(kiosk.DefaultLockout)
	h.identify("a miss after the window", h.cookie, "", wrongName, http.StatusNotFound)
	h.identify("the old misses have expired", h.cookie, "", rightName, http.StatusOK)
}

// A token pairs one device; re-pairing needs the manager and keeps the failures.
func TestPairingOneDeviceAndRepairingKeepsTheFailures(t *testing.T) {
	h := newHotel(t, func(c *kiosk.Config) { c.MaxFailures = 3; c.Lockout = time.Minute })
	h.identify("miss", h.cookie, "", wrongName, http.StatusNotFound)
	h.identify("miss", h.cookie, "", wrongName, http.StatusNotFound)

	// Another browser with the same link is refused; the paired kiosk keeps working.
	r := h.call("GET", "/kiosk?pair="+h.kiosk, "", "", nil)
	if r.Status != http.StatusConflict || !bytes.Contains(r.Body, []byte("A manager must allow re-pairing first")) || deviceCookie(r) != "" {
		t.Fatalf("second pairing: %d %v\n%s", r.Status, r.Header, r.Body)
	}
	if bytes.Contains(r.Body, []byte(h.kiosk)) {
		t.Fatal("the refusal shows the token")
	}
	// The paired kiosk opening its link again stays paired, as the same device.
	cookie := h.call("GET", "/kiosk?pair="+h.kiosk, h.cookie, "", nil)
	if cookie.Status != http.StatusSeeOther || deviceCookie(cookie) != "" {
		t.Fatalf("the paired kiosk opens its link again: %d %v", cookie.Status, cookie.Header)
	}
	h.identify("the paired kiosk", h.cookie, "", rightName, http.StatusOK)

	// Only a manager may allow re-pairing, by the token's name.
	for who, tok := range map[string]string{"front desk": h.desk, "kiosk": h.kiosk} {
		if status, body := h.allowRepair("test%20kiosk", tok); status != http.StatusForbidden {
			t.Errorf("%s allows re-pairing: %d %s", who, status, body)
		}
	}
	if status, body := h.allowRepair("no%20such%20kiosk", h.manager); status != http.StatusNotFound {
		t.Errorf("unknown kiosk: %d %s", status, body)
	}
	if status, body := h.allowRepair("test%20kiosk", h.manager); status != 200 || !bytes.Contains(body, []byte(`"unpaired":1`)) {
		t.Fatalf("re-pair: %d %s", status, body)
	}
	// The old device stops at once; the new one pairs, and a third browser is refused.
	h.identify("the old device", h.cookie, "", rightName, http.StatusUnauthorized)
	fresh := h.pair(h.kiosk)
	if r := h.call("GET", "/kiosk?pair="+h.kiosk, "", "", nil); r.Status != http.StatusConflict {
		t.Fatalf("a third browser: %d", r.Status)
	}
	// The two misses of the old device count for the new one: the third locks it out.
	h.identify("3rd miss, on the new device", fresh, "", wrongName, http.StatusNotFound)
	h.identify("after re-pairing", fresh, "", rightName, http.StatusTooManyRequests)
	// Nor does re-pairing lift a lock-out.
	if status, body := h.allowRepair("test%20kiosk", h.manager); status != 200 {
		t.Fatalf("re-pair: %d %s", status, body)
	}
	newest := h.pair(h.kiosk)
	h.identify("re-paired while locked out", newest, "", rightName, http.StatusTooManyRequests)
	h.clock.Advance(time.Minute)
	h.identify("after the lock-out", newest, "", rightName, http.StatusOK)
}

// Kiosk token names are unique, so that a manager can name the kiosk to re-pair; tokens
// that share a name from before are refused rather than guessed at.
func TestKioskTokenNamesAreUnique(t *testing.T) {
	h := newHotel(t, nil)
	_, err := h.app.Store.CreateToken(context.Background(), preferences.RoleKiosk, "test kiosk")
	if preferences.ErrorCode(err) != preferences.ECONFLICT {
		t.Fatalf("a second kiosk token named test kiosk: %v", err)
	}
	if _, err := h.app.Store.CreateToken(context.Background(), preferences.RoleFrontDesk, "test kiosk"); err != nil {
		t.Fatalf("a desk token may share the name: %v", err)
	}
	// A kiosk token of the same name from before names were unique (SQLite). PostgreSQL
	// never had such tokens, and its unique index lets two share a name only when one
	// expires: the same ambiguity, reached that way.
	var expires any
	if testkit.Engine() == "postgres" {
		expires = "2099-01-01T00:00:00.000000Z"
	}
	if _, err := testkit.DB(t, h.app).Exec(testkit.Bind(h.app, `INSERT INTO api_tokens (id, name, role, token_hash, created_at, expires_at)
		VALUES ('t_legacy', 'test kiosk', 'kiosk', ?, '2025-01-01T00:00:00.000000Z', ?)`), []byte{0}, expires); err != nil {
		t.Fatal(err)
	}
	if status, body := h.allowRepair("test%20kiosk", h.manager); status != http.StatusConflict {
		t.Fatalf("ambiguous name: %d %s", status, body)
	}
	h.identify("the paired kiosk", h.cookie, "", rightName, http.StatusOK)
}
