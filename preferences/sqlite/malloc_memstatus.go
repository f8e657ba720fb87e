//go:build cgo

package sqlite

// SQLite counts every allocation for sqlite3_memory_used() under one global mutex
// unless SQLITE_CONFIG_MEMSTATUS is off (SQLite's own recommendation for speed). The
// store never reads those counters, and under the mixed load of `make bench` the reader
// connections emptying and refilling their page caches after each commit contended for
// that mutex: futex calls from its lock fell from ~3.3 to ~0.9 µs a request with it off.
// The setting must come before SQLite initializes, so a constructor sets it when the
// binary loads, like the malloc arena limit beside it.

/*
#include <stdint.h>

int sqlite3_config(int, ...);
int64_t sqlite3_memory_used(void);

__attribute__((constructor)) static void regularsSQLiteMemstatusOff(void) {
	sqlite3_config(9, 0); // SQLITE_CONFIG_MEMSTATUS, off
}

static int64_t regularsSQLiteMemoryUsed(void) { return sqlite3_memory_used(); }
*/
import "C"

// sqliteMemoryCounted is what SQLite's allocation counters say it holds: 0 while
// SQLITE_CONFIG_MEMSTATUS is off.
func sqliteMemoryCounted() int64 { return int64(C.regularsSQLiteMemoryUsed()) }
