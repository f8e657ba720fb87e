package scheduler

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
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
// id built from the hotel's name and the domain of the From address.
func listID(hotel, from string) string {
	domain := FromDomain(from)
	if domain == "" {
		domain = "localhost"
	}
	phrase := hotel + " guest letters"
	if strings.ContainsFunc(phrase, func(r rune) bool { return r >= 0x80 }) {
		phrase = mime.QEncoding.Encode("utf-8", phrase) // encoded words of ≤ 75 characters, foldable between them
	} else {
		phrase = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(phrase) + `"`
	}
	return phrase + " <guest-letters." + slug(hotel) + "." + domain + ">"
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
