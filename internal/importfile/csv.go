package importfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// tooLong stands in a record's place for one longer than MaxRowBytes, so that the CSV
// parser sees one record there and the rows stay counted.
const tooLong = "\x00"

// records feeds the CSV parser whole records, one at a time: physical lines up to a
// line where the quotes balance, a record over MaxRowBytes replaced by tooLong. That
// bounds what a row can make the parser hold.
type records struct {
	src  *lines
	buf  []byte
	line []byte
	off  int
}

func (r *records) Read(p []byte) (int, error) {
	if r.off == len(r.buf) {
		if err := r.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.buf[r.off:])
	r.off += n
	return n, nil
}

func (r *records) fill() error {
	r.buf, r.off = r.buf[:0], 0
	quotes, long := 0, false
	for {
		line, l, err := r.src.next(r.line)
		if err == io.EOF {
			if len(r.buf) == 0 && !long {
				return io.EOF
			}
			break
		}
		if err != nil {
			return err
		}
		r.line = line[:0]
		quotes += bytes.Count(line, []byte{'"'})
		if l || len(r.buf)+len(line) > MaxRowBytes {
			long = true
		} else if !long {
			r.buf = append(r.buf, line...)
		}
		if quotes%2 == 0 {
			break
		}
	}
	if long {
		r.buf = append(r.buf[:0], tooLong...)
	}
	if r.buf[len(r.buf)-1] != '\n' {
		r.buf = append(r.buf, '\n')
	}
	return nil
}

// csvReader reads a CSV file: the generic one, a stays file, or one through a mapping.
type csvReader struct {
	feed     *records
	parser   *csv.Reader
	mapping  *Mapping
	rules    rowRules
	targets  []int // by file column: the generic column, or -1 for one not imported
	stayFile bool
	row      int
	notices  []RowError
	started  bool
}

func newCSV(src *lines, m *Mapping, now time.Time) *csvReader {
	return &csvReader{feed: &records{src: src}, mapping: m,
		rules: rowRules{dateLayout: m.dateLayout(), languageTags: m.Name != "generic", now: now}}
}

func (r *csvReader) Notices() []RowError { return r.notices }

// start reads the header: the delimiter (given, or the commonest of , and ; outside
// quotes), the columns, and whether this is a stays file.
func (r *csvReader) start() error {
	r.started = true
	if err := r.feed.fill(); err != nil {
		if err == io.EOF {
			return fmt.Errorf("importfile: the file is empty: a header row is required")
		}
		return err
	}
	delim, _ := utf8.DecodeRuneInString(r.mapping.Delimiter)
	if r.mapping.Delimiter == "" {
		delim = detectDelimiter(r.feed.buf)
	}
	r.parser = csv.NewReader(r.feed)
	r.parser.Comma = delim
	r.parser.FieldsPerRecord = -1
	r.parser.ReuseRecord = true
	header, err := r.parser.Read()
	r.row = 1
	if err != nil || len(header) == 1 && header[0] == tooLong {
		return fmt.Errorf("importfile: row 1: the header row cannot be read")
	}
	if len(header) > maxColumns {
		return fmt.Errorf("importfile: row 1: the header has %d columns, at most %d are read", len(header), maxColumns)
	}
	r.targets = make([]int, len(header))
	seen := map[col]bool{}
	guestCols := false
	for i, name := range header {
		r.targets[i] = -1
		c, skip, known := r.mapping.target(name)
		switch {
		case !known:
			r.notices = append(r.notices, RowError{Row: 1, Field: safeName(name), Message: "is not a known column: its values are not imported"})
		case skip:
		case seen[c] && r.mapping.Columns == nil:
			r.notices = append(r.notices, RowError{Row: 1, Field: safeName(name), Message: "repeats a column: only the first is imported"})
		default:
			seen[c] = true
			r.targets[i] = int(c)
			guestCols = guestCols || !isStayColumn(c)
		}
	}
	r.stayFile = !guestCols && seen[cCheckIn]
	if !guestCols && !r.stayFile {
		return fmt.Errorf("importfile: row 1: the header names no guest column (family_name, …) and is not a stays file's (external_id, property, room, check_in, check_out, spend)")
	}
	return nil
}

// safeName is a header's name fit for a report: valid UTF-8, at most 60 characters.
func safeName(s string) string {
	s = strings.ToValidUTF8(strings.TrimSpace(s), "?")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return s
}

func detectDelimiter(header []byte) rune {
	counts := map[byte]int{}
	inQuotes := false
	for _, b := range header {
		switch {
		case b == '"':
			inQuotes = !inQuotes
		case !inQuotes && (b == ',' || b == ';'):
			counts[b]++
		}
	}
	if counts[';'] > counts[','] {
		return ';'
	}
	return ','
}

func (r *csvReader) Next() (Record, error) {
	if !r.started {
		if err := r.start(); err != nil {
			return Record{}, err
		}
	}
	rec, err := r.parser.Read()
	if err == io.EOF {
		return Record{}, io.EOF
	}
	r.row++
	e := &errs{row: r.row}
	var perr *csv.ParseError
	switch {
	case errors.As(err, &perr):
		e.add("row", "is not valid CSV: "+perr.Err.Error())
		return Record{Row: r.row, Errors: e.out}, nil
	case err != nil:
		return Record{}, err
	case len(rec) == 1 && rec[0] == tooLong:
		e.add("row", fmt.Sprintf("is longer than %d KiB (or a quoted field is never closed)", MaxRowBytes>>10))
		return Record{Row: r.row, Errors: e.out}, nil
	case len(rec) != len(r.targets):
		e.add("row", fmt.Sprintf("has %d columns; the header has %d", len(rec), len(r.targets)))
		return Record{Row: r.row, Errors: e.out}, nil
	}
	var c cells
	for i, v := range rec {
		if t := r.targets[i]; t >= 0 {
			c.set(col(t), v)
		}
	}
	out := Record{Row: r.row}
	if !r.stayFile {
		out.Guest = r.rules.guest(e, &c)
	}
	if r.stayFile || c.any(cProperty, cSpend) {
		out.Stays = []Stay{r.rules.stay(e, &c, r.stayFile)}
	}
	if len(e.out) > 0 {
		return Record{Row: r.row, Errors: e.out}, nil
	}
	return out, nil
}
