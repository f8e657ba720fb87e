package preferences

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes shared by every backend and mapped once to HTTP statuses by the web layer.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOMANY      = "too_many_requests"
	// EUNAVAILABLE: the storage cannot serve the request now; Reason says why.
	EUNAVAILABLE = "unavailable"
)

// Reasons of an EUNAVAILABLE error, for clients to act on: busy and full pass (retry
// soon); failed may (an I/O error); corrupt needs the operator.
const (
	ReasonBusy    = "storage-busy"
	ReasonFull    = "storage-full"
	ReasonFailed  = "storage-failed"
	ReasonCorrupt = "storage-corrupt"
)

// FieldError names one field of the input and the rule it broke.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the domain error: a code, a message safe to show, and the fields at fault.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	// Reason is the machine-readable cause of an EUNAVAILABLE error.
	Reason string
	// Err is the underlying cause, for logs only: never shown to the client.
	Err error
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Unavailable is an EUNAVAILABLE error for reason, caused by err.
func Unavailable(reason, message string, err error) *Error {
	return &Error{Code: EUNAVAILABLE, Reason: reason, Message: message, Err: err}
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	return fmt.Sprintf("%s: %s %s", strings.TrimSuffix(e.Message, "."), e.Fields[0].Field, e.Fields[0].Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for anything that is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Invalid collects field errors during validation.
type Invalid struct{ fields []FieldError }

// Add records that field broke a rule.
func (v *Invalid) Add(field, format string, args ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Merge adds another validation's errors under a field prefix.
func (v *Invalid) Merge(prefix string, err error) {
	var e *Error
	if !errors.As(err, &e) {
		if err != nil {
			v.Add(prefix, "%v", err)
		}
		return
	}
	for _, f := range e.Fields {
		name := prefix
		if f.Field != "" {
			if name != "" {
				name += "."
			}
			name += f.Field
		}
		v.fields = append(v.fields, FieldError{Field: name, Message: f.Message})
	}
}

// Err returns nil when nothing was added, else an EINVALID *Error listing the fields.
func (v *Invalid) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "The input is not valid.", Fields: v.fields}
}

// FieldErr is a one-field EINVALID error.
func FieldErr(field, format string, args ...any) error {
	var v Invalid
	v.Add(field, format, args...)
	return v.Err()
}
