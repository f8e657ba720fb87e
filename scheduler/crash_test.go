package scheduler_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/preferences/sqlite"
	"regulars/scheduler"
)

// TestMain lets the crash test re-run this test binary as the process to kill.
func TestMain(m *testing.M) {
	if os.Getenv("OUTREACH_CRASH_CHILD") == "1" {
		if err := crashChild(); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashChild runs the birthday job of 12 May 2026 on OUTREACH_DB through OUTREACH_SMTP.
func crashChild() error {
	db, err := sqlite.Open(os.Getenv("OUTREACH_DB"), sqlite.Options{Secret: secret, Location: shanghai})
	if err != nil {
		return err
	}
	m, err := scheduler.NewMailer("smtp://"+os.Getenv("OUTREACH_SMTP")+"?tls=none", "")
	if err != nil {
		return err
	}
	s, err := scheduler.New(baseConfig(), db, m)
	if err != nil {
		return err
	}
	_, err = s.Run(context.Background(), preferences.OutreachBirthday, "2026-05-12", false)
	return err
}

// The process is killed (SIGKILL) while the mail server holds its answer to the 4th of
// 10 greetings. After a restart: the 3 sent stay sent, the 6 never begun go out once, the
// one in flight is unknown and not sent again; nobody gets two.
func TestKilledMidBatchThenRestarted(t *testing.T) {
	e := newEnv(t, time.Now())
	want := map[string]int{}
	for i := 0; i < 10; i++ {
		addr := fmt.Sprintf("guest%d@example.cn", i)
		e.guest(guestSpec{family: fmt.Sprintf("客%d", i), email: addr, birthday: "1980-05-12"})
		want[addr] = 1
	}
	e.sink.HoldReply(4)
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), "OUTREACH_CRASH_CHILD=1", "OUTREACH_DB="+e.path, "OUTREACH_SMTP="+e.sink.Addr)
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-e.sink.Held():
	case <-time.After(20 * time.Second):
		child.Process.Kill()
		t.Fatal("the child never reached the 4th message")
	}
	if err := child.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	child.Wait()
	e.sink.Release()
	if got := e.sink.Count(); got != 4 {
		t.Fatalf("sink has %d messages at the crash, want 4 (3 sent + 1 held)", got)
	}
	if n := len(e.messages(preferences.OutboxSending)); n != 1 {
		t.Fatalf("%d messages left sending by the crash, want 1", n)
	}

	// Restart: start-up marks the one in flight unknown; the run sends the rest.
	e.start(e.s)
	e.clock.Advance(time.Second)
	if r := e.run(preferences.OutreachBirthday, "2026-05-12", false); len(r) != 0 {
		t.Fatalf("the restarted run created messages again: %+v", r)
	}
	if err := e.s.Tick(context.Background(), e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.wantReceived(want)
	unknown := e.messages(preferences.OutboxUnknown)
	if len(unknown) != 1 || unknown[0].Attempts != 1 {
		t.Fatalf("unknown = %+v", unknown)
	}
	if n := len(e.messages(preferences.OutboxSent)); n != 9 {
		t.Fatalf("%d sent, want 9", n)
	}
}
