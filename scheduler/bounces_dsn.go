package scheduler

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"

	"regulars/preferences"
)

// Limits of a bounce file: what a hostile or broken file cannot exceed.
const (
	MaxBounceFile     = 64 << 20 // bytes in one .eml or mbox
	MaxBounceMessage  = 4 << 20  // bytes in one message of it
	MaxBounceMessages = 20000    // messages in one mbox
	maxReportParts    = 20       // parts of one multipart/report looked at
	maxReportHeader   = 64 << 10 // bytes of a message's or a status block's header
	maxRecipients     = 100      // recipients of one report
)

// BounceReport is what one message of a bounce file says: its bounces, or why none was
// taken from it (Skipped: not a bounce; Err: malformed).
type BounceReport struct {
	Index   int // 1-based, in the file's order
	Bounces []preferences.Bounce
	Skipped string
	Err     error
}

// ReadBounceReports reads a file of delivery status notifications (RFC 3464) and abuse
// reports (RFC 5965, ARF): one message (.eml) or an mbox of them. Each message is
// parsed on its own: a malformed one is reported with its index and the others are
// read. An error is returned only for the file as a whole (too large, unreadable).
func ReadBounceReports(r io.Reader) ([]BounceReport, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBounceFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxBounceFile {
		return nil, fmt.Errorf("the file is larger than %d MiB", MaxBounceFile>>20)
	}
	msgs, mbox := [][]byte{data}, bytes.HasPrefix(data, []byte("From "))
	if mbox {
		if msgs, err = splitMbox(data); err != nil {
			return nil, err
		}
	}
	out := make([]BounceReport, 0, len(msgs))
	for i, m := range msgs {
		rep := BounceReport{Index: i + 1}
		if len(m) > MaxBounceMessage {
			rep.Err = fmt.Errorf("larger than %d MiB", MaxBounceMessage>>20)
		} else {
			if mbox {
				m = unquoteMbox(m)
			}
			rep.Bounces, rep.Skipped, rep.Err = parseBounceMessage(m)
		}
		out = append(out, rep)
	}
	return out, nil
}

// splitMbox cuts an mbox at each "From " line that starts the file or follows an empty
// line. A message is a slice of data; unquoteMbox undoes its ">From " quoting.
func splitMbox(data []byte) ([][]byte, error) {
	var out [][]byte
	begin := -1 // where the current message's header starts
	prevEmpty := true
	for off := 0; off < len(data); {
		n := bytes.IndexByte(data[off:], '\n') + 1
		if n == 0 {
			n = len(data) - off
		}
		line := bytes.TrimRight(data[off:off+n], "\r\n")
		if prevEmpty && bytes.HasPrefix(line, []byte("From ")) {
			if begin >= 0 {
				out = append(out, data[begin:off])
			}
			if len(out) == MaxBounceMessages {
				return nil, fmt.Errorf("the mbox holds more than %d messages", MaxBounceMessages)
			}
			begin = off + n
		}
		prevEmpty = len(line) == 0
		off += n
	}
	if begin >= 0 {
		out = append(out, data[begin:])
	}
	return out, nil
}

// mboxQuoted finds a line of mboxrd quoting: one or more '>' before "From ".
var mboxQuoted = regexp.MustCompile(`(?m)^>(>*From )`)

// unquoteMbox takes one '>' off each quoted "From " line of a message from an mbox.
func unquoteMbox(m []byte) []byte { return mboxQuoted.ReplaceAll(m, []byte("$1")) }

// parseBounceMessage reads one message: a multipart/report with a delivery-status or
// feedback-report part.
func parseBounceMessage(raw []byte) (bounces []preferences.Bounce, skipped string, err error) {
	defer func() { // go-message on input nobody tested: a malformed message, not a crash
		if p := recover(); p != nil {
			bounces, skipped, err = nil, "", fmt.Errorf("unreadable message (%v)", p)
		}
	}()
	e, err := message.ReadWithOptions(bytes.NewReader(raw), &message.ReadOptions{MaxHeaderBytes: maxReportHeader})
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, "", fmt.Errorf("header: %w", err)
	}
	if e == nil {
		return nil, "", errors.New("no message")
	}
	t, params, err := e.Header.ContentType()
	if err != nil {
		return nil, "", fmt.Errorf("Content-Type: %w", err)
	}
	if t != "multipart/report" {
		return nil, "not a delivery status notification or abuse report (Content-Type " + t + ")", nil
	}
	sent := messageDate(e.Header)
	mr := e.MultipartReader()
	for i := 0; i < maxReportParts; i++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
			return nil, "", fmt.Errorf("part %d: %w", i+1, err)
		}
		pt, _, _ := p.Header.ContentType()
		switch pt {
		case "message/delivery-status", "message/global-delivery-status":
			return readDeliveryStatus(p.Body, sent)
		case "message/feedback-report":
			return readFeedbackReport(p.Body, mr, sent)
		}
	}
	return nil, "", fmt.Errorf("a multipart/report (report-type %q) without a delivery-status or feedback-report part", params["report-type"])
}

// messageDate is the message's Date, the zero time when it has none.
func messageDate(h message.Header) time.Time {
	t, err := mail.ParseDate(h.Get("Date"))
	if err != nil {
		return time.Time{}
	}
	return t
}

// statusBlocks reads the blocks of fields of a delivery-status body: the message's
// fields, then one block per recipient.
func statusBlocks(body io.Reader) ([]textproto.Header, error) {
	br := bufio.NewReader(io.LimitReader(body, MaxBounceMessage))
	var blocks []textproto.Header
	for len(blocks) <= maxRecipients {
		// Skip the blank lines between blocks.
		for {
			b, err := br.Peek(1)
			if err == io.EOF || len(b) == 0 {
				return blocks, nil
			}
			if b[0] != '\r' && b[0] != '\n' {
				break
			}
			br.ReadByte()
		}
		h, err := textproto.ReadHeader(br) // the message, read whole, is within MaxBounceMessage
		if err != nil {
			return nil, fmt.Errorf("status block %d: %w", len(blocks)+1, err)
		}
		blocks = append(blocks, h)
	}
	return nil, fmt.Errorf("more than %d recipients", maxRecipients)
}

// readDeliveryStatus takes each recipient that failed (hard for a 5.x.x status) or was
// delayed (soft, as any 4.x.x status); delivered, relayed and expanded ones are no
// bounce.
func readDeliveryStatus(body io.Reader, sent time.Time) ([]preferences.Bounce, string, error) {
	blocks, err := statusBlocks(body)
	if err != nil {
		return nil, "", err
	}
	if len(blocks) < 2 {
		return nil, "", errors.New("delivery-status without a recipient block")
	}
	arrival := dateField(blocks[0], "Arrival-Date", sent)
	var out []preferences.Bounce
	var notes []string
	for i, h := range blocks[1:] {
		email := addressField(h.Get("Final-Recipient"))
		if email == "" {
			email = addressField(h.Get("Original-Recipient"))
		}
		action := strings.ToLower(strings.TrimSpace(h.Get("Action")))
		status, _, _ := strings.Cut(strings.TrimSpace(h.Get("Status")), " ")
		if email == "" {
			return nil, "", fmt.Errorf("recipient %d: no Final-Recipient or Original-Recipient address", i+1)
		}
		var kind preferences.BounceKind
		switch {
		case action == "failed" && strings.HasPrefix(status, "5."):
			kind = preferences.BounceHard
		case action == "delayed" || (action == "failed" && strings.HasPrefix(status, "4.")):
			kind = preferences.BounceSoft
		case action == "delivered" || action == "relayed" || action == "expanded":
			notes = append(notes, fmt.Sprintf("recipient %d: action %s is not a bounce", i+1, action))
			continue
		default:
			return nil, "", fmt.Errorf("recipient %d: action %q with status %q is neither a failure (5.x.x) nor a delay (4.x.x)", i+1, action, status)
		}
		out = append(out, preferences.Bounce{Email: email, Kind: kind, At: dateField(h, "Last-Attempt-Date", arrival),
			Diagnostic: diagnosticField(h.Get("Diagnostic-Code"), status), Source: preferences.BounceFromImport})
	}
	if len(out) == 0 {
		return nil, strings.Join(notes, "; "), nil
	}
	return out, "", nil
}

// readFeedbackReport takes an abuse report (ARF) as a complaint about the address in
// Original-Rcpt-To, or else in the To of the returned message's header.
func readFeedbackReport(body io.Reader, mr message.MultipartReader, sent time.Time) ([]preferences.Bounce, string, error) {
	blocks, err := statusBlocks(body)
	if err != nil {
		return nil, "", err
	}
	if len(blocks) == 0 {
		return nil, "", errors.New("an empty feedback-report")
	}
	h := blocks[0]
	if ft := strings.ToLower(strings.TrimSpace(h.Get("Feedback-Type"))); ft != "abuse" && ft != "" {
		return nil, "feedback type " + ft + " is not a complaint", nil
	}
	email := addressField(h.Get("Original-Rcpt-To"))
	if email == "" {
		if p, err := mr.NextPart(); err == nil {
			if orig, err := message.ReadWithOptions(p.Body, &message.ReadOptions{MaxHeaderBytes: maxReportHeader}); err == nil {
				email = addressField(orig.Header.Get("To"))
			}
		}
	}
	if email == "" {
		return nil, "", errors.New("feedback-report without Original-Rcpt-To, and no To in the returned message")
	}
	diag := "abuse report"
	if ua := strings.TrimSpace(h.Get("User-Agent")); ua != "" {
		diag += " from " + ua
	}
	return []preferences.Bounce{{Email: email, Kind: preferences.BounceComplaint, At: dateField(h, "Arrival-Date", sent),
		Source: preferences.BounceFromImport, Diagnostic: clip(diag)}}, "", nil
}

// addressField reads "rfc822; name@example.com" (a DSN's recipient fields), or an
// address as a mail header writes it.
func addressField(v string) string {
	if typ, addr, ok := strings.Cut(v, ";"); ok {
		if !strings.EqualFold(strings.TrimSpace(typ), "rfc822") {
			return ""
		}
		v = addr
	}
	v = strings.TrimSpace(v)
	if a, err := mail.ParseAddress(v); err == nil {
		return a.Address
	}
	return strings.Trim(v, "<>")
}

// dateField reads a date field of h; def when it is missing or not a date.
func dateField(h textproto.Header, key string, def time.Time) time.Time {
	if t, err := mail.ParseDate(strings.TrimSpace(h.Get(key))); err == nil {
		return t.UTC()
	}
	return def
}

// diagnosticField is the remote server's words without the "smtp;" type, else the status.
func diagnosticField(code, status string) string {
	if _, text, ok := strings.Cut(code, ";"); ok {
		code = text
	}
	if code = strings.TrimSpace(code); code == "" {
		code = "status " + status
	}
	return clip(code)
}

// clip makes text from a report fit a bounce's diagnostic: UTF-8, MaxBounceDiagnostic
// characters at most.
func clip(text string) string {
	text = strings.ToValidUTF8(text, "")
	if r := []rune(text); len(r) > preferences.MaxBounceDiagnostic {
		text = string(r[:preferences.MaxBounceDiagnostic])
	}
	return text
}
