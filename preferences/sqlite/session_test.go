package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/preferences/sqlite"
)

func TestSessions(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "s.db"), sqlite.Options{Secret: []byte("0123456789abcdef0123")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	pw, err := db.CreateUser(ctx, "mei", preferences.RoleFrontDesk)
	if err != nil {
		t.Fatal(err)
	}
	actor, err := db.Authenticate(ctx, "mei", pw)
	if err != nil {
		t.Fatal(err)
	}
	id, err := db.CreateSession(ctx, actor, 12*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if countRows(t, db, `SELECT count(*) FROM staff_sessions`) != 1 {
		t.Fatal("the session is not stored: the check below would pass on nothing")
	}
	if countRows(t, db, `SELECT count(*) FROM staff_sessions WHERE id_hash = ?`, id) != 0 {
		t.Fatal("the session id is stored in clear")
	}
	idle := 30 * time.Minute
	got, err := db.SessionActor(ctx, id, idle)
	if err != nil || got.Name != "mei" || got.Role != preferences.RoleFrontDesk {
		t.Fatalf("SessionActor = %+v, %v", got, err)
	}
	// Used every 20 minutes, it stays alive past one idle period...
	for i := 0; i < 3; i++ {
		now = now.Add(20 * time.Minute)
		if _, err := db.SessionActor(ctx, id, idle); err != nil {
			t.Fatalf("after %d uses: %v", i+1, err)
		}
	}
	// ...but not past the idle timeout.
	now = now.Add(31 * time.Minute)
	if _, err := db.SessionActor(ctx, id, idle); preferences.ErrorCode(err) != preferences.EUNAUTHORIZED {
		t.Fatalf("idle session: err = %v, want EUNAUTHORIZED", err)
	}
	// Absolute lifetime.
	id2, _ := db.CreateSession(ctx, actor, time.Hour)
	for i := 0; i < 4; i++ {
		now = now.Add(20 * time.Minute)
		_, err = db.SessionActor(ctx, id2, idle)
	}
	if preferences.ErrorCode(err) != preferences.EUNAUTHORIZED {
		t.Fatalf("session past its lifetime: err = %v", err)
	}
	// Logout.
	id3, _ := db.CreateSession(ctx, actor, time.Hour)
	if err := db.DeleteSession(ctx, id3); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionActor(ctx, id3, idle); preferences.ErrorCode(err) != preferences.EUNAUTHORIZED {
		t.Fatalf("deleted session still works: %v", err)
	}
	if _, err := db.SessionActor(ctx, "rgs_forged", idle); preferences.ErrorCode(err) != preferences.EUNAUTHORIZED {
		t.Fatalf("unknown id: %v", err)
	}
}
