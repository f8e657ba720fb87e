package preferences_test

import (
	"testing"

	"regulars/preferences"
)

// The CLI prints errors as they are: one sentence, the field and the rule, no ".:".
func TestErrorText(t *testing.T) {
	err := &preferences.Error{Code: preferences.EINVALID, Message: "The input is not valid.",
		Fields: []preferences.FieldError{{Field: "date", Message: "must be a date as YYYY-MM-DD"}}}
	if got, want := err.Error(), "The input is not valid: date must be a date as YYYY-MM-DD"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := (&preferences.Error{Message: "guest not found"}).Error(); got != "guest not found" {
		t.Errorf("Error() = %q", got)
	}
}
