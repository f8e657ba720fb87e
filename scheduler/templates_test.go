package scheduler_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/scheduler"
)

// A folder overrides single templates; the rest keep the embedded defaults. English
// guests get English, Chinese guests Chinese, with the hotel's name and their salutation.
func TestTemplatesOverrideAndLanguage(t *testing.T) {
	dir := t.TempDir()
	override := `{{define "subject"}}Many happy returns, {{.Name}}{{end}}Dear {{.Name}}, from all at {{.Hotel}}. {{.UnsubscribeURL}}`
	if err := os.WriteFile(filepath.Join(dir, "birthday.en.txt"), []byte(override), 0o644); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, time.Date(2026, 5, 12, 9, 0, 30, 0, shanghai), func(c *scheduler.Config) { c.Templates = dir })
	e.guest(guestSpec{family: "Lovelace", given: "Ada", email: "ada@example.com", birthday: "1985-05-12", lang: "en"})
	e.guest(guestSpec{family: "丁", given: "伟", email: "ding@example.cn", birthday: "1975-05-12"})
	e.guest(guestSpec{family: "张", given: "伟", salutation: "张先生", email: "zhang@example.cn", birthday: "1985-05-12", lang: "en"})
	e.run(preferences.OutreachBirthday, "2026-05-12", false)
	subjects := map[string]string{}
	for _, m := range e.messages(preferences.OutboxSent) {
		subjects[m.Email] = m.Subject
		if m.Email == "ada@example.com" && !strings.Contains(m.Text, "Dear Ada Lovelace, from all at 江景酒店 River Hotel.") {
			t.Errorf("overridden text: %q", m.Text)
		}
		if m.Email == "zhang@example.cn" && !strings.Contains(m.Text, "Dear Mr. Zhang, from all") {
			t.Errorf("English letter to a guest with a Chinese salutation: %q", m.Text)
		}
		if m.Email == "ding@example.cn" && !strings.Contains(m.Text, "尊敬的丁伟") {
			t.Errorf("default Chinese text: %q", m.Text)
		}
	}
	if subjects["ada@example.com"] != "Many happy returns, Ada Lovelace" || subjects["ding@example.cn"] != "江景酒店 River Hotel祝您生日快乐!" {
		t.Fatalf("subjects %v", subjects)
	}
}

// A broken template stops the start, not the 09:00 run.
func TestBrokenTemplateFailsAtStart(t *testing.T) {
	for name, body := range map[string]string{
		"lapse.zh.html":    `<p>{{.Name}</p>`,                           // does not parse
		"birthday.zh.txt":  `{{define "subject"}}x{{end}}{{.Nickname}}`, // no such field
		"birthday.en.txt":  `Dear {{.Name}}`,                            // no subject
		"lapse.en.html":    `{{template "missing"}}`,                    // fails when executed
		"birthday.en.html": `{{.Hotel.Name}}`,                           // wrong type
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg := baseConfig()
		cfg.Templates = dir
		_, err := scheduler.New(cfg, nil, nil)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s %q: New = %v, want an error naming the file", name, body, err)
		}
	}
	cfg := baseConfig()
	cfg.Templates = filepath.Join(t.TempDir(), "missing")
	if _, err := scheduler.New(cfg, nil, nil); err == nil || !strings.Contains(err.Error(), "REGULARS_TEMPLATES") {
		t.Errorf("missing folder: %v", err)
	}
}

// Without SMTP each message becomes an .eml file in the outbox folder.
func TestFileMailerWritesEML(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	e := newEnv(t, time.Date(2026, 5, 12, 9, 0, 30, 0, shanghai))
	m, err := scheduler.NewMailer("", dir)
	if err != nil {
		t.Fatal(err)
	}
	e.s = e.newScheduler(e.db, m)
	e.guest(guestSpec{family: "丁", email: "ding@example.cn", birthday: "1975-05-12"})
	if r := e.run(preferences.OutreachBirthday, "2026-05-12", false); len(r) != 1 || r[0].Status != preferences.OutboxSent {
		t.Fatalf("run = %+v", r)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 1 {
		t.Fatalf("outbox folder has %v", files)
	}
	b, _ := os.ReadFile(files[0])
	if !strings.Contains(string(b), "List-Unsubscribe-Post: List-Unsubscribe=One-Click") || !strings.Contains(string(b), "To: <ding@example.cn>") {
		t.Fatalf(".eml:\n%s", b)
	}
}

// The rate limit spaces messages out: at 20 a second, 6 messages take 5 gaps of 50 ms
// by the scheduler's (fake) clock. They share one SMTP session: the connection is not
// dropped while the sender waits for its pace. One connection, so that whether the
// worker is free when the next message is due (real time) cannot open another.
func TestRateLimit(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 9, 0, 30, 0, shanghai), func(c *scheduler.Config) { c.RatePerSecond, c.Connections = 20, 1 })
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		e.guest(guestSpec{family: n, email: n + "@example.com", birthday: "1975-05-12"})
	}
	ran := e.runAside(preferences.OutreachBirthday, "2026-05-12")
	e.pace(50*time.Millisecond, 250*time.Millisecond)
	e.ended(ran)
	if n := e.sink.Count(); n != 6 {
		t.Fatalf("%d of 6 messages sent", n)
	}
	if n := e.sink.Sessions(); n != 1 {
		t.Fatalf("%d SMTP sessions for one batch", n)
	}
}

// Shutdown cuts off a send whose content was handed over and whose answer the server
// withholds: it does not wait for the answer, and records the message unknown (it may
// have been delivered, so it is never sent again). One connection, so that the third
// message is not begun while the second is held; it stays queued.
func TestShutdownCutsOffTheMessageInFlight(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 8, 59, 30, 0, shanghai), func(c *scheduler.Config) { c.AfterTick, c.Connections = nil, 1 })
	for _, n := range []string{"a", "b", "c"} {
		e.guest(guestSpec{family: n, email: n + "@example.com", birthday: "1975-05-12"})
	}
	e.sink.HoldReply(2)
	if err := e.s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	e.clock.BlockUntilContext(ctx, 1)
	e.clock.Advance(time.Minute)
	within(t, e.sink.Held(), "the run reaching the second message")
	shutdownWithin(t, e.s, "Shutdown with the answer held") // the sink releases it only when the test ends
	count := func(status string) int { return len(e.messages(status)) }
	if count(preferences.OutboxSent) != 1 || count(preferences.OutboxUnknown) != 1 || count(preferences.OutboxQueued) != 1 {
		t.Fatalf("after shutdown: %+v", e.messages(""))
	}
}
