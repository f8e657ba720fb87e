package web

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"regulars/preferences"
)

// NullableFields is a request in which some fields may be null, where null has a meaning
// of its own (such as "stop"). DecodeJSON refuses a null anywhere else: decoded into Go it
// would be indistinguishable from a field left out, or stored as zero.
type NullableFields interface {
	// JSONNullable reports whether the field at path, named as errors name fields
	// ("keep_in_touch_days", "room.min_floor", "allergies[0].severity"), may be null.
	JSONNullable(path string) bool
}

// checkNulls returns an EINVALID error naming every null in body that v does not allow.
// body is a single valid JSON object (the strict decoder has accepted it).
func checkNulls(body []byte, v any) error {
	if !bytes.Contains(body, []byte("null")) {
		return nil
	}
	nullable, _ := v.(NullableFields)
	var bad preferences.Invalid
	for _, path := range nullPaths(body) {
		if nullable == nil || !nullable.JSONNullable(path) {
			bad.Add(path, `must not be null: send a value ("" clears a text, [] empties a list)`)
		}
	}
	return bad.Err()
}

// jsonLevel is an object or array being scanned: the current key, or the current index.
type jsonLevel struct {
	array bool
	key   string
	index int
}

// nullPaths returns the path of every null value in body, which must be valid JSON,
// walking encoding/json's tokens (this runs only on a body that holds "null" at all).
func nullPaths(body []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(body))
	var out []string
	var value func(levels []jsonLevel)
	value = func(levels []jsonLevel) {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		switch tok {
		case json.Delim('{'):
			levels = append(levels, jsonLevel{})
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					return
				}
				levels[len(levels)-1].key, _ = key.(string)
				value(levels)
			}
			_, _ = dec.Token() // the closing brace
		case json.Delim('['):
			levels = append(levels, jsonLevel{array: true})
			for i := 0; dec.More(); i++ {
				levels[len(levels)-1].index = i
				value(levels)
			}
			_, _ = dec.Token() // the closing bracket
		case nil:
			out = append(out, jsonPath(levels))
		}
	}
	value(nil)
	return out
}

// jsonPath names a position as validation names fields: "room.min_floor", "allergies[0].severity".
func jsonPath(levels []jsonLevel) string {
	var b strings.Builder
	for _, l := range levels {
		switch {
		case l.array:
			b.WriteString("[" + strconv.Itoa(l.index) + "]")
		case b.Len() > 0:
			b.WriteString("." + l.key)
		default:
			b.WriteString(l.key)
		}
	}
	return b.String()
}
