package web

import (
	"testing"
)

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
