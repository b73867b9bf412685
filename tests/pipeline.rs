//! One correctness body for every pipeline strategy, through the driver that
//! benchmarks it, at W ∈ {1, 2, 4, 8} workers, with and without per-item
//! work. The driver checks the reducer's sum of squares and the workers'
//! item count after every round; a lost item fails the round's timeout with
//! the strategy's name instead of hanging. The strategies come from the list
//! the bench target declares (`pipeline::strategies`), plus the capacities
//! and flavours the benches leave out.

use std::time::Duration;

mod jobs;
mod support;
use jobs::Jobs;
use support::{Duplicating, Lossy};

use syncbench::channels::{Crossbeam, Flume, StdMpsc, StdSync};
use syncbench::handoff::arrayqueue::ArrayQueueSpin;
use syncbench::handoff::channel::Chan;
use syncbench::handoff::locked_rx::LockedRx;
use syncbench::handoff::mutex::MutexCondvar;
use syncbench::handoff::segqueue::SegQueueSpin;
use syncbench::handoff::{Capacity, Queue};
use syncbench::harness::{Declare, Ids, Spec, System};
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

/// Queues [`exercise`] for every system a list declares, with the tests'
/// round timeout: the benches' list, so every benchmarked strategy is checked.
struct Check<'a> {
    jobs: &'a mut Jobs,
    label: String,
}

impl Declare for Check<'_> {
    fn declare<Sys: System + 'static, F: FnOnce() -> Sys + Send + 'static>(
        &mut self,
        spec: Spec<F>,
    ) {
        let name = format!("{} {}/{}", self.label, spec.name(), spec.parameter());
        self.jobs.push(name, move || {
            let mut system = spec.build();
            system.set_round_timeout(TIMEOUT);
            exercise(system, large(B64));
        });
    }
}

const B1: Capacity = Capacity::Bounded(1);
const B64: Capacity = Capacity::Bounded(64);
const UNBOUNDED: Capacity = Capacity::Unbounded;

/// Every strategy in the benches' list (`pipeline::strategies`), at every W
/// and work level.
#[test]
fn every_strategy() {
    let mut jobs = Jobs::new();
    for w in THREADS {
        for work in works() {
            let check = &mut Check {
                jobs: &mut jobs,
                label: format!("work {}", work.units()),
            };
            pipeline::strategies(w, work, check);
        }
    }
    jobs.run();
}

/// Queues the pipeline over `Q` at each of `caps`, at every W and work level.
fn staged<Q: Queue>(jobs: &mut Jobs, caps: &[Capacity]) {
    for &cap in caps {
        for w in THREADS {
            for work in works() {
                jobs.push(
                    format!("{}/{w} work {}", Q::name(cap), work.units()),
                    move || {
                        let pool = pipeline::pipeline::<Q>(w, cap, work).with_timeout(TIMEOUT);
                        exercise(pool, large(cap));
                    },
                );
            }
        }
    }
}

/// Capacities and flavours the benches do not measure: the driver must work
/// over every queue it accepts.
#[test]
fn other_capacities_and_flavours() {
    let mut jobs = Jobs::new();
    staged::<LockedRx<StdSync>>(&mut jobs, &[B1]);
    staged::<LockedRx<StdMpsc>>(&mut jobs, &[UNBOUNDED]);
    staged::<Chan<Crossbeam>>(&mut jobs, &[B1]);
    staged::<Chan<Flume>>(&mut jobs, &[B1, UNBOUNDED]);
    staged::<MutexCondvar>(&mut jobs, &[B1, UNBOUNDED]);
    staged::<ArrayQueueSpin>(&mut jobs, &[B64]);
    staged::<SegQueueSpin>(&mut jobs, &[UNBOUNDED]);
    jobs.run();
}

/// The list declares something at every W, with non-empty ids, none twice.
#[test]
fn the_list_is_well_formed() {
    for w in THREADS {
        Ids::of(|d| pipeline::strategies(w, ItemWork::NONE, d))
            .check()
            .unwrap();
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
