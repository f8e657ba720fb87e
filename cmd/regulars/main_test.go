package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"regulars/internal/testkit"
	"regulars/preferences"
)

func TestTokenAndUserCommandsOnARunningService(t *testing.T) {
	cfg := testkit.Config(t)
	a, _ := testkit.Start(t, &cfg)
	env := func(k string) string {
		switch k {
		case "REGULARS_DB":
			return cfg.DBPath
		case "REGULARS_SECRET":
			return string(cfg.Secret)
		}
		return ""
	}
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
	actor, err := a.DB.Authenticate(ctx, "Wang Li", password)
	if err != nil || actor.Role != preferences.RoleHousekeeping {
		t.Fatalf("login with the printed password: %v %v", actor, err)
	}
	if err := run(ctx, []string{"user", "add", "--name", "Wang Li", "--role", "manager"}, env, &out, &errOut); err == nil {
		t.Fatal("a second user with the same name was created")
	}
}

func TestCommandErrors(t *testing.T) {
	cfg := testkit.Config(t)
	env := func(k string) string {
		if k == "REGULARS_DB" {
			return cfg.DBPath
		}
		return ""
	}
	for _, args := range [][]string{
		{"token", "create", "--role", "admin", "--name", "x"},
		{"token", "create", "--role", "manager"},
		{"user", "add", "--name", "x", "--role", "chef"},
		{"frobnicate"},
		{},
		{"serve", "extra"},
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
