package storetest

import "testing"

func testBoard(t *testing.T, open Opener) {}
