package kiosk_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"regulars/internal/testkit"
	"regulars/kiosk"
)

// With REGULARS_KIOSK_ADDR the kiosk has its own listener, which serves the kiosk and
// nothing of the staff side.
func TestKioskOwnListenerServesOnlyTheKiosk(t *testing.T) {
	h := newHotel(t, func(c *kiosk.Config) { c.Addr = "127.0.0.1:0" })
	staff := testkit.Serve(t, h.app)
	deadline := time.Now().Add(5 * time.Second)
	for h.app.KioskAddr() == nil && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if h.app.KioskAddr() == nil {
		t.Fatal("the kiosk listener did not start")
	}
	lobby := "http://" + h.app.KioskAddr().String()
	get := func(method, url, token, body string) (int, string) {
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("GET", lobby+"/kiosk", "", ""); code != http.StatusUnauthorized || !strings.Contains(body, "not paired") {
		t.Errorf("lobby /kiosk unpaired: %d", code)
	}
	if code, _ := get("POST", lobby+"/api/kiosk/identify", h.kiosk, `{"reference":"`+dingRef+`","family_name":"丁"}`); code != 200 {
		t.Errorf("lobby identify: %d", code)
	}
	for _, path := range []string{"/api/guests?q=ding", "/api/kiosk/throttles", "/api/openapi.json", "/frontdesk", "/login"} {
		if code, _ := get("GET", lobby+path, h.manager, ""); code != http.StatusNotFound && code != http.StatusForbidden {
			t.Errorf("lobby %s with a manager token: %d, want 404 or 403", path, code)
		}
	}
	// The staff listener still works.
	if code, _ := get("GET", staff+"/api/kiosk/throttles", h.desk, ""); code != 200 {
		t.Errorf("staff listener: %d", code)
	}
}
