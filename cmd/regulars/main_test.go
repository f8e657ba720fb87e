package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"regulars/internal/app"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// envOf is a Getenv that knows only vars.
func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// packageDir is the folder the tests start in, the package's source.
var packageDir, _ = os.Getwd()

// serviceEnv is the environment of a command run on cfg's database: REGULARS_DB and
// vars. On PostgreSQL it adds the REGULARS_SECRET that engine requires (on SQLite the
// secret file beside the database serves, unless vars give one) and moves the test into
// a folder of its own, where data/ (the outbox beside PostgreSQL) is made.
func serviceEnv(t *testing.T, cfg app.Config, vars map[string]string) func(string) string {
	t.Helper()
	env := map[string]string{"REGULARS_DB": cfg.DBPath}
	if app.IsPostgres(cfg.DBPath) {
		env["REGULARS_SECRET"] = string(cfg.Secret)
		if wd, err := os.Getwd(); err == nil && wd == packageDir { // once a test
			t.Chdir(t.TempDir())
		}
	}
	maps.Copy(env, vars)
	return envOf(env)
}

func TestTokenAndUserCommandsOnARunningService(t *testing.T) {
	cfg := testkit.Config(t)
	a, _ := testkit.Start(t, &cfg)
	env := serviceEnv(t, cfg, map[string]string{"REGULARS_SECRET": string(cfg.Secret)})
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"token", "create", "--role", "frontdesk", "--name", "PMS bridge"}, env, &out, &errOut); err != nil {
		t.Fatal(err, errOut.String())
	}
	if !regexp.MustCompile(`^rgl_[A-Za-z0-9_-]{43}\n$`).MatchString(out.String()) {
		t.Fatalf("token output = %q", out.String())
	}
	token := strings.TrimSpace(out.String())
	// The running service accepts it at once.
	if r := testkit.Call(t, a, "GET", "/api/guests?q=x", token, nil); r.Status != 200 {
		t.Fatalf("new token: %d %s", r.Status, r.Body)
	}

	out.Reset()
	if err := run(ctx, []string{"user", "add", "--name", "Wang Li", "--role", "housekeeping", "--db", cfg.DBPath}, env, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	password := strings.TrimSpace(out.String())
	if len(password) != 16 || strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("password output = %q", out.String())
	}
	actor, err := a.Store.Authenticate(ctx, "Wang Li", password)
	if err != nil || actor.Role != preferences.RoleHousekeeping {
		t.Fatalf("login with the printed password: %v %v", actor, err)
	}
	if err := run(ctx, []string{"user", "add", "--name", "Wang Li", "--role", "manager"}, env, &out, &errOut); err == nil {
		t.Fatal("a second user with the same name was created")
	}
}

func TestCommandErrors(t *testing.T) {
	cfg := testkit.Config(t)
	env := serviceEnv(t, cfg, nil)
	for _, args := range [][]string{
		{"token", "create", "--role", "admin", "--name", "x"},
		{"token", "create", "--role", "manager"},
		{"user", "add", "--name", "x", "--role", "chef"},
		{"token", "create", "--role", "manager", "--name", "x", "--expires", "0d"},
		{"token", "create", "--role", "manager", "--name", "x", "--expires", "90"},
		{"token", "create", "--role", "manager", "--name", "x", "--expires", "3651d"},
		{"user", "add", "--name", "x", "--role", "manager", "--expires", "9d"},
		{"token", "revoke"},
		{"token", "revoke", "--name", " "},
		{"token", "list", "extra"},
		{"token", "frobnicate"},
		{"user", "disable"},
		{"user", "enable", "x"},
		{"user", "reset-password", "--role", "manager"},
		{"user", "list", "--name", "x"},
		{"frobnicate"},
		{},
		{"serve", "extra"},
		{"backup"},
		{"backup", "one", "two"},
		{"backup", "--to", "x"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, env, &out, &errOut)
		if err == nil {
			t.Errorf("%v: no error", args)
		}
		if _, ok := err.(usageError); !ok {
			t.Errorf("%v: %v is not a usage error", args, err)
		}
		if out.Len() != 0 {
			t.Errorf("%v printed %q on stdout", args, out.String())
		}
	}
}

// TestServeDemoAndGracefulStop starts `regulars serve --demo`, calls it with the printed
// manager token, then cancels (as SIGTERM does) and expects a clean stop.
func TestServeDemoAndGracefulStop(t *testing.T) {
	cfg := testkit.Config(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := serviceEnv(t, cfg, map[string]string{"REGULARS_TZ": "Asia/Shanghai"})
	ctx, cancel := context.WithCancel(context.Background())
	out := &testkit.LogBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--demo", "--addr", addr}, env, out, io.Discard) }()
	var token string
	deadline := time.Now().Add(10 * time.Second)
	for token == "" && time.Now().Before(deadline) {
		if m := regexp.MustCompile(`API token \(manager\): (\S+)`).FindStringSubmatch(out.String()); m != nil {
			token = m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("serve returned %v before printing a token:\n%s", err, out)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if token == "" {
		t.Fatalf("no token printed:\n%s", out)
	}
	var resp *http.Response
	err = errors.New("the service never answered")
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest("GET", "http://"+addr+"/api/guests?q=%E4%B8%81", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, err = http.DefaultClient.Do(req); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "丁总") {
		t.Fatalf("demo search for 丁: %d %s", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	if strings.Count(out.String(), "password") != 3 {
		t.Errorf("the demo credentials were not printed once:\n%s", out.String())
	}
}

// `serve --demo` on a database that is not empty loads nothing and says so, with the
// command that gives a login, instead of starting silently without credentials.
func TestServeDemoOnUsedDatabaseSaysWhy(t *testing.T) {
	cfg := testkit.Config(t)
	shown := cfg.DBPath
	if app.IsPostgres(cfg.DBPath) {
		// A password the test server (trust) does not ask for: never printed nor logged.
		u, err := url.Parse(cfg.DBPath)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword(u.User.Username(), "Hunter2-pw")
		cfg.DBPath = u.String()
	}
	elsewhere := filepath.Join(t.TempDir(), "elsewhere")
	env := serviceEnv(t, cfg, map[string]string{"REGULARS_ADDR": "127.0.0.1:0", "REGULARS_DB": filepath.Join(elsewhere, "regulars.db")})
	if err := run(context.Background(), []string{"user", "add", "--name", "mei", "--role", "frontdesk", "--db", cfg.DBPath}, env, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	out, logs := &testkit.LogBuffer{}, &testkit.LogBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--demo", "--db", cfg.DBPath}, env, out, logs) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "msg=serving") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve returned %v", err)
	}
	got := out.String()
	if !strings.Contains(got, "Demo hotel not loaded: "+shown) || !strings.Contains(got, "regulars user add --name NAME --role manager --db "+shown) ||
		strings.Contains(got, "API token") {
		t.Errorf("output:\n%s", got)
	}
	if !strings.Contains(logs.String(), shown) || strings.Contains(got+logs.String(), "Hunter2") {
		t.Errorf("the database is not named as %s, or its password is shown:\n%s\n%s", shown, got, logs)
	}
	if _, err := os.Stat(elsewhere); !os.IsNotExist(err) {
		t.Errorf("--db did not win over REGULARS_DB: %v", err)
	}
}

// A malformed variable stops serve before it opens the database or listens.
func TestServeRefusesABadVariable(t *testing.T) {
	dir := t.TempDir()
	env := envOf(map[string]string{"REGULARS_DB": dir + "/r.db", "REGULARS_LAPSE_AFTER": "12x"})
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0"}, env, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "REGULARS_LAPSE_AFTER") {
		t.Fatalf("serve = %v, want it refused naming REGULARS_LAPSE_AFTER", err)
	}
	if _, statErr := os.Stat(dir + "/r.db"); !os.IsNotExist(statErr) {
		t.Errorf("the database was created before the configuration was checked: %v", statErr)
	}
}

// A stop that arrives while the service is still starting (SIGTERM during start-up) is a
// clean stop: serve returns no error, whichever step of the start it interrupted.
func TestServeStoppedWhileStartingExitsCleanly(t *testing.T) {
	cfg := testkit.Config(t)
	env := serviceEnv(t, cfg, map[string]string{"REGULARS_ADDR": "127.0.0.1:0"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := run(ctx, []string{"serve"}, env, io.Discard, io.Discard); err != nil {
		t.Fatalf("serve stopped while starting returned %v", err)
	}
}
