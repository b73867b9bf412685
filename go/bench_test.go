package syncbench

import (
	"fmt"
	"testing"
)

// Benchmark names map to the Rust ids: Benchmark<Target>/<rest of the
// criterion group>/<strategy>/threads=<T>, e.g.
// BenchmarkCounter/increment/hot/mutex/threads=2 is group
// counter/increment/hot, strategy go mutex, parameter 2 (threads, P or W as
// on the Rust side). Go appends -<GOMAXPROCS at start> unless it is 1.

func bench(b *testing.B, name string, procs int, run func(b *testing.B) error) {
	b.Run(name, func(b *testing.B) {
		withProcs(procs, func() {
			if err := run(b); err != nil {
				b.Fatal(err)
			}
		})
	})
}

func BenchmarkCounter(b *testing.B) {
	for _, t := range Axis() {
		for _, s := range CounterStrategies {
			s, t := s, t
			bench(b, fmt.Sprintf("increment/hot/%s/threads=%d", s.Name, t), CounterProcs(t),
				func(b *testing.B) error { return RunIncrement(b, s.Name, t, b.N) })
		}
	}
	for _, t := range Axis() {
		for _, s := range ReadMostlyStrategies {
			s, t := s, t
			bench(b, fmt.Sprintf("read-mostly/90-10/%s/threads=%d", s, t), CounterProcs(t),
				func(b *testing.B) error { return RunReadMostly(b, s, t, 10, b.N) })
		}
	}
}

// mapScenarios: the Rust groups measured on the Go side, with their read share.
var mapScenarios = []struct {
	Group string
	Reads int
}{
	{"read-heavy/90-10/uniform", 90},
	{"write-heavy/50-50/uniform", 50},
}

func BenchmarkMap(b *testing.B) {
	for _, sc := range mapScenarios {
		for _, t := range Axis() {
			for _, s := range MapStrategies {
				sc, s, t := sc, s, t
				bench(b, fmt.Sprintf("%s/%s/threads=%d", sc.Group, s.Name, t), MapProcs(t),
					func(b *testing.B) error { return RunMap(b, s.Name, t, sc.Reads, b.N) })
			}
		}
	}
}

func BenchmarkHandoff(b *testing.B) {
	for _, shape := range []string{"spsc", "mpsc", "mpmc"} {
		axis := Axis()
		if shape == "spsc" {
			axis = []int{1}
		}
		for _, p := range axis {
			for _, s := range HandoffStrategies {
				shape, s, p := shape, s, p
				bench(b, fmt.Sprintf("%s/u64/%s/threads=%d", shape, s.Name, p), HandoffProcs(shape, p),
					func(b *testing.B) error { return RunHandoff(b, s.Name, shape, p, b.N) })
			}
		}
	}
}

func BenchmarkPipeline(b *testing.B) {
	for _, w := range Axis() {
		for _, s := range PipelineStrategies {
			s, w := s, w
			bench(b, fmt.Sprintf("square-sum/none/%s/threads=%d", s.Name, w), PipelineProcs(w),
				func(b *testing.B) error { return RunPipeline(b, s.Name, w, b.N) })
		}
	}
}

func BenchmarkSignal(b *testing.B) {
	for _, s := range PingPongStrategies {
		s := s
		bench(b, fmt.Sprintf("ping-pong/%s/threads=2", s.Name), PingPongProcs(),
			func(b *testing.B) error { return RunPingPong(b, s.Name, b.N) })
	}
	for _, p := range Axis() {
		for _, s := range OneToManyStrategies {
			s, p := s, p
			bench(b, fmt.Sprintf("one-to-many/%s/threads=%d", s.Name, p), OneToManyProcs(p),
				func(b *testing.B) error { return RunOneToMany(b, s.Name, p, b.N) })
		}
	}
}

func BenchmarkLifecycle(b *testing.B) {
	for _, w := range Axis() {
		for _, s := range DispatchStrategies {
			s, w := s, w
			bench(b, fmt.Sprintf("dispatch/none/%s/threads=%d", s.Name, w), DispatchProcs(s.Name, w),
				func(b *testing.B) error { return RunDispatch(b, s.Name, w, b.N) })
		}
	}
	for _, w := range Axis() {
		for _, s := range CancelStrategies {
			s, w := s, w
			bench(b, fmt.Sprintf("cancel/1us/%s/threads=%d", s.Name, w), CancelProcs(w),
				func(b *testing.B) error { return RunCancel(b, s.Name, w, b.N) })
		}
	}
}
