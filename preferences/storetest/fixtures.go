package storetest

import (
	"context"
	"testing"

	"regulars/preferences"
)

// Ptr returns a pointer to v, for the optional fields of an input.
func Ptr[T any](v T) *T { return &v }

// NewGuest creates a guest as the front desk does and fails t when that fails.
func NewGuest(t *testing.T, s *preferences.Service, in preferences.GuestFields) preferences.Guest {
	t.Helper()
	g, err := s.CreateGuest(context.Background(), Desk, in)
	if err != nil {
		t.Fatalf("create guest %+v: %v", in, err)
	}
	return g
}

// Named is the input of a guest with just a name.
func Named(family, given string) preferences.GuestFields {
	return preferences.GuestFields{FamilyName: &family, GivenName: &given}
}

// WantCode fails t unless err is a domain error with code (and, when field is not "",
// names that field).
func WantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	if got := preferences.ErrorCode(err); got != code {
		t.Fatalf("error = %v (%s), want %s", err, got, code)
	}
	if field == "" {
		return
	}
	for _, f := range err.(*preferences.Error).Fields {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v does not name the field %s", err, field)
}
