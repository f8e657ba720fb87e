package app_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"regulars/internal/app"
	"regulars/internal/smtpsink"
	"regulars/internal/testkit"
	"regulars/preferences"
)

// writePEM writes a PEM block into a file of dir and returns its path.
func writePEM(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// shortRSAKey is a 512-bit RSA key in PKCS#1, put together by hand: crypto/rsa no longer
// generates keys this weak (but still parses them).
func shortRSAKey(t *testing.T) []byte {
	t.Helper()
	one, e := big.NewInt(1), big.NewInt(65537)
	for {
		p, err := rand.Prime(rand.Reader, 256)
		if err != nil {
			t.Fatal(err)
		}
		q, err := rand.Prime(rand.Reader, 256)
		if err != nil {
			t.Fatal(err)
		}
		phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
		if d := new(big.Int).ModInverse(e, phi); d != nil && p.Cmp(q) != 0 {
			return x509.MarshalPKCS1PrivateKey(&rsa.PrivateKey{PublicKey: rsa.PublicKey{N: new(big.Int).Mul(p, q), E: 65537},
				D: d, Primes: []*big.Int{p, q}})
		}
	}
}

// The DKIM variables are read at start: the key file must hold an RSA key of at least
// 1024 bits or an Ed25519 key, the selector be a DNS label, the domain a domain name, and
// key and selector come together. Errors name the variable and the rule, never the key.
func TestDKIMConfig(t *testing.T) {
	dir := t.TempDir()
	rsaKey, edKey := testkit.DKIMKeys(t)
	edDER, err := x509.MarshalPKCS8PrivateKey(edKey)
	if err != nil {
		t.Fatal(err)
	}
	rsaPath := writePEM(t, dir, "rsa.pem", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey))
	edPath := writePEM(t, dir, "ed.pem", "PRIVATE KEY", edDER)
	shortPath := writePEM(t, dir, "short.pem", "RSA PRIVATE KEY", shortRSAKey(t))
	certPath := writePEM(t, dir, "cert.pem", "CERTIFICATE", []byte("not a key"))
	resolve := func(env map[string]string) (app.Config, error) {
		cfg := app.FromEnv(func(k string) string { return env[k] })
		cfg.DBPath = filepath.Join(t.TempDir(), "r.db")
		return cfg, cfg.Resolve()
	}
	from := "Hotel Aurora <hello@Aurora.example>"
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"REGULARS_DKIM_KEY": filepath.Join(dir, "missing.pem"), "REGULARS_DKIM_SELECTOR": "s1"}, "REGULARS_DKIM_KEY"},
		{map[string]string{"REGULARS_DKIM_KEY": shortPath, "REGULARS_DKIM_SELECTOR": "s1"}, "at least 1024 bits"},
		{map[string]string{"REGULARS_DKIM_KEY": certPath, "REGULARS_DKIM_SELECTOR": "s1"}, "PEM file"},
		{map[string]string{"REGULARS_DKIM_KEY": dir, "REGULARS_DKIM_SELECTOR": "s1"}, "readable"},
		{map[string]string{"REGULARS_DKIM_KEY": rsaPath, "REGULARS_DKIM_SELECTOR": "bad_selector"}, "REGULARS_DKIM_SELECTOR"},
		{map[string]string{"REGULARS_DKIM_KEY": rsaPath, "REGULARS_DKIM_SELECTOR": "-s1"}, "DNS label"},
		{map[string]string{"REGULARS_DKIM_KEY": rsaPath, "REGULARS_DKIM_SELECTOR": "s1", "REGULARS_DKIM_DOMAIN": "hotel"}, "REGULARS_DKIM_DOMAIN"},
		{map[string]string{"REGULARS_DKIM_KEY": rsaPath, "REGULARS_DKIM_SELECTOR": "s1", "REGULARS_DKIM_DOMAIN": "hotel..example"}, "domain name"},
		{map[string]string{"REGULARS_DKIM_KEY": rsaPath}, "set together"},
		{map[string]string{"REGULARS_DKIM_SELECTOR": "s1"}, "set together"},
		{map[string]string{"REGULARS_DKIM_DOMAIN": "hotel.example"}, "set together"},
		{map[string]string{"REGULARS_DKIM_KEY": rsaPath, "REGULARS_DKIM_SELECTOR": "s1"}, "REGULARS_DKIM_DOMAIN"}, // frontdesk@localhost
	} {
		_, err := resolve(c.env)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want an error with %q", c.env, err, c.want)
			continue
		}
		if strings.Contains(err.Error(), "BEGIN") || strings.Contains(err.Error(), "PRIVATE") {
			t.Errorf("the error shows the key: %v", err)
		}
	}
	for _, path := range []string{rsaPath, edPath} {
		cfg, err := resolve(map[string]string{"REGULARS_DKIM_KEY": path, "REGULARS_DKIM_SELECTOR": "letters2026", "REGULARS_MAIL_FROM": from})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.DKIMKey == nil || cfg.DKIMSelector != "letters2026" || cfg.DKIMDomain != "aurora.example" {
			t.Errorf("%s: key %T, selector %q, domain %q", path, cfg.DKIMKey, cfg.DKIMSelector, cfg.DKIMDomain)
		}
		if printed := fmt.Sprintf("%+v", cfg); strings.Contains(printed, rsaKey.D.String()) || strings.Contains(printed, fmt.Sprint(edKey)) {
			t.Errorf("the printed configuration shows the key")
		}
	}
	cfg, err := resolve(map[string]string{"REGULARS_DKIM_KEY": edPath, "REGULARS_DKIM_SELECTOR": "s1", "REGULARS_DKIM_DOMAIN": "mail.aurora.example"})
	if err != nil || cfg.DKIMDomain != "mail.aurora.example" {
		t.Errorf("an explicit domain: %v, %q", err, cfg.DKIMDomain)
	}
}

// A service configured with a DKIM key signs its letters with its selector and domain.
func TestServiceSignsLetters(t *testing.T) {
	_, edKey := testkit.DKIMKeys(t)
	sink := smtpsink.Start(t)
	cfg := testkit.Config(t)
	cfg.SMTPURL = "smtp://" + sink.Addr + "?tls=none"
	cfg.DKIMKey, cfg.DKIMSelector, cfg.DKIMDomain = edKey, "letters2026", "aurora.example"
	a, _ := testkit.Start(t, &cfg)
	ctx := context.Background()
	today := time.Now().In(cfg.Location)
	family, email, birthday, consent := "丁", "ding@example.cn", today.AddDate(-40, 0, 0).Format(preferences.DateLayout), true
	if _, err := a.Store.CreateGuest(ctx, preferences.Actor{Name: "t", Role: preferences.RoleManager},
		preferences.GuestFields{FamilyName: &family, Email: &email, Birthday: &birthday, MarketingConsent: &consent}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Outreach.Run(ctx, preferences.OutreachBirthday, today.Format(preferences.DateLayout), false); err != nil {
		t.Fatal(err)
	}
	msgs := sink.Messages()
	if len(msgs) != 1 || !bytes.Contains(msgs[0].Data, []byte("d=aurora.example")) || !bytes.Contains(msgs[0].Data, []byte("s=letters2026")) {
		t.Fatalf("letters: %d, not signed by aurora.example/letters2026", len(msgs))
	}
}

// With a real mail server and a public URL that is not https, the start warns: RFC 8058
// one-click unsubscribe needs an https URI. Without a mail server (.eml files) or with
// https it does not.
func TestWarnsOfPlainUnsubscribeURL(t *testing.T) {
	for _, c := range []struct {
		smtp, public string
		warn         bool
	}{
		{"smtp://127.0.0.1:25?tls=none", "http://hotel.example", true},
		{"smtp://127.0.0.1:25?tls=none", "https://hotel.example", false},
		{"", "http://hotel.example", false},
	} {
		cfg := testkit.Config(t)
		cfg.SMTPURL, cfg.PublicURL = c.smtp, c.public
		_, logs := testkit.Start(t, &cfg)
		if got := strings.Contains(logs.String(), "RFC 8058"); got != c.warn {
			t.Errorf("SMTP %q, public URL %s: warned %v, want %v\n%s", c.smtp, c.public, got, c.warn, logs)
		}
	}
}
