package main

import (
	"regexp"
	"strings"
	"testing"

	"regulars/internal/testkit"
)

// property add and list on the running service's database; codes are checked, a taken
// one refused; with two properties a desk login needs --property and a manager's token
// without it acts for the group.
func TestPropertyCommands(t *testing.T) {
	cfg := testkit.Config(t)
	a, _ := testkit.Start(t, &cfg) // names MAIN after the configuration
	cmd := newCLI(t, cfg)
	if out := cmd.run("property", "list"); !strings.Contains(out, "MAIN") || !strings.Contains(out, cfg.HotelName) {
		t.Fatalf("property list of a group of one:\n%s", out)
	}
	if _, err := cmd.try("property", "add", "--code", "west lake", "--name", "West Lake", "--tz", "Asia/Shanghai"); err == nil ||
		!strings.Contains(err.Error(), "code") {
		t.Fatalf("a code with a space: %v", err)
	}
	if _, err := cmd.try("property", "add", "--code", "WL", "--name", "West Lake"); err == nil || !strings.Contains(err.Error(), "--tz") {
		t.Fatalf("no --tz: %v", err)
	}
	cmd.run("property", "add", "--code", "wl", "--name", "West Lake", "--tz", "Asia/Urumqi", "--phone", "+86 571 8888 0000")
	if _, err := cmd.try("property", "add", "--code", "WL", "--name", "Another", "--tz", "Asia/Shanghai"); err == nil ||
		!strings.Contains(err.Error(), "exists") {
		t.Fatalf("a taken code: %v", err)
	}
	out := cmd.run("property", "list")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[2], "WL ") ||
		!strings.Contains(lines[2], "Asia/Urumqi") || !strings.Contains(lines[2], "+86 571 8888 0000") {
		t.Fatalf("property list:\n%s", out)
	}
	if _, err := cmd.try("user", "add", "--name", "mei", "--role", "frontdesk"); err == nil || !strings.Contains(err.Error(), "property") {
		t.Fatalf("a desk login without --property in a group of two: %v", err)
	}
	cmd.run("user", "add", "--name", "mei", "--role", "frontdesk", "--property", "WL")
	group := strings.TrimSpace(cmd.run("token", "create", "--role", "manager", "--name", "group"))
	if r := testkit.Call(t, a, "GET", "/api/rooms", group, nil); r.Status != 422 {
		t.Fatalf("a group manager's call needing a property: %d %s", r.Status, r.Body)
	}
	wl := strings.TrimSpace(cmd.run("token", "create", "--role", "frontdesk", "--name", "wl desk", "--property", "WL"))
	list := cmd.run("token", "list")
	if !regexp.MustCompile(`(?m)^group +manager .* active +\(group\)$`).MatchString(list) ||
		!regexp.MustCompile(`(?m)^wl desk +frontdesk .* active +WL$`).MatchString(list) {
		t.Errorf("token list:\n%s", list)
	}
	if users := cmd.run("user", "list"); !regexp.MustCompile(`(?m)^mei +frontdesk .* active +WL$`).MatchString(users) {
		t.Errorf("user list:\n%s", users)
	}
	if r := testkit.Call(t, a, "GET", "/api/rooms", wl, nil); r.Status != 200 {
		t.Fatalf("West Lake's desk token: %d %s", r.Status, r.Body)
	}
}
