package syncbench

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Counter strategies for counter/increment/hot and counter/read-mostly.
// Inc and Load take the calling worker's index (the sharded counter uses it).
type Counter interface {
	Inc(worker int)
	Load(worker int) uint64
	// Close stops any goroutine the strategy owns and returns the final count.
	Close() uint64
}

// CounterStrategies lists the increment strategies with their Rust family.
var CounterStrategies = []struct {
	Name, Family string
	New          func(workers int) Counter
}{
	{"mutex", "mutex", func(int) Counter { return &mutexCounter{} }},
	{"rwmutex", "rw-lock", func(int) Counter { return &rwCounter{} }},
	{"atomic", "atomic", func(int) Counter { return &atomicCounter{} }},
	{"sharded-atomic", "sharded", func(w int) Counter { return newSharded(w) }},
	{"owner-goroutine", "channel", func(int) Counter { return newOwner() }},
}

// ReadMostlyStrategies are the ones measured on counter/read-mostly (as on the
// Rust side, no owner goroutine there).
var ReadMostlyStrategies = []string{"mutex", "rwmutex", "atomic", "sharded-atomic"}

type mutexCounter struct {
	mu sync.Mutex
	n  uint64
}

func (c *mutexCounter) Inc(int) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func (c *mutexCounter) Load(int) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func (c *mutexCounter) Close() uint64 { return c.Load(0) }

type rwCounter struct {
	mu sync.RWMutex
	n  uint64
}

func (c *rwCounter) Inc(int) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func (c *rwCounter) Load(int) uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.n
}

func (c *rwCounter) Close() uint64 { return c.Load(0) }

type atomicCounter struct{ n atomic.Uint64 }

func (c *atomicCounter) Inc(int)         { c.n.Add(1) }
func (c *atomicCounter) Load(int) uint64 { return c.n.Load() }
func (c *atomicCounter) Close() uint64   { return c.n.Load() }

// shardedCounter gives every worker its own padded cell; a read sums them.
type shardedCounter struct {
	cells []paddedCell
}

type paddedCell struct {
	n atomic.Uint64
	_ [cacheLine - 8]byte
}

func newSharded(workers int) *shardedCounter {
	return &shardedCounter{cells: make([]paddedCell, workers)}
}

func (c *shardedCounter) Inc(w int) { c.cells[w].n.Add(1) }

func (c *shardedCounter) Load(int) uint64 {
	var sum uint64
	for i := range c.cells {
		sum += c.cells[i].n.Load()
	}
	return sum
}

func (c *shardedCounter) Close() uint64 { return c.Load(0) }

// ownerCounter: the count belongs to one goroutine; others send it requests
// ("share memory by communicating").
type ownerCounter struct {
	inc   chan struct{}
	read  chan chan uint64
	final chan uint64
}

func newOwner() *ownerCounter {
	c := &ownerCounter{
		inc:   make(chan struct{}, 1024),
		read:  make(chan chan uint64),
		final: make(chan uint64),
	}
	go func() {
		var n uint64
		for {
			select {
			case _, ok := <-c.inc:
				if !ok {
					c.final <- n
					return
				}
				n++
			case reply := <-c.read:
				reply <- n
			}
		}
	}()
	return c
}

func (c *ownerCounter) Inc(int) { c.inc <- struct{}{} }

func (c *ownerCounter) Load(int) uint64 {
	reply := make(chan uint64)
	c.read <- reply
	return <-reply
}

func (c *ownerCounter) Close() uint64 {
	close(c.inc)
	return <-c.final
}

func newCounter(name string, workers int) Counter {
	for _, s := range CounterStrategies {
		if s.Name == name {
			return s.New(workers)
		}
	}
	panic("unknown counter strategy " + name)
}

// CounterProcs: counter ids at T threads run T OS threads.
func CounterProcs(threads int) int { return threads }

// RunIncrement is counter/increment/hot: ops increments split over workers
// goroutines, nothing between them. The final count must equal ops.
func RunIncrement(clk clock, name string, workers, ops int) error {
	c := newCounter(name, workers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := 0; w < workers; w++ {
		n := split(ops, workers, w)
		wg.Add(1)
		go func(w, n int) {
			defer wg.Done()
			<-start
			for i := 0; i < n; i++ {
				c.Inc(w)
			}
		}(w, n)
	}
	clk.ResetTimer()
	close(start)
	wg.Wait()
	clk.StopTimer()
	if got := c.Close(); got != uint64(ops) {
		return fmt.Errorf("counter/increment/hot %s at %d: count %d, want %d", name, workers, got, ops)
	}
	return nil
}

// RunReadMostly is counter/read-mostly/<reads>-<writes>: every operation
// reads the count, except every (100/writePct)-th, which adds one (the same
// share as the Rust mix, spread evenly). No reader may see the count go
// backwards; the final count must equal the writes.
func RunReadMostly(clk clock, name string, workers, writePct, ops int) error {
	c := newCounter(name, workers)
	every := 100 / writePct
	var wg sync.WaitGroup
	var writes, backwards atomic.Uint64
	start := make(chan struct{})
	for w := 0; w < workers; w++ {
		n := split(ops, workers, w)
		wg.Add(1)
		go func(w, n int) {
			defer wg.Done()
			<-start
			var last, mine uint64
			bad := uint64(0)
			for i := 0; i < n; i++ {
				if i%every == every-1 {
					c.Inc(w)
					mine++
				} else {
					v := c.Load(w)
					if v < last {
						bad++
					}
					last = v
				}
			}
			writes.Add(mine)
			backwards.Add(bad)
		}(w, n)
	}
	clk.ResetTimer()
	close(start)
	wg.Wait()
	clk.StopTimer()
	if got := c.Close(); got != writes.Load() || backwards.Load() != 0 {
		return fmt.Errorf("counter/read-mostly %s at %d: count %d, want %d; %d reads went backwards",
			name, workers, got, writes.Load(), backwards.Load())
	}
	return nil
}
