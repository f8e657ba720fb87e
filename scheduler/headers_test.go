package scheduler_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"

	"regulars/internal/testkit"
	"regulars/preferences"
	"regulars/scheduler"
)

// longHotel is a hotel name long enough that every header naming it must be folded.
const longHotel = "上海外滩江景国际大酒店暨会议中心 Shanghai Bund Riverside International Grand Hotel & Conference Centre"

// A letter from a hotel with a long Chinese name and a long public URL: every header line
// is at most 78 characters but for one unbreakable token (then at most 998), none ends
// at the field name, and net/mail with mime.WordDecoder reads back the subject, the
// List-Id and the unsubscribe link.
func TestLongHeadersFolded(t *testing.T) {
	publicURL := "https://guest-recognition.reservations.shanghai-bund-riverside-grand-hotel.example/regulars"
	e := newEnv(t, time.Date(2026, 5, 12, 9, 0, 30, 0, shanghai), func(c *scheduler.Config) {
		c.HotelName, c.PublicURL = longHotel, publicURL
		c.MailFrom = `"江景酒店" <hello@Bund-Hotel.example>`
	})
	id := e.guest(guestSpec{family: "丁", given: "伟", email: "ding@example.cn", birthday: "1975-05-12"})
	e.run(preferences.OutreachBirthday, "2026-05-12", false)
	msgs := e.sink.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	data := msgs[0].Data
	head := string(data[:bytes.Index(data, []byte("\r\n\r\n"))])
	for _, line := range strings.Split(head, "\r\n") {
		if len(line) > 998 || len(line) > 78 && !oneToken(line) {
			t.Errorf("header line of %d characters:\n%s", len(line), line)
		}
		if strings.HasSuffix(line, ":") { // Python's parser would read the fold as a leading space
			t.Errorf("a field folded right after its name: %q", line)
		}
	}
	m, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	decode := func(name string) string {
		t.Helper()
		v, err := dec.DecodeHeader(m.Header.Get(name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v
	}
	sent := e.messages(preferences.OutboxSent)[0]
	if got := decode("Subject"); got != sent.Subject || !strings.Contains(got, longHotel) {
		t.Errorf("Subject read back as %q, want %q", got, sent.Subject)
	}
	wantID := longHotel + " guest letters <guest-letters.shanghai-bund-riverside-international-gr.bund-hotel.example>"
	if got := decode("List-Id"); got != wantID {
		t.Errorf("List-Id read back as %q, want %q", got, wantID)
	}
	unsub := e.s.Unsubscriber().URL(id)
	if got := m.Header.Get("List-Unsubscribe"); got != "<"+unsub+">" || !strings.HasPrefix(unsub, publicURL+"/u/") {
		t.Errorf("List-Unsubscribe read back as %q, want <%s>", got, unsub)
	}
	if got := m.Header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post: %q", got)
	}
}

// oneToken reports whether a header line holds a single unbreakable token (after the
// field name, if any): folding cannot shorten it.
func oneToken(line string) bool {
	f := strings.Fields(line)
	return len(f) == 1 || len(f) == 2 && strings.HasSuffix(f[0], ":")
}

// The List-Id of an ASCII hotel name is a quoted phrase and an id from the name and the
// From domain, the same on every letter.
func TestListIDOfAnASCIIHotel(t *testing.T) {
	e := newEnv(t, time.Date(2026, 5, 12, 9, 0, 30, 0, shanghai), func(c *scheduler.Config) {
		c.HotelName, c.MailFrom = "Regulars Demo Hotel", "Front Desk <frontdesk@hotel.example>"
	})
	e.guest(guestSpec{family: "Lovelace", email: "ada@example.com", birthday: "1985-05-12", lang: "en"})
	e.guest(guestSpec{family: "Byron", email: "byron@example.com", birthday: "1985-05-12", lang: "en"})
	e.run(preferences.OutreachBirthday, "2026-05-12", false)
	for _, msg := range e.sink.Messages() {
		m, err := msg.Parse()
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Header.Get("List-Id"); got != `"Regulars Demo Hotel guest letters" <guest-letters.regulars-demo-hotel.hotel.example>` {
			t.Errorf("List-Id: %s", got)
		}
	}
}

// With a DKIM key each letter the server receives, and each .eml of the outbox, carries a
// signature that verifies against the published key (RSA and Ed25519); a byte changed
// in the body breaks it.
func TestDKIMSignature(t *testing.T) {
	rsaKey, edKey := testkit.DKIMKeys(t)
	for _, tc := range []struct {
		name string
		key  *scheduler.DKIM
		k    string
		pub  any
	}{
		{"rsa", &scheduler.DKIM{Domain: "river.example", Selector: "letters2026", Signer: rsaKey}, "rsa", &rsaKey.PublicKey},
		{"ed25519", &scheduler.DKIM{Domain: "river.example", Selector: "ed", Signer: edKey}, "ed25519", edKey.Public()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p []byte
			var err error
			if tc.k == "ed25519" { // RFC 8463: the raw key, not PKIX
				p = tc.pub.(ed25519.PublicKey)
			} else if p, err = x509.MarshalPKIXPublicKey(tc.pub); err != nil {
				t.Fatal(err)
			}
			record := "v=DKIM1; k=" + tc.k + "; p=" + base64.StdEncoding.EncodeToString(p)
			lookups := 0
			verify := func(data []byte) error {
				t.Helper()
				v, err := dkim.VerifyWithOptions(bytes.NewReader(data), &dkim.VerifyOptions{LookupTXT: func(domain string) ([]string, error) {
					lookups++
					if domain != tc.key.Selector+"._domainkey.river.example" {
						t.Errorf("looked up %s", domain)
					}
					return []string{record}, nil
				}})
				if err != nil {
					return err
				}
				if len(v) != 1 {
					t.Fatalf("%d signatures", len(v))
				}
				return v[0].Err
			}
			e := newEnv(t, time.Date(2026, 5, 12, 9, 0, 30, 0, shanghai), func(c *scheduler.Config) { c.DKIM = tc.key; c.HotelName = longHotel })
			e.guest(guestSpec{family: "丁", email: "ding@example.cn", birthday: "1975-05-12"})
			e.guest(guestSpec{family: "Lovelace", email: "ada@example.com", birthday: "1985-05-12", lang: "en"})
			e.run(preferences.OutreachBirthday, "2026-05-12", false)
			msgs := e.sink.Messages()
			if len(msgs) != 2 {
				t.Fatalf("%d messages", len(msgs))
			}
			for _, m := range msgs {
				if err := verify(m.Data); err != nil {
					t.Fatalf("the received letter does not verify: %v\n%s", err, m.Data)
				}
				sig := string(m.Data[:bytes.Index(m.Data, []byte("\r\n\r\n"))])
				for _, h := range []string{"from", "to", "subject", "date", "message-id", "list-id", "list-unsubscribe", "list-unsubscribe-post", "mime-version", "content-type"} {
					if !strings.Contains(strings.ToLower(sig), h) {
						t.Errorf("%s is not signed", h)
					}
				}
				altered := bytes.Replace(m.Data, []byte("\r\n\r\n"), []byte("\r\n\r\nX"), 1)
				if err := verify(altered); err == nil {
					t.Fatal("a changed body still verifies")
				}
			}

			// The outbox writes the signed letter too.
			dir := filepath.Join(t.TempDir(), "outbox")
			fm, err := scheduler.NewMailer("", dir)
			if err != nil {
				t.Fatal(err)
			}
			e.s = e.newScheduler(e.db, fm)
			e.guest(guestSpec{family: "王", email: "wang@example.cn", birthday: "1975-05-12"})
			e.run(preferences.OutreachBirthday, "2026-05-12", false)
			files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
			if len(files) != 1 {
				t.Fatalf("outbox: %v", files)
			}
			b, err := os.ReadFile(files[0])
			if err != nil {
				t.Fatal(err)
			}
			if err := verify(b); err != nil {
				t.Fatalf("the .eml does not verify: %v", err)
			}
			if lookups == 0 {
				t.Fatal("no key looked up")
			}
		})
	}
}
