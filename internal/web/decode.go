package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"regulars/preferences"
)

// DecodeJSON decodes the request body into v strictly: valid UTF-8, one JSON object,
// no unknown fields, the right types, and no null unless v (a NullableFields) allows it
// there. Every failure is an EINVALID error naming the field.
func DecodeJSON(c *fiber.Ctx, v any) error {
	if !isJSONMediaType(c.Get(fiber.HeaderContentType)) {
		return fiber.NewError(fiber.StatusUnsupportedMediaType)
	}
	return decodeStrict(c.Body(), v)
}

// isJSONMediaType reports whether a Content-Type names JSON (application/json or a
// +json type) in UTF-8, the only charset JSON has (RFC 8259).
func isJSONMediaType(contentType string) bool {
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil || !(media == "application/json" || strings.HasPrefix(media, "application/") && strings.HasSuffix(media, "+json")) {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8")
}

// StringFields is a request made of string fields only. DecodeJSON fills one without
// reflection when the body is a flat object of plain strings (no escapes, no control
// characters) under the fields' exact names; every other body goes through the strict
// decoder, so the result and every error are the same as without the fast path.
type StringFields interface {
	// JSONStringField returns the field the JSON name decodes into, nil for none.
	JSONStringField(name []byte) *string
}

func decodeStrict(body []byte, v any) error {
	if err := checkBody(body); err != nil {
		return err
	}
	// A null, an array or a scalar body would decode into an untouched zero request
	// (a PUT of null erased every preference).
	if body[skipSpace(body, 0)] != '{' {
		return preferences.FieldErr("body", "must be a JSON object")
	}
	if sf, ok := v.(StringFields); ok && decodeFlatStrings(body, sf) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return preferences.FieldErr("body", "must hold a single JSON value")
	}
	return checkNulls(body, v)
}

func checkBody(body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return preferences.FieldErr("body", "must be a JSON object")
	}
	if !utf8.Valid(body) {
		return preferences.FieldErr("body", "must be valid UTF-8")
	}
	return nil
}

func jsonProblem(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return preferences.FieldErr(field, "must be %s", describeType(typeErr.Type.Kind().String()))
	case errors.As(err, &syntaxErr):
		return preferences.FieldErr("body", "is not valid JSON (at byte %d)", syntaxErr.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return preferences.FieldErr("body", "is not valid JSON (it ends too early)")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if name == "" {
			return preferences.FieldErr("body", "has a field with an empty name")
		}
		return preferences.FieldErr(name, "is not a known field")
	}
	var fieldErr interface{ FieldName() string }
	if errors.As(err, &fieldErr) {
		return preferences.FieldErr(fieldErr.FieldName(), "is not valid")
	}
	return preferences.FieldErr("body", "is not valid JSON")
}

func describeType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "int", "int64", "int32", "float64", "uint", "uint32", "uint64":
		return "a number"
	case "slice", "array":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	}
	return fmt.Sprintf("a %s", kind)
}

// decodeFlatStrings fills sf from body if body is {"name":"value",...} with exact field
// names and plain string values, and reports whether it did; otherwise sf is untouched.
// The body is valid UTF-8 (checkBody), so a plain string's bytes are its value, as
// encoding/json would decode it; a repeated name keeps the last value, as there.
func decodeFlatStrings(body []byte, sf StringFields) bool {
	var fields [8]struct {
		to    *string
		value []byte
	}
	n := 0
	i := skipSpace(body, 0)
	if i == len(body) || body[i] != '{' {
		return false
	}
	i = skipSpace(body, i+1)
	if i < len(body) && body[i] == '}' {
		return skipSpace(body, i+1) == len(body)
	}
	for {
		name, next, ok := plainString(body, i)
		if !ok {
			return false
		}
		to := sf.JSONStringField(name)
		if to == nil || n == len(fields) {
			return false
		}
		i = skipSpace(body, next)
		if i == len(body) || body[i] != ':' {
			return false
		}
		value, next, ok := plainString(body, skipSpace(body, i+1))
		if !ok {
			return false
		}
		fields[n].to, fields[n].value = to, value
		n++
		i = skipSpace(body, next)
		if i == len(body) {
			return false
		}
		if body[i] == '}' {
			break
		}
		if body[i] != ',' {
			return false
		}
		i = skipSpace(body, i+1)
	}
	if skipSpace(body, i+1) != len(body) {
		return false
	}
	for _, f := range fields[:n] {
		*f.to = string(f.value)
	}
	return true
}

// plainString returns the contents of the JSON string at body[i] if it has no escapes
// or control characters, and the index after its closing quote.
func plainString(body []byte, i int) (s []byte, next int, ok bool) {
	if i >= len(body) || body[i] != '"' {
		return nil, 0, false
	}
	for j := i + 1; j < len(body); j++ {
		switch c := body[j]; {
		case c == '"':
			return body[i+1 : j], j + 1, true
		case c == '\\' || c < 0x20:
			return nil, 0, false
		}
	}
	return nil, 0, false
}

// skipSpace returns the index of the first byte at or after i that is not JSON whitespace.
func skipSpace(body []byte, i int) int {
	for i < len(body) && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r') {
		i++
	}
	return i
}
