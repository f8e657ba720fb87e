package preferences

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Document types a guest can identify with.
const (
	DocCNResidentID = "cn_resident_id"
	DocPassport     = "passport"
	DocOther        = "other"
)

// DocumentInput is a document as sent by a client: the number is clear text and must
// never leave the request that carried it.
type DocumentInput struct {
	Type   string `json:"type"`
	Number string `json:"number"`
}

// Document is what is kept and shown of a document: its type and last four characters.
type Document struct {
	Type  string `json:"type"`
	Last4 string `json:"last4"`
}

// SealedDocument is a validated document ready to store: the keyed hash for look-up
// and the last four characters for display. It holds no clear number.
type SealedDocument struct {
	Type      string
	Hash      []byte
	Last4     string
	BirthDate string // YYYY-MM-DD carried by a cn_resident_id, else ""
}

// cnProvinces are the first two digits of the GB/T 2260 province-level codes.
var cnProvinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

var cnWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const cnCheckChars = "10X98765432"

// CNCheckDigit returns the GB 11643 (ISO 7064 MOD 11-2) check character for the first
// 17 digits of a resident ID.
func CNCheckDigit(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * cnWeights[i]
	}
	return cnCheckChars[sum%11]
}

// NormalizeDocumentNumber trims the number, drops inner spaces and dashes, and upper-cases it,
// so that the same document typed two ways hashes the same.
func NormalizeDocumentNumber(number string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(number) {
		if r == ' ' || r == '-' || r == '\u3000' {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// ValidateDocument checks a document's type and number and returns its normalized number
// and, for a resident ID, its birth date. today bounds the birth date.
func ValidateDocument(d DocumentInput, today time.Time) (number, birthDate string, err error) {
	if !utf8.ValidString(d.Number) {
		return "", "", FieldErr("number", "must be valid UTF-8")
	}
	number = NormalizeDocumentNumber(d.Number)
	switch d.Type {
	case DocCNResidentID:
		birthDate, err = validateCNResidentID(number, today)
		return number, birthDate, err
	case DocPassport:
		if l := len(number); l < 5 || l > 20 {
			return "", "", FieldErr("number", "a passport number has 5 to 20 letters and digits")
		}
		for _, r := range number {
			if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return "", "", FieldErr("number", "a passport number has only letters A-Z and digits")
			}
		}
		return number, "", nil
	case DocOther:
		if n := utf8.RuneCountInString(number); n < 3 || n > 40 {
			return "", "", FieldErr("number", "must be 3 to 40 characters")
		}
		for _, r := range number {
			if !unicode.IsPrint(r) {
				return "", "", FieldErr("number", "must contain only printable characters")
			}
		}
		return number, "", nil
	case "":
		return "", "", FieldErr("type", "is required (cn_resident_id, passport or other)")
	default:
		return "", "", FieldErr("type", "must be cn_resident_id, passport or other")
	}
}

// validCNRegion reports whether the first six digits of an 18-digit ID name a region. Three
// kinds of card share the resident ID's format and check digit: the resident ID (a
// province and a county, not "0000"), the residence permit of Hong Kong, Macau and Taiwan
// residents (exactly 810000, 820000, 830000), and the 2023 foreign permanent resident ID
// card ("9", the issuing province, then a three-digit nationality code).
func validCNRegion(r string) bool {
	switch {
	case r == "810000" || r == "820000" || r == "830000":
		return true
	case r[0] == '9':
		return cnProvinces[r[1:3]] && r[1] != '8'
	}
	return cnProvinces[r[:2]] && r[:2] < "81" && r[2:6] != "0000"
}

func validateCNResidentID(n string, today time.Time) (string, error) {
	if len(n) != 18 {
		return "", FieldErr("number", "a resident ID has 18 characters")
	}
	for i := 0; i < 17; i++ {
		if n[i] < '0' || n[i] > '9' {
			return "", FieldErr("number", "the first 17 characters of a resident ID are digits")
		}
	}
	if !(n[17] >= '0' && n[17] <= '9' || n[17] == 'X') {
		return "", FieldErr("number", "the last character of a resident ID is a digit or X")
	}
	if !validCNRegion(n[:6]) {
		return "", FieldErr("number", "the region code (digits 1-6) is not a valid region")
	}
	birth, err := time.Parse("20060102", n[6:14])
	if err != nil {
		return "", FieldErr("number", "the birth date (digits 7-14) is not a real date")
	}
	if birth.Year() < 1900 {
		return "", FieldErr("number", "the birth date (digits 7-14) is before 1900")
	}
	if birth.After(today) {
		return "", FieldErr("number", "the birth date (digits 7-14) is in the future")
	}
	if CNCheckDigit(n) != n[17] {
		return "", FieldErr("number", "the check digit does not match (GB 11643)")
	}
	return birth.Format(DateLayout), nil
}

// Sealer turns validated documents into keyed hashes with the service secret. It is
// safe for concurrent use.
type Sealer struct {
	secret []byte
	macs   sync.Pool // keyed HMACs: Reset keeps the key, so each hash skips keying
}

// NewSealer returns a Sealer keyed with secret.
func NewSealer(secret []byte) *Sealer {
	s := &Sealer{secret: append([]byte(nil), secret...)}
	s.macs.New = func() any { return hmac.New(sha256.New, s.secret) }
	return s
}

// Hash returns the HMAC-SHA256 of the document type and normalized number.
func (s *Sealer) Hash(docType, normalized string) []byte {
	m := s.macs.Get().(hash.Hash)
	defer s.macs.Put(m)
	m.Reset()
	m.Write([]byte(docType))
	m.Write([]byte{0})
	m.Write([]byte(normalized))
	return m.Sum(nil)
}

// Seal validates d and returns what may be stored of it.
func (s *Sealer) Seal(d DocumentInput, today time.Time) (SealedDocument, error) {
	number, birth, err := ValidateDocument(d, today)
	if err != nil {
		return SealedDocument{}, err
	}
	r := []rune(number)
	last4 := string(r[max(0, len(r)-4):])
	return SealedDocument{Type: d.Type, Hash: s.Hash(d.Type, number), Last4: last4, BirthDate: birth}, nil
}
