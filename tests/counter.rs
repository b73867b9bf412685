//! One correctness test body for every counter strategy, run through the same
//! driver code that benchmarks it, at T ∈ {1, 2, 4, 8} with enough operations
//! to contend. The driver checks the exact total after every round (and, for
//! read-mostly, that no reader ever sees the count go backwards).

use syncbench::counter::actor::{CrossbeamActor, FlumeActor, StdMpscActor};
use syncbench::counter::atomic::{AtomicCas, AtomicFetchAdd};
use syncbench::counter::batch::ThreadLocalBatch;
use syncbench::counter::handwritten::HandwrittenFetchAdd;
use syncbench::counter::mutex::{ParkingLotMutex, StdMutex};
use syncbench::counter::private::NoSharing;
use syncbench::counter::rayon::RayonFold;
use syncbench::counter::rwlock::{ParkingLotRwLock, StdRwLock};
use syncbench::counter::sharded::ShardedAtomic;
use syncbench::counter::snapshot::ArcSwapSnapshot;
use syncbench::counter::{self, Counter, Gauge};
use syncbench::harness::{Family, Hot, Mix, Noop, Pool, Strategy, System, Warm};

const THREADS: [usize; 4] = [1, 2, 4, 8];

/// Operations per large round: enough for every thread to contend for a
/// while, scaled down in debug builds.
const OPS: u64 = if cfg!(debug_assertions) {
    100_000
} else {
    400_000
};

/// Round sizes: empty, fewer ops than threads, uneven shares, large.
fn rounds() -> [u64; 5] {
    [0, 1, 7, OPS, OPS + 13]
}

/// The one body every strategy goes through.
fn exercise<S: System>(mut system: S) {
    for ops in rounds() {
        system.run(ops);
    }
    let stats = system.run_instrumented(1_000);
    assert_eq!(stats.ops, 1_000);
}

fn increment<C: Counter>() {
    for t in THREADS {
        exercise(counter::increment::<C, _>(t, Hot));
        exercise(counter::increment::<C, _>(t, Warm::with_units(8)));
    }
}

fn read_mostly<G: Gauge>() {
    for t in THREADS {
        for (r, w) in [(90, 10), (99, 1), (50, 50)] {
            exercise(counter::read_mostly::<G, _>(
                t,
                Mix::new(r, w).unwrap(),
                Hot,
            ));
        }
    }
}

macro_rules! increment_tests {
    ($($name:ident => $ty:ty),* $(,)?) => {$(
        #[test]
        fn $name() {
            increment::<$ty>();
        }
    )*};
}

macro_rules! read_mostly_tests {
    ($($name:ident => $ty:ty),* $(,)?) => {$(
        #[test]
        fn $name() {
            read_mostly::<$ty>();
        }
    )*};
}

increment_tests! {
    increment_std_mutex => StdMutex,
    increment_parking_lot_mutex => ParkingLotMutex,
    increment_std_rwlock => StdRwLock,
    increment_parking_lot_rwlock => ParkingLotRwLock,
    increment_atomic_fetch_add => AtomicFetchAdd,
    increment_atomic_cas => AtomicCas,
    increment_sharded_atomic => ShardedAtomic,
    increment_thread_local_batch => ThreadLocalBatch,
    increment_actor_std_mpsc => StdMpscActor,
    increment_actor_crossbeam => CrossbeamActor,
    increment_actor_flume => FlumeActor,
    increment_no_sharing => NoSharing,
}

read_mostly_tests! {
    read_mostly_std_mutex => StdMutex,
    read_mostly_parking_lot_mutex => ParkingLotMutex,
    read_mostly_std_rwlock => StdRwLock,
    read_mostly_parking_lot_rwlock => ParkingLotRwLock,
    read_mostly_atomic_fetch_add => AtomicFetchAdd,
    read_mostly_sharded_atomic => ShardedAtomic,
    read_mostly_arc_swap => ArcSwapSnapshot,
}

#[test]
fn increment_rayon_fold() {
    for t in THREADS {
        exercise(RayonFold::new(t, Hot));
        exercise(RayonFold::new(t, Warm::with_units(8)));
    }
}

#[test]
fn overhead_baselines() {
    for t in THREADS {
        exercise(Pool::new(Noop::NAME, t, Noop::default()));
    }
    exercise(HandwrittenFetchAdd::default());
}

/// A counter that silently drops one increment in a thousand: the driver
/// must catch it, or the tests above could not fail.
#[derive(Default)]
struct Lossy(std::sync::atomic::AtomicU64);

impl Strategy for Lossy {
    const NAME: &'static str = "lossy";
    const FAMILY: Family = Family::Atomic;
}

impl Counter for Lossy {
    type Local = u64;
    fn new(_: usize) -> Self {
        Self::default()
    }
    fn local(&self, _: usize) -> u64 {
        0
    }
    fn increment(&self, n: &mut u64) {
        *n += 1;
        if !n.is_multiple_of(1000) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
    fn total(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[test]
#[should_panic(expected = "lossy (threads=2): wrong answer")]
fn a_lossy_counter_fails() {
    exercise(counter::increment::<Lossy, _>(2, Hot));
}

/// A gauge whose reads can run backwards must fail too.
#[derive(Default)]
struct Jittery(std::sync::atomic::AtomicU64);

impl Strategy for Jittery {
    const NAME: &'static str = "jittery";
    const FAMILY: Family = Family::Atomic;
}

impl Gauge for Jittery {
    type Local = u64;
    fn new(_: usize) -> Self {
        Self::default()
    }
    fn local(&self, _: usize) -> u64 {
        0
    }
    fn read(&self, n: &mut u64) -> u64 {
        *n += 1;
        let v = self.0.load(std::sync::atomic::Ordering::Relaxed);
        if n.is_multiple_of(97) { 0 } else { v }
    }
    fn add(&self, _: &mut u64) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

#[test]
#[should_panic(expected = "backwards")]
fn a_gauge_running_backwards_fails() {
    exercise(counter::read_mostly::<Jittery, _>(
        1,
        Mix::new(50, 50).unwrap(),
        Hot,
    ));
}
