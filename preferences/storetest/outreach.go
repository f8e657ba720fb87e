package storetest

import "testing"

// testOutreach is filled in with the outreach part of the suite.
func testOutreach(t *testing.T, open Opener) {}
