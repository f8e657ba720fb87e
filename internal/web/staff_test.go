package web

import (
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	th := &Throttle{Limit: 3, Window: 15 * time.Minute, Block: 5 * time.Minute, Now: func() time.Time { return now }}
	th.Fail("k")
	th.Fail("k")
	if b, _ := th.Blocked("k"); b {
		t.Fatal("blocked below the limit")
	}
	// Failures older than the window are forgotten.
	now = now.Add(16 * time.Minute)
	th.Fail("k")
	th.Fail("k")
	if b, _ := th.Blocked("k"); b {
		t.Fatal("old failures counted")
	}
	th.Fail("k")
	b, left := th.Blocked("k")
	if !b || left != 5*time.Minute {
		t.Fatalf("Blocked = %v, %v; want true, 5m", b, left)
	}
	th.Reset("k") // a success does not lift an active block
	if b, _ := th.Blocked("k"); !b {
		t.Fatal("Reset lifted a block")
	}
	if b, _ := th.Blocked("other"); b {
		t.Fatal("another key is blocked")
	}
	now = now.Add(5*time.Minute + time.Second)
	if b, _ := th.Blocked("k"); b {
		t.Fatal("still blocked after the block time")
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/frontdesk/guests/g1": "/frontdesk/guests/g1",
		"//evil.example":       "",
		"/\\evil.example":      "",
		"https://evil.example": "",
		"/login":               "",
		"":                     "",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestActiveNav(t *testing.T) {
	nav := []NavLink{{Label: "Manager", Path: "/manager"}, {Label: "Outreach", Path: "/manager/outreach"}, {Label: "Front desk", Path: "/frontdesk"}}
	for path, want := range map[string]string{"/manager": "Manager", "/manager/outreach": "Outreach", "/frontdesk/guests/g1": "Front desk", "/managerx": ""} {
		got := ""
		for _, l := range activeNav(nav, path) {
			if l.Active {
				got += l.Label
			}
		}
		if got != want {
			t.Errorf("%s: active %q, want %q", path, got, want)
		}
	}
	if nav[0].Active || nav[1].Active {
		t.Error("activeNav changed the shared list")
	}
}
