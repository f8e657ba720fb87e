package kiosk_test

import (
	"strings"
	"testing"
	"time"

	"regulars/internal/app"
	"regulars/internal/testkit"
	"regulars/kiosk"
)

func TestKioskConfigFromEnvironment(t *testing.T) {
	env := map[string]string{"REGULARS_KIOSK_MAX_FAILURES": "7", "REGULARS_KIOSK_LOCKOUT": "90s",
		"REGULARS_KIOSK_IDLE": "3m", "REGULARS_KIOSK_ADDR": "0.0.0.0:8090"}
	cfg, err := kiosk.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil || cfg.MaxFailures != 7 || cfg.Lockout != 90*time.Second || cfg.IdleTimeout != 3*time.Minute || cfg.Addr != "0.0.0.0:8090" {
		t.Fatalf("%+v %v", cfg, err)
	}
	for name, bad := range map[string]string{"REGULARS_KIOSK_MAX_FAILURES": "0", "REGULARS_KIOSK_LOCKOUT": "5 minutes", "REGULARS_KIOSK_IDLE": "-1s"} {
		c := app.FromEnv(func(k string) string {
			if k == name {
				return bad
			}
			return ""
		})
		c.DBPath = testkit.Config(t).DBPath
		if err := c.Resolve(); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: %v", name, bad, err)
		}
	}
}
