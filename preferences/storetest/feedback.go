package storetest

import "testing"

// testFeedback is filled in with the feedback part of the suite.
func testFeedback(t *testing.T, open Opener) {}
