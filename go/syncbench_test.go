package syncbench

import (
	"reflect"
	"testing"
)

// Correctness under contention: every strategy of every scenario, at thread
// counts past the CPU count, with enough operations to interleave.
var testThreads = []int{1, 2, 3, 8}

func check(t *testing.T, procs int, err func() error) {
	t.Helper()
	withProcs(procs, func() {
		if e := err(); e != nil {
			t.Error(e)
		}
	})
}

func ops(t *testing.T, n int) int {
	if testing.Short() {
		return n / 10
	}
	return n
}

func TestCounter(t *testing.T) {
	for _, th := range testThreads {
		for _, s := range CounterStrategies {
			check(t, CounterProcs(th), func() error { return RunIncrement(noClock{}, s.Name, th, ops(t, 100_003)) })
		}
		for _, s := range ReadMostlyStrategies {
			for _, w := range []int{10, 1} {
				check(t, CounterProcs(th), func() error { return RunReadMostly(noClock{}, s, th, w, ops(t, 50_001)) })
			}
		}
	}
}

func TestMap(t *testing.T) {
	for _, th := range testThreads {
		for _, s := range MapStrategies {
			for _, reads := range []int{99, 90, 50, 10} {
				check(t, MapProcs(th), func() error { return RunMap(noClock{}, s.Name, th, reads, ops(t, 20_000)) })
			}
		}
	}
}

func TestHandoff(t *testing.T) {
	for _, shape := range []string{"spsc", "mpsc", "mpmc"} {
		for _, p := range testThreads {
			for _, s := range HandoffStrategies {
				check(t, HandoffProcs(shape, p), func() error { return RunHandoff(noClock{}, s.Name, shape, p, ops(t, 30_011)) })
			}
		}
	}
}

func TestPipeline(t *testing.T) {
	for _, w := range testThreads {
		for _, s := range PipelineStrategies {
			check(t, PipelineProcs(w), func() error { return RunPipeline(noClock{}, s.Name, w, ops(t, 20_000)) })
		}
	}
}

func TestSignal(t *testing.T) {
	for _, s := range PingPongStrategies {
		check(t, PingPongProcs(), func() error { return RunPingPong(noClock{}, s.Name, ops(t, 20_000)) })
	}
	for _, p := range testThreads {
		for _, s := range OneToManyStrategies {
			check(t, OneToManyProcs(p), func() error { return RunOneToMany(noClock{}, s.Name, p, ops(t, 5_000)) })
		}
	}
}

func TestLifecycle(t *testing.T) {
	for _, w := range testThreads {
		for _, s := range DispatchStrategies {
			check(t, DispatchProcs(s.Name, w), func() error { return RunDispatch(noClock{}, s.Name, w, ops(t, 20_000)) })
		}
		for _, s := range CancelStrategies {
			check(t, CancelProcs(w), func() error { return RunCancel(noClock{}, s.Name, w, ops(t, 200)) })
		}
	}
}

// The checks catch a wrong answer: a counter that loses increments, a
// queue that drops a message, a map that forgets a write.
type lossy struct{ atomicCounter }

// Inc loses every increment once the count has reached 500 (at least 500:
// two workers racing past 499 together would skip exactly 500).
func (c *lossy) Inc(w int) {
	if c.n.Load() < 500 {
		c.atomicCounter.Inc(w)
	}
}

func TestChecksCatchWrongAnswers(t *testing.T) {
	CounterStrategies = append(CounterStrategies, struct {
		Name, Family string
		New          func(int) Counter
	}{"lossy", "atomic", func(int) Counter { return &lossy{} }})
	defer func() { CounterStrategies = CounterStrategies[:len(CounterStrategies)-1] }()
	if RunIncrement(noClock{}, "lossy", 2, 10_000) == nil {
		t.Error("a counter that loses an increment passed the check")
	}
	HandoffStrategies = append(HandoffStrategies, struct {
		Name, Family string
		New          func() Queue
	}{"dropping", "channel", func() Queue { return &dropping{Queue: chanQueue(make(chan uint64, 64))} }})
	defer func() { HandoffStrategies = HandoffStrategies[:len(HandoffStrategies)-1] }()
	if RunHandoff(noClock{}, "dropping", "mpsc", 2, 10_000) == nil {
		t.Error("a queue that drops a message passed the check")
	}
	MapStrategies = append(MapStrategies, struct {
		Name, Family string
		New          func() Map
	}{"forgetful", "mutex", func() Map { return &forgetful{mutexMap: mutexMap{m: map[uint64]uint64{}}} }})
	defer func() { MapStrategies = MapStrategies[:len(MapStrategies)-1] }()
	if RunMap(noClock{}, "forgetful", 2, 50, 10_000) == nil {
		t.Error("a map that ignores deletes passed the check")
	}
}

type dropping struct{ Queue }

// Send drops message 100.
func (q *dropping) Send(v uint64) {
	if v == 100 {
		return
	}
	q.Queue.Send(v)
}

type forgetful struct{ mutexMap }

func (m *forgetful) Delete(uint64) {}

func TestAxis(t *testing.T) {
	if got := DefaultAxis(2); !reflect.DeepEqual(got, []int{1, 2, 4}) {
		t.Errorf("DefaultAxis(2) = %v", got)
	}
	if got := DefaultAxis(6); !reflect.DeepEqual(got, []int{1, 2, 4, 6, 12}) {
		t.Errorf("DefaultAxis(6) = %v", got)
	}
	if got, ok := ParseAxis("8, 1,3,1"); !ok || !reflect.DeepEqual(got, []int{1, 3, 8}) {
		t.Errorf("ParseAxis = %v %v", got, ok)
	}
	for _, bad := range []string{"", "0", "1,,2", "x", "2000"} {
		if _, ok := ParseAxis(bad); ok {
			t.Errorf("ParseAxis(%q) accepted", bad)
		}
	}
}
