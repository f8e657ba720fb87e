//go:build cgo

package sqlite

import (
	"context"
	"testing"
)

// SQLite runs without its allocation counters (and their global mutex): with them on,
// an open store with a table written and read would count hundreds of KB.
func TestSQLiteCountsNoAllocations(t *testing.T) {
	db := openWriterTest(t)
	if err := db.inTx(context.Background(), insertName("counted")); err != nil {
		t.Fatal(err)
	}
	if n := sqliteMemoryCounted(); n != 0 {
		t.Fatalf("SQLite counted %d bytes: SQLITE_CONFIG_MEMSTATUS is on", n)
	}
}
