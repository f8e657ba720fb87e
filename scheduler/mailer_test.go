package scheduler_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wneessen/go-mail"

	"regulars/scheduler"
)

// An erasure removes the .eml files of the guest's letters, named after the Message-IDs
// the store kept; a letter whose guest was erased while it was being sent (claimed
// before, written after) does not stay either. Other letters stay.
func TestFileMailerErasesLetters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	f := &scheduler.FileMailer{Dir: dir}
	ctx := context.Background()
	conn, err := f.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	send := func(messageID string) {
		t.Helper()
		m := mail.NewMsg()
		if err := m.From("hotel@example.com"); err != nil {
			t.Fatal(err)
		}
		if err := m.To("guest@example.com"); err != nil {
			t.Fatal(err)
		}
		m.SetMessageIDWithValue(messageID)
		m.SetBodyString(mail.TypeTextPlain, "Happy birthday")
		if err := conn.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	files := func() []string {
		t.Helper()
		names, err := filepath.Glob(filepath.Join(dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		for i, n := range names {
			names[i] = filepath.Base(n)
		}
		return names
	}
	send("ob_sent@hotel.example")
	send("ob_kept@hotel.example")
	if got := files(); len(got) != 2 {
		t.Fatalf("outbox before: %v", got)
	}
	if err := f.Erase([]string{"ob_sent@hotel.example", "ob_in_flight@hotel.example", "ob_never_written@hotel.example"}); err != nil {
		t.Fatal(err)
	}
	send("ob_in_flight@hotel.example")
	if got := files(); len(got) != 1 || got[0] != "ob_kept@hotel.example.eml" {
		t.Fatalf("outbox after the erasure: %v", got)
	}
	hidden, err := filepath.Glob(filepath.Join(dir, ".*"))
	if err != nil || len(hidden) != 0 {
		t.Fatalf("temporary files left: %v %v", hidden, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ob_kept@hotel.example.eml")); err != nil {
		t.Fatal(err)
	}
}
