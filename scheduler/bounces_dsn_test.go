package scheduler_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"regulars/preferences"
	"regulars/scheduler"
)

// dsn is a delivery status notification for one recipient, as Postfix writes them.
func dsn(to, action, status, diag string, at time.Time) string {
	date := at.Format(time.RFC1123Z)
	return strings.ReplaceAll(fmt.Sprintf(`Date: %[5]s
From: MAILER-DAEMON@mx.hotel.example (Mail Delivery System)
Subject: Delayed Mail (still being retried)
To: frontdesk@hotel.example
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B-%[1]s"

--B-%[1]s
Content-Type: text/plain; charset=us-ascii

The mail system.
>From here on it is the report.

--B-%[1]s
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.hotel.example
Arrival-Date: %[5]s

Final-Recipient: rfc822; %[1]s
Action: %[2]s
Status: %[3]s
Diagnostic-Code: smtp; %[4]s

--B-%[1]s--
`, to, action, status, diag, date), "\n", "\r\n")
}

// arf is an abuse report (RFC 5965) about a letter to rcpt.
func arf(rcpt string, at time.Time) string {
	return strings.ReplaceAll(fmt.Sprintf(`From: feedback@mail.example.net
Date: %[2]s
Subject: FW: spam report
To: abuse@hotel.example
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="arf"

--arf
Content-Type: text/plain; charset="US-ASCII"

This is an email abuse report.

--arf
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleFBL/1.0
Version: 1
Original-Mail-From: <frontdesk@hotel.example>
Original-Rcpt-To: <%[1]s>
Arrival-Date: %[2]s

--arf
Content-Type: text/rfc822-headers

From: Front Desk <frontdesk@hotel.example>
To: %[1]s
Subject: Happy birthday

--arf--
`, rcpt, at.Format(time.RFC1123Z)), "\n", "\r\n")
}

// A real-looking Postfix bounce: one hard bounce, its time the last attempt's (else the
// arrival's), the diagnostic without the "smtp;" type.
func TestReadPostfixBounce(t *testing.T) {
	f, err := os.Open("testdata/bounces/postfix-hard.eml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	reps, err := scheduler.ReadBounceReports(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 1 || reps[0].Err != nil || len(reps[0].Bounces) != 1 {
		t.Fatalf("reports: %+v", reps)
	}
	b := reps[0].Bounces[0]
	want := time.Date(2026, 12, 7, 1, 12, 40, 0, time.UTC)
	if b.Email != "ding.gone@example.cn" || b.Kind != preferences.BounceHard || !b.At.Equal(want) ||
		!strings.HasPrefix(b.Diagnostic, "550 5.1.1 <ding.gone@example.cn>: Recipient address rejected") || b.Source != preferences.BounceFromImport {
		t.Fatalf("bounce: %+v", b)
	}
}

// An mbox of reports: each message on its own, a malformed one reported by its index
// and the others read; ">From " quoting undone.
func TestReadBounceMbox(t *testing.T) {
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	var mbox bytes.Buffer
	add := func(msg string) {
		fmt.Fprintf(&mbox, "From MAILER-DAEMON %s\r\n%s\r\n", at.Format(time.ANSIC), msg)
	}
	add(dsn("full@example.cn", "delayed", "4.2.2", "452 4.2.2 Mailbox full", at))
	add("From: x@example.cn\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"zz\"\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nno status part\r\n--zz--\r\n")
	add(arf("spam@example.cn", at))
	add("From: friend@example.cn\r\nSubject: thank you\r\n\r\nA plain reply, not a bounce.\r\n")
	add(dsn("gone@example.cn", "failed", "5.1.1", "550 5.1.1 user unknown", at))
	add(dsn("ok@example.cn", "delivered", "2.0.0", "250 ok", at))
	add(dsn("odd@example.cn", "failed", "", "", at))
	reps, err := scheduler.ReadBounceReports(&mbox)
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 7 {
		t.Fatalf("%d messages, want 7", len(reps))
	}
	kinds := func(r scheduler.BounceReport) string {
		var s []string
		for _, b := range r.Bounces {
			s = append(s, string(b.Kind)+" "+b.Email)
		}
		return strings.Join(s, ",")
	}
	for i, want := range []string{"soft full@example.cn", "", "complaint spam@example.cn", "", "hard gone@example.cn", "", ""} {
		if got := kinds(reps[i]); got != want || reps[i].Index != i+1 {
			t.Errorf("message %d: %q (%+v), want %q", i+1, got, reps[i], want)
		}
	}
	if reps[1].Err == nil || !strings.Contains(reps[1].Err.Error(), "without a delivery-status") {
		t.Errorf("message 2: %v, want malformed", reps[1].Err)
	}
	if reps[3].Err != nil || !strings.Contains(reps[3].Skipped, "not a delivery status notification") {
		t.Errorf("message 4: %+v, want skipped", reps[3])
	}
	if reps[5].Err != nil || !strings.Contains(reps[5].Skipped, "not a bounce") {
		t.Errorf("message 6: %+v, want skipped", reps[5])
	}
	if reps[6].Err == nil {
		t.Errorf("message 7 (failed without a status): %+v, want malformed", reps[6])
	}
	if b := reps[0].Bounces[0]; !b.At.Equal(at) || b.Diagnostic != "452 4.2.2 Mailbox full" {
		t.Errorf("soft bounce: %+v", b)
	}
}

// Hostile input: too large, too many messages, truncated, binary or deeply broken
// messages are reported, never a panic.
func TestReadBounceReportsHostile(t *testing.T) {
	if _, err := scheduler.ReadBounceReports(bytes.NewReader(make([]byte, scheduler.MaxBounceFile+1))); err == nil {
		t.Error("a file over the limit was read")
	}
	big := "From a b\r\n" + "Subject: x\r\n\r\n" + strings.Repeat("y", scheduler.MaxBounceMessage+1)
	reps, err := scheduler.ReadBounceReports(strings.NewReader(big))
	if err != nil || len(reps) != 1 || reps[0].Err == nil {
		t.Errorf("a message over the limit: %+v %v", reps, err)
	}
	good := dsn("gone@example.cn", "failed", "5.1.1", "550", time.Now())
	for i, msg := range []string{
		"",
		"\x00\x01\x02\xff\xfe",
		good[:len(good)/2],
		strings.Replace(good, "Content-Type: message/delivery-status", "Content-Type: message/delivery-status\r\n"+strings.Repeat("X-Long: "+strings.Repeat("a", 900)+"\r\n", 100), 1),
		strings.Replace(good, "boundary=\"B-gone@example.cn\"", "boundary=", 1),
		strings.Replace(good, "Final-Recipient: rfc822; gone@example.cn", "Final-Recipient: x400; whatever", 1),
		"Content-Type: multipart/report; boundary=\"a\"\r\n\r\n" + strings.Repeat("--a\r\nContent-Type: multipart/report; boundary=\"a\"\r\n\r\n", 10000),
		"Subject: " + strings.Repeat("x", 200<<10) + "\r\n\r\nbody",
	} {
		reps, err := scheduler.ReadBounceReports(strings.NewReader(msg))
		if err != nil || len(reps) != 1 {
			t.Errorf("case %d: %+v %v", i, reps, err)
			continue
		}
		if r := reps[0]; r.Err == nil && r.Skipped == "" && len(r.Bounces) == 0 {
			t.Errorf("case %d: neither bounces nor a reason", i)
		}
	}
}

func FuzzReadBounceReports(f *testing.F) {
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	f.Add(dsn("gone@example.cn", "failed", "5.1.1", "550", at))
	f.Add(arf("spam@example.cn", at))
	f.Add("From a b\r\n" + dsn("a@example.cn", "delayed", "4.0.0", "", at) + "\r\nFrom c d\r\nSubject: x\r\n\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		reps, err := scheduler.ReadBounceReports(strings.NewReader(in))
		if err == nil && len(reps) == 0 {
			t.Fatal("no report and no error")
		}
	})
}
