//! Counter workload: many threads bump, or read, one shared count.
//!
//! Two traits, one per scenario:
//! - [`Counter`] for `counter/increment/{hot,warm}`: every operation adds one.
//! - [`Gauge`] for `counter/read-mostly/{90-10,99-1}`: operations read the
//!   current count, a few add one.
//!
//! One file per primitive implements them. The drivers here ([`Increment`],
//! [`ReadMostly`]) own the op loop and check every round's answer: the final
//! count must equal the operations performed, and no reader may ever see the
//! count go backwards.
//!
//! Each scenario has ONE list of its strategies ([`increment_strategies`],
//! [`read_mostly_strategies`], [`overhead_strategies`]): the bench target
//! declares them as benchmark ids and `tests/counter.rs` runs the same
//! correctness body on each (see [`crate::harness::Declare`]).

pub mod actor;
pub mod atomic;
pub mod batch;
pub mod handwritten;
pub mod mutex;
pub mod private;
pub mod rayon;
pub mod rwlock;
pub mod sharded;
pub mod snapshot;
pub mod spin;

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
