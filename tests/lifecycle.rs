//! One correctness body per lifecycle scenario for every strategy, through
//! the drivers that benchmark it, at W ∈ {1, 2, 4, 8} workers (more threads
//! than cores: real contention). The drivers check every round: every job
//! counted exactly once (dispatch, spawn), exactly one failure and every
//! worker stopped in every cycle (cancel), every message once
//! (cancellable-recv). The strategies come from the lists the bench target
//! declares (`lifecycle::*_strategies`).
//!
//! The broken strategies at the bottom prove the checks can fail: a job
//! queue that loses jobs fails its sums, and a cancel that never reaches
//! the other workers fails by timeout naming the strategy.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

mod jobs;
mod support;
use jobs::Jobs;
use support::Lossy;

use syncbench::harness::{Declare, Family, Ids, Spec, Strategy, System};
use syncbench::lifecycle::cancel::{Cancel, Cancellation};
use syncbench::lifecycle::{
    self, ItemWork, close, cursor, flag, queue, rayon, recv, select, spawn,
};

const THREADS: [usize; 4] = [1, 2, 4, 8];

/// Bound on one round (a cycle's report) for the real strategies.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Jobs, cycles or messages in a large round, by scenario, scaled down in
/// debug builds.
const JOBS: u64 = if cfg!(debug_assertions) {
    20_000
} else {
    100_000
};
const CYCLES: u64 = if cfg!(debug_assertions) { 40 } else { 200 };
const MESSAGES: u64 = if cfg!(debug_assertions) {
    20_000
} else {
    100_000
};
const BATCHES: u64 = if cfg!(debug_assertions) { 10 } else { 40 };

/// Job costs of the tests: none, and a little spinning.
fn costs() -> [ItemWork; 2] {
    [ItemWork::NONE, ItemWork::with_units(8)]
}

/// The one body every system goes through: empty, tiny, uneven and large
/// rounds, then an instrumented one.
fn exercise(system: &mut dyn System, large: u64) {
    for ops in [0, 1, 7, large, large / 2 + 13] {
        system.run(ops);
    }
    assert_eq!(system.run_instrumented(large.min(100)).ops, large.min(100));
}

/// [`exercise`], then the cancellation latency summary: exactly one sample
/// per cycle of the instrumented round, percentiles in order.
fn exercise_cancel(system: &mut dyn System, cycles: u64) {
    exercise(system, cycles);
    let n = cycles.min(100);
    let extras = system.extras().expect("cancellation records its latency");
    let lat = &extras["latency_ns"];
    let get = |k: &str| lat[k].as_u64().unwrap_or_else(|| panic!("{k}: {extras}"));
    assert_eq!(get("count"), n, "{extras}");
    let ladder = ["p50", "p90", "p99", "p999", "max"].map(get);
    assert!(
        ladder[0] > 0 && ladder.windows(2).all(|w| w[0] <= w[1]),
        "{extras}"
    );
}

/// Queues a body for every system a list declares, with the tests' round
/// timeout: the benches' lists, so every benchmarked strategy is checked.
struct Check<'a> {
    jobs: &'a mut Jobs,
    label: String,
    body: fn(&mut dyn System, u64),
    large: u64,
}

impl Declare for Check<'_> {
    fn declare<Sys: System + 'static, F: FnOnce() -> Sys + Send + 'static>(
        &mut self,
        spec: Spec<F>,
    ) {
        let name = format!("{} {}/{}", self.label, spec.name(), spec.parameter());
        let (body, large) = (self.body, self.large);
        self.jobs.push(name, move || {
            let mut system = spec.build();
            system.set_round_timeout(TIMEOUT);
            body(&mut system, large);
        });
    }
}

#[test]
fn dispatch() {
    let mut jobs = Jobs::new();
    for w in THREADS {
        for work in costs() {
            let label = format!("dispatch/{}", work.units());
            let c = &mut Check {
                jobs: &mut jobs,
                label,
                body: exercise,
                large: JOBS,
            };
            lifecycle::dispatch_strategies(w, work, c);
        }
    }
    jobs.run();
}

#[test]
fn cancel() {
    let mut jobs = Jobs::new();
    for w in THREADS {
        for work in [ItemWork::with_units(8), ItemWork::with_units(2000)] {
            let label = format!("cancel/{}", work.units());
            let c = &mut Check {
                jobs: &mut jobs,
                label,
                body: exercise_cancel,
                large: CYCLES,
            };
            lifecycle::cancel_strategies(w, work, c);
        }
    }
    jobs.run();
}

#[test]
fn cancellable_recv() {
    let mut jobs = Jobs::new();
    lifecycle::cancellable_recv_strategies(&mut Check {
        jobs: &mut jobs,
        label: "cancellable-recv".into(),
        body: exercise,
        large: MESSAGES,
    });
    jobs.run();
}

#[test]
fn spawn() {
    let mut jobs = Jobs::new();
    for w in THREADS {
        lifecycle::spawn_strategies(
            w,
            &mut Check {
                jobs: &mut jobs,
                label: "spawn".into(),
                body: exercise,
                large: BATCHES,
            },
        );
    }
    jobs.run();
}

/// Every list declares something, with non-empty ids, none twice.
#[test]
fn the_lists_are_well_formed() {
    for w in THREADS {
        Ids::of(|d| lifecycle::dispatch_strategies(w, ItemWork::NONE, d))
            .check()
            .unwrap();
        Ids::of(|d| lifecycle::cancel_strategies(w, ItemWork::NONE, d))
            .check()
            .unwrap();
        Ids::of(|d| lifecycle::spawn_strategies(w, d))
            .check()
            .unwrap();
    }
    Ids::of(lifecycle::cancellable_recv_strategies)
        .check()
        .unwrap();
}

#[test]
fn ids_and_families() {
    let ids = Ids::of(|d| lifecycle::dispatch_strategies(2, ItemWork::NONE, d));
    assert_eq!(
        ids.names(),
        [
            "std-sync_channel-64-mutex_rx",
            "crossbeam-bounded-64",
            "flume-bounded-64",
            "mutex-condvar-bounded-64",
            "atomic-cursor",
            "rayon-par_iter",
            "rayon-spawn_per_job",
        ]
    );
    let families: Vec<Family> = ids.0.iter().map(|id| id.family).collect();
    use Family::*;
    assert_eq!(
        families,
        [
            Channel,
            Channel,
            Channel,
            Mutex,
            Atomic,
            DataParallel,
            DataParallel
        ]
    );
    assert_eq!(
        Ids::of(|d| lifecycle::cancel_strategies(2, ItemWork::NONE, d)).names(),
        [
            "crossbeam-close",
            "atomic-flag",
            "crossbeam-select",
            "std-scope-flag",
        ]
    );
    assert_eq!(
        [
            close::Close::FAMILY,
            flag::StopFlag::FAMILY,
            select::CrossbeamSelect::FAMILY
        ],
        [Channel, Atomic, Channel]
    );
    assert_eq!(recv::Plain::FAMILY, Baseline);
    assert_eq!(cursor::Cursor::NAME, "atomic-cursor");
    assert_eq!(rayon::ScopePerBatch::NAME, "rayon-scope");
    assert_eq!(spawn::Persistent::FAMILY, Channel);
}

/// Runs `f`, which must panic; returns the panic message.
fn failure(f: impl FnOnce()) -> String {
    let err = catch_unwind(AssertUnwindSafe(f)).expect_err("a broken strategy passed");
    if let Some(s) = err.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = err.downcast_ref::<&str>() {
        (*s).to_string()
    } else {
        String::from("(non-string panic)")
    }
}

/// A job queue that drops every 1000th message: the dispatch sums catch
/// the lost job (5,000 jobs: every dropped message is a job, no marker).
#[test]
fn a_queue_that_loses_jobs_is_a_wrong_answer() {
    let msg = failure(|| {
        let mut pool =
            queue::dispatch::<Lossy>(2, lifecycle::QUEUE, ItemWork::NONE).with_timeout(TIMEOUT);
        exercise(&mut pool, 5_000);
    });
    assert!(
        msg.contains("lossy (threads=3): wrong answer") && msg.contains("each run exactly once"),
        "{msg}"
    );
}

/// A stop flag whose cancel is never set: the failing worker stops, the
/// others never learn of it (they block on a channel nobody sends on, so
/// the stuck threads sleep rather than spin), and the cycle fails by
/// timeout naming the strategy.
struct LostCancel;

impl Strategy for LostCancel {
    const NAME: &'static str = "lost-cancel";
    const FAMILY: Family = Family::Atomic;
}

impl Cancel for LostCancel {
    type Cycle = (
        crossbeam::channel::Sender<u64>,
        crossbeam::channel::Receiver<u64>,
    );
    type Feed = ();
    fn cycle(_: usize) -> (Self::Cycle, ()) {
        (crossbeam::channel::unbounded(), ())
    }
    fn feed(_: &Self::Cycle, _: ()) {}
    fn next(c: &Self::Cycle, taken: u64) -> Option<u64> {
        // Two jobs each, then wait for a cancel that never comes.
        if taken < 2 {
            Some(taken)
        } else {
            c.1.recv().ok()
        }
    }
    fn cancel(_: &Self::Cycle) {}
}

#[test]
fn a_lost_cancel_fails_by_timeout_naming_the_strategy() {
    let msg = failure(|| {
        let mut system = Cancellation::<LostCancel>::new(3, ItemWork::NONE);
        system.set_round_timeout(Duration::from_secs(1));
        system.run(5);
    });
    assert!(
        msg.contains("lost-cancel (threads=3)") && msg.contains("did not report"),
        "{msg}"
    );
}
