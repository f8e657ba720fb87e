package scheduler_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"regulars/preferences"
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
	db, err := openStore(os.Getenv("OUTREACH_DB"), nil)
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := scheduler.NewMailer("smtp://"+os.Getenv("OUTREACH_SMTP")+"?tls=none", "")
	if err != nil {
		return err
	}
	cfg := baseConfig()
	cfg.Lease = time.Second // the restarted test takes over soon after
	s, err := scheduler.New(cfg, db, m)
	if err != nil {
		return err
	}
	_, err = s.Run(context.Background(), preferences.OutreachBirthday, "2026-05-12", false)
	return err
}

// The process is killed (SIGKILL) while the mail server holds its answer to the 4th of
// 20 greetings, the others going out over the other connections. At the crash at most
// Connections messages are sending (one a connection), the held one among them. After a
// restart: those become unknown and are not sent again (each was claimed, so at most
// once); every other message, sent before the crash or not yet begun, is received
// exactly once; nobody gets two.
func TestKilledMidBatchThenRestarted(t *testing.T) {
	e := newEnv(t, time.Now())
	const total, connections = 20, 4 // the child runs the default Connections
	for i := 0; i < total; i++ {
		e.guest(guestSpec{family: fmt.Sprintf("客%d", i), email: fmt.Sprintf("guest%d@example.cn", i), birthday: "1980-05-12"})
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
	// A message whose data had all arrived before the kill may still be being recorded:
	// count what arrived once the killed child's connections have all ended.
	e.sink.WaitSessionsEnded()
	held := e.sink.Messages()[3].To[0]
	atCrash := e.received()
	sending := map[string]bool{} // address → left sending by the crash
	for _, m := range e.messages(preferences.OutboxSending) {
		sending[m.Email] = true
	}
	if len(sending) < 1 || len(sending) > connections || !sending[held] {
		t.Fatalf("left sending by the crash: %v, want 1 to %d including the held %s", sending, connections, held)
	}
	t.Logf("at the crash: %d received, %d sending", len(atCrash), len(sending))

	// Restart: once their lease has ended, the ones in flight are unknown; the run sends
	// the rest.
	e.start(e.s)
	// The child stamped its messages due, and leased the ones it was sending for a
	// second, with the real clock after this test began: move the fake clock past both
	// (a second more was too little on a busy machine).
	e.clock.Advance(time.Since(e.clock.Now()) + 2*time.Second)
	if r := e.run(preferences.OutreachBirthday, "2026-05-12", false); len(r) != 0 {
		t.Fatalf("the restarted run created messages again: %+v", r)
	}
	if err := e.s.Tick(context.Background(), e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	unknown := e.messages(preferences.OutboxUnknown)
	if len(unknown) != len(sending) {
		t.Fatalf("%d unknown after the restart, want the %d left sending", len(unknown), len(sending))
	}
	for _, m := range unknown {
		if !sending[m.Email] || m.Attempts != 1 {
			t.Fatalf("unknown %s (attempts %d) was not being sent at the crash", m.Email, m.Attempts)
		}
	}
	got := e.received()
	for i := 0; i < total; i++ {
		addr := fmt.Sprintf("guest%d@example.cn", i)
		switch n := got[addr]; {
		case sending[addr] && (n > 1 || n != atCrash[addr]):
			t.Errorf("%s was in flight at the crash: received %d times (%d at the crash), want at most once and never again", addr, n, atCrash[addr])
		case !sending[addr] && n != 1:
			t.Errorf("%s received %d times, want once", addr, n)
		}
	}
	if n := len(e.messages(preferences.OutboxSent)); n != total-len(unknown) {
		t.Fatalf("%d sent, want %d", n, total-len(unknown))
	}
}
