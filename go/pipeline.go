package syncbench

import (
	"fmt"
	"sync"
)

// PipelineStrategies: the links between the stages, with their Rust family.
var PipelineStrategies = []struct{ Name, Family string }{
	{"chan-0", "channel"},
	{"chan-64", "channel"},
	{"mutex-cond-64", "mutex"},
}

// PipelineProcs: a generator, W workers and a summer, one OS thread each on
// the Rust side.
func PipelineProcs(workers int) int { return workers + 2 }

// RunPipeline is pipeline/square-sum/none with W middle workers, the guide's
// generate → square → sum: the generator sends 0..ops-1 and closes, W
// workers square what they receive, the summer adds up the squares once the
// workers are done. One operation is one item through all three stages.
// Checks: the sum equals 0² + … + (ops-1)² (wrapping) and the workers
// handled ops items together.
func RunPipeline(clk clock, name string, workers, ops int) error {
	jobs, results := newQueue(name), newQueue(name)
	start := make(chan struct{})
	counts := make([]int, workers)
	var wg sync.WaitGroup
	go func() {
		<-start
		for i := 0; i < ops; i++ {
			jobs.Send(uint64(i))
		}
		jobs.Close()
	}()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			n := 0
			for {
				v, ok := jobs.Recv()
				if !ok {
					break
				}
				results.Send(v * v)
				n++
			}
			counts[w] = n
		}(w)
	}
	go func() {
		wg.Wait()
		results.Close()
	}()
	sum := make(chan uint64)
	go func() {
		var s uint64
		for {
			v, ok := results.Recv()
			if !ok {
				break
			}
			s += v
		}
		sum <- s
	}()
	clk.ResetTimer()
	close(start)
	got := <-sum
	clk.StopTimer()
	items := 0
	for _, n := range counts {
		items += n
	}
	if want := sumSquaresBelow(uint64(ops)); got != want || items != ops {
		return fmt.Errorf("pipeline/square-sum/none %s at %d workers: sum %d, want %d; %d items, want %d",
			name, workers, got, want, items, ops)
	}
	return nil
}
