package scheduler

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"

	"github.com/emersion/go-msgauth/dkim"
	gomail "github.com/wneessen/go-mail"
)

// DKIM is the key letters are signed with (REGULARS_DKIM_*).
type DKIM struct {
	Domain   string // d=: the domain whose DNS publishes the key
	Selector string // s=: the DNS label of the key, under _domainkey.Domain
	Signer   crypto.Signer
}

// dkimHeaders are the header fields signed; a field a letter lacks is signed as absent,
// so nobody can add it on the way.
var dkimHeaders = []string{"From", "To", "Subject", "Date", "Message-Id", "List-Id",
	"List-Unsubscribe", "List-Unsubscribe-Post", "Mime-Version", "Content-Type"}

// listID is the List-Id of the hotel's letters (RFC 2919): a display phrase and a stable
// id built from the hotel's name and the domain of the From address, folded.
func listID(hotel, from string) string {
	domain := FromDomain(from)
	if domain == "" {
		domain = "localhost"
	}
	phrase := hotel + " guest letters"
	if !isASCII(phrase) {
		return fold("List-Id", append(encodedWords(phrase, 76-len("List-Id")), "<guest-letters."+slug(hotel)+"."+domain+">"))
	}
	quoted := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(phrase) + `"`
	return fold("List-Id", append(spaced(quoted), "<guest-letters."+slug(hotel)+"."+domain+">"))
}

// subject is the Subject's value, folded: plain words, or RFC 2047 encoded words when it
// has other than printable ASCII.
func subject(text string) string {
	if isASCII(text) {
		return fold("Subject", spaced(text))
	}
	return fold("Subject", encodedWords(text, 76-len("Subject")))
}

func isASCII(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r > '~' })
}

// spaced splits s at single spaces, where a line may be folded; a run of spaces stays
// with the word before it.
func spaced(s string) []string {
	var words []string
	for i, w := range strings.Split(s, " ") {
		if w == "" && i > 0 {
			words[len(words)-1] += " "
			continue
		}
		words = append(words, w)
	}
	return words
}

// fold joins words with spaces, starting a new line before a word that would take the
// line past 78 characters (RFC 5322 §2.2.3); a longer word stays whole. The first word
// stays on the field name's line: an empty first line would make some parsers (Python's)
// read a leading space into the value.
func fold(name string, words []string) string {
	var b strings.Builder
	line := len(name) + 1
	for i, w := range words {
		if i > 0 && line+1+len(w) > 78 {
			b.WriteString("\r\n")
			line = 0
		}
		b.WriteByte(' ')
		b.WriteString(w)
		line += 1 + len(w)
	}
	return strings.TrimPrefix(b.String(), " ")
}

// encodedWords encodes s as RFC 2047 "Q" encoded words of whole characters, each at most
// 75 characters and the first at most first, so that it fits beside the field name.
// Encoded words side by side decode to the text without the spaces between them.
func encodedWords(s string, first int) []string {
	const open, end = "=?UTF-8?q?", "?="
	var words []string
	var w strings.Builder
	limit := first
	for _, r := range s {
		var enc strings.Builder
		for _, c := range []byte(string(r)) {
			switch {
			case c == ' ':
				enc.WriteByte('_')
			case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!*+-/", c) >= 0:
				enc.WriteByte(c)
			default:
				fmt.Fprintf(&enc, "=%02X", c)
			}
		}
		if w.Len() > 0 && len(open)+w.Len()+enc.Len()+len(end) > limit {
			words = append(words, open+w.String()+end)
			w.Reset()
			limit = 75
		}
		w.WriteString(enc.String())
	}
	return append(words, open+w.String()+end)
}

// FromDomain is the domain of a From address (lower case), "" when it does not parse.
func FromDomain(from string) string {
	a, err := mail.ParseAddress(from)
	if err != nil {
		return ""
	}
	return strings.ToLower(a.Address[strings.LastIndexByte(a.Address, '@')+1:])
}

// slug is a DNS label of the hotel's name: its ASCII letters and digits, other runs a
// hyphen; a name without any (Chinese) gets a label from its hash, stable all the same.
func slug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 40 {
		s = strings.Trim(s[:40], "-")
	}
	if s == "" {
		sum := sha256.Sum256([]byte(name))
		s = "hotel-" + hex.EncodeToString(sum[:4])
	}
	return s
}

// sign adds a DKIM-Signature over the message as go-mail renders it. go-mail renders the
// same bytes again when it sends or writes the message (the Date and Message-ID are set
// and the multipart boundary is kept from the first rendering); the new header does not
// change the others, and the relaxed header canonicalization ignores their order.
func (d *DKIM) sign(msg *gomail.Msg) error {
	var raw bytes.Buffer
	if _, err := msg.WriteTo(&raw); err != nil {
		return err
	}
	s, err := dkim.NewSigner(&dkim.SignOptions{Domain: d.Domain, Selector: d.Selector, Signer: d.Signer,
		HeaderCanonicalization: dkim.CanonicalizationRelaxed, BodyCanonicalization: dkim.CanonicalizationRelaxed,
		HeaderKeys: dkimHeaders})
	if err != nil {
		return err
	}
	if _, err := s.Write(raw.Bytes()); err != nil {
		s.Close()
		return err
	}
	if err := s.Close(); err != nil {
		return fmt.Errorf("DKIM signing: %w", err)
	}
	value := strings.TrimSuffix(strings.TrimPrefix(s.Signature(), "DKIM-Signature: "), "\r\n")
	msg.SetGenHeaderPreformatted("DKIM-Signature", value)
	return nil
}
