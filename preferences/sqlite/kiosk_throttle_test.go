package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"regulars/preferences"
)

// A kiosk token's failures and lock-out are in the database: a restart keeps them.
func TestKioskFailuresSurviveARestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "regulars.db")
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	db := openAt(t, path, now)
	token, err := db.CreateToken(ctx, preferences.RoleKiosk, "lobby")
	if err != nil {
		t.Fatal(err)
	}
	kiosk, err := db.TokenActor(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if until, err := db.RecordKioskFailure(ctx, kiosk, now, time.Minute, 3); err != nil || !until.IsZero() {
			t.Fatalf("failure %d: %v %v", i+1, until, err)
		}
	}
	db.Close()
	db = openAt(t, path, now)
	defer db.Close()
	until, err := db.RecordKioskFailure(ctx, kiosk, now.Add(time.Second), time.Minute, 3)
	if err != nil || !until.Equal(now.Add(time.Second+time.Minute)) {
		t.Fatalf("third failure after a restart: %v %v", until, err)
	}
	if got, err := db.KioskLockedUntil(ctx, kiosk.TokenID, now.Add(time.Minute)); err != nil || !got.Equal(until) {
		t.Fatalf("locked until %v %v, want %v", got, err, until)
	}
	if got, err := db.KioskLockedUntil(ctx, kiosk.TokenID, until); err != nil || !got.IsZero() {
		t.Fatalf("at the end: locked until %v %v", got, err)
	}
}
