//! Counter workload: many threads bump, or read, one shared count; and its
//! multi-word sibling, a small record read far more often than written.
//!
//! Three traits, one per scenario:
//! - [`Counter`] for `counter/increment/{hot,warm}`: every operation adds one.
//! - [`Gauge`] for `counter/read-mostly/{90-10,99-1}`: operations read the
//!   current count, a few add one.
//! - [`Register`] for `counter/read-mostly-struct/<mix>` (benchmarked at
//!   99-1, tested at 90-10 too): operations read a four-word [`Record`] (a small config struct no single atomic
//!   holds), a few replace it with its successor. A read must return all
//!   four fields from one write.
//!
//! One file per primitive implements them. The drivers here ([`Increment`],
//! [`ReadMostly`], [`ReadMostlyStruct`]) own the op loop and check every
//! round's answer: the final count must equal the operations performed, no
//! reader may ever see the count go backwards, and no reader may ever see a
//! torn record (fields from two different writes).
//!
//! Each scenario has ONE list of its strategies ([`increment_strategies`],
//! [`read_mostly_strategies`], [`read_mostly_struct_strategies`],
//! [`overhead_strategies`]): the bench target declares them as benchmark ids
//! and `tests/counter.rs` runs the same correctness body on each (see
//! [`crate::harness::Declare`]).

pub mod actor;
pub mod atomic;
pub mod batch;
pub mod handwritten;
pub mod mutex;
pub mod private;
pub mod rayon;
pub mod rwlock;
pub mod seqlock;
pub mod sharded;
pub mod snapshot;
pub mod spin;
pub mod torn;

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::harness::{
    Declare, Hot, Mix, MixCursor, Noop, Pool, PrivateWork, Round, Spec, Strategy, Workload,
};

/// The `counter/increment/<contention>` strategies at `threads` threads, in
/// the bench's declaration order: the one list the bench target and the
/// tests iterate. A new strategy is one line here.
pub fn increment_strategies<P: PrivateWork>(threads: usize, work: P, d: &mut impl Declare) {
    fn counter<C: Counter, P: PrivateWork>(d: &mut impl Declare, threads: usize, work: P) {
        d.declare(increment_spec::<C, P>(threads, work));
    }
    counter::<mutex::StdMutex, P>(d, threads, work);
    counter::<mutex::ParkingLotMutex, P>(d, threads, work);
    counter::<rwlock::StdRwLock, P>(d, threads, work);
    counter::<rwlock::ParkingLotRwLock, P>(d, threads, work);
    counter::<spin::SpinMutex, P>(d, threads, work);
    counter::<spin::TtasMutex, P>(d, threads, work);
    counter::<atomic::AtomicFetchAdd, P>(d, threads, work);
    counter::<atomic::AtomicCas, P>(d, threads, work);
    counter::<sharded::ShardedAtomic, P>(d, threads, work);
    counter::<sharded::ShardedAtomicUnpadded, P>(d, threads, work);
    counter::<batch::ThreadLocalBatch, P>(d, threads, work);
    counter::<actor::StdMpscActor, P>(d, threads, work);
    counter::<actor::CrossbeamActor, P>(d, threads, work);
    counter::<actor::FlumeActor, P>(d, threads, work);
    counter::<private::NoSharing, P>(d, threads, work);
    d.declare(Spec::system(threads, move || {
        self::rayon::RayonFold::new(threads, work)
    }));
}

/// The strategies measured at the milder contention levels
/// (`counter/increment/{1us,10us}`) that extend the winner map: the fastest
/// member of each family at `hot` and `warm` in the 2-core reference run
/// (rayon's fold and the no-sharing limit left out: at the harness floor at
/// `hot`, they are references, not choices), and std's mutex, the one the
/// guide's rule is about, and `spin`'s mutex, the spinlock users reach
/// for most. A subset of [`increment_strategies`], so each is the
/// same code as there.
pub const CONTENTION_AXIS: &[&str] = &[
    "std-mutex",
    "parking_lot-mutex",
    "parking_lot-rwlock",
    "spin-mutex",
    "atomic-fetch_add",
    "sharded-atomic",
    "thread-local-batch",
    "actor-crossbeam",
];

/// The strategies of [`increment_strategies`] that `counter/increment/warm`
/// leaves out, to keep the default run inside its time budget: each answers
/// its question at `hot` already, where the effect is largest.
/// - `sharded-atomic-unpadded`: false sharing shows at `hot` (the unpadded
///   shards 4x slower at 2 and 4 threads on the 2-core reference VM); at
///   `warm` it is a weaker version of the same (0.6x).
/// - `ttas-mutex`: the spinlock question (does spinning lose once threads
///   outnumber cores?) is asked at `hot` and by `spin-mutex` at every level.
///
/// The correctness tests still run both at `warm`.
pub const WARM_LEAVES_OUT: &[&str] = &["sharded-atomic-unpadded", "ttas-mutex"];

/// The `counter/read-mostly/<mix>` strategies at `threads` threads, in the
/// bench's declaration order: the one list the bench target and the tests
/// iterate.
pub fn read_mostly_strategies(threads: usize, mix: Mix, d: &mut impl Declare) {
    fn gauge<G: Gauge>(d: &mut impl Declare, threads: usize, mix: Mix) {
        d.declare(read_mostly_spec::<G, Hot>(threads, mix, Hot));
    }
    gauge::<mutex::StdMutex>(d, threads, mix);
    gauge::<mutex::ParkingLotMutex>(d, threads, mix);
    gauge::<rwlock::StdRwLock>(d, threads, mix);
    gauge::<rwlock::ParkingLotRwLock>(d, threads, mix);
    gauge::<atomic::AtomicFetchAdd>(d, threads, mix);
    gauge::<sharded::ShardedAtomic>(d, threads, mix);
    gauge::<snapshot::ArcSwapSnapshot>(d, threads, mix);
}

/// The `counter/read-mostly-struct/<mix>` strategies at `threads` threads,
/// in the bench's declaration order: the one list the bench target and the
/// tests iterate. The deliberately torn [`torn::PerFieldAtomics`] is not
/// here: it is the checks' negative control, never benchmarked.
pub fn read_mostly_struct_strategies(threads: usize, mix: Mix, d: &mut impl Declare) {
    fn register<R: Register>(d: &mut impl Declare, threads: usize, mix: Mix) {
        d.declare(read_mostly_struct_spec::<R, Hot>(threads, mix, Hot));
    }
    register::<mutex::StdMutex<Record>>(d, threads, mix);
    register::<mutex::ParkingLotMutex<Record>>(d, threads, mix);
    register::<rwlock::StdRwLock<Record>>(d, threads, mix);
    register::<rwlock::ParkingLotRwLock<Record>>(d, threads, mix);
    register::<spin::SpinRwLock>(d, threads, mix);
    register::<snapshot::ArcSwapSnapshot<Record>>(d, threads, mix);
    register::<seqlock::SeqLock>(d, threads, mix);
}

/// `counter/overhead`, the harness's own cost at one thread: the no-op
/// strategy, and `atomic-fetch_add` through the harness beside the same loop
/// written by hand.
pub fn overhead_strategies(d: &mut impl Declare) {
    d.declare(Spec::of::<Noop>(1, || {
        Pool::new(Noop::NAME, 1, Noop::default())
    }));
    d.declare(increment_spec::<atomic::AtomicFetchAdd, Hot>(1, Hot));
    d.declare(Spec::system(1, handwritten::HandwrittenFetchAdd::default));
}

/// A shared counter that many threads increment.
pub trait Counter: Strategy + Send + Sync + 'static {
    /// Per-thread handle (a shard index, a private batch, a channel sender).
    type Local: 'static;

    /// A zeroed counter to be used by `threads` threads.
    fn new(threads: usize) -> Self;
    /// The handle for thread `index`. Not timed.
    fn local(&self, index: usize) -> Self::Local;
    /// Adds one.
    fn increment(&self, local: &mut Self::Local);
    /// Makes this thread's increments visible in [`total`](Counter::total)
    /// (batching and actor strategies); timed, once per round per thread.
    fn flush(&self, local: &mut Self::Local) {
        let _ = local;
    }
    /// The count, once every thread has flushed. Not timed.
    fn total(&self) -> u64;
}

/// A shared count that is read far more often than it is written.
pub trait Gauge: Strategy + Send + Sync + 'static {
    /// Per-thread handle.
    type Local: 'static;

    /// A zeroed gauge to be used by `threads` threads.
    fn new(threads: usize) -> Self;
    /// The handle for thread `index`. Not timed.
    fn local(&self, index: usize) -> Self::Local;
    /// The current count. Successive reads by one thread never decrease.
    fn read(&self, local: &mut Self::Local) -> u64;
    /// Adds one; visible to every later read once it returns.
    fn add(&self, local: &mut Self::Local);
}

/// The value of `counter/read-mostly-struct`: a small config struct of four
/// words that belong together. Write number `n` stores [`Record::of`]`(n)`;
/// any other combination of fields is a torn read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Record {
    /// Which write this is: 0 initially, one more per write.
    pub version: u64,
    /// `2 × version`.
    pub double: u64,
    /// `3 × version`.
    pub triple: u64,
    /// `version ^ SALT`: no two versions agree in any field.
    pub salted: u64,
}

impl Record {
    /// Mixed into [`Record::salted`].
    pub const SALT: u64 = 0x9e37_79b9_7f4a_7c15;

    /// The record write number `n` stores.
    #[inline]
    pub const fn of(n: u64) -> Record {
        Record {
            version: n,
            double: n.wrapping_mul(2),
            triple: n.wrapping_mul(3),
            salted: n ^ Record::SALT,
        }
    }

    /// The record the next write stores.
    #[inline]
    pub const fn next(self) -> Record {
        Record::of(self.version.wrapping_add(1))
    }

    /// Whether all four fields come from one write.
    #[inline]
    pub fn is_consistent(self) -> bool {
        self == Record::of(self.version)
    }

    /// The fields in declaration order.
    #[inline]
    pub const fn fields(self) -> [u64; 4] {
        [self.version, self.double, self.triple, self.salted]
    }

    /// The record with these fields (consistent or not).
    #[inline]
    pub const fn from_fields([version, double, triple, salted]: [u64; 4]) -> Record {
        Record {
            version,
            double,
            triple,
            salted,
        }
    }
}

impl Default for Record {
    /// Version 0.
    fn default() -> Record {
        Record::of(0)
    }
}

/// A shared four-word [`Record`] that is read far more often than written,
/// and must always be read whole.
pub trait Register: Strategy + Send + Sync + 'static {
    /// Per-thread handle.
    type Local: 'static;

    /// A register holding version 0, to be used by `threads` threads.
    fn new(threads: usize) -> Self;
    /// The handle for thread `index`. Not timed.
    fn local(&self, index: usize) -> Self::Local;
    /// The current record: all four fields from one write. Successive reads
    /// by one thread never go back to an older version.
    fn read(&self, local: &mut Self::Local) -> Record;
    /// Replaces the record with its [`next`](Record::next), atomically with
    /// respect to other writes and to reads; visible to every later read
    /// once it returns.
    fn write(&self, local: &mut Self::Local);
}

/// Driver for `counter/increment`: every operation is one increment,
/// preceded by the private work `P`.
pub struct Increment<C, P> {
    counter: C,
    work: P,
    expected: AtomicU64,
}

impl<C: Counter, P: PrivateWork> Increment<C, P> {
    /// A fresh counter for `threads` threads.
    pub fn new(threads: usize, work: P) -> Self {
        Increment {
            counter: C::new(threads),
            work,
            expected: AtomicU64::new(0),
        }
    }
}

impl<C: Counter, P: PrivateWork> Workload for Increment<C, P> {
    type Worker = C::Local;

    fn worker(&self, index: usize, _threads: usize) -> C::Local {
        self.counter.local(index)
    }

    #[inline(never)]
    fn run(&self, local: &mut C::Local, round: &Round) {
        for _ in 0..round.ops {
            self.work.between_ops();
            self.counter.increment(local);
        }
        self.counter.flush(local);
    }

    fn extras(&self) -> Option<serde_json::Value> {
        Some(serde_json::json!({
            "contention": self.work.name(),
            "private_work_units": self.work.units(),
        }))
    }

    fn after_round(&self, total: u64) {
        let expected = self.expected.fetch_add(total, Relaxed) + total;
        assert_eq!(
            self.counter.total(),
            expected,
            "final count differs from the increments performed"
        );
    }
}

/// A pool driving counter `C` with `threads` threads and private work `work`.
pub fn increment<C: Counter, P: PrivateWork>(threads: usize, work: P) -> Pool<Increment<C, P>> {
    Pool::new(C::NAME, threads, Increment::<C, P>::new(threads, work))
}

/// [`increment`]'s benchmark: counter `C`'s id and family, and its pool.
pub fn increment_spec<C: Counter, P: PrivateWork>(
    threads: usize,
    work: P,
) -> Spec<impl FnOnce() -> Pool<Increment<C, P>> + Send + 'static> {
    Spec::of::<C>(threads, move || increment::<C, P>(threads, work))
}

/// Driver for `counter/read-mostly`: each operation is a read or, at the
/// mix's write percentage, an add.
pub struct ReadMostly<G, P> {
    gauge: G,
    work: P,
    mix: Mix,
    writes: AtomicU64,
    backwards_reads: AtomicU64,
}

/// Per-thread state of [`ReadMostly`].
pub struct ReaderState<L> {
    local: L,
    cursor: MixCursor,
    last_seen: u64,
}

impl<G: Gauge, P: PrivateWork> ReadMostly<G, P> {
    /// A fresh gauge for `threads` threads with read/write mix `mix`.
    pub fn new(threads: usize, mix: Mix, work: P) -> Self {
        ReadMostly {
            gauge: G::new(threads),
            work,
            mix,
            writes: AtomicU64::new(0),
            backwards_reads: AtomicU64::new(0),
        }
    }
}

impl<G: Gauge, P: PrivateWork> Workload for ReadMostly<G, P> {
    type Worker = ReaderState<G::Local>;

    fn worker(&self, index: usize, _threads: usize) -> Self::Worker {
        ReaderState {
            local: self.gauge.local(index),
            cursor: self.mix.cursor(index),
            last_seen: 0,
        }
    }

    #[inline(never)]
    fn run(&self, st: &mut Self::Worker, round: &Round) {
        let mut writes = 0u64;
        let mut backwards = 0u64;
        let mut last = st.last_seen;
        for _ in 0..round.ops {
            self.work.between_ops();
            if st.cursor.next_is_write() {
                self.gauge.add(&mut st.local);
                writes += 1;
            } else {
                let v = self.gauge.read(&mut st.local);
                backwards += u64::from(v < last);
                last = v;
            }
        }
        st.last_seen = last;
        self.writes.fetch_add(writes, Relaxed);
        if backwards > 0 {
            self.backwards_reads.fetch_add(backwards, Relaxed);
        }
    }

    fn after_round(&self, _total: u64) {
        assert_eq!(
            self.backwards_reads.load(Relaxed),
            0,
            "a reader saw the count go backwards"
        );
        // Every add of this round is visible to a fresh read.
        let writes = self.writes.load(Relaxed);
        let mut probe = self.gauge.local(0);
        assert_eq!(
            self.gauge.read(&mut probe),
            writes,
            "the count differs from the adds performed"
        );
    }
}

/// A pool driving gauge `G` with `threads` threads at read/write mix `mix`.
pub fn read_mostly<G: Gauge, P: PrivateWork>(
    threads: usize,
    mix: Mix,
    work: P,
) -> Pool<ReadMostly<G, P>> {
    Pool::new(
        G::NAME,
        threads,
        ReadMostly::<G, P>::new(threads, mix, work),
    )
}

/// [`read_mostly`]'s benchmark: gauge `G`'s id and family, and its pool.
pub fn read_mostly_spec<G: Gauge, P: PrivateWork>(
    threads: usize,
    mix: Mix,
    work: P,
) -> Spec<impl FnOnce() -> Pool<ReadMostly<G, P>> + Send + 'static> {
    Spec::of::<G>(threads, move || read_mostly::<G, P>(threads, mix, work))
}

/// Driver for `counter/read-mostly-struct`: each operation reads the record
/// or, at the mix's write percentage, replaces it with its successor. Every
/// read is checked whole ([`Record::is_consistent`]) and against the
/// thread's previous read (versions never go back); [`after_round`] fails
/// the round on any torn or backward read.
///
/// [`after_round`]: Workload::after_round
pub struct ReadMostlyStruct<R, P> {
    register: R,
    work: P,
    mix: Mix,
    writes: AtomicU64,
    backwards_reads: AtomicU64,
    torn_reads: AtomicU64,
    first_torn: Mutex<Option<Record>>,
}

/// Per-thread state of [`ReadMostlyStruct`].
pub struct StructReaderState<L> {
    local: L,
    cursor: MixCursor,
    last_version: u64,
}

impl<R: Register, P: PrivateWork> ReadMostlyStruct<R, P> {
    /// A fresh register for `threads` threads with read/write mix `mix`.
    pub fn new(threads: usize, mix: Mix, work: P) -> Self {
        ReadMostlyStruct {
            register: R::new(threads),
            work,
            mix,
            writes: AtomicU64::new(0),
            backwards_reads: AtomicU64::new(0),
            torn_reads: AtomicU64::new(0),
            first_torn: Mutex::new(None),
        }
    }

    /// Torn reads seen so far (the checks' negative control reads this).
    pub fn torn_reads(&self) -> u64 {
        self.torn_reads.load(Relaxed)
    }

    /// Records a round's torn reads (cold: only wrong strategies get here).
    #[cold]
    #[inline(never)]
    fn torn(&self, count: u64, first: Option<Record>) {
        self.torn_reads.fetch_add(count, Relaxed);
        let mut slot = crate::sync::lock(&self.first_torn);
        if slot.is_none() {
            *slot = first;
        }
    }
}

impl<R: Register, P: PrivateWork> Workload for ReadMostlyStruct<R, P> {
    type Worker = StructReaderState<R::Local>;

    fn worker(&self, index: usize, _threads: usize) -> Self::Worker {
        StructReaderState {
            local: self.register.local(index),
            cursor: self.mix.cursor(index),
            last_version: 0,
        }
    }

    #[inline(never)]
    fn run(&self, st: &mut Self::Worker, round: &Round) {
        let mut writes = 0u64;
        let mut backwards = 0u64;
        let mut torn = 0u64;
        let mut first_torn = None;
        let mut last = st.last_version;
        for _ in 0..round.ops {
            self.work.between_ops();
            if st.cursor.next_is_write() {
                self.register.write(&mut st.local);
                writes += 1;
            } else {
                let r = self.register.read(&mut st.local);
                if !r.is_consistent() {
                    torn += 1;
                    first_torn.get_or_insert(r);
                }
                backwards += u64::from(r.version < last);
                last = r.version;
            }
        }
        st.last_version = last;
        self.writes.fetch_add(writes, Relaxed);
        if backwards > 0 {
            self.backwards_reads.fetch_add(backwards, Relaxed);
        }
        if torn > 0 {
            self.torn(torn, first_torn);
        }
    }

    fn after_round(&self, _total: u64) {
        let torn = self.torn_reads.load(Relaxed);
        if torn > 0 {
            let first = match *crate::sync::lock(&self.first_torn) {
                Some(r) => format!("{:?}", r.fields()),
                None => "?".to_string(),
            };
            panic!(
                "{torn} torn reads: a reader saw fields from two different writes (first: {first})"
            );
        }
        assert_eq!(
            self.backwards_reads.load(Relaxed),
            0,
            "a reader saw the record's version go backwards"
        );
        // Every write of this round is visible, whole, to a fresh read.
        let writes = self.writes.load(Relaxed);
        let mut probe = self.register.local(0);
        let now = self.register.read(&mut probe);
        assert!(
            now.is_consistent(),
            "a fresh read after the round is torn: {:?}",
            now.fields()
        );
        assert_eq!(
            now.version, writes,
            "the record's version differs from the writes performed"
        );
    }
}

/// A pool driving register `R` with `threads` threads at read/write mix `mix`.
pub fn read_mostly_struct<R: Register, P: PrivateWork>(
    threads: usize,
    mix: Mix,
    work: P,
) -> Pool<ReadMostlyStruct<R, P>> {
    Pool::new(
        R::NAME,
        threads,
        ReadMostlyStruct::<R, P>::new(threads, mix, work),
    )
}

/// [`read_mostly_struct`]'s benchmark: register `R`'s id and family, and its
/// pool.
pub fn read_mostly_struct_spec<R: Register, P: PrivateWork>(
    threads: usize,
    mix: Mix,
    work: P,
) -> Spec<impl FnOnce() -> Pool<ReadMostlyStruct<R, P>> + Send + 'static> {
    Spec::of::<R>(threads, move || {
        read_mostly_struct::<R, P>(threads, mix, work)
    })
}
