// Package syncbench is the Go side of syncbench: the scenarios of the Rust
// suite that have a Go idiom, written the way the Go guide writes them, with
// the same scenario ids, parameters and answer checks.
//
// One benchmark iteration (b.N) is one logical operation of the whole
// system, as on the Rust side: one increment, one map operation, one message
// delivered, one item through the pipeline, one round trip, one job, one
// cancellation cycle. Every run checks its answer after the timed region, so
// a wrong strategy fails instead of looking fast.
//
// Thread mapping: a Rust benchmark id at parameter T (threads, producers P,
// workers W) runs T OS threads in the roles of the scenario. The Go
// benchmark with sub-name threads=T runs the same roles as goroutines, with
// GOMAXPROCS set to the number of OS threads the Rust id uses (T for
// counter and map, P+P for mpmc, W+2 for the pipeline, ...; see procs in
// each file), restored afterwards.
package syncbench

import (
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

// clock is the part of *testing.B a run needs: the timed region is from
// ResetTimer to StopTimer. Tests pass noClock.
type clock interface {
	ResetTimer()
	StopTimer()
}

type noClock struct{}

func (noClock) ResetTimer() {}
func (noClock) StopTimer()  {}

// withProcs runs f with GOMAXPROCS set to procs.
func withProcs(procs int, f func()) {
	prev := runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(prev)
	f()
}

// split gives worker i of n its share of total operations.
func split(total, n, i int) int {
	share := total / n
	if i < total%n {
		share++
	}
	return share
}

// ThreadsVar overrides the thread axis, as on the Rust side.
const ThreadsVar = "SYNCBENCH_THREADS"

// DefaultAxis mirrors syncbench::harness::threads::default_axis: powers of
// two below the parallelism, the parallelism itself, and twice it.
func DefaultAxis(parallelism int) []int {
	if parallelism < 1 {
		parallelism = 1
	}
	var axis []int
	for t := 1; t < parallelism; t *= 2 {
		axis = append(axis, t)
	}
	return append(axis, parallelism, 2*parallelism)
}

// ParseAxis parses a SYNCBENCH_THREADS value (comma-separated positive
// integers, at most 1024), sorted and without duplicates.
func ParseAxis(value string) ([]int, bool) {
	seen := map[int]bool{}
	var axis []int
	for _, tok := range strings.Split(value, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(tok))
		if err != nil || n < 1 || n > 1024 {
			return nil, false
		}
		if !seen[n] {
			seen[n] = true
			axis = append(axis, n)
		}
	}
	sort.Ints(axis)
	return axis, true
}

// Axis is the thread axis of this run: SYNCBENCH_THREADS if set and not
// empty, else the default axis of the machine's logical CPUs (as
// syncbench::harness::threads::thread_axis; scripts/bench.sh passes the Rust
// run's axis explicitly, so the two sides always agree).
func Axis() []int {
	if v := os.Getenv(ThreadsVar); strings.TrimSpace(v) != "" {
		if axis, ok := ParseAxis(v); ok {
			return axis
		}
		panic(ThreadsVar + ": `" + v + "` is not a comma-separated list of thread counts between 1 and 1024")
	}
	return DefaultAxis(runtime.NumCPU())
}

// cacheLine pads shared cells apart (64-byte lines; 128 covers adjacent-line
// prefetch as crossbeam's CachePadded does on x86-64).
const cacheLine = 128
