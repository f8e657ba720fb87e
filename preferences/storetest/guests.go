package storetest

import "testing"

// testGuests is filled in with the guests part of the suite.
func testGuests(t *testing.T, open Opener) {}
