package runtimetune

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

// The defaults apply when the environment is silent, and each variable set keeps Go's
// own reading of it.
func TestApply(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs)
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	Apply(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != GCPercent {
		t.Errorf("GC percent %d, want %d", got, GCPercent)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != GoHeapLimit {
		t.Errorf("memory limit %d, want %d", got, GoHeapLimit)
	}
	if got := runtime.GOMAXPROCS(procs); got != ProcsPerCPU*procs {
		t.Errorf("GOMAXPROCS %d, want %d", got, ProcsPerCPU*procs)
	}

	Apply(func(name string) string {
		return map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB", "GOMAXPROCS": "1"}[name]
	})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set: GC percent changed to %d", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("GOMEMLIMIT set: memory limit changed to %d", got)
	}
	if got := runtime.GOMAXPROCS(0); got != procs {
		t.Errorf("GOMAXPROCS set: changed to %d, want %d", got, procs)
	}
}
