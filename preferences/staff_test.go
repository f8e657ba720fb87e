package preferences

import (
	"errors"
	"testing"
	"time"
)

func TestTokenExpiryIsDays(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "1d": 24 * time.Hour, "90d": 90 * 24 * time.Hour, "3650d": 3650 * 24 * time.Hour} {
		if got, err := ParseTokenExpiry(in); err != nil || got != want {
			t.Errorf("ParseTokenExpiry(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"0d", "3651d", "90", "d", "90D", "1w", "-1d", "+9d", " 9d", "9d ", "99999d", "1.5d"} {
		_, err := ParseTokenExpiry(in)
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != "expires" {
			t.Errorf("ParseTokenExpiry(%q): %v, want a field error on expires", in, err)
		}
	}
}
