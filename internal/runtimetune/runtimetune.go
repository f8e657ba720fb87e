// Package runtimetune gives the Go runtime the settings the service runs best with,
// unless the environment sets them: the service and the benchmark's baselines start
// with the same ones, so that the baselines stay the raw limit of the same stack.
package runtimetune

import (
	"runtime"
	"runtime/debug"
)

// The garbage collector: the Go heap lived at about 25 MB under load (5-20 MB since),
// and collecting at twice that (GOGC=100) took 4–5 % of the CPU of the mixed load at 1M
// guests; at three times that (200) the mixed load ran about 7 % faster and peak RSS
// rose from 112 to 143 MiB. The soft limit keeps the Go side under 100 MiB whatever the
// load, beside SQLite's page caches (about 60 MB at most), so that the service stays
// under 200 MB.
const (
	GCPercent   = 200
	GoHeapLimit = 100 << 20
)

// ProcsPerCPU is how many Go schedulers (Ps) run per CPU. Every SQLite call is a cgo
// call, and a goroutine in a cgo call keeps its P until the call returns or Go's sysmon
// takes the P back (after at least 20 µs, then a thread must be woken for it): with one
// P per CPU, two card queries in SQLite at once left no P for the requests waiting to
// be parsed, answered or written, though the CPUs were not all busy. With two per CPU
// the operating system shares the CPUs among the threads instead. At 1M guests on 2
// CPUs, six alternated pairs of runs of the same binary: look-ups −3 to +57 %, cards +7
// to +50 %, the mixed load −4 to +18 %, with the same peak RSS; baseline B, a bare
// handler with one cgo call a request, +9 to +20 %.
const ProcsPerCPU = 2

// Apply sets GOGC, GOMEMLIMIT and GOMAXPROCS to the service's defaults unless getenv
// returns a value for them.
func Apply(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(GoHeapLimit)
	}
	if getenv("GOMAXPROCS") == "" {
		// runtime.GOMAXPROCS(0) is the CPUs this process may use (its cgroup's limit
		// included), as Go works it out.
		runtime.GOMAXPROCS(ProcsPerCPU * runtime.GOMAXPROCS(0))
	}
}
