package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"regulars/internal/testkit"
	"regulars/preferences"
)

// dsnDates are the dates of the Postfix bounce in testdata, moved to yesterday by
// recent: the import refuses bounces more than a year old.
var dsnDates = regexp.MustCompile(`\w{3}, +\d{1,2} \w{3} \d{4}`)

// recent is the Postfix bounce of the scheduler's testdata, dated yesterday, to email
// with action and status.
func recent(t *testing.T, email, action, status string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(packageDir, "..", "..", "scheduler", "testdata", "bounces", "postfix-hard.eml"))
	if err != nil {
		t.Fatal(err)
	}
	s := dsnDates.ReplaceAllString(string(b), time.Now().AddDate(0, 0, -1).Format("Mon, 2 Jan 2006"))
	s = strings.ReplaceAll(s, "ding.gone@example.cn", email)
	s = strings.Replace(s, "Action: failed", "Action: "+action, 1)
	return strings.Replace(s, "Status: 5.1.1", "Status: "+status, 1)
}

// `regulars bounces import` on a running service's database: a real-looking DSN stops
// the guest's letters (the card shows it), the same file again counts once, an mbox with
// a malformed message records the others and exits with an error; `bounces lift` lets
// letters go again.
func TestBouncesImportAndLift(t *testing.T) {
	cfg := testkit.Config(t)
	a, _ := testkit.Start(t, &cfg)
	ctx := context.Background()
	dir := t.TempDir()
	eml, mbox := filepath.Join(dir, "bounce.eml"), filepath.Join(dir, "bounces.mbox")
	if err := os.WriteFile(eml, []byte(recent(t, "ding.gone@example.cn", "failed", "5.1.1")), 0o600); err != nil {
		t.Fatal(err)
	}
	from := "From MAILER-DAEMON " + time.Now().Format(time.ANSIC) + "\r\n"
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.RFC1123Z)
	arf := "From: fbl@mail.example.net\r\nDate: " + yesterday + "\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=feedback-report; boundary=\"arf\"\r\n\r\n" +
		"--arf\r\nContent-Type: text/plain\r\n\r\nAn abuse report.\r\n" +
		"--arf\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nVersion: 1\r\n" +
		"Original-Rcpt-To: <spam@example.cn>\r\nArrival-Date: " + yesterday + "\r\n\r\n--arf--\r\n"
	broken := "From: x@example.cn\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"zz\"\r\n\r\n" +
		"--zz\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n--zz--\r\n"
	content := from + recent(t, "full@example.cn", "delayed", "4.2.2") + "\r\n" + from + broken + "\r\n" + from + arf
	if err := os.WriteFile(mbox, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	family, email, consent := "丁", "ding.gone@example.cn", true
	g, err := a.Store.CreateGuest(ctx, preferences.Actor{Name: "t", Role: preferences.RoleManager},
		preferences.GuestFields{FamilyName: &family, Email: &email, MarketingConsent: &consent})
	if err != nil {
		t.Fatal(err)
	}
	desk := testkit.Token(t, a, preferences.RoleFrontDesk)
	cmd := newCLI(t, cfg)

	out := cmd.run("bounces", "import", eml)
	if !strings.Contains(out, "1\trecorded\thard bounce; letters to the address are stopped\n") ||
		!strings.Contains(out, "1 messages: 1 bounces recorded (1 addresses stopped), 0 recorded before, 0 skipped, 0 malformed") {
		t.Fatalf("import: %s", out)
	}
	if strings.Contains(out, "@") {
		t.Fatalf("the import printed an address: %s", out)
	}
	if out := cmd.run("bounces", "import", eml); !strings.Contains(out, "1\trepeat\t") || !strings.Contains(out, "0 bounces recorded") {
		t.Fatalf("import again: %s", out)
	}
	card := testkit.Call(t, a, "GET", "/api/guests/"+g.ID+"/recognition", desk, nil)
	if sup, _ := card.Map(t)["mail_suppressed"].(map[string]any); sup["kind"] != "hard" {
		t.Fatalf("card after the import: %s", card.Body)
	}

	out, err = cmd.try("bounces", "import", mbox)
	if err == nil || !strings.Contains(out, "1\trecorded\tsoft bounce\n") || !strings.Contains(out, "2\tmalformed\tdelivery-status without a recipient block") ||
		!strings.Contains(out, "3\trecorded\tcomplaint bounce; letters to the address are stopped") ||
		!strings.Contains(out, "3 messages: 2 bounces recorded (1 addresses stopped), 0 recorded before, 0 skipped, 1 malformed") {
		t.Fatalf("mbox import: %v\n%s", err, out)
	}
	if sup, err := a.Store.MailSuppressionOf(ctx, "spam@example.cn"); err != nil || sup == nil || sup.Kind != preferences.BounceComplaint {
		t.Fatalf("complaint: %+v %v", sup, err)
	}
	if _, err := cmd.try("bounces", "import", filepath.Join(dir, "missing.eml")); err == nil {
		t.Fatal("a missing file imported")
	}

	if out := cmd.run("bounces", "lift", "--email", "ding.gone@example.cn"); !strings.Contains(out, "lifted") {
		t.Fatalf("lift: %s", out)
	}
	if card := testkit.Call(t, a, "GET", "/api/guests/"+g.ID+"/recognition", desk, nil); card.Map(t)["mail_suppressed"] != nil {
		t.Fatalf("card after the lift: %s", card.Body)
	}
	if _, err := cmd.try("bounces", "lift", "--email", "ding.gone@example.cn"); err == nil {
		t.Fatal("lifted twice")
	}
	relay := strings.TrimSpace(cmd.run("token", "create", "--role", "relay", "--name", "mail relay"))
	if r := testkit.Call(t, a, "GET", "/api/guests?q=ding", relay, nil); r.Status != 403 {
		t.Fatalf("relay token on the guest search: %d", r.Status)
	}
	if _, err := cmd.try("user", "add", "--role", "relay", "--name", "relay person"); err == nil {
		t.Fatal("a staff login with the relay role")
	}
}
