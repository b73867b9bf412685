package syncbench

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// The map key space, as on the Rust side (map::keys::KeySpace::DEFAULT):
// 65,536 keys, 25 % stable (always present), 50 % churn (inserted and
// removed), 25 % absent (never present).
const (
	mapKeys    = 1 << 16
	stableKeys = mapKeys / 4
	churnEnd   = stableKeys + mapKeys/2
)

// Map is one strategy of map/{read-heavy,write-heavy}.
type Map interface {
	Load(k uint64) (uint64, bool)
	Store(k, v uint64)
	// Update adds one to a present key's value (read-modify-write under the
	// strategy's own exclusion) and reports whether the key was there.
	Update(k uint64) bool
	Delete(k uint64)
	Len() int
	Close()
}

// MapStrategies lists the map strategies with their Rust family.
var MapStrategies = []struct {
	Name, Family string
	New          func() Map
}{
	{"mutex-map", "mutex", func() Map { return &mutexMap{m: map[uint64]uint64{}} }},
	{"rwmutex-map", "rw-lock", func() Map { return &rwMap{m: map[uint64]uint64{}} }},
	{"sync.Map", "snapshot", func() Map { return &syncMap{} }},
	{"sharded-rwmutex", "sharded", func() Map { return newShardedMap() }},
	{"owner-goroutine", "channel", func() Map { return newOwnerMap() }},
}

type mutexMap struct {
	mu sync.Mutex
	m  map[uint64]uint64
}

func (m *mutexMap) Load(k uint64) (uint64, bool) {
	m.mu.Lock()
	v, ok := m.m[k]
	m.mu.Unlock()
	return v, ok
}
func (m *mutexMap) Store(k, v uint64) { m.mu.Lock(); m.m[k] = v; m.mu.Unlock() }
func (m *mutexMap) Update(k uint64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[k]
	if ok {
		m.m[k] = v + 1
	}
	return ok
}
func (m *mutexMap) Delete(k uint64) { m.mu.Lock(); delete(m.m, k); m.mu.Unlock() }
func (m *mutexMap) Len() int        { m.mu.Lock(); defer m.mu.Unlock(); return len(m.m) }
func (m *mutexMap) Close()          {}

type rwMap struct {
	mu sync.RWMutex
	m  map[uint64]uint64
}

func (m *rwMap) Load(k uint64) (uint64, bool) {
	m.mu.RLock()
	v, ok := m.m[k]
	m.mu.RUnlock()
	return v, ok
}
func (m *rwMap) Store(k, v uint64) { m.mu.Lock(); m.m[k] = v; m.mu.Unlock() }
func (m *rwMap) Update(k uint64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[k]
	if ok {
		m.m[k] = v + 1
	}
	return ok
}
func (m *rwMap) Delete(k uint64) { m.mu.Lock(); delete(m.m, k); m.mu.Unlock() }
func (m *rwMap) Len() int        { m.mu.RLock(); defer m.mu.RUnlock(); return len(m.m) }
func (m *rwMap) Close()          {}

// syncMap holds a *atomic.Uint64 per key: Go 1.19's sync.Map has no
// CompareAndSwap (added in 1.20), so an update is a Load and an atomic add on
// the entry, the idiomatic way.
type syncMap struct{ m sync.Map }

func (m *syncMap) Load(k uint64) (uint64, bool) {
	v, ok := m.m.Load(k)
	if !ok {
		return 0, false
	}
	return v.(*atomic.Uint64).Load(), true
}
func (m *syncMap) Store(k, v uint64) {
	p := new(atomic.Uint64)
	p.Store(v)
	m.m.Store(k, p)
}
func (m *syncMap) Update(k uint64) bool {
	v, ok := m.m.Load(k)
	if ok {
		v.(*atomic.Uint64).Add(1)
	}
	return ok
}
func (m *syncMap) Delete(k uint64) { m.m.Delete(k) }
func (m *syncMap) Len() int {
	n := 0
	m.m.Range(func(_, _ any) bool { n++; return true })
	return n
}
func (m *syncMap) Close() {}

// mapShards: as many shards as the Rust sharded map (64), each on its own lines.
const mapShards = 64

type shard struct {
	mu sync.RWMutex
	m  map[uint64]uint64
	_  [cacheLine - 32]byte
}

type shardedMap struct{ shards [mapShards]shard }

func newShardedMap() *shardedMap {
	s := &shardedMap{}
	for i := range s.shards {
		s.shards[i].m = map[uint64]uint64{}
	}
	return s
}

func (s *shardedMap) of(k uint64) *shard {
	h := k * 0x9e3779b97f4a7c15
	return &s.shards[h>>58]
}

func (s *shardedMap) Load(k uint64) (uint64, bool) {
	sh := s.of(k)
	sh.mu.RLock()
	v, ok := sh.m[k]
	sh.mu.RUnlock()
	return v, ok
}
func (s *shardedMap) Store(k, v uint64) { sh := s.of(k); sh.mu.Lock(); sh.m[k] = v; sh.mu.Unlock() }
func (s *shardedMap) Update(k uint64) bool {
	sh := s.of(k)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	v, ok := sh.m[k]
	if ok {
		sh.m[k] = v + 1
	}
	return ok
}
func (s *shardedMap) Delete(k uint64) { sh := s.of(k); sh.mu.Lock(); delete(sh.m, k); sh.mu.Unlock() }
func (s *shardedMap) Len() int {
	n := 0
	for i := range s.shards {
		s.shards[i].mu.RLock()
		n += len(s.shards[i].m)
		s.shards[i].mu.RUnlock()
	}
	return n
}
func (s *shardedMap) Close() {}

// ownerMap: one goroutine owns the map and serves requests; each request
// carries its reply channel.
type mapOp uint8

const (
	opLoad mapOp = iota
	opStore
	opDelete
	opUpdate
	opLen
)

type mapReq struct {
	op    mapOp
	k, v  uint64
	reply chan mapReply
}

type mapReply struct {
	v  uint64
	ok bool
	n  int
}

type ownerMap struct {
	reqs chan mapReq
	done chan struct{}
}

func newOwnerMap() *ownerMap {
	o := &ownerMap{reqs: make(chan mapReq, 64), done: make(chan struct{})}
	go func() {
		defer close(o.done)
		m := map[uint64]uint64{}
		for r := range o.reqs {
			switch r.op {
			case opLoad:
				v, ok := m[r.k]
				r.reply <- mapReply{v: v, ok: ok}
			case opStore:
				m[r.k] = r.v
				r.reply <- mapReply{}
			case opDelete:
				delete(m, r.k)
				r.reply <- mapReply{}
			case opUpdate:
				v, ok := m[r.k]
				if ok {
					m[r.k] = v + 1
				}
				r.reply <- mapReply{ok: ok}
			case opLen:
				r.reply <- mapReply{n: len(m)}
			}
		}
	}()
	return o
}

// ownerReply: every caller goroutine keeps one reply channel; the harness
// calls the map from one goroutine per worker, so a pool keyed by nothing
// would race. ownerHandle binds a reply channel to a worker.
type ownerHandle struct {
	o     *ownerMap
	reply chan mapReply
}

func (h ownerHandle) call(r mapReq) mapReply {
	r.reply = h.reply
	h.o.reqs <- r
	return <-h.reply
}

func (h ownerHandle) Load(k uint64) (uint64, bool) {
	r := h.call(mapReq{op: opLoad, k: k})
	return r.v, r.ok
}
func (h ownerHandle) Store(k, v uint64)    { h.call(mapReq{op: opStore, k: k, v: v}) }
func (h ownerHandle) Delete(k uint64)      { h.call(mapReq{op: opDelete, k: k}) }
func (h ownerHandle) Update(k uint64) bool { return h.call(mapReq{op: opUpdate, k: k}).ok }
func (h ownerHandle) Len() int             { return h.call(mapReq{op: opLen}).n }
func (h ownerHandle) Close()               {}

func (o *ownerMap) handle() ownerHandle { return ownerHandle{o: o, reply: make(chan mapReply, 1)} }
func (o *ownerMap) Load(k uint64) (uint64, bool) {
	return o.handle().Load(k)
}
func (o *ownerMap) Store(k, v uint64)    { o.handle().Store(k, v) }
func (o *ownerMap) Delete(k uint64)      { o.handle().Delete(k) }
func (o *ownerMap) Update(k uint64) bool { return o.handle().Update(k) }
func (o *ownerMap) Len() int             { return o.handle().Len() }
func (o *ownerMap) Close()               { close(o.reqs); <-o.done }

// forWorker returns the handle a worker uses (its own reply channel for the
// owner goroutine, the map itself otherwise).
func forWorker(m Map) Map {
	if o, ok := m.(*ownerMap); ok {
		return o.handle()
	}
	return m
}

func newMap(name string) Map {
	for _, s := range MapStrategies {
		if s.Name == name {
			return s.New()
		}
	}
	panic("unknown map strategy " + name)
}

// MapProcs: map ids at T threads run T OS threads (the owner goroutine is
// one more goroutine, as the Rust actor is one more thread).
func MapProcs(threads int) int { return threads }

// xorshift is each worker's seeded operation stream.
type xorshift uint64

func (x *xorshift) next() uint64 {
	*x ^= *x << 13
	*x ^= *x >> 7
	*x ^= *x << 17
	return uint64(*x)
}

// RunMap is map/<scenario>/<reads>-<writes>/uniform: every operation is a
// lookup with probability readPct %, else a write, keys uniform. A lookup
// picks any of the 65,536 keys; a write picks a stable or churn key, so a
// third of the writes are updates (add one to a stable key's value, by every
// worker) and two thirds insert or remove a churn key (inserted if absent,
// removed if present; about a third each, as the Rust writes). Churn keys are
// divided among the workers (key mod workers) so each worker knows what its
// writes did, as on the Rust side. Values are key << 32 plus, for stable
// keys, the updates applied.
//
// Checks: every lookup of a stable key finds it with its tag, no lookup of
// an absent key finds anything, a worker's own churn keys are found exactly
// when it left them present, every update finds its key, the stable keys'
// update counts add up to the updates performed, and the final size equals
// the prefill plus the inserts minus the removes.
func RunMap(clk clock, name string, workers, readPct, ops int) error {
	m := newMap(name)
	defer m.Close()
	// Prefill: every stable key, every other churn key.
	for k := uint64(0); k < stableKeys; k++ {
		m.Store(k, k<<32)
	}
	for k := uint64(stableKeys); k < churnEnd; k += 2 {
		m.Store(k, k<<32)
	}
	prefill := stableKeys + (churnEnd-stableKeys)/2
	var wg sync.WaitGroup
	start := make(chan struct{})
	delta := make([]int, workers)
	updates := make([]uint64, workers)
	wrong := make([]int, workers)
	for w := 0; w < workers; w++ {
		n := split(ops, workers, w)
		h := forWorker(m)
		wg.Add(1)
		go func(w, n int) {
			defer wg.Done()
			rng := xorshift(0x5EED0F5A4CB34C11 ^ uint64(w+1)*0x9e3779b97f4a7c15)
			present := map[uint64]bool{}
			for k := uint64(stableKeys); k < churnEnd; k += 2 {
				if int(k%uint64(workers)) == w {
					present[k] = true
				}
			}
			bad, d := 0, 0
			<-start
			for i := 0; i < n; i++ {
				r := rng.next()
				if int(r%100) < readPct {
					k := (r >> 8) % mapKeys
					v, ok := h.Load(k)
					switch {
					case k < stableKeys:
						if !ok || v>>32 != k {
							bad++
						}
					case k >= churnEnd:
						if ok {
							bad++
						}
					case int(k%uint64(workers)) == w:
						if ok != present[k] {
							bad++
						}
					}
					continue
				}
				k := (r >> 8) % churnEnd
				if k < stableKeys {
					if !h.Update(k) {
						bad++
					}
					updates[w]++
					continue
				}
				// Move to this worker's churn key at or below k.
				k -= (k + uint64(workers) - uint64(w)) % uint64(workers)
				if k < stableKeys {
					k += uint64(workers)
				}
				if present[k] {
					h.Delete(k)
					present[k] = false
					d--
				} else {
					h.Store(k, k<<32)
					present[k] = true
					d++
				}
			}
			delta[w], wrong[w] = d, bad
		}(w, n)
	}
	clk.ResetTimer()
	close(start)
	wg.Wait()
	clk.StopTimer()
	want := prefill
	bad := 0
	var wantUpdates, gotUpdates uint64
	for w := range delta {
		want += delta[w]
		bad += wrong[w]
		wantUpdates += updates[w]
	}
	for k := uint64(0); k < stableKeys; k++ {
		v, ok := m.Load(k)
		if !ok || v>>32 != k {
			bad++
		}
		gotUpdates += v & (1<<32 - 1)
	}
	if got := m.Len(); got != want || bad != 0 || gotUpdates != wantUpdates {
		return fmt.Errorf("map %s at %d threads, %d%% reads: size %d, want %d; %d updates applied, want %d; %d wrong answers",
			name, workers, readPct, got, want, gotUpdates, wantUpdates, bad)
	}
	return nil
}
