//! One correctness body for every hand-off flavour, through the driver that
//! benchmarks it: every capacity the flavour offers, both payloads, SPSC and
//! MPSC / MPMC at P ∈ {1, 2, 4, 8}. The flavours come from the list the
//! bench target declares (`handoff::strategies`). The driver checks after every round that
//! the consumers' checksums match the messages sent; a lost message fails the
//! round's timeout with the strategy's name instead of hanging.

use std::time::Duration;

mod jobs;
mod support;
use jobs::Jobs;
use support::{Duplicating, Lossy};

use syncbench::channels::{Crossbeam, Flume, StdMpsc, StdSync};
use syncbench::handoff::arrayqueue::ArrayQueueSpin;
use syncbench::handoff::channel::Chan;
use syncbench::handoff::mutex::MutexCondvar;
use syncbench::handoff::segqueue::SegQueueSpin;
use syncbench::handoff::{self, Capacity, Payload, Queue, Shape};
use syncbench::harness::{Declare, Ids, Spec, System};

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

/// Queues [`exercise`] for every system a list declares, with the tests'
/// round timeout: the benches' list, so every benchmarked flavour is checked.
struct Check<'a> {
    jobs: &'a mut Jobs,
    label: String,
    large: u64,
}

impl Declare for Check<'_> {
    fn declare<Sys: System + 'static, F: FnOnce() -> Sys + Send + 'static>(
        &mut self,
        spec: Spec<F>,
    ) {
        let name = format!("{} {}/{}", self.label, spec.name(), spec.parameter());
        let large = self.large;
        self.jobs.push(name, move || {
            let mut system = spec.build();
            system.set_round_timeout(TIMEOUT);
            exercise(system, large);
        });
    }
}

/// Every flavour at every capacity and shape it offers, both payloads.
#[test]
fn every_flavour() {
    let mut jobs = Jobs::new();
    for cap in CAPACITIES {
        for shape in shapes() {
            let label = |payload: &str| format!("{}/{payload}", shape.name());
            let check = &mut Check {
                jobs: &mut jobs,
                label: label(<u64 as Payload>::NAME),
                large: large(cap),
            };
            handoff::strategies::<u64>(shape, cap, check);
            let check = &mut Check {
                jobs: &mut jobs,
                label: label(<Vec<u8> as Payload>::NAME),
                large: large(cap),
            };
            handoff::strategies::<Vec<u8>>(shape, cap, check);
        }
    }
    jobs.run();
}

/// The capacities each flavour offers, with one consumer and with several:
/// the points the benches and [`every_flavour`] run.
#[test]
fn flavours_offer_their_capacities() {
    fn offered<Q: Queue>(multi_consumer: bool) -> Vec<Capacity> {
        CAPACITIES
            .into_iter()
            .filter(|&c| Q::offers(c, multi_consumer))
            .collect()
    }
    let (b, unbounded) = (Capacity::Bounded, Capacity::Unbounded);
    assert_eq!(offered::<Chan<StdMpsc>>(false), [unbounded]);
    assert!(offered::<Chan<StdMpsc>>(true).is_empty());
    assert_eq!(offered::<Chan<StdSync>>(false), [b(0), b(1), b(64)]);
    assert!(offered::<Chan<StdSync>>(true).is_empty());
    for multi in [false, true] {
        assert_eq!(offered::<Chan<Crossbeam>>(multi), CAPACITIES);
        assert_eq!(offered::<Chan<Flume>>(multi), CAPACITIES);
        assert_eq!(offered::<MutexCondvar>(multi), [b(1), b(64), unbounded]);
        assert_eq!(offered::<ArrayQueueSpin>(multi), [b(1), b(64)]);
        assert_eq!(offered::<SegQueueSpin>(multi), [unbounded]);
    }
}

/// The list declares something at every point, with non-empty ids, none
/// twice.
#[test]
fn the_list_is_well_formed() {
    for cap in CAPACITIES {
        for shape in shapes() {
            Ids::of(|d| handoff::strategies::<u64>(shape, cap, d))
                .check()
                .unwrap_or_else(|e| panic!("{} at {cap}: {e}", shape.name()));
        }
    }
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
