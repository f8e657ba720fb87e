// Package importfile reads the files a hotel imports its guests from (a generic CSV, a
// stays CSV, a PMS export through a mapping, JSON Lines, vCards) as a stream of typed
// records, each judged by the rules of POST /api/guests. It writes nothing: the store
// side of an import takes the records it yields.
package importfile

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"regulars/preferences"
)

// Formats of an import file.
const (
	FormatCSV   = "csv"
	FormatJSONL = "jsonl"
	FormatVCard = "vcard"
)

// Limits that keep a hostile file's memory bounded: a longer line or row is reported as
// a bad row and skipped, never read whole.
const (
	MaxLineBytes = 256 << 10 // one physical line
	MaxRowBytes  = 1 << 20   // one record: a CSV row with its quoted line breaks, a JSON line, a vCard
	MaxIDLen     = 100       // external_id
	MaxSourceLen = 100       // consent_source
	maxColumns   = 200
)

// Options say how to read a file.
type Options struct {
	// Format is FormatCSV, FormatJSONL or FormatVCard; FormatFor guesses it from a name.
	Format string
	// Mapping translates a PMS export's columns (CSV only); nil reads the generic CSV.
	Mapping *Mapping
	// Now is the moment rows are judged at: birthdays and stays may not be after it.
	Now time.Time
}

// Record is one row of the file: a guest, the stays it carries or a stays file's stay,
// or the errors that made the row bad (then it holds nothing else and is skipped whole).
type Record struct {
	Row    int
	Guest  *Guest
	Stays  []Stay
	Errors []RowError
}

// Bad reports whether the row broke a rule and must be skipped.
func (r Record) Bad() bool { return len(r.Errors) > 0 }

// Guest is a guest row, normalized and judged as POST /api/guests judges a body.
type Guest struct {
	// ExternalID is the guest's id in the system the file came from ("" when none).
	ExternalID string
	// Fields are the identity, consent and document: Documents holds the clear number,
	// for the store to seal; it must never be shown, logged or reported.
	Fields preferences.GuestFields
	// ConsentAt and ConsentSource say when and where marketing consent was given or
	// withdrawn (zero and "" when the file does not say).
	ConsentAt     time.Time
	ConsentSource string
	// Preferences holds the sections listed in Sections; the others were not in the row.
	Preferences preferences.Preferences
	Sections    []string
}

// Stay is a past stay: of the row's guest, or, in a stays file, of the guest named by
// ExternalID.
type Stay struct {
	ExternalID string
	Property   string // a property code, upper case; "" for the import's property
	Room       string
	CheckIn    time.Time
	CheckOut   time.Time
	// DateOnly: the file gave dates (midnight UTC here), not instants; the store places
	// them at the property's check-in and check-out hours.
	DateOnly bool
	Spend    string
}

// RowError is one rule a row broke: the row number, the field as the API names it, and
// the rule. It never holds a value from the file.
type RowError struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e RowError) String() string { return fmt.Sprintf("%d\t%s\t%s", e.Row, e.Field, e.Message) }

// Reader yields a file's records one at a time.
type Reader interface {
	// Next returns the next record, or io.EOF after the last. Any other error ends the
	// file (it cannot be read on).
	Next() (Record, error)
	// Notices are remarks on the file as a whole, each made once (a column that is not
	// imported), with the row they are about; known after the first Next.
	Notices() []RowError
}

// FormatFor guesses a file's format from its name: .jsonl/.ndjson, .vcf/.vcard, else CSV.
func FormatFor(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		return FormatJSONL
	case ".vcf", ".vcard":
		return FormatVCard
	}
	return FormatCSV
}

// NewReader reads r as opt says. It reads only what each Next needs.
func NewReader(r io.Reader, opt Options) (Reader, error) {
	if opt.Now.IsZero() {
		return nil, fmt.Errorf("importfile: Options.Now is required")
	}
	src := newLines(r)
	switch opt.Format {
	case FormatCSV, "":
		m := opt.Mapping
		if m == nil {
			m = Generic()
		}
		return newCSV(src, m, opt.Now), nil
	case FormatJSONL:
		if opt.Mapping != nil {
			return nil, fmt.Errorf("importfile: a mapping applies to CSV files only")
		}
		return &jsonlReader{src: src, now: opt.Now}, nil
	case FormatVCard:
		if opt.Mapping != nil {
			return nil, fmt.Errorf("importfile: a mapping applies to CSV files only")
		}
		return &vcardReader{src: src, now: opt.Now}, nil
	}
	return nil, fmt.Errorf("importfile: unknown format %q (csv, jsonl or vcard)", opt.Format)
}

// lines reads physical lines of at most MaxLineBytes, dropping a UTF-8 BOM at the start.
type lines struct {
	br    *bufio.Reader
	start bool
}

func newLines(r io.Reader) *lines { return &lines{br: bufio.NewReaderSize(r, 64<<10), start: true} }

// next returns the next line with its line break, or io.EOF. A longer line is read to
// its end and thrown away: long is true and line holds its first MaxLineBytes.
func (l *lines) next(buf []byte) (line []byte, long bool, err error) {
	line = buf[:0]
	for {
		chunk, err := l.br.ReadSlice('\n')
		if l.start {
			l.start = false
			chunk = trimBOM(chunk)
		}
		if len(line)+len(chunk) <= MaxLineBytes {
			line = append(line, chunk...)
		} else {
			long = true
		}
		switch err {
		case nil:
			return line, long, nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(line) == 0 && !long {
				return nil, false, io.EOF
			}
			return line, long, nil
		default:
			return nil, false, err
		}
	}
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

// judged turns a validation error of the domain into the row's errors.
func judged(row int, prefix string, err error) []RowError {
	var v preferences.Invalid
	v.Merge(prefix, err)
	e, _ := v.Err().(*preferences.Error)
	var out []RowError
	if e != nil {
		for _, f := range e.Fields {
			out = append(out, RowError{Row: row, Field: f.Field, Message: f.Message})
		}
	}
	return out
}
