package syncbench

import (
	"fmt"
	"sync"
)

// PingPongStrategies: signal/ping-pong, two goroutines taking turns; one
// operation is one round trip. Families as on the Rust side.
var PingPongStrategies = []struct{ Name, Family string }{
	{"chan-0", "channel"},
	{"chan-1", "channel"},
	{"cond", "mutex"},
}

// OneToManyStrategies: signal/one-to-many, one releaser wakes P waiters and
// waits for all their acknowledgements; one operation is one acknowledged
// release.
var OneToManyStrategies = []struct{ Name, Family string }{
	// A fresh done channel per release, closed by the releaser; acks by WaitGroup.
	{"close-chan", "channel"},
	// One buffered channel per waiter, one send each; acks by WaitGroup.
	{"chan-1", "channel"},
	// sync.Cond Broadcast on a generation count; acks counted under the mutex.
	{"cond", "mutex"},
	// A WaitGroup per release as the latch (Done by the releaser, Wait by the
	// waiters); acks by a second WaitGroup.
	{"waitgroup", "barrier"},
}

// PingPongProcs: the Rust ping-pong runs two threads (its id says threads=2).
func PingPongProcs() int { return 2 }

// OneToManyProcs: a releaser and P waiters.
func OneToManyProcs(p int) int { return p + 1 }

// RunPingPong: the pinger writes 2k-1 into the baton before ping k, the
// ponger must read exactly that and writes 2k before its pong, which the
// pinger must read. The baton is a plain variable: the signal alone orders
// it (go test -race checks that too).
func RunPingPong(clk clock, name string, ops int) error {
	var baton uint64
	bad := 0
	var ping, pong func()
	var waitPing, waitPong func()
	switch name {
	case "chan-0", "chan-1":
		capacity := 0
		if name == "chan-1" {
			capacity = 1
		}
		a, b := make(chan struct{}, capacity), make(chan struct{}, capacity)
		ping, waitPing = func() { a <- struct{}{} }, func() { <-a }
		pong, waitPong = func() { b <- struct{}{} }, func() { <-b }
	case "cond":
		var mu sync.Mutex
		c := sync.NewCond(&mu)
		turn := 0 // 0: pinger's turn, 1: ponger's
		pass := func(to int) func() {
			return func() { mu.Lock(); turn = to; mu.Unlock(); c.Signal() }
		}
		wait := func(me int) func() {
			return func() {
				mu.Lock()
				for turn != me {
					c.Wait()
				}
				mu.Unlock()
			}
		}
		ping, waitPing = pass(1), wait(1)
		pong, waitPong = pass(0), wait(0)
	default:
		panic("unknown ping-pong strategy " + name)
	}
	done := make(chan int)
	go func() {
		wrong := 0
		for k := 1; k <= ops; k++ {
			waitPing()
			if baton != uint64(2*k-1) {
				wrong++
			}
			baton = uint64(2 * k)
			pong()
		}
		done <- wrong
	}()
	clk.ResetTimer()
	for k := 1; k <= ops; k++ {
		baton = uint64(2*k - 1)
		ping()
		waitPong()
		if baton != uint64(2*k) {
			bad++
		}
	}
	bad += <-done
	clk.StopTimer()
	if bad != 0 {
		return fmt.Errorf("signal/ping-pong %s: %d stale batons in %d round trips", name, bad, ops)
	}
	return nil
}

// release is one round of close-chan and waitgroup: the value published,
// the latch, and the next round.
type release struct {
	value uint64
	done  chan struct{}
	latch sync.WaitGroup
	next  *release
}

// RunOneToMany: the releaser writes release number k, releases the P
// waiters, and waits for all P acknowledgements; every waiter must read k.
func RunOneToMany(clk clock, name string, p, ops int) error {
	var acks sync.WaitGroup
	wrong := make([]int, p)
	var wg sync.WaitGroup
	var releaseAll func(k int)
	switch name {
	case "close-chan", "waitgroup":
		latch := name == "waitgroup"
		first := &release{done: make(chan struct{})}
		first.latch.Add(1)
		cur := first
		for i := 0; i < p; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				r := first
				for k := 1; k <= ops; k++ {
					if latch {
						r.latch.Wait()
					} else {
						<-r.done
					}
					if r.value != uint64(k) {
						wrong[i]++
					}
					r = r.next
					acks.Done()
				}
			}(i)
		}
		releaseAll = func(k int) {
			acks.Add(p)
			cur.value = uint64(k)
			cur.next = &release{done: make(chan struct{})}
			cur.next.latch.Add(1)
			if latch {
				cur.latch.Done()
			} else {
				close(cur.done)
			}
			acks.Wait()
			cur = cur.next
		}
	case "chan-1":
		var value uint64
		chans := make([]chan struct{}, p)
		for i := range chans {
			chans[i] = make(chan struct{}, 1)
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				for k := 1; k <= ops; k++ {
					<-chans[i]
					if value != uint64(k) {
						wrong[i]++
					}
					acks.Done()
				}
			}(i)
		}
		releaseAll = func(k int) {
			acks.Add(p)
			value = uint64(k)
			for _, c := range chans {
				c <- struct{}{}
			}
			acks.Wait()
		}
	case "cond":
		var mu sync.Mutex
		wake, acked := sync.NewCond(&mu), sync.NewCond(&mu)
		var gen uint64
		pending := 0
		for i := 0; i < p; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				for k := 1; k <= ops; k++ {
					mu.Lock()
					for gen < uint64(k) {
						wake.Wait()
					}
					if gen != uint64(k) {
						wrong[i]++
					}
					pending--
					if pending == 0 {
						acked.Signal()
					}
					mu.Unlock()
				}
			}(i)
		}
		releaseAll = func(k int) {
			mu.Lock()
			gen = uint64(k)
			pending = p
			wake.Broadcast()
			for pending > 0 {
				acked.Wait()
			}
			mu.Unlock()
		}
	default:
		panic("unknown one-to-many strategy " + name)
	}
	clk.ResetTimer()
	for k := 1; k <= ops; k++ {
		releaseAll(k)
	}
	clk.StopTimer()
	wg.Wait()
	bad := 0
	for _, n := range wrong {
		bad += n
	}
	if bad != 0 {
		return fmt.Errorf("signal/one-to-many %s at %d waiters: %d stale reads in %d releases", name, p, bad, ops)
	}
	return nil
}
