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

// nullPaths returns the path of every null value in body, which must be valid JSON.
func nullPaths(body []byte) []string {
	var levels []jsonLevel
	var out []string
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '"':
			end := stringEnd(body, i)
			if top := len(levels) - 1; top >= 0 && !levels[top].array {
				if j := skipSpace(body, end); j < len(body) && body[j] == ':' {
					levels[top].key = jsonKey(body[i:end])
				}
			}
			i = end - 1
		case '{':
			levels = append(levels, jsonLevel{})
		case '[':
			levels = append(levels, jsonLevel{array: true})
		case '}', ']':
			levels = levels[:len(levels)-1]
		case ',':
			if top := len(levels) - 1; levels[top].array {
				levels[top].index++
			}
		case 'n': // outside a string, only the literal null
			out = append(out, jsonPath(levels))
			i += len("null") - 1
		}
	}
	return out
}

// stringEnd returns the index after the closing quote of the JSON string at body[i].
func stringEnd(body []byte, i int) int {
	for j := i + 1; j < len(body); j++ {
		switch body[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(body)
}

// jsonKey decodes a quoted object key; escapes are rare, so plain keys skip the decoder.
func jsonKey(quoted []byte) string {
	if bytes.IndexByte(quoted, '\\') < 0 {
		return string(quoted[1 : len(quoted)-1])
	}
	var s string
	_ = json.Unmarshal(quoted, &s) // valid: the strict decoder has read it
	return s
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
