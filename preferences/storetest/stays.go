package storetest

import "testing"

// testStays is filled in with the stays part of the suite.
func testStays(t *testing.T, open Opener) {}
