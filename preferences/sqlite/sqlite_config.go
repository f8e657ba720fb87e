//go:build cgo

package sqlite

// Two of SQLite's global settings, which must be made before it initializes, and one
// made on every connection as it opens: a constructor makes them when the binary loads,
// like the malloc arena limit beside it.
//
// Allocation counters off (SQLITE_CONFIG_MEMSTATUS, SQLite's own advice for speed): with
// them on, every SQLite allocation takes one global mutex so that sqlite3_memory_used()
// can count it. The store never reads the counters, and under the mixed load of `make
// bench` the readers, which drop their page caches after every commit and refill them,
// contended for that mutex: futex calls fell from ~3.3 to ~0.9 µs a request with it off.
//
// Page buffers in bulk (SQLITE_CONFIG_PAGECACHE with no buffer of its own): each
// connection's page cache takes its first pageCacheBulk pages from one allocation,
// returned to a free list of its own when the cache drops them, instead of one malloc
// and one free a page (by default only the first 20 come in bulk). Those mallocs and
// frees went through glibc's two arenas (see malloc_arenas.go) from every connection:
// under the mixed load futex calls fell from 28.5k to 18k in 4 s, and three alternated
// pairs ran 3 % faster. A bulk is 1,024 pages (4.2 MB) at most, mapped at once but made
// resident only as pages are used; peak RSS over the mixed row rose by about 10 MiB.
//
// The query planner stability guarantee on every connection (SQLITE_DBCONFIG_ENABLE_QPSG,
// set by an auto extension): without it SQLite re-prepares every statement that joins
// tables and has a bound parameter each time it runs, since a new value might change
// the plan. The check-out's stay (stays JOIN rooms) took 19–22 µs instead of 7, and staff
// sessions, kiosk devices, feedback and arrivals are joins too. The store's statements
// have one shape whatever their values; the plans of those with LIMIT ? or LIKE ? are
// the same with it.

/*
#include <stdint.h>

typedef struct sqlite3 sqlite3;
int sqlite3_config(int, ...);
int sqlite3_db_config(sqlite3 *, int, ...);
int sqlite3_auto_extension(void (*)(void));
int64_t sqlite3_memory_used(void);

enum { pageCacheBulk = 1024 };

// regularsConnection runs on every connection as it opens (an auto extension).
static int regularsConnection(sqlite3 *db, char **err, const void *api) {
	return sqlite3_db_config(db, 1007, 1, (int *)0); // SQLITE_DBCONFIG_ENABLE_QPSG, on
}

__attribute__((constructor)) static void regularsSQLiteConfig(void) {
	sqlite3_config(9, 0);                         // SQLITE_CONFIG_MEMSTATUS, off
	sqlite3_config(7, (void *)0, 0, pageCacheBulk); // SQLITE_CONFIG_PAGECACHE: no buffer, bulk of pages
	sqlite3_auto_extension((void (*)(void))regularsConnection); // after the configs: it initializes SQLite
}

static int64_t regularsSQLiteMemoryUsed(void) { return sqlite3_memory_used(); }
*/
import "C"

// sqliteMemoryCounted is what SQLite's allocation counters say it holds: 0 while
// SQLITE_CONFIG_MEMSTATUS is off.
func sqliteMemoryCounted() int64 { return int64(C.regularsSQLiteMemoryUsed()) }
