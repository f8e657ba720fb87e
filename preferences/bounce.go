package preferences

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// BounceKind is how a letter came back: a hard bounce (the address does not exist), a
// soft one (a full mailbox, a server down) or a complaint (the guest marked it as spam).
type BounceKind string

// The kinds of bounce.
const (
	BounceHard      BounceKind = "hard"
	BounceSoft      BounceKind = "soft"
	BounceComplaint BounceKind = "complaint"
)

// The bounce rules: a hard bounce or a complaint stops mail to the address at once;
// SoftBounceLimit soft bounces within SoftBounceWindow stop it too.
const (
	SoftBounceLimit  = 3
	SoftBounceWindow = 30 * 24 * time.Hour
)

// Limits on a bounce as it arrives.
const (
	MaxBounceDiagnostic  = 4000 // characters accepted
	KeptBounceDiagnostic = 300  // characters kept in the bounce log
	BounceFutureSlack    = 24 * time.Hour
)

// Where a bounce came from.
const (
	BounceFromWebhook = "webhook"
	BounceFromImport  = "import"
)

// OutboxSuppressed is the status of a letter not sent because its address is stopped.
const OutboxSuppressed = "suppressed"

// Bounce is one report that a letter to Email came back.
type Bounce struct {
	Email      string
	Kind       BounceKind
	At         time.Time
	Diagnostic string
	Source     string // BounceFromWebhook or BounceFromImport
}

// StoredBounce is a bounce as the log keeps it: no address, only its keyed hash.
type StoredBounce struct {
	AddressHash string
	Kind        BounceKind
	At          time.Time
	Diagnostic  string
	Source      string
	RecordedAt  time.Time
}

// MailSuppression is an address the hotel no longer writes to: why (the kind of the
// bounce that stopped it) and since when (that bounce's time).
type MailSuppression struct {
	Kind  BounceKind `json:"kind"`
	Since time.Time  `json:"since"`
}

// Reason is the suppression as the outbox and explanations say it.
func (m MailSuppression) Reason() string {
	what := "bounced (" + string(m.Kind) + ")"
	if m.Kind == BounceComplaint {
		what = "marked a letter as spam (complaint)"
	}
	return "letters stopped: the address " + what + " on " + m.Since.UTC().Format(time.RFC3339)
}

// BounceResult is what recording a bounce did.
type BounceResult struct {
	Email    string     `json:"email"`
	Kind     BounceKind `json:"kind"`
	At       time.Time  `json:"at"`
	Recorded bool       `json:"recorded"` // false: the same bounce was recorded before
	// SoftBounces counts the soft bounces of the address within SoftBounceWindow of At.
	SoftBounces int              `json:"soft_bounces"`
	Suppressed  bool             `json:"suppressed"`
	Suppression *MailSuppression `json:"suppression"`
}

// ParseBounceKind returns the kind named s, or an EINVALID error on field "kind".
func ParseBounceKind(s string) (BounceKind, error) {
	switch k := BounceKind(s); k {
	case BounceHard, BounceSoft, BounceComplaint:
		return k, nil
	}
	return "", FieldErr("kind", "must be hard, soft or complaint")
}

// ParseBounce validates a bounce as a relay posts it (at: RFC 3339), every field at once.
func ParseBounce(email, kind, at, diagnostic string, now time.Time) (Bounce, error) {
	var v Invalid
	b := Bounce{Email: strings.TrimSpace(email), Diagnostic: diagnostic, Source: BounceFromWebhook}
	checkBounceEmail(&v, b.Email)
	k, err := ParseBounceKind(kind)
	v.Merge("", err)
	b.Kind = k
	switch t, err := time.Parse(time.RFC3339Nano, at); {
	case at == "":
		v.Add("at", "is required")
	case err != nil:
		v.Add("at", "must be a time as RFC 3339, like 2026-12-07T09:30:00Z")
	default:
		b.At = t.UTC()
		checkBounceAt(&v, b.At, now)
	}
	checkBounceDiagnostic(&v, diagnostic)
	return b, v.Err()
}

// Validate checks a bounce built by the service itself (an imported report).
func (b Bounce) Validate(now time.Time) error {
	var v Invalid
	checkBounceEmail(&v, b.Email)
	if _, err := ParseBounceKind(string(b.Kind)); err != nil {
		v.Merge("", err)
	}
	if b.At.IsZero() {
		v.Add("at", "is required")
	} else {
		checkBounceAt(&v, b.At, now)
	}
	checkBounceDiagnostic(&v, b.Diagnostic)
	if b.Source != BounceFromWebhook && b.Source != BounceFromImport {
		v.Add("source", "must be webhook or import")
	}
	return v.Err()
}

func checkBounceEmail(v *Invalid, email string) {
	switch a, err := mail.ParseAddress(email); {
	case email == "":
		v.Add("email", "is required")
	case len(email) > MaxEmailLen:
		v.Add("email", "must be at most %d characters", MaxEmailLen)
	case err != nil || a.Address != email:
		v.Add("email", "must be an email address like name@example.com")
	}
}

func checkBounceAt(v *Invalid, at, now time.Time) {
	if at.After(now.Add(BounceFutureSlack)) {
		v.Add("at", "must not be more than a day in the future")
	} else if at.Before(now.AddDate(-1, 0, 0)) {
		v.Add("at", "must be within the last year")
	}
}

func checkBounceDiagnostic(v *Invalid, d string) {
	if !utf8.ValidString(d) {
		v.Add("diagnostic", "must be UTF-8 text")
	} else if utf8.RuneCountInString(d) > MaxBounceDiagnostic {
		v.Add("diagnostic", "must be at most %d characters", MaxBounceDiagnostic)
	}
}

// addressLike finds what looks like an email address, with or without angle brackets.
var addressLike = regexp.MustCompile(`<?[^\s<>()\[\]@;:,"]+@[^\s<>()\[\]@;:,"]+>?`)

// CleanDiagnostic is the diagnostic as the bounce log keeps it: any address in it
// replaced (the log keeps no address), control characters as spaces, whitespace folded,
// at most KeptBounceDiagnostic characters.
func CleanDiagnostic(d string) string {
	d = strings.ToValidUTF8(d, "")
	d = addressLike.ReplaceAllString(d, "<address>")
	d = strings.Join(strings.FieldsFunc(d, func(r rune) bool { return r < ' ' || r == ' ' || r == 0x7f }), " ")
	if r := []rune(d); len(r) > KeptBounceDiagnostic {
		d = string(r[:KeptBounceDiagnostic-1]) + "…"
	}
	return d
}

// softSuppresses tells whether SoftBounceLimit of the soft bounces at (sorted) fall
// within one SoftBounceWindow.
func softSuppresses(at []time.Time) bool {
	for i := 0; i+SoftBounceLimit-1 < len(at); i++ {
		if at[i+SoftBounceLimit-1].Sub(at[i]) <= SoftBounceWindow {
			return true
		}
	}
	return false
}
