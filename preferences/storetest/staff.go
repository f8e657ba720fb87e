package storetest

import "testing"

// testStaff is filled in with the staff part of the suite.
func testStaff(t *testing.T, open Opener) {}
