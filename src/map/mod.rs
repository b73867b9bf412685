//! Map workload: a shared `u64 → u64` hash map under a mix of lookups and
//! writes (`map/read-heavy/{99-1,90-10}/{uniform,zipf}` and
//! `map/write-heavy/{50-50,10-90}/{uniform,zipf}`).
//!
//! One trait, [`Map`], and one small file per primitive implements it. The
//! driver [`Mixed`] owns the op loop and checks every answer. The strategies
//! are listed once, in [`strategies`]: the bench target declares them
//! ([`declare`]) and `tests/map.rs` runs the same correctness body on each.
//!
//! # Keys, values, operations
//!
//! The key space ([`KeySpace`], default 65,536 keys) is split into *stable*
//! keys (25%, prefilled, never removed), *churn* keys (50%, half of them
//! present at any moment) and *absent* keys (25%, never inserted): half the
//! key space is present. Every value is a checkable function of its key:
//! `key << 40` plus, for stable keys, the number of updates applied to it.
//!
//! Each thread replays a prepared slice of operations ([`keys::op_slice`],
//! generated before the first timed round from a per-thread seed, 64k
//! entries, indexed with a wrapping cursor that persists across rounds):
//! - **lookups** draw a key from the whole key space (uniform or Zipf 0.99);
//! - **writes** are a third each updates, inserts and removes, so the size
//!   stays steady across criterion's rounds:
//!   - an *update* adds one to a stable key's value (read-modify-write under
//!     the strategy's own exclusion), the key drawn like lookups but over the
//!     stable keys only, by every thread;
//!   - *inserts and removes* walk the thread's own churn keys (churn key `j`
//!     belongs to thread `j mod threads`) as a sliding window: insert the
//!     key after the window, then remove the oldest key in it.
//!
//! # Contention and Zipf
//!
//! Key `k` has popularity rank `k` and the classes are interleaved along the
//! ranks, starting with a stable key. Under Zipf the hottest key (about 8.6%
//! of lookups at 64k keys) is therefore always present, read by every thread
//! *and* the most updated key, updated by every thread: readers and writers
//! collide on the same key, and on the same shard for sharded strategies.
//! Because an update is "+1", the final value is the same in any order, so
//! writers can share keys and the final state is still deterministic.
//! Inserts and removes are partitioned by thread (their final state must be
//! deterministic) and uniform over the owner's keys by construction; they
//! contend on locks and shards, never on one key.
//!
//! # Checks
//!
//! Inside the loop, each result is compared with what the model allows: a
//! stable lookup must hit, an absent lookup must miss, a churn lookup may
//! miss but a hit must carry the key's fresh value; an update must find its
//! key; an insert must find its key absent and a remove must find it with
//! its fresh value. After every round (not timed) the whole map is compared
//! with the sequential model: all stable keys present and tagged, the sum of
//! their update counts equal to the updates performed, exactly each thread's
//! current churn window present, nothing else.
//!
//! # Hasher
//!
//! Every strategy uses the same hasher, [`Hasher`] (foldhash's fast hasher,
//! hashbrown's default algorithm): DashMap, the owner thread's map and every
//! shard included. Its seed is fixed ([`HASH_SEED`], recorded in every
//! sidecar): with a per-process random seed, Zipf's hot keys would land on
//! different shards in every run, and a sharded map's result with them.

pub mod actor;
pub mod dashmap;
pub mod keys;
pub mod mutex;
pub mod rwlock;
pub mod sharded;
pub mod size;
pub mod snapshot;
pub mod spin;

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crossbeam::utils::CachePadded;

use crate::harness::{Declare, Mix, Pool, Round, Spec, Strategy, Workload};

pub use keys::{Class, Distribution, KeySpace, Layout};
use keys::{Op, OpKind, Sampler};

/// The hasher every strategy's map uses: foldhash's fast hasher with a fixed
/// seed (see [`hasher`]).
pub type Hasher = foldhash::fast::FixedState;

/// The hasher's seed, the same in every run.
pub const HASH_SEED: u64 = 0x243f_6a88_85a3_08d3;

/// The hasher every map, shard and DashMap is built with.
pub fn hasher() -> Hasher {
    Hasher::with_seed(HASH_SEED)
}

/// `std::collections::HashMap<u64, u64>` with [`Hasher`].
pub type StdMap = HashMap<u64, u64, Hasher>;

/// A value's key lives in the bits from here up; the bits below count updates.
pub const TAG_SHIFT: u32 = 40;

/// The value a key is inserted (and prefilled) with.
#[inline]
pub fn fresh_value(key: u64) -> u64 {
    key << TAG_SHIFT
}

/// The key a value belongs to.
#[inline]
pub fn key_of(value: u64) -> u64 {
    value >> TAG_SHIFT
}

/// A [`StdMap`] holding `entries`, with room for `capacity` entries.
pub fn std_map(entries: &[(u64, u64)], capacity: usize) -> StdMap {
    let mut map = StdMap::with_capacity_and_hasher(capacity.max(entries.len()), hasher());
    map.extend(entries.iter().copied());
    map
}

/// A shared `u64 → u64` map. Every operation is complete when it returns:
/// visible to every later operation of any thread, its result known.
pub trait Map: Strategy + Send + Sync + 'static {
    /// Per-thread handle (a channel endpoint, a snapshot cache), taken
    /// outside the timed region.
    type Local: 'static;

    /// Whether the strategy is only offered in read-heavy scenarios (its
    /// writes cost O(map size)); see [`Scenario::offers`].
    const READ_HEAVY_ONLY: bool = false;

    /// Whether the strategy is only measured with uniform keys; see
    /// [`offered`].
    const UNIFORM_ONLY: bool = false;

    /// A map holding `entries`, sized for up to `capacity` entries, to be
    /// used by `threads` threads. Not timed.
    fn new(entries: &[(u64, u64)], capacity: usize, threads: usize) -> Self;
    /// The handle for thread `index`. Not timed.
    fn local(&self, index: usize) -> Self::Local;
    /// The value of `key`, if present.
    fn get(&self, local: &mut Self::Local, key: u64) -> Option<u64>;
    /// Sets `key` to `value`; returns the previous value.
    fn insert(&self, local: &mut Self::Local, key: u64, value: u64) -> Option<u64>;
    /// Removes `key`; returns its value.
    fn remove(&self, local: &mut Self::Local, key: u64) -> Option<u64>;
    /// Adds one to `key`'s value if present, atomically; returns the value
    /// before the addition.
    fn update(&self, local: &mut Self::Local, key: u64) -> Option<u64>;
    /// Every entry, in any order, once all threads are idle. Not timed.
    fn entries(&self) -> Vec<(u64, u64)>;
    /// Strategy parameters worth recording next to the measurements (e.g.
    /// the shard count).
    fn describe(&self) -> Option<serde_json::Value> {
        None
    }
}

/// The two scenarios and their read/write mixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// `map/read-heavy`: 99/1 and 90/10.
    ReadHeavy,
    /// `map/write-heavy`: 50/50 and 10/90.
    WriteHeavy,
}

impl Scenario {
    /// Both scenarios, read-heavy first.
    pub const ALL: [Scenario; 2] = [Scenario::ReadHeavy, Scenario::WriteHeavy];

    /// The scenario's name in benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::ReadHeavy => "read-heavy",
            Scenario::WriteHeavy => "write-heavy",
        }
    }

    /// The scenario's read/write mixes.
    pub fn mixes(self) -> [Mix; 2] {
        let mix = |r, w| Mix::new(r, w).expect("literal mixes add to 100");
        match self {
            Scenario::ReadHeavy => [mix(99, 1), mix(90, 10)],
            Scenario::WriteHeavy => [mix(50, 50), mix(10, 90)],
        }
    }

    /// The scenario's extreme mix, measured for [`READ_SHARE_AXIS`] only to
    /// complete the winner map's read-share axis (0, 10, 50, 90, 99, 100 %):
    /// 100/0 for read-heavy, 0/100 for write-heavy.
    pub fn extreme_mix(self) -> Mix {
        match self {
            Scenario::ReadHeavy => Mix::new(100, 0),
            Scenario::WriteHeavy => Mix::new(0, 100),
        }
        .expect("literal mixes add to 100")
    }

    /// The scenario's mix at the large map size ([`size`]): 99/1 for
    /// read-heavy, 10/90 for write-heavy (the nearest to conc-map-bench's
    /// read-heavy and exchange workloads).
    pub fn large_mix(self) -> Mix {
        self.mixes()[match self {
            Scenario::ReadHeavy => 0,
            Scenario::WriteHeavy => 1,
        }]
    }

    /// Whether strategy `M` is measured in this scenario.
    pub fn offers<M: Map>(self) -> bool {
        self == Scenario::ReadHeavy || !M::READ_HEAVY_ONLY
    }
}

/// Default length of each thread's prepared operation slice (a power of two).
pub const DEFAULT_SLICE_LEN: usize = 1 << 16;

/// Default seed of the operation slices.
pub const DEFAULT_SEED: u64 = 0x5EED_0F5A_4CB3_4C11;

/// Everything that defines one map benchmark besides the strategy and the
/// thread count.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Config {
    /// Key space and its split into stable, churn and absent keys.
    pub space: KeySpace,
    /// Key distribution of lookups and updates.
    pub dist: Distribution,
    /// Read/write mix.
    pub mix: Mix,
    /// Operations prepared per thread; a power of two.
    pub slice_len: usize,
    /// Seed of the operation slices.
    pub seed: u64,
    /// Compare the whole map with the model after a round only once this
    /// many operations have run since the last comparison (and once when
    /// the measurement ends, [`Workload::finish`]); 0: after every round.
    /// The comparison reads every key, so at the large size it would
    /// otherwise cost more than the rounds.
    pub check_every: u64,
    /// The large size ([`size`]): its ids end in [`size::LARGE`].
    pub large: bool,
}

impl Config {
    /// The default key space, slice length and seed at `mix` and `dist`.
    pub fn new(mix: Mix, dist: Distribution) -> Config {
        Config {
            space: KeySpace::DEFAULT,
            dist,
            mix,
            slice_len: DEFAULT_SLICE_LEN,
            seed: DEFAULT_SEED,
            check_every: 0,
            large: false,
        }
    }

    /// The large size ([`size`]) at `mix` with key space `space`: uniform
    /// keys, [`size::LARGE_SLICE_LEN`] prepared operations per thread, the
    /// whole map compared once per `space.keys()` operations.
    pub fn large(mix: Mix, space: KeySpace) -> Config {
        Config {
            space,
            dist: Distribution::Uniform,
            mix,
            slice_len: size::LARGE_SLICE_LEN,
            seed: DEFAULT_SEED,
            check_every: space.keys() as u64,
            large: true,
        }
    }

    /// Whether this is the large size (its ids end in [`size::LARGE`]).
    pub fn is_large(&self) -> bool {
        self.large
    }

    /// The same with the whole map compared once per `ops` operations.
    pub fn with_check_every(self, ops: u64) -> Config {
        Config {
            check_every: ops,
            ..self
        }
    }

    /// The same with key space `space`.
    pub fn with_space(self, space: KeySpace) -> Config {
        Config { space, ..self }
    }

    /// The same with `slice_len` prepared operations per thread.
    pub fn with_slice_len(self, slice_len: usize) -> Config {
        Config { slice_len, ..self }
    }
}

/// A thread's cumulative counts, published at the end of each round.
#[derive(Default)]
struct Tally {
    inserts: AtomicU64,
    removes: AtomicU64,
    updates: AtomicU64,
    wrong: AtomicU64,
}

/// Driver for both map scenarios: each operation is the next one of the
/// thread's prepared slice; see the module docs for the model and checks.
pub struct Mixed<M> {
    map: M,
    config: Config,
    layout: Layout,
    reads: Sampler,
    updates: Sampler,
    threads: usize,
    tallies: Box<[CachePadded<Tally>]>,
    first_wrong: Mutex<Option<String>>,
    /// Operations since the whole map was last compared with the model.
    unchecked: AtomicU64,
    /// Each thread's prepared operations, generated with the map (outside
    /// criterion's clock: at the large size they take tens of
    /// milliseconds, which would otherwise land in the warm-up's estimate
    /// of an operation's cost); taken by [`Workload::worker`].
    slices: Mutex<Vec<Option<Box<[Op]>>>>,
}

/// Per-thread state of [`Mixed`].
pub struct MixedWorker<L> {
    local: L,
    index: usize,
    ops: Box<[Op]>,
    cursor: usize,
    own: Box<[u32]>,
    next_insert: usize,
    next_remove: usize,
    inserts: u64,
    removes: u64,
    updates: u64,
}

/// Half of a thread's churn keys, rounded down, start present.
fn initial_window(owned: usize) -> usize {
    owned / 2
}

impl<M: Map> Mixed<M> {
    /// A prefilled map for `threads` threads under `config`. Panics if the
    /// key space has fewer than two churn keys per thread or the slice
    /// length is not a power of two.
    pub fn new(threads: usize, config: Config) -> Self {
        assert!(threads >= 1);
        assert!(
            config.slice_len.is_power_of_two(),
            "slice length {} is not a power of two",
            config.slice_len
        );
        assert!(
            config.space.churn() >= 2 * threads,
            "{} churn keys cannot give {threads} threads two each",
            config.space.churn()
        );
        let layout = Layout::new(&config.space);
        let mut entries: Vec<(u64, u64)> = layout
            .stable()
            .iter()
            .map(|&k| (u64::from(k), fresh_value(u64::from(k))))
            .collect();
        for i in 0..threads {
            let own = layout.owned(i, threads);
            entries.extend(
                own[..initial_window(own.len())]
                    .iter()
                    .map(|&k| (u64::from(k), fresh_value(u64::from(k)))),
            );
        }
        // Each window holds at most one key more than it starts with.
        let capacity = entries.len() + threads;
        let mixed = Mixed {
            map: M::new(&entries, capacity, threads),
            reads: Sampler::new(config.dist, layout.keys()),
            updates: Sampler::new(config.dist, layout.stable().len()),
            layout,
            config,
            threads,
            tallies: (0..threads).map(|_| CachePadded::default()).collect(),
            first_wrong: Mutex::new(None),
            unchecked: AtomicU64::new(0),
            slices: Mutex::new(Vec::new()),
        };
        let slices = (0..threads).map(|i| Some(mixed.op_slice(i))).collect();
        *crate::sync::lock(&mixed.slices) = slices;
        mixed
    }

    /// Thread `index`'s prepared operations.
    fn op_slice(&self, index: usize) -> Box<[Op]> {
        keys::op_slice(
            &self.layout,
            &self.reads,
            &self.updates,
            self.config.mix,
            index,
            self.config.slice_len,
            self.config.seed,
        )
    }

    /// The map under test.
    pub fn map(&self) -> &M {
        &self.map
    }

    /// Records a result the model does not allow (cold: only wrong
    /// strategies get here).
    #[cold]
    #[inline(never)]
    fn wrong(&self, index: usize, what: &str, key: u64, got: Option<u64>) {
        self.tallies[index].wrong.fetch_add(1, Relaxed);
        let mut first = crate::sync::lock(&self.first_wrong);
        first
            .get_or_insert_with(|| format!("thread {index}: {what} of key {key} returned {got:?}"));
    }

    /// Compares the whole map with the model; panics with the first
    /// difference.
    fn check_state(&self) {
        let keys = self.layout.keys();
        let mut expected = vec![false; keys];
        for &k in self.layout.stable() {
            expected[k as usize] = true;
        }
        let mut expected_len = self.layout.stable().len();
        let mut updates = 0u64;
        for (i, tally) in self.tallies.iter().enumerate() {
            let own = self.layout.owned(i, self.threads);
            let (inserts, removes) = (tally.inserts.load(Relaxed), tally.removes.load(Relaxed));
            let m = own.len() as u64;
            let len = initial_window(own.len()) as u64 + inserts - removes;
            for p in removes..removes + len {
                expected[own[(p % m) as usize] as usize] = true;
            }
            expected_len += len as usize;
            updates += tally.updates.load(Relaxed);
        }

        let entries = self.map.entries();
        let mut seen = vec![false; keys];
        let mut counted = 0u64;
        for &(key, value) in &entries {
            let k = usize::try_from(key).ok().filter(|&k| k < keys);
            let Some(k) = k else {
                panic!("key {key} is outside the key space of {keys}");
            };
            assert!(!seen[k], "key {key} listed twice");
            seen[k] = true;
            assert!(
                expected[k],
                "key {key} ({:?}) is present but the model says absent",
                self.layout.class(k as u32)
            );
            assert_eq!(
                key_of(value),
                key,
                "key {key} holds another key's value {value:#x}"
            );
            match self.layout.class(k as u32) {
                Class::Stable => counted += value - fresh_value(key),
                _ => assert_eq!(value, fresh_value(key), "churn key {key} was modified"),
            }
        }
        if let Some(k) = (0..keys).find(|&k| expected[k] && !seen[k]) {
            panic!(
                "key {k} ({:?}) is missing but the model says present",
                self.layout.class(k as u32)
            );
        }
        assert_eq!(
            entries.len(),
            expected_len,
            "map size differs from the model"
        );
        assert_eq!(
            counted, updates,
            "stable values count {counted} updates, threads performed {updates}"
        );
    }
}

impl<M: Map> Workload for Mixed<M> {
    type Worker = MixedWorker<M::Local>;

    fn worker(&self, index: usize, threads: usize) -> Self::Worker {
        debug_assert_eq!(threads, self.threads);
        let own = self.layout.owned(index, threads);
        let window = initial_window(own.len());
        MixedWorker {
            local: self.map.local(index),
            index,
            ops: crate::sync::lock(&self.slices)
                .get_mut(index)
                .and_then(Option::take)
                .unwrap_or_else(|| self.op_slice(index)),
            cursor: 0,
            next_insert: window,
            next_remove: 0,
            own,
            inserts: 0,
            removes: 0,
            updates: 0,
        }
    }

    #[inline(never)]
    fn run(&self, w: &mut Self::Worker, round: &Round) {
        let mask = w.ops.len() - 1;
        let m = w.own.len();
        for _ in 0..round.ops {
            let op = w.ops[w.cursor & mask];
            w.cursor = w.cursor.wrapping_add(1);
            let key = u64::from(op.key);
            match op.kind {
                OpKind::ReadStable => {
                    let got = self.map.get(&mut w.local, key);
                    let hit = got.is_some_and(|v| key_of(v) == key);
                    if !hit {
                        self.wrong(w.index, "lookup (must hit)", key, got);
                    }
                }
                OpKind::ReadChurn => {
                    let got = self.map.get(&mut w.local, key);
                    let allowed = got.is_none_or(|v| v == fresh_value(key));
                    if !allowed {
                        self.wrong(w.index, "lookup (may miss)", key, got);
                    }
                }
                OpKind::ReadAbsent => {
                    let got = self.map.get(&mut w.local, key);
                    if got.is_some() {
                        self.wrong(w.index, "lookup (must miss)", key, got);
                    }
                }
                OpKind::Update => {
                    let got = self.map.update(&mut w.local, key);
                    let found = got.is_some_and(|v| key_of(v) == key);
                    if !found {
                        self.wrong(w.index, "update", key, got);
                    }
                    w.updates += 1;
                }
                OpKind::Churn if w.inserts == w.removes => {
                    let key = u64::from(w.own[w.next_insert]);
                    w.next_insert = if w.next_insert + 1 == m {
                        0
                    } else {
                        w.next_insert + 1
                    };
                    let got = self.map.insert(&mut w.local, key, fresh_value(key));
                    if got.is_some() {
                        self.wrong(w.index, "insert (must be absent)", key, got);
                    }
                    w.inserts += 1;
                }
                OpKind::Churn => {
                    let key = u64::from(w.own[w.next_remove]);
                    w.next_remove = if w.next_remove + 1 == m {
                        0
                    } else {
                        w.next_remove + 1
                    };
                    let got = self.map.remove(&mut w.local, key);
                    if got != Some(fresh_value(key)) {
                        self.wrong(w.index, "remove", key, got);
                    }
                    w.removes += 1;
                }
            }
        }
        let tally = &self.tallies[w.index];
        tally.inserts.store(w.inserts, Relaxed);
        tally.removes.store(w.removes, Relaxed);
        tally.updates.store(w.updates, Relaxed);
    }

    fn after_round(&self, total: u64) {
        let wrong: u64 = self.tallies.iter().map(|t| t.wrong.load(Relaxed)).sum();
        if wrong > 0 {
            let first = crate::sync::lock(&self.first_wrong);
            panic!(
                "{wrong} operation results the model does not allow; first: {}",
                first.as_deref().unwrap_or("?")
            );
        }
        // Rounds run one at a time: no other thread touches `unchecked`. The
        // map starts as the model says (it was built from it): the first
        // comparison comes after `check_every` operations (0: every round).
        let since = self.unchecked.load(Relaxed).saturating_add(total);
        if since >= self.config.check_every {
            self.check_state();
            self.unchecked.store(0, Relaxed);
        } else {
            self.unchecked.store(since, Relaxed);
        }
    }

    fn finish(&self) {
        if self.unchecked.load(Relaxed) > 0 {
            self.check_state();
            self.unchecked.store(0, Relaxed);
        }
    }

    fn extras(&self) -> Option<serde_json::Value> {
        let skew = match self.config.dist {
            Distribution::Uniform => None,
            Distribution::Zipf(s) => Some(s),
        };
        Some(serde_json::json!({
            "keys": self.config.space.keys(),
            "stable_keys": self.config.space.stable(),
            "churn_keys": self.config.space.churn(),
            "absent_keys": self.config.space.absent(),
            "distribution": self.config.dist.name(),
            "skew": skew,
            "mix": self.config.mix.name(),
            "slice_len": self.config.slice_len,
            "seed": self.config.seed,
            "size": if self.config.is_large() { size::LARGE } else { "small" },
            "check_every": self.config.check_every,
            "hash_seed": HASH_SEED,
            "strategy": self.map.describe(),
        }))
    }
}

/// A pool driving map `M` with `threads` threads under `config`.
pub fn mixed<M: Map>(threads: usize, config: Config) -> Pool<Mixed<M>> {
    Pool::new(M::NAME, threads, Mixed::<M>::new(threads, config))
}

/// Map `M`'s benchmark: its id and family, and its pool.
pub fn spec<M: Map>(
    threads: usize,
    config: Config,
) -> Spec<impl FnOnce() -> Pool<Mixed<M>> + Send + 'static> {
    Spec::of::<M>(threads, move || mixed::<M>(threads, config))
}

/// Visits map strategy types; see [`strategies`].
pub trait Visit {
    /// Visits strategy `M`.
    fn visit<M: Map>(&mut self);
}

/// Every map strategy, in the bench's declaration order: the one list the
/// bench target (through [`declare`]) and the tests iterate. A new strategy
/// is one line here.
pub fn strategies(v: &mut impl Visit) {
    v.visit::<mutex::StdMutex>();
    v.visit::<mutex::ParkingLotMutex>();
    v.visit::<rwlock::StdRwLock>();
    v.visit::<rwlock::ParkingLotRwLock>();
    v.visit::<spin::SpinMutex>();
    v.visit::<spin::TtasMutex>();
    v.visit::<sharded::ShardedRwLock>();
    v.visit::<self::dashmap::Dash>();
    v.visit::<actor::CrossbeamActor>();
    v.visit::<snapshot::ArcSwapCow>();
}

/// The strategies measured at the extreme mixes ([`Scenario::extreme_mix`]),
/// uniform keys only: the fastest member of each family in the 2-core
/// reference run's map scenarios, and std's mutex and RwLock, the ones the
/// guide's rules are about, and `spin`'s mutex, the spinlock users
/// reach for most. A subset of [`strategies`], so each is the same
/// code as there (`arc-swap-cow` is offered at 100/0 only).
pub const READ_SHARE_AXIS: &[&str] = &[
    "std-mutex",
    "parking_lot-mutex",
    "std-rwlock",
    "parking_lot-rwlock",
    "spin-mutex",
    "sharded-rwlock",
    "dashmap",
    "actor-crossbeam",
    "arc-swap-cow",
];

/// Whether strategy `M` is benchmarked in `scenario` with `config`: the
/// scenario offers it ([`Scenario::offers`]), and its keys are uniform or it
/// is measured under every distribution ([`Map::UNIFORM_ONLY`]).
///
/// One strategy is uniform-only: `ttas-mutex`, the second spinlock. A lock
/// around the whole map is one lock whatever the keys, so key skew tells the
/// two spinlocks nothing new (it is the sharded strategies' question), and
/// the zipf groups keep `spin-mutex`, the spinlock users reach for, against
/// the mutexes. This keeps the spinlocks within their share of the run's
/// time budget. The correctness tests run every strategy under both
/// distributions.
pub fn offered<M: Map>(scenario: Scenario, config: &Config) -> bool {
    scenario.offers::<M>() && (config.dist == Distribution::Uniform || !M::UNIFORM_ONLY)
}

/// Declares the benchmark of every strategy [`offered`] in `scenario` at
/// `threads` threads with `config`, in [`strategies`]' order.
pub fn declare<D: Declare>(scenario: Scenario, threads: usize, config: Config, d: &mut D) {
    struct Offered<'a, D> {
        d: &'a mut D,
        scenario: Scenario,
        threads: usize,
        config: Config,
    }
    impl<D: Declare> Visit for Offered<'_, D> {
        fn visit<M: Map>(&mut self) {
            if offered::<M>(self.scenario, &self.config) {
                self.d.declare(spec::<M>(self.threads, self.config));
            }
        }
    }
    strategies(&mut Offered {
        d,
        scenario,
        threads,
        config,
    });
}
