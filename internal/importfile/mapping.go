package importfile

import (
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"regulars/preferences"
)

// Mappings are the mappings shipped with the service, one JSON file each, for a hotel
// to copy and adapt.
//
//go:embed mappings/*.json
var Mappings embed.FS

// Mapping says how a CSV file other than the generic one is written: its delimiter, its
// date layout and which of its columns is which generic column.
type Mapping struct {
	Name string `json:"-"`
	// Delimiter is one character; "" detects a comma or a semicolon from the header.
	Delimiter string `json:"delimiter"`
	// DateFormat is a Go layout ("01/02/2006"); "" is YYYY-MM-DD.
	DateFormat string `json:"date_format"`
	// Columns maps the file's column names (case aside) to generic columns; "" marks a
	// column known and left out. Several columns may fill one text column: their values
	// are joined with "; ". Nil: the file has the generic columns.
	Columns map[string]string `json:"columns"`
}

// Generic is the mapping of the generic CSV: its own column names, YYYY-MM-DD, a comma
// or a semicolon.
func Generic() *Mapping { return &Mapping{Name: "generic"} }

// LoadMapping returns a shipped mapping by name (generic, opera, mews) or reads one from
// a file path (the command's --mapping).
func LoadMapping(nameOrPath string) (*Mapping, error) {
	if !strings.ContainsAny(nameOrPath, `/\.`) {
		return NamedMapping(nameOrPath)
	}
	data, err := os.ReadFile(nameOrPath)
	if err != nil {
		return nil, fmt.Errorf("importfile: mapping: %w", err)
	}
	return parseNamed(nameOrPath, data)
}

// NamedMapping returns a shipped mapping by name only: generic (or ""), opera, mews. It
// never reads a file, for callers that must not (an upload's form names its mapping).
func NamedMapping(name string) (*Mapping, error) {
	if name == "" || name == "generic" {
		return Generic(), nil
	}
	data, err := Mappings.ReadFile("mappings/" + name + ".json")
	if err != nil || strings.ContainsAny(name, `/\.`) {
		return nil, fmt.Errorf("importfile: no mapping named %q (generic, opera or mews)", name)
	}
	return parseNamed(name, data)
}

func parseNamed(name string, data []byte) (*Mapping, error) {
	m, err := ParseMapping(data)
	if err != nil {
		return nil, fmt.Errorf("importfile: mapping %s: %w", name, err)
	}
	m.Name = name
	return m, nil
}

// ParseMapping reads and checks a mapping file.
func ParseMapping(data []byte) (*Mapping, error) {
	var m Mapping
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("not a mapping (delimiter, date_format, columns): %w", err)
	}
	if m.Delimiter != "" {
		r, n := utf8.DecodeRuneInString(m.Delimiter)
		if n != len(m.Delimiter) || r == '"' || r == '\r' || r == '\n' || r == utf8.RuneError {
			return nil, fmt.Errorf("delimiter must be one character other than a quote or a line break")
		}
	}
	if m.DateFormat != "" {
		d := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
		if back, err := time.Parse(m.DateFormat, d.Format(m.DateFormat)); err != nil || !back.Equal(d) {
			return nil, fmt.Errorf("date_format %q is not a Go date layout with year, month and day such as 01/02/2006", m.DateFormat)
		}
	}
	if len(m.Columns) == 0 {
		return nil, fmt.Errorf("columns must map the file's columns to generic ones")
	}
	for from, to := range m.Columns {
		if _, ok := columnByName[to]; !ok && to != "" {
			return nil, fmt.Errorf("column %q maps to %q, which is not a generic column", from, to)
		}
	}
	return &m, nil
}

func (m *Mapping) dateLayout() string {
	if m.DateFormat == "" {
		return preferences.DateLayout
	}
	return m.DateFormat
}

// target returns the generic column a header names; known is false for a column the
// mapping does not know, skip true for one it leaves out.
func (m *Mapping) target(name string) (c col, skip, known bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	if m.Columns == nil {
		c, known = columnByName[name]
		return c, false, known
	}
	for from, to := range m.Columns {
		if strings.EqualFold(from, name) {
			if to == "" {
				return 0, true, true
			}
			return columnByName[to], false, true
		}
	}
	return 0, false, false
}
