package instances_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"regulars/preferences"
)

const guests = 2000

// birthdayCluster makes the database with guests consenting guests born on day's month
// and day, the lease and the pace of the test's instances.
func birthdayCluster(t *testing.T, day time.Time, lease string) *cluster {
	t.Helper()
	c := newCluster(t, map[string]string{"REGULARS_BIRTHDAY_AT": "09:00", "REGULARS_OUTBOX_LEASE": lease,
		"REGULARS_MAIL_RATE": "400", "REGULARS_MAIL_CONNECTIONS": "4"})
	s := c.store()
	birthday := "1980-" + day.Format("01-02")
	yes := true
	ctx := context.Background()
	desk := preferences.Actor{ID: "u_desk", Name: "desk", Role: preferences.RoleFrontDesk}
	var wg sync.WaitGroup
	errs := make(chan error, guests)
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < guests; i += 8 {
				family, email := fmt.Sprintf("Guest%d", i), fmt.Sprintf("guest%d@example.test", i)
				if _, err := s.CreateGuest(ctx, desk, preferences.GuestFields{FamilyName: &family, Email: &email,
					Birthday: &birthday, MarketingConsent: &yes}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return c
}

// offsetTo is the clock offset that makes an instance started now read at.
func offsetTo(at time.Time) string { return time.Until(at).Round(time.Millisecond).String() }

// received counts the sink's letters per address.
func (c *cluster) received() map[string]int {
	out := map[string]int{}
	for _, m := range c.sink.Messages() {
		for _, to := range m.To {
			out[to]++
		}
	}
	return out
}

// letter is one outbox row as the checks need it.
type letter struct {
	email, status, owner string
	attempts             int
}

func (c *cluster) letters() []letter {
	c.t.Helper()
	rows, err := c.db.Query(`SELECT email, status, claimed_by, attempts FROM outreach_messages`)
	if err != nil {
		c.t.Fatal(err)
	}
	defer rows.Close()
	var out []letter
	for rows.Next() {
		var l letter
		if err := rows.Scan(&l.email, &l.status, &l.owner, &l.attempts); err != nil {
			c.t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

// waitAllDone waits until every guest's letter is queued and none is queued or
// sending any more.
func (c *cluster) waitAllDone(within time.Duration) map[string]int {
	c.t.Helper()
	var n map[string]int
	poll(c.t, within, "every letter sent or settled", func() bool {
		n = c.counts()
		total := 0
		for _, v := range n {
			total += v
		}
		return total == guests && n[preferences.OutboxQueued] == 0 && n[preferences.OutboxSending] == 0
	})
	return n
}

// checkOnce checks that each guest got exactly one letter, but for the unknown ones
// (at most one each, never tried again after the crash), which are killed's alone, at
// most connections of them.
func (c *cluster) checkOnce(killed *instance, connections int) {
	c.t.Helper()
	got := c.received()
	unknown := 0
	for _, l := range c.letters() {
		switch n := got[l.email]; l.status {
		case preferences.OutboxSent:
			if n != 1 {
				c.t.Errorf("%s: sent, received %d times", l.email, n)
			}
		case preferences.OutboxUnknown:
			unknown++
			if n > 1 || l.attempts != 1 || killed == nil || !strings.HasPrefix(l.owner, killed.owner()) {
				c.t.Errorf("%s: unknown (claimed by %s, %d attempts), received %d times", l.email, l.owner, l.attempts, n)
			}
		default:
			c.t.Errorf("%s: %s", l.email, l.status)
		}
	}
	if unknown > connections {
		c.t.Errorf("%d letters unknown, want at most one per connection of the killed instance (%d)", unknown, connections)
	}
	// The first minute's run (09:00; 09:01 when the instances started late) queued every
	// letter: none was made after it was done.
	var first string
	var done *time.Time
	if err := c.db.QueryRow(`SELECT slot, done_at FROM scheduled_runs WHERE job = 'birthday' ORDER BY slot LIMIT 1`).Scan(&first, &done); err != nil {
		c.t.Fatal(err)
	}
	if done == nil || c.count(`SELECT count(*) FROM outreach_messages WHERE created_at > $1`, *done) != 0 {
		c.t.Errorf("the first birthday run (%s, done at %v) did not queue every letter; runs:\n%s", first, done, c.runs())
	}
	c.t.Logf("%d received, %d unknown", len(got), unknown)
}

// secondRun runs the day's greetings again through in: nothing is queued or sent.
func (c *cluster) secondRun(in *instance, token string, day time.Time) {
	c.t.Helper()
	before := c.sink.Count()
	status, body := call(c.t, in, "POST", "/api/outreach/birthday/run", token, map[string]any{"date": day.Format(preferences.DateLayout), "dry_run": false})
	if r, _ := body["recipients"].([]any); status != 200 || len(r) != 0 {
		c.t.Fatalf("the second run of the day: %d %v", status, body)
	}
	if c.sink.Count() != before || c.counts()[preferences.OutboxQueued] != 0 {
		c.t.Fatal("the second run of the day sent or queued letters")
	}
}

func (c *cluster) managerToken() string {
	c.t.Helper()
	tok, err := c.store().CreateToken(context.Background(), preferences.RoleManager, "manager")
	if err != nil {
		c.t.Fatal(err)
	}
	return tok
}

// The birthday greetings of 2,000 guests, due at 09:00, across three instances: one of
// them claims the run and queues them, all three send, and the one sending the 400th
// letter is killed (SIGKILL) while the mail server holds its answer to it. The two others, and the killed one
// restarted, finish: every guest gets exactly one letter, except those the killed
// instance was sending (at most one per SMTP connection), which are unknown and never
// sent again. A second run of the day sends nothing.
func TestBirthdayOnceAcrossInstancesWithOneKilled(t *testing.T) {
	day := time.Now().UTC().Truncate(24 * time.Hour)
	c := birthdayCluster(t, day, "5s")
	token := c.managerToken()
	// Each instance's clock reads 08:59:56 as it starts: the 09:00 run comes at once.
	offset := map[string]string{"REGULARS_TEST_CLOCK_OFFSET": offsetTo(day.Add(9*time.Hour - 4*time.Second))}
	ins := c.startThree(func(int) map[string]string { return offset })
	// In the middle of the sending, the mail server holds its answer to the 400th letter;
	// the instance sending it is killed.
	c.sink.HoldReply(400)
	select {
	case <-c.sink.Held():
	case <-time.After(90 * time.Second):
		t.Fatalf("the 400th letter never came: %v", c.counts())
	}
	held := c.sink.Messages()[399].To[0]
	var owner string
	if err := c.db.QueryRow(`SELECT claimed_by FROM outreach_messages WHERE email = $1 AND status = 'sending'`, held).Scan(&owner); err != nil {
		t.Fatalf("the held letter to %s: %v", held, err)
	}
	var victim *instance
	for _, in := range ins {
		if strings.HasPrefix(owner, in.owner()) {
			victim = in
		}
	}
	if victim == nil {
		t.Fatalf("no instance is %s", owner)
	}
	victim.kill(t)
	c.sink.Release()
	atKill := c.counts()
	t.Logf("killed %s at %v", victim.name, atKill)
	if atKill[preferences.OutboxSent] >= guests-100 {
		t.Fatalf("the kill came after the run: %v", atKill)
	}
	restarted := c.start(victim.name+" restarted", offset)
	n := c.waitAllDone(90 * time.Second)
	t.Logf("after the run: %v", n)
	c.checkOnce(victim, 4)
	if st := c.status(held); st != preferences.OutboxUnknown {
		t.Errorf("the letter held at the kill is %s, want unknown", st)
	}
	c.secondRun(restarted, token, day)
}

// The same run with the instances' clocks 3 s apart: the one whose clock is ahead
// claims 09:00 first; the others, reaching their 09:00 later, find it claimed. Each
// guest gets one letter, none unknown.
func TestBirthdayOnceWithClocksApart(t *testing.T) {
	day := time.Now().UTC().Truncate(24 * time.Hour)
	c := birthdayCluster(t, day, "20s")
	token := c.managerToken()
	nine := day.Add(9 * time.Hour)
	ins := c.startThree(func(i int) map[string]string {
		// Clocks at 08:59:50, :53 and :56 as they start.
		return map[string]string{"REGULARS_TEST_CLOCK_OFFSET": offsetTo(nine.Add(-10*time.Second + time.Duration(3*i)*time.Second))}
	})
	n := c.waitAllDone(90 * time.Second)
	t.Logf("after the run: %v", n)
	c.checkOnce(nil, 0)
	// Every instance has run its 09:00 tick by now (or the letters would not all be
	// out... the latest clock's tick comes 6 s after the first): exactly one holds it.
	poll(t, 30*time.Second, "one instance holding the current run", func() bool {
		holders := 0
		for _, in := range ins {
			status, body := call(t, in, "GET", "/healthz", "", nil)
			if status != 200 || body["database"] != "ok" {
				t.Fatalf("%s /healthz: %d %v", in.name, status, body)
			}
			if body["scheduler"] == "holder" {
				holders++
			}
		}
		return holders == 1
	})
	c.secondRun(ins[0], token, day)
}

// runs lists the claims of scheduled runs, for a failure's message.
func (c *cluster) runs() string {
	rows, err := c.db.Query(`SELECT job, slot, claimed_by, claimed_at, lease_until, done_at FROM scheduled_runs ORDER BY claimed_at`)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var job, slot, owner string
		var at, lease time.Time
		var done *time.Time
		if err := rows.Scan(&job, &slot, &owner, &at, &lease, &done); err != nil {
			return err.Error()
		}
		fmt.Fprintf(&b, "%s %s %s claimed %s lease %s done %v\n", job, slot, owner, at.Format(time.TimeOnly), lease.Format(time.TimeOnly), done)
	}
	return b.String()
}

// status is the status of the letter to email.
func (c *cluster) status(email string) string {
	c.t.Helper()
	var st string
	if err := c.db.QueryRow(`SELECT status FROM outreach_messages WHERE email = $1`, email).Scan(&st); err != nil {
		c.t.Fatal(err)
	}
	return st
}
