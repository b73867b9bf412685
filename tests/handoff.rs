//! One correctness body for every hand-off flavour, through the driver that
//! benchmarks it: every capacity the flavour offers, both payloads, SPSC and
//! MPSC / MPMC at P ∈ {1, 2, 4, 8}. The driver checks after every round that
//! the consumers' checksums match the messages sent; a lost message fails the
//! round's timeout with the strategy's name instead of hanging.

use std::time::Duration;

mod support;
use support::{Duplicating, Lossy};

use syncbench::channels::{Crossbeam, Flume, StdMpsc, StdSync};
use syncbench::handoff::arrayqueue::ArrayQueueSpin;
use syncbench::handoff::channel::Chan;
use syncbench::handoff::mutex::MutexCondvar;
use syncbench::handoff::segqueue::SegQueueSpin;
use syncbench::handoff::{self, Capacity, Payload, Queue, Shape};
use syncbench::harness::System;

const THREADS: [usize; 4] = [1, 2, 4, 8];

const CAPACITIES: [Capacity; 4] = [
    Capacity::Bounded(0),
    Capacity::Bounded(1),
    Capacity::Bounded(64),
    Capacity::Unbounded,
];

/// A round that does not finish within this is a deadlock or lost wake-up.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Messages in a large round: enough for producers and consumers to
/// contend, fewer where every message is a blocking meeting of two threads
/// (capacity 0 or 1), and fewer in debug builds.
fn large(cap: Capacity) -> u64 {
    let slow = matches!(cap, Capacity::Bounded(0 | 1));
    match (slow, cfg!(debug_assertions)) {
        (true, true) => 2_000,
        (true, false) => 4_000,
        (false, true) => 50_000,
        (false, false) => 100_000,
    }
}

/// The one body every system goes through: empty, tiny, uneven and large
/// rounds, then an instrumented one.
fn exercise<S: System>(mut system: S, large: u64) {
    for ops in [0, 1, 7, large, large + 13] {
        system.run(ops);
    }
    assert_eq!(system.run_instrumented(100).ops, 100);
}

fn shapes() -> Vec<Shape> {
    let mut shapes = vec![Shape::Spsc];
    shapes.extend(THREADS.map(Shape::Mpsc));
    shapes.extend(THREADS.map(Shape::Mpmc));
    shapes
}

fn payload<Q: Queue, M: Payload>(shape: Shape, cap: Capacity) {
    exercise(
        handoff::handoff::<Q, M>(shape, cap).with_timeout(TIMEOUT),
        large(cap),
    );
}

/// Every shape and capacity `Q` offers, both payloads; returns how many
/// (shape, capacity) points ran.
fn every_shape<Q: Queue>() -> usize {
    let mut points = 0;
    for cap in CAPACITIES {
        for shape in shapes() {
            if Q::offers(cap, shape.multi_consumer()) {
                payload::<Q, u64>(shape, cap);
                payload::<Q, Vec<u8>>(shape, cap);
                points += 1;
            }
        }
    }
    points
}

/// Shapes per capacity: SPSC, MPSC and MPMC at each P.
const ALL_SHAPES: usize = 1 + 2 * THREADS.len();
/// SPSC and MPSC only (single-consumer flavours).
const SINGLE_CONSUMER: usize = 1 + THREADS.len();

#[test]
fn std_mpsc() {
    assert_eq!(every_shape::<Chan<StdMpsc>>(), SINGLE_CONSUMER); // unbounded
}

#[test]
fn std_sync_channel() {
    assert_eq!(every_shape::<Chan<StdSync>>(), 3 * SINGLE_CONSUMER); // 0, 1, 64
}

#[test]
fn crossbeam_channel() {
    assert_eq!(every_shape::<Chan<Crossbeam>>(), 4 * ALL_SHAPES);
}

#[test]
fn flume_channel() {
    assert_eq!(every_shape::<Chan<Flume>>(), 4 * ALL_SHAPES);
}

#[test]
fn mutex_condvar() {
    assert_eq!(every_shape::<MutexCondvar>(), 3 * ALL_SHAPES); // 1, 64, unbounded
}

#[test]
fn crossbeam_arrayqueue() {
    assert_eq!(every_shape::<ArrayQueueSpin>(), 2 * ALL_SHAPES); // 1, 64
}

#[test]
fn crossbeam_segqueue() {
    assert_eq!(every_shape::<SegQueueSpin>(), ALL_SHAPES); // unbounded
}

#[test]
fn strategy_ids_carry_their_capacity() {
    let b64 = Capacity::Bounded(64);
    assert_eq!(
        Chan::<StdSync>::name(Capacity::Bounded(0)),
        "std-sync_channel-0"
    );
    assert_eq!(
        Chan::<StdMpsc>::name(Capacity::Unbounded),
        "std-mpsc-unbounded"
    );
    assert_eq!(Chan::<Crossbeam>::name(b64), "crossbeam-bounded-64");
    assert_eq!(Chan::<Flume>::name(Capacity::Unbounded), "flume-unbounded");
    assert_eq!(MutexCondvar::name(b64), "mutex-condvar-bounded-64");
    assert_eq!(ArrayQueueSpin::name(b64), "crossbeam-arrayqueue-64");
    assert_eq!(
        SegQueueSpin::name(Capacity::Unbounded),
        "crossbeam-segqueue"
    );
}

#[test]
#[should_panic(expected = "lossy (threads=3): a round of")]
fn a_lossy_queue_times_out_with_its_name() {
    let pool = handoff::handoff::<Lossy, u64>(Shape::Mpsc(2), Capacity::Unbounded)
        .with_timeout(Duration::from_secs(1));
    exercise(pool, 5_000);
}

#[test]
#[should_panic(expected = "duplicating (threads=2): wrong answer")]
fn a_duplicating_queue_fails_its_checksum() {
    let pool = handoff::handoff::<Duplicating, u64>(Shape::Spsc, Capacity::Bounded(64))
        .with_timeout(TIMEOUT);
    exercise(pool, 5_000);
}
