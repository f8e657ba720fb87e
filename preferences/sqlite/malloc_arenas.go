//go:build linux && cgo

package sqlite

// glibc's malloc gives each thread that allocates an arena of its own, up to eight a
// core. SQLite's page caches are allocated and freed on whichever threads run the
// readers and the writer, and freed pages stayed resident in many arenas: at a million
// guests, after the day's birthday greetings went out at start-up, `make bench`
// measured a peak RSS of 168-197 MiB (the target is 200 MB) instead of 121-135. With two
// arenas it was 142 MiB. The limit is set by a constructor, as MALLOC_ARENA_MAX=2 in
// the environment would: when the binary loads, before any thread allocates.

/*
#include <malloc.h>

__attribute__((constructor)) static void regularsLimitMallocArenas(void) {
#ifdef M_ARENA_MAX
	mallopt(M_ARENA_MAX, 2);
#endif
}
*/
import "C"
