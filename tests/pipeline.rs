//! One correctness body for every pipeline strategy, through the driver that
//! benchmarks it, at W ∈ {1, 2, 4, 8} workers, with and without per-item
//! work. The driver checks the reducer's sum of squares and the workers'
//! item count after every round; a lost item fails the round's timeout with
//! the strategy's name instead of hanging.

use std::time::Duration;

mod support;
use support::{Duplicating, Lossy};

use syncbench::channels::{Crossbeam, Flume, StdMpsc, StdSync};
use syncbench::handoff::arrayqueue::ArrayQueueSpin;
use syncbench::handoff::channel::Chan;
use syncbench::handoff::locked_rx::LockedRx;
use syncbench::handoff::mutex::MutexCondvar;
use syncbench::handoff::segqueue::SegQueueSpin;
use syncbench::handoff::{Capacity, Queue};
use syncbench::harness::System;
use syncbench::pipeline::rayon::{RayonParBridge, RayonParIter};
use syncbench::pipeline::{self, ItemWork};

const THREADS: [usize; 4] = [1, 2, 4, 8];

/// A round that does not finish within this is a deadlock or lost wake-up.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Items in a large round, scaled down in debug builds and where every
/// item costs blocking meetings of threads (capacity 1).
fn large(cap: Capacity) -> u64 {
    match (cap == Capacity::Bounded(1), cfg!(debug_assertions)) {
        (true, true) => 2_000,
        (true, false) => 4_000,
        (false, true) => 50_000,
        (false, false) => 100_000,
    }
}

/// Per-item work levels: none, and a little spinning.
fn works() -> [ItemWork; 2] {
    [ItemWork::NONE, ItemWork::with_units(8)]
}

/// The one body every system goes through: empty, tiny, uneven and large
/// rounds, then an instrumented one.
fn exercise<S: System>(mut system: S, large: u64) {
    for ops in [0, 1, 7, large, large + 13] {
        system.run(ops);
    }
    assert_eq!(system.run_instrumented(100).ops, 100);
}

fn staged<Q: Queue>(caps: &[Capacity]) {
    for &cap in caps {
        for w in THREADS {
            for work in works() {
                let pool = pipeline::pipeline::<Q>(w, cap, work).with_timeout(TIMEOUT);
                exercise(pool, large(cap));
            }
        }
    }
}

const B1: Capacity = Capacity::Bounded(1);
const B64: Capacity = Capacity::Bounded(64);
const UNBOUNDED: Capacity = Capacity::Unbounded;

#[test]
fn std_channels_with_a_locked_receiver() {
    staged::<LockedRx<StdSync>>(&[B1, B64]);
    staged::<LockedRx<StdMpsc>>(&[UNBOUNDED]);
}

#[test]
fn crossbeam_channels() {
    staged::<Chan<Crossbeam>>(&[B1, B64, UNBOUNDED]);
}

#[test]
fn flume_channels() {
    staged::<Chan<Flume>>(&[B1, B64, UNBOUNDED]);
}

#[test]
fn mutex_condvar_queues() {
    staged::<MutexCondvar>(&[B1, B64, UNBOUNDED]);
}

#[test]
fn lock_free_queues_with_backoff() {
    staged::<ArrayQueueSpin>(&[B64]);
    staged::<SegQueueSpin>(&[UNBOUNDED]);
}

#[test]
fn rayon_par_iter() {
    for w in THREADS {
        for work in works() {
            exercise(RayonParIter::new(w, work), large(B64));
        }
    }
}

#[test]
fn rayon_par_bridge() {
    for w in THREADS {
        for work in works() {
            exercise(RayonParBridge::new(w, work), large(B64));
        }
    }
}

#[test]
fn std_channels_are_not_offered_for_fan_out_without_the_lock() {
    assert!(!Chan::<StdSync>::offers(B64, true));
    assert!(LockedRx::<StdSync>::offers(B64, true));
    assert_eq!(
        LockedRx::<StdSync>::name(B64),
        "std-sync_channel-64-mutex_rx"
    );
}

#[test]
fn workers_report_their_share_of_items() {
    let mut pool = pipeline::pipeline::<Chan<Crossbeam>>(3, B64, ItemWork::NONE);
    pool.run_instrumented(1000);
    let extras = pool.extras().expect("pipelines report per-worker items");
    let items: Vec<u64> = serde_json::from_value(extras["items_per_worker"].clone()).unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items.iter().sum::<u64>(), 1000);
}

#[test]
#[should_panic(expected = "lossy (threads=4): a round of")]
fn a_lossy_pipeline_times_out_with_its_name() {
    let pool =
        pipeline::pipeline::<Lossy>(2, B64, ItemWork::NONE).with_timeout(Duration::from_secs(1));
    exercise(pool, 5_000);
}

#[test]
#[should_panic(expected = "duplicating (threads=4): wrong answer")]
fn a_duplicating_pipeline_fails_its_sum() {
    let pool = pipeline::pipeline::<Duplicating>(2, B64, ItemWork::NONE).with_timeout(TIMEOUT);
    exercise(pool, 5_000);
}
