package syncbench

import (
	"fmt"
	"sync"
)

// Queue is one hand-off flavour: Send blocks while full, Recv returns
// ok=false once the queue is closed and drained.
type Queue interface {
	Send(v uint64)
	Recv() (uint64, bool)
	Close()
}

// LargeBuffer is the "unbounded" stand-in: Go has no unbounded channel, so
// the large-buffer flavour is a channel no producer fills in practice.
const LargeBuffer = 1 << 14

// HandoffStrategies lists the hand-off flavours with their Rust family:
// channels of capacity 0, 1, 64 and a large buffer, and a mutex + sync.Cond
// ring of 64 slots (the Rust mutex-condvar-bounded-64).
var HandoffStrategies = []struct {
	Name, Family string
	New          func() Queue
}{
	{"chan-0", "channel", func() Queue { return chanQueue(make(chan uint64)) }},
	{"chan-1", "channel", func() Queue { return chanQueue(make(chan uint64, 1)) }},
	{"chan-64", "channel", func() Queue { return chanQueue(make(chan uint64, 64)) }},
	{"chan-16384", "channel", func() Queue { return chanQueue(make(chan uint64, LargeBuffer)) }},
	{"mutex-cond-64", "mutex", func() Queue { return newCondQueue(64) }},
}

type chanQueue chan uint64

func (q chanQueue) Send(v uint64) { q <- v }
func (q chanQueue) Recv() (uint64, bool) {
	v, ok := <-q
	return v, ok
}
func (q chanQueue) Close() { close(q) }

// condQueue is a bounded ring guarded by a mutex, with two conditions.
type condQueue struct {
	mu               sync.Mutex
	notEmpty, notFul sync.Cond
	buf              []uint64
	head, n          int
	closed           bool
}

func newCondQueue(capacity int) *condQueue {
	q := &condQueue{buf: make([]uint64, capacity)}
	q.notEmpty.L = &q.mu
	q.notFul.L = &q.mu
	return q
}

func (q *condQueue) Send(v uint64) {
	q.mu.Lock()
	for q.n == len(q.buf) {
		q.notFul.Wait()
	}
	q.buf[(q.head+q.n)%len(q.buf)] = v
	q.n++
	q.mu.Unlock()
	q.notEmpty.Signal()
}

func (q *condQueue) Recv() (uint64, bool) {
	q.mu.Lock()
	for q.n == 0 && !q.closed {
		q.notEmpty.Wait()
	}
	if q.n == 0 {
		q.mu.Unlock()
		return 0, false
	}
	v := q.buf[q.head]
	q.head = (q.head + 1) % len(q.buf)
	q.n--
	q.mu.Unlock()
	q.notFul.Signal()
	return v, true
}

func (q *condQueue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.notEmpty.Broadcast()
}

func newQueue(name string) Queue {
	for _, s := range HandoffStrategies {
		if s.Name == name {
			return s.New()
		}
	}
	panic("unknown hand-off strategy " + name)
}

// Shapes: spsc (1 → 1), mpsc (P → 1), mpmc (P → P).
func shapeRoles(shape string, p int) (producers, consumers int) {
	switch shape {
	case "spsc":
		return 1, 1
	case "mpsc":
		return p, 1
	case "mpmc":
		return p, p
	}
	panic("unknown shape " + shape)
}

// HandoffProcs: the Rust id runs one thread per producer and consumer.
func HandoffProcs(shape string, p int) int {
	prod, cons := shapeRoles(shape, p)
	return prod + cons
}

// RunHandoff is handoff/<shape>/u64 at parameter p: ops distinct u64
// messages from the producers to the consumers; one operation is one
// message delivered. Checks: the consumers together received exactly ops
// messages whose sum and sum of squares are those of 0..ops-1, so no
// message was lost or delivered twice.
func RunHandoff(clk clock, name, shape string, p, ops int) error {
	producers, consumers := shapeRoles(shape, p)
	q := newQueue(name)
	start := make(chan struct{})
	var prodWG, consWG sync.WaitGroup
	next := 0
	for i := 0; i < producers; i++ {
		n := split(ops, producers, i)
		first := next
		next += n
		prodWG.Add(1)
		go func(first, n int) {
			defer prodWG.Done()
			<-start
			for v := first; v < first+n; v++ {
				q.Send(uint64(v))
			}
		}(first, n)
	}
	type tally struct{ n, sum, sq uint64 }
	tallies := make([]tally, consumers)
	for i := 0; i < consumers; i++ {
		consWG.Add(1)
		go func(i int) {
			defer consWG.Done()
			var t tally
			for {
				v, ok := q.Recv()
				if !ok {
					break
				}
				t.n++
				t.sum += v
				t.sq += v * v
			}
			tallies[i] = t
		}(i)
	}
	clk.ResetTimer()
	close(start)
	prodWG.Wait()
	q.Close()
	consWG.Wait()
	clk.StopTimer()
	var got tally
	for _, t := range tallies {
		got.n += t.n
		got.sum += t.sum
		got.sq += t.sq
	}
	if got.n != uint64(ops) || got.sum != sumBelow(uint64(ops)) || got.sq != sumSquaresBelow(uint64(ops)) {
		return fmt.Errorf("handoff/%s/u64 %s at %d: received %d messages (sum %d, squares %d), want %d (%d, %d)",
			shape, name, p, got.n, got.sum, got.sq, ops, sumBelow(uint64(ops)), sumSquaresBelow(uint64(ops)))
	}
	return nil
}

// sumBelow is 0 + 1 + ... + (n-1), wrapping.
func sumBelow(n uint64) uint64 {
	if n%2 == 0 {
		return n / 2 * (n - 1)
	}
	return (n - 1) / 2 * n
}

// sumSquaresBelow is 0² + 1² + ... + (n-1)², wrapping (as the Rust
// handoff::sum_of_squares_below).
func sumSquaresBelow(n uint64) uint64 {
	var s uint64
	for i := uint64(0); i < n; i++ {
		s += i * i
	}
	return s
}
