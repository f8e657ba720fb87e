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

// DecodeStrict decodes JSON that does not come as a request body (a line of an import
// file) by the rules of DecodeJSON, with the same field names and messages.
func DecodeStrict(body []byte, v any) error { return decodeStrict(body, v) }

func decodeStrict(body []byte, v any) error {
	if err := checkBody(body); err != nil {
		return err
	}
	// A null, an array or a scalar body would decode into an untouched zero request
	// (a PUT of null erased every preference).
	if body[skipSpace(body, 0)] != '{' {
		return preferences.FieldErr("body", "must be a JSON object")
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

// skipSpace returns the index of the first byte at or after i that is not JSON whitespace.
func skipSpace(body []byte, i int) int {
	for i < len(body) && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r') {
		i++
	}
	return i
}
