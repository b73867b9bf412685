package syncbench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// DispatchStrategies: lifecycle/dispatch/none, jobs through W workers.
var DispatchStrategies = []struct{ Name, Family string }{
	// The guide's worker pool: a submitter sends jobs on a channel of 64,
	// W workers range over it, a WaitGroup waits for them.
	{"chan-64", "channel"},
	// The same pool over a mutex + sync.Cond queue of 64.
	{"mutex-cond-64", "mutex"},
	// No queue: workers claim job ids from a shared atomic cursor.
	{"atomic-cursor", "atomic"},
}

// CancelStrategies: lifecycle/cancel/1us, stop a busy pool on the first error.
var CancelStrategies = []struct{ Name, Family string }{
	// The guide's way: context.WithCancel, workers select on ctx.Done()
	// between jobs, the first error cancels (errgroup written with
	// sync.WaitGroup, sync.Once and context).
	{"context", "channel"},
	// An atomic stop flag checked between jobs.
	{"atomic-flag", "atomic"},
}

// DispatchProcs: the queue strategies run W workers and a submitter, the
// cursor W workers (as their Rust counterparts' threads).
func DispatchProcs(name string, workers int) int {
	if name == "atomic-cursor" {
		return workers
	}
	return workers + 1
}

// CancelProcs: W workers and the goroutine that waits for them.
func CancelProcs(workers int) int { return workers + 1 }

// RunDispatch: ops jobs (ids 0..ops-1) through W workers; a job's result is
// its id squared. One operation is one job. Checks: the workers ran ops
// jobs whose ids sum and whose results sum as 0..ops-1 do (every job once).
func RunDispatch(clk clock, name string, workers, ops int) error {
	type tally struct{ n, ids, results uint64 }
	tallies := make([]tally, workers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	run := func(w int, next func() (uint64, bool)) {
		defer wg.Done()
		var t tally
		for {
			id, ok := next()
			if !ok {
				break
			}
			t.n++
			t.ids += id
			t.results += id * id
		}
		tallies[w] = t
	}
	if name == "atomic-cursor" {
		var cursor atomic.Uint64
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				<-start
				run(w, func() (uint64, bool) {
					id := cursor.Add(1) - 1
					return id, id < uint64(ops)
				})
			}(w)
		}
	} else {
		jobs := newQueue(name)
		go func() {
			<-start
			for i := 0; i < ops; i++ {
				jobs.Send(uint64(i))
			}
			jobs.Close()
		}()
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go run(w, jobs.Recv)
		}
	}
	clk.ResetTimer()
	close(start)
	wg.Wait()
	clk.StopTimer()
	var got tally
	for _, t := range tallies {
		got.n += t.n
		got.ids += t.ids
		got.results += t.results
	}
	if got.n != uint64(ops) || got.ids != sumBelow(uint64(ops)) || got.results != sumSquaresBelow(uint64(ops)) {
		return fmt.Errorf("lifecycle/dispatch/none %s at %d workers: %d jobs (ids %d, results %d), want %d (%d, %d)",
			name, workers, got.n, got.ids, got.results, ops, sumBelow(uint64(ops)), sumSquaresBelow(uint64(ops)))
	}
	return nil
}

// errJob is the one failure of every cancellation cycle.
var errJob = errors.New("job failed")

// failAt: worker 0's job number failAt fails.
const failAt = 3

// RunCancel: ops cycles of "start W busy workers (jobs of about 1 µs) →
// worker 0's third job fails → every worker stopped". One operation is one
// whole cycle. Checks per cycle: the first error is the failure, it was
// recorded exactly once, and every worker returned (the WaitGroup).
func RunCancel(clk clock, name string, workers, ops int) error {
	units := microUnits()
	bad := 0
	clk.ResetTimer()
	for c := 0; c < ops; c++ {
		var wg sync.WaitGroup
		var once sync.Once
		var first error
		var failures atomic.Int32
		fail := func(cancel func()) {
			failures.Add(1)
			once.Do(func() { first = errJob; cancel() })
		}
		switch name {
		case "context":
			ctx, cancel := context.WithCancel(context.Background())
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for j := 1; ; j++ {
						select {
						case <-ctx.Done():
							return
						default:
						}
						spinWork(units)
						if w == 0 && j == failAt {
							fail(cancel)
							return
						}
					}
				}(w)
			}
			wg.Wait()
			cancel()
		case "atomic-flag":
			var stop atomic.Bool
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for j := 1; !stop.Load(); j++ {
						spinWork(units)
						if w == 0 && j == failAt {
							fail(func() { stop.Store(true) })
							return
						}
					}
				}(w)
			}
			wg.Wait()
		default:
			panic("unknown cancel strategy " + name)
		}
		if first != errJob || failures.Load() != 1 {
			bad++
		}
	}
	clk.StopTimer()
	if bad != 0 {
		return fmt.Errorf("lifecycle/cancel/1us %s at %d workers: %d of %d cycles without exactly one failure", name, workers, bad, ops)
	}
	return nil
}

var (
	calibrate sync.Once
	perMicro  int
	workSink  atomic.Uint64
)

// spinWork is private register-only work: a dependent multiply-add chain.
func spinWork(units int) {
	x := uint64(units) | 1
	for i := 0; i < units; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	if x == 0 {
		workSink.Add(1)
	}
}

// microUnits is the number of spinWork units that take about 1 µs here,
// calibrated once per process (as the Rust ItemWork::micro).
func microUnits() int {
	calibrate.Do(func() {
		const n = 1 << 20
		t0 := time.Now()
		spinWork(n)
		ns := time.Since(t0).Nanoseconds()
		if ns < 1 {
			ns = 1
		}
		perMicro = int(n * 1000 / ns)
		if perMicro < 1 {
			perMicro = 1
		}
	})
	return perMicro
}
