//! One correctness test body for every async-task strategy, run through the
//! same systems that benchmark them, from the lists the bench target
//! declares (`tasks::shared`, `tasks::handoff`, `tasks::signal`): on
//! multi-thread runtimes of 1, 2 and 4 workers and on a current_thread
//! runtime, with several tasks per worker contending. Every round checks the
//! answer (final count, every message once and in order, every wake-up saw
//! its value); a round that hangs fails within [`TIMEOUT`] naming the
//! strategy. The broken workloads at the bottom prove that a hang, a
//! panicking task and a wrong answer are caught.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

mod jobs;

use jobs::Jobs;
use syncbench::harness::{Declare, Family, Ids, Round, Spec, Strategy, System};
use syncbench::tasks::shared::{self, Section, State};
use syncbench::tasks::{Flavor, TaskWork, Tasks, handoff, signal};

const TIMEOUT: Duration = Duration::from_secs(60);

const FLAVORS: [Flavor; 4] = [
    Flavor::MultiThread(1),
    Flavor::MultiThread(2),
    Flavor::MultiThread(4),
    Flavor::CurrentThread,
];

/// Operations per large round, scaled down in debug builds.
const OPS: u64 = if cfg!(debug_assertions) {
    2_000
} else {
    20_000
};

/// Operations per large round for wake-up scenarios (each operation wakes
/// tasks).
const SIGNAL_OPS: u64 = if cfg!(debug_assertions) { 200 } else { 1_000 };

struct Check<'a> {
    jobs: &'a mut Jobs,
    label: String,
    ops: u64,
    latency: bool,
}

impl Declare for Check<'_> {
    fn declare<Sys: System + 'static, F: FnOnce() -> Sys + Send + 'static>(
        &mut self,
        spec: Spec<F>,
    ) {
        let (ops, latency) = (self.ops, self.latency);
        let name = format!("{} {}/{}", self.label, spec.name(), spec.parameter());
        self.jobs.push(name, move || {
            let mut sys = spec.build();
            sys.set_round_timeout(TIMEOUT);
            // Empty, one (uneven shares), a few, large.
            for n in [0, 1, 3, 7, ops] {
                sys.run(n);
            }
            let stats = sys.run_instrumented(ops);
            assert_eq!(stats.ops, ops);
            assert!(stats.wall > Duration::ZERO);
            if latency {
                let summary = sys.extras().expect("latency recorded");
                assert_eq!(
                    summary["latency_ns"]["count"].as_u64(),
                    Some(ops),
                    "{summary}"
                );
            }
            sys.run(ops);
        });
    }
}

fn check(jobs: &mut Jobs, label: String, ops: u64, latency: bool) -> Check<'_> {
    Check {
        jobs,
        label,
        ops,
        latency,
    }
}

#[test]
fn shared_state() {
    let mut jobs = Jobs::new();
    for f in FLAVORS {
        for state in [State::Counter, State::Map] {
            for section in [Section::NoAwait, Section::AcrossYield] {
                let label = format!("{state:?} {} {f:?}", section.name());
                shared::declare(state, section, f, &mut check(&mut jobs, label, OPS, false));
            }
        }
    }
    jobs.run();
}

#[test]
fn handoff_and_bridges() {
    let mut jobs = Jobs::new();
    for f in FLAVORS {
        for shape in [handoff::Shape::Spsc, handoff::Shape::Mpsc] {
            let label = format!("{shape:?} {f:?}");
            handoff::declare(shape, f, &mut check(&mut jobs, label, OPS, false));
        }
        handoff::declare_bridges(
            f,
            &mut check(&mut jobs, format!("bridge {f:?}"), OPS, false),
        );
    }
    jobs.run();
}

#[test]
fn signals_and_cancel() {
    let mut jobs = Jobs::new();
    for f in FLAVORS {
        signal::declare_ping_pong(
            f,
            &mut check(&mut jobs, format!("ping-pong {f:?}"), SIGNAL_OPS, true),
        );
        for which in [signal::Releasing::OneToMany, signal::Releasing::Cancel] {
            let label = format!("{which:?} {f:?}");
            signal::declare_release(which, f, &mut check(&mut jobs, label, SIGNAL_OPS, true));
        }
    }
    jobs.run();
}

/// Only the async locks run across a yield; the others are the list's
/// not-applicable cells. Ids are well formed everywhere.
#[test]
fn lists_and_families() {
    for state in [State::Counter, State::Map] {
        let all = Ids::of(|d| shared::declare(state, Section::NoAwait, Flavor::MultiThread(2), d));
        all.check().unwrap();
        let across =
            Ids::of(|d| shared::declare(state, Section::AcrossYield, Flavor::MultiThread(2), d));
        across.check().unwrap();
        assert_eq!(across.names(), ["tokio-mutex", "tokio-rwlock"]);
        assert!(across.0.iter().all(|id| id.family == Family::AsyncLock));
        assert_eq!(all.0.len(), 5);
        assert!(all.names().contains(&"std-mutex"));
    }
    let spsc = Ids::of(|d| handoff::declare(handoff::Shape::Spsc, Flavor::CurrentThread, d));
    spsc.check().unwrap();
    assert_eq!(spsc.0[0].parameter, 1);
    assert!(spsc.names().contains(&"flume-async-bounded-64"));
    let bridges = Ids::of(|d| handoff::declare_bridges(Flavor::MultiThread(1), d));
    assert_eq!(bridges.0.len(), 3);
    let pp = Ids::of(|d| signal::declare_ping_pong(Flavor::MultiThread(2), d));
    assert_eq!(pp.names(), ["tokio-notify", "tokio-oneshot", "tokio-watch"]);
    let cancel =
        Ids::of(|d| signal::declare_release(signal::Releasing::Cancel, Flavor::MultiThread(2), d));
    assert_eq!(
        cancel.names(),
        ["cancellation-token", "watch", "drop-sender"]
    );
    assert_eq!(shared::StdMutexCounter::FAMILY, Family::Mutex);
    assert_eq!(shared::TokioMutexCounter::FAMILY, Family::AsyncLock);
}

/// A workload whose last task never finishes: the round fails by timeout,
/// naming the strategy, instead of hanging.
struct Hangs;
impl TaskWork for Hangs {
    type Task = ();
    fn task(&self, _: usize, _: usize) {}
    async fn run(&self, _: &mut (), round: &Round) {
        if round.index == round.threads - 1 && round.total > 0 {
            std::future::pending::<()>().await;
        }
    }
}

/// A workload that miscounts: the round fails naming the strategy.
struct Miscounts(AtomicU64);
impl TaskWork for Miscounts {
    type Task = ();
    fn task(&self, _: usize, _: usize) {}
    async fn run(&self, _: &mut (), round: &Round) {
        // One task's share is dropped.
        if round.index != 0 {
            self.0.fetch_add(round.ops, Relaxed);
        }
    }
    fn after_round(&self, total: u64) {
        assert_eq!(self.0.swap(0, Relaxed), total);
    }
}

/// A workload whose last task panics in its timed run: tokio drops the
/// task, so the round can never complete, and it fails at once naming the
/// strategy and the task, not at the round timeout.
struct Panics;
impl TaskWork for Panics {
    type Task = ();
    fn task(&self, _: usize, _: usize) {}
    async fn run(&self, _: &mut (), round: &Round) {
        assert!(
            round.index != round.threads - 1 || round.total == 0,
            "boom in the last task"
        );
    }
}

#[test]
fn a_hang_fails_by_name_within_the_bound() {
    for f in [Flavor::MultiThread(2), Flavor::CurrentThread] {
        let started = Instant::now();
        let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut sys = Tasks::new("hangs", f, 4, Hangs).with_timeout(Duration::from_millis(300));
            sys.run(0);
            sys.run(8);
        }))
        .expect_err("a hung round must fail");
        let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(
            msg.contains("hangs") && msg.contains("did not finish"),
            "{msg}"
        );
        assert!(started.elapsed() < Duration::from_secs(20), "{f:?}");
    }
}

#[test]
fn a_panicking_task_fails_the_round_at_once() {
    for f in [Flavor::MultiThread(2), Flavor::CurrentThread] {
        let started = Instant::now();
        let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut sys = Tasks::new("panics", f, 4, Panics).with_timeout(TIMEOUT);
            sys.run(0);
            sys.run(8);
        }))
        .expect_err("a panicking task must fail the round");
        let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(
            msg.contains("panics") && msg.contains("task 3 panicked"),
            "{msg}"
        );
        assert!(started.elapsed() < Duration::from_secs(20), "{f:?}");
    }
}

#[test]
fn a_wrong_answer_fails_by_name() {
    let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut sys = Tasks::new(
            "miscounts",
            Flavor::MultiThread(2),
            4,
            Miscounts(AtomicU64::new(0)),
        );
        sys.run(100);
    }))
    .expect_err("a wrong answer must fail");
    let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        msg.contains("miscounts") && msg.contains("wrong answer"),
        "{msg}"
    );
}

/// Every runtime thread exits when the system is dropped.
///
/// The other tests of this binary run alongside and start threads of their
/// own (libtest's, their systems'), so one count right after the drop can
/// catch one of theirs: the count must come back to `before` within 30 s,
/// long after they have ended, but a leaked runtime thread never does.
#[test]
fn runtimes_leave_no_threads() {
    let before = syncbench::harness::exit::thread_count();
    for f in FLAVORS {
        let mut sys = handoff::bridge::<handoff::TokioBounded>(f);
        sys.run(100);
        drop(sys);
    }
    let Some(b) = before else { return };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let a = syncbench::harness::exit::thread_count().expect("counted before");
        if a <= b {
            break;
        }
        assert!(Instant::now() < deadline, "{a} threads after, {b} before");
        std::thread::sleep(Duration::from_millis(10));
    }
}
