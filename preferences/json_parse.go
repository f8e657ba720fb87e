package preferences

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Every recognition card, housekeeping board and preference change decodes a guest's
// stored preferences; encoding/json's reflection was most of that work. ParseStored reads
// the form the service itself stores (json.Marshal of Preferences, or "{}" for a guest
// with none) with a small scanner that mirrors jsonWriter.preferences, and hands anything
// else (other field order, unknown or repeated keys, whitespace, unusual numbers, lone
// surrogates, invalid UTF-8, errors) to json.Unmarshal. FuzzParseStored compares it with
// json.Unmarshal on arbitrary input; TestParseStoredReadsMarshal fills every field by
// reflection, so a field added to Preferences without its parser fails there.

// ParseStored decodes raw exactly as json.Unmarshal into a zero Preferences does: the same
// value and, for input it rejects, the same error (it is json.Unmarshal's). Strings without
// escapes share raw's memory (a cached string keeps the whole row alive; rows are small).
func ParseStored(raw string) (Preferences, error) {
	if p, ok := parseCanonical(raw); ok {
		return p, nil
	}
	var p Preferences
	err := json.Unmarshal([]byte(raw), &p)
	return p, err
}

// parseCanonical decodes s if it is exactly in the stored form; ok is false at the first
// byte that form does not have.
func parseCanonical(s string) (p Preferences, ok bool) {
	if s == "{}" {
		return p, true
	}
	d := storedParser{s: s, ok: true}
	d.lit(`{"room":{"min_floor":`)
	p.Room.MinFloor = d.int()
	d.lit(`,"view":`)
	p.Room.View = d.str()
	d.lit(`,"bed":`)
	p.Room.Bed = d.str()
	d.lit(`,"quiet":`)
	p.Room.Quiet = d.bool()
	d.lit(`,"smoking":`)
	p.Room.Smoking = d.bool()
	d.lit(`,"features":`)
	p.Room.Features = parseList(&d, (*storedParser).str)
	d.lit(`},"dining":{"breakfast":`)
	p.Dining.Breakfast = d.str()
	d.lit(`,"dietary":`)
	p.Dining.Dietary = parseList(&d, (*storedParser).str)
	d.lit(`},"allergies":`)
	p.Allergies = parseList(&d, (*storedParser).allergy)
	d.lit(`,"housekeeping":{"laundry":`)
	p.Housekeeping.Laundry = d.str()
	d.lit(`,"amenities":`)
	p.Housekeeping.Amenities = parseList(&d, (*storedParser).str)
	d.lit(`},"notes":`)
	p.Notes = d.str()
	d.lit(`}`)
	return p, d.ok && d.i == len(s)
}

// storedParser reads s from i; ok sticks at false after the first surprise, and every
// method then returns a zero value without reading.
type storedParser struct {
	s  string
	i  int
	ok bool
}

func (d *storedParser) fail() { d.ok = false }

// lit consumes the exact text l.
func (d *storedParser) lit(l string) {
	if d.ok && strings.HasPrefix(d.s[d.i:], l) {
		d.i += len(l)
		return
	}
	d.fail()
}

// next consumes the byte c if it comes next.
func (d *storedParser) next(c byte) bool {
	if d.ok && d.i < len(d.s) && d.s[d.i] == c {
		d.i++
		return true
	}
	return false
}

// maxIntDigits keeps an int free of overflow (longer numbers go to json.Unmarshal).
const maxIntDigits = strconv.IntSize/64*9 + 9

// int reads an integer as json.Marshal writes one: -?(0|[1-9][0-9]*).
func (d *storedParser) int() int {
	if !d.ok {
		return 0
	}
	neg := d.next('-')
	s, start := d.s, d.i
	n, i := 0, start
	for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
	}
	if digits := i - start; digits == 0 || digits > maxIntDigits || (s[start] == '0' && digits > 1) {
		d.fail()
		return 0
	}
	d.i = i
	if neg {
		return -n
	}
	return n
}

func (d *storedParser) bool() bool {
	switch {
	case !d.ok:
		return false
	case strings.HasPrefix(d.s[d.i:], "true"):
		d.i += len("true")
		return true
	default:
		d.lit("false")
		return false
	}
}

// str reads a string; one without escapes is a slice of s.
func (d *storedParser) str() string {
	if !d.next('"') {
		d.fail()
		return ""
	}
	s, start := d.s, d.i
	ascii := true
	for i := start; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			ascii = false
		case c == '"':
			if !ascii && !utf8.ValidString(s[start:i]) {
				d.fail() // encoding/json replaces invalid UTF-8 with U+FFFD
				return ""
			}
			d.i = i + 1
			return s[start:i]
		case c == '\\':
			return d.unescape(start, i, ascii)
		case c < ' ':
			d.fail()
			return ""
		}
	}
	d.fail()
	return ""
}

// unescape finishes a string that opened at start and has its first backslash at i.
func (d *storedParser) unescape(start, i int, ascii bool) string {
	s := d.s
	b := make([]byte, 0, i-start+32)
	b = append(b, s[start:i]...)
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			if !ascii && !utf8.ValidString(s[start:i]) {
				d.fail()
				return ""
			}
			d.i = i + 1
			return string(b)
		case c < ' ':
			d.fail()
			return ""
		case c != '\\':
			ascii = ascii && c < utf8.RuneSelf
			b = append(b, c)
			i++
			continue
		}
		if i+1 >= len(s) {
			break
		}
		var r rune
		switch s[i+1] {
		case '"', '\\', '/':
			r = rune(s[i+1])
		case 'b':
			r = '\b'
		case 'f':
			r = '\f'
		case 'n':
			r = '\n'
		case 'r':
			r = '\r'
		case 't':
			r = '\t'
		case 'u':
			r = hex4(s, i+2)
			if utf16.IsSurrogate(r) {
				// Only a valid pair; encoding/json turns the rest into U+FFFD.
				if i+7 < len(s) && s[i+6] == '\\' && s[i+7] == 'u' {
					r = utf16.DecodeRune(r, hex4(s, i+8))
					i += 6
				} else {
					r = utf8.RuneError
				}
				if r == utf8.RuneError {
					d.fail()
					return ""
				}
			}
			if r < 0 {
				d.fail()
				return ""
			}
			i += 4
		default:
			d.fail()
			return ""
		}
		b = utf8.AppendRune(b, r)
		i += 2
	}
	d.fail()
	return ""
}

// hex4 reads four hex digits at s[i:], -1 if there are not four.
func hex4(s string, i int) rune {
	if i+4 > len(s) {
		return -1
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

func (d *storedParser) allergy() Allergy {
	var a Allergy
	d.lit(`{"allergen":`)
	a.Allergen = d.str()
	d.lit(`,"severity":`)
	a.Severity = d.str()
	d.lit(`,"instructions":`)
	a.Instructions = d.str()
	d.lit(`}`)
	return a
}

// parseList reads null (nil), [] (empty) or items read by each, in a slice of exactly
// their number (one allocation for up to eight).
func parseList[T any](d *storedParser, each func(*storedParser) T) []T {
	if !d.ok {
		return nil
	}
	if strings.HasPrefix(d.s[d.i:], "null") {
		d.i += len("null")
		return nil
	}
	d.lit("[")
	if d.next(']') {
		return []T{}
	}
	var buf [8]T
	items := buf[:0]
	for d.ok {
		items = append(items, each(d))
		if !d.next(',') {
			d.lit("]")
			break
		}
	}
	if !d.ok {
		return nil
	}
	return append(make([]T, 0, len(items)), items...)
}
