//! Persistent worker threads released together: the harness's timing core.
//!
//! A [`Pool`] runs the round protocol of [`super::round`] with threads:
//!
//! ```text
//! main                         worker i (of n)
//! ----                         ---------------
//! total := ops                 wait for epoch change (spin, yield, park)
//! epoch += 1, unpark all  -->  arrived += 1
//! park until completed         the n-th arrival: t0 := now, released := epoch
//!                              others spin until released == epoch
//!                              ---- timed: workload.run(share of ops) ----
//!                              t1 := max(t1, now); done += 1
//!                              the n-th finisher: completed := epoch, unpark main
//! elapsed := t1 - t0
//! workload.after_round(ops)    (checks the answer; not timed)
//! ```
//!
//! The start barrier spins rather than blocking: a futex wake-up costs tens of
//! microseconds on a VM, and a blocking barrier would bill that to the first
//! operations. The main thread parks while a round runs, so it never competes
//! with workers for a core. The timed region is therefore exactly "release →
//! last worker done", as the measurement contract requires.
//!
//! What is the pool's own: spawning and joining the workers, waking them
//! (unpark), catching a worker's panic around its run (the worker still
//! finishes the round, and its panic is reported once the round completes,
//! or behind a hang, after up to [`PANIC_GRACE`] for the panic hook to
//! print it), and the per-worker CPU and finish times of instrumented
//! rounds. Shutdown joins every worker unless a round hung.
//!
//! # Under loom
//!
//! The protocol and the pool's threads come from [`crate::primitive`], which
//! is loom's under `--cfg loom`, so `tests/loom.rs` model-checks this very
//! code (see [`super::round`] for the clocks' stand-ins and the loom-only
//! probe and faults).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use crate::primitive::sync::{Mutex, lock};
use crate::primitive::thread::{self, JoinHandle};

use super::round::{
    Coordinator, Failure, PANIC_GRACE, Protocol, Round, panic_message, process_cpu_time,
    thread_cpu_time,
};
#[cfg(loom)]
use super::round::{Fault, Probe};

/// A system under test: shared state plus per-thread state, driven by a
/// [`Pool`]. Everything a strategy does per operation happens in [`run`];
/// everything else (allocation, prefill, spawning helper threads, checking)
/// happens outside the timed region.
///
/// [`run`]: Workload::run
pub trait Workload: Send + Sync + 'static {
    /// Per-thread state (a handle, a private batch, a channel endpoint),
    /// created on its worker thread before the first round.
    type Worker: 'static;

    /// Creates worker `index`'s state. Not timed.
    fn worker(&self, index: usize, threads: usize) -> Self::Worker;

    /// Performs this thread's part of a round. Timed. When every worker has
    /// returned, the round's `total` operations must be complete.
    fn run(&self, worker: &mut Self::Worker, round: &Round);

    /// Checks the system's answer after a round of `total` operations and
    /// panics if it is wrong. Not timed.
    fn after_round(&self, total: u64) {
        let _ = total;
    }

    /// The last check, once the benchmark id's rounds are over (workers
    /// idle), for a workload that does not check everything after every
    /// round; panics if the answer is wrong. Not timed.
    fn finish(&self) {}

    /// Workload-specific measurements gathered during instrumented rounds
    /// (e.g. latency percentiles), written into the sidecar file.
    fn extras(&self) -> Option<serde_json::Value> {
        None
    }
}

/// Measurements of one instrumented round.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoundStats {
    /// Logical operations performed.
    pub ops: u64,
    /// Timed region: release → last worker done.
    pub wall: Duration,
    /// CPU time of every thread the system uses during the round, where the
    /// OS reports CPU time: the pool's workers inside the timed region plus
    /// any helper thread (an actor's owner, a rayon pool, pipeline stages).
    pub cpu: Option<Duration>,
    /// The pool workers' share of `cpu` (timed region only).
    pub worker_cpu: Option<Duration>,
    /// Per worker: time from release to that worker's finish.
    pub finish: Vec<Duration>,
}

/// Anything the bench glue can time: run `ops` logical operations, return
/// the timed region, panic if the answer is wrong.
pub trait System {
    /// Runs `ops` operations; returns the timed region's duration.
    fn run(&mut self, ops: u64) -> Duration;

    /// Runs `ops` operations with instrumentation (not used for criterion's
    /// samples). The default records wall time and the process's CPU time
    /// over the call: every thread the system uses, the calling one included
    /// (it does the work of a hand-written loop and blocks in rayon's
    /// `install`).
    fn run_instrumented(&mut self, ops: u64) -> RoundStats {
        let p0 = process_cpu_time();
        let wall = self.run(ops);
        let cpu = p0.zip(process_cpu_time()).map(|(a, b)| b.saturating_sub(a));
        RoundStats {
            ops,
            wall,
            cpu,
            ..RoundStats::default()
        }
    }

    /// Workload-specific measurements from instrumented rounds.
    fn extras(&self) -> Option<serde_json::Value> {
        None
    }

    /// The last check once every round has run (see [`Workload::finish`]);
    /// panics if the answer is wrong. Not timed.
    fn finish(&mut self) {}

    /// Bounds each round: one that takes longer fails naming the strategy
    /// (see [`Pool::with_timeout`]). Systems without rounds of their own
    /// ignore it.
    fn set_round_timeout(&mut self, timeout: Duration) {
        let _ = timeout;
    }

    /// Threads the system really runs, where it knows (a [`Pool`]'s size,
    /// which for a hand-off of P producers and one consumer is P + 1). The
    /// sidecar records it; `None` means "the thread-axis value".
    fn worker_threads(&self) -> Option<usize> {
        None
    }
}

/// One worker's instrumented round: index, CPU time in the timed region,
/// CPU time from its wake-up to done, finish (ns since the protocol's clock
/// start).
type WorkerStats = (usize, Option<Duration>, Option<Duration>, u64);

/// Worker threads, created once per benchmark id and reused for every round.
pub struct Pool<W: Workload> {
    shared: Arc<Shared<W>>,
    handles: Vec<JoinHandle<()>>,
    name: String,
    /// The main thread's side of the round protocol (epoch, timeout, and
    /// whether a round failed or hung).
    rounds: Coordinator,
}

struct Shared<W> {
    workload: W,
    protocol: Protocol,
    /// Per worker in an instrumented round: index, CPU time in the timed
    /// region, CPU time from wake-up to done, finish time.
    stats: Mutex<Vec<WorkerStats>>,
}

impl<W: Workload> Pool<W> {
    /// Spawns `threads` workers for `workload`. `name` identifies the
    /// strategy in thread names and in failure messages.
    pub fn new(name: impl Into<String>, threads: usize, workload: W) -> Pool<W> {
        assert!(threads >= 1, "a pool needs at least one worker thread");
        let name = name.into();
        let shared = Arc::new(Shared {
            workload,
            protocol: Protocol::new(threads),
            stats: Mutex::new(Vec::new()),
        });
        let handles = (0..threads)
            .map(|index| {
                let shared = Arc::clone(&shared);
                thread::Builder::new()
                    .name(format!("{name}-{index}"))
                    .spawn(move || worker_main(&shared, index))
                    .unwrap_or_else(|e| panic!("{name}: cannot spawn worker {index}: {e}"))
            })
            .collect();
        Pool {
            shared,
            handles,
            name,
            rounds: Coordinator::new(PANIC_GRACE),
        }
    }

    /// Sets the bound after which a round is declared hung.
    pub fn with_timeout(mut self, timeout: Duration) -> Pool<W> {
        self.rounds.set_timeout(timeout);
        self
    }

    /// The workload under test (for inspection after rounds).
    pub fn workload(&self) -> &W {
        &self.shared.workload
    }

    /// Loom only: runs the deliberately broken variant `fault` of the
    /// protocol from the next round on.
    #[cfg(loom)]
    #[doc(hidden)]
    pub fn with_fault(self, fault: Fault) -> Pool<W> {
        self.shared.protocol.set_fault(fault);
        self
    }

    /// Loom only: the latest round's barrier clock readings.
    #[cfg(loom)]
    #[doc(hidden)]
    pub fn probe(&self) -> Probe {
        self.shared.protocol.probe()
    }

    fn round(&mut self, ops: u64, instrumented: bool) -> Duration {
        let s = &*self.shared;
        let handles = &self.handles;
        let outcome = self.rounds.run(
            &s.protocol,
            ops,
            instrumented,
            || handles.iter().for_each(|h| h.thread().unpark()),
            || s.workload.after_round(ops),
        );
        let threads = s.protocol.threads();
        let name = &self.name;
        match outcome {
            Ok(elapsed) => elapsed,
            Err(Failure::Reused) => panic!("{name}: pool used after a failed round"),
            Err(Failure::Panicked { index, message }) => {
                panic!("{name} (threads={threads}): worker {index} panicked: {message}")
            }
            // Workers catch their panics; kept for completeness.
            Err(Failure::Left { index }) => {
                panic!(
                    "{name} (threads={threads}): worker {index} panicked (see its message above)"
                )
            }
            Err(Failure::Hung { timeout, panic }) => {
                let cause = match panic {
                    Some((index, msg)) => format!("; worker {index} panicked first: {msg}"),
                    None => " (deadlock or lost wake-up)".to_string(),
                };
                panic!(
                    "{name} (threads={threads}): a round of {ops} operations did not finish within {timeout:?}{cause}"
                )
            }
            Err(Failure::WrongAnswer(msg)) => {
                panic!("{name} (threads={threads}): wrong answer after {ops} operations: {msg}")
            }
        }
    }
}

impl<W: Workload> System for Pool<W> {
    fn run(&mut self, ops: u64) -> Duration {
        self.round(ops, false)
    }

    fn run_instrumented(&mut self, ops: u64) -> RoundStats {
        lock(&self.shared.stats).clear();
        let (p0, m0) = (process_cpu_time(), thread_cpu_time());
        let wall = self.round(ops, true);
        let (p1, m1) = (process_cpu_time(), thread_cpu_time());
        let mut stats = std::mem::take(&mut *lock(&self.shared.stats));
        stats.sort_by_key(|&(index, ..)| index);
        let t0 = self.shared.protocol.t0();
        let worker_cpu = stats
            .iter()
            .map(|&(_, cpu, ..)| cpu)
            .sum::<Option<Duration>>();
        let worker_full = stats
            .iter()
            .map(|&(_, _, full, _)| full)
            .sum::<Option<Duration>>();
        // Helper threads (an actor's owner, stage threads): whatever the
        // process burned beyond the main thread and the workers' whole round
        // (their wake-up and start barrier are harness, not strategy).
        let helpers = match (p0, p1, m0, m1, worker_full) {
            (Some(p0), Some(p1), Some(m0), Some(m1), Some(full)) => Some(
                p1.saturating_sub(p0)
                    .saturating_sub(m1.saturating_sub(m0))
                    .saturating_sub(full),
            ),
            _ => None,
        };
        let cpu = worker_cpu.zip(helpers).map(|(w, h)| w + h);
        let finish = stats
            .iter()
            .map(|&(.., end)| Duration::from_nanos(end.saturating_sub(t0)))
            .collect();
        RoundStats {
            ops,
            wall,
            cpu,
            worker_cpu,
            finish,
        }
    }

    fn extras(&self) -> Option<serde_json::Value> {
        self.shared.workload.extras()
    }

    fn finish(&mut self) {
        self.shared.workload.finish();
    }

    fn set_round_timeout(&mut self, timeout: Duration) {
        self.rounds.set_timeout(timeout);
    }

    fn worker_threads(&self) -> Option<usize> {
        Some(self.shared.protocol.threads())
    }
}

impl<W: Workload> Drop for Pool<W> {
    fn drop(&mut self) {
        // Under loom, a model that fails unwinds every thread it suspended,
        // outside the model, where no loom operation may run.
        #[cfg(loom)]
        if thread::panicking() {
            return;
        }
        let handles = &self.handles;
        self.rounds.shutdown(&self.shared.protocol, || {
            handles.iter().for_each(|h| h.thread().unpark())
        });
        if self.rounds.hung() {
            // Workers may be stuck inside a hung strategy; joining would turn
            // a reported failure into a hang. They die with the process.
            // After any other failure (a worker's panic, a wrong answer) the
            // round completed, every worker is back waiting for the next
            // epoch, and is joined like after a good round.
            return;
        }
        for h in self.handles.drain(..) {
            if h.join().is_err() {
                eprintln!("{}: a worker thread panicked during shutdown", self.name);
            }
        }
    }
}

fn worker_main<W: Workload>(s: &Shared<W>, index: usize) {
    let p = &s.protocol;
    let mut worker = catch_unwind(AssertUnwindSafe(|| s.workload.worker(index, p.threads())))
        .map_err(|e| format!("while creating its state: {}", panic_message(&*e)));
    let mut seen = 0;
    while let Some(epoch) = p.wait_next(seen) {
        seen = epoch;
        let round = p.round(index);
        let cpu_wake = if round.instrumented {
            thread_cpu_time()
        } else {
            None
        };

        // Start barrier: the last arrival stamps t0 and releases everyone.
        p.barrier(index, epoch);

        let cpu_start = if round.instrumented {
            thread_cpu_time()
        } else {
            None
        };
        let outcome = match &mut worker {
            Ok(w) => catch_unwind(AssertUnwindSafe(|| s.workload.run(w, &round)))
                .map_err(|e| panic_message(&*e)),
            Err(msg) => Err(msg.clone()),
        };
        let end = p.stamp_finish();
        if round.instrumented {
            let now = thread_cpu_time();
            let cpu = cpu_start.zip(now).map(|(a, b)| b.saturating_sub(a));
            let full = cpu_wake.zip(now).map(|(a, b)| b.saturating_sub(a));
            lock(&s.stats).push((index, cpu, full, end));
        }
        if let Err(msg) = outcome {
            p.record_panic(index, msg);
        }

        // The last finisher completes the round and wakes the main thread.
        p.finish(epoch);
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::*};
    use std::thread;

    struct Count {
        done: AtomicU64,
        expected: AtomicU64,
    }

    impl Workload for Count {
        type Worker = u64;
        fn worker(&self, _: usize, _: usize) -> u64 {
            0
        }
        fn run(&self, mine: &mut u64, round: &Round) {
            *mine += round.ops;
            self.done.fetch_add(round.ops, Relaxed);
        }
        fn after_round(&self, total: u64) {
            let expected = self.expected.fetch_add(total, Relaxed) + total;
            assert_eq!(self.done.load(Relaxed), expected);
        }
    }

    fn count() -> Count {
        Count {
            done: AtomicU64::new(0),
            expected: AtomicU64::new(0),
        }
    }

    #[test]
    fn shares_add_up() {
        for threads in 1..9 {
            for total in [0, 1, 7, 8, 1000, 1001] {
                let sum: u64 = (0..threads).map(|i| Round::share(total, i, threads)).sum();
                assert_eq!(sum, total);
            }
        }
    }

    #[test]
    fn rounds_run_every_operation() {
        for threads in [1, 2, 4, 8] {
            let mut pool = Pool::new("count", threads, count());
            for ops in [0, 1, 3, 1000, 12345] {
                pool.run(ops);
            }
            let stats = pool.run_instrumented(100);
            assert_eq!(stats.finish.len(), threads);
            #[cfg(target_os = "linux")]
            assert!(stats.cpu.is_some(), "Linux reports per-thread CPU time");
            assert!(stats.finish.iter().all(|&f| f <= stats.wall));
        }
    }

    struct Panics;
    impl Workload for Panics {
        type Worker = ();
        fn worker(&self, _: usize, _: usize) {}
        fn run(&self, _: &mut (), round: &Round) {
            assert!(round.index != 1, "boom in worker one");
        }
    }

    #[test]
    fn worker_panic_is_reported_with_the_strategy_name() {
        let err = catch_unwind(AssertUnwindSafe(|| {
            let mut pool = Pool::new("panicky", 3, Panics);
            pool.run(10);
        }))
        .unwrap_err();
        let msg = panic_message(&*err);
        assert!(
            msg.contains("panicky") && msg.contains("boom in worker one"),
            "{msg}"
        );
    }

    struct Hangs;
    impl Workload for Hangs {
        type Worker = ();
        fn worker(&self, _: usize, _: usize) {}
        fn run(&self, _: &mut (), round: &Round) {
            if round.index == 0 {
                thread::sleep(Duration::from_secs(3600));
            }
        }
    }

    #[test]
    fn hung_round_fails_with_the_strategy_name() {
        let err = catch_unwind(AssertUnwindSafe(|| {
            let mut pool = Pool::new("sleepy", 2, Hangs).with_timeout(Duration::from_millis(200));
            pool.run(2);
        }))
        .unwrap_err();
        let msg = panic_message(&*err);
        assert!(
            msg.contains("sleepy") && msg.contains("did not finish"),
            "{msg}"
        );
    }

    struct PanicsWhilePeerWaits {
        gate: AtomicBool,
    }
    impl Workload for PanicsWhilePeerWaits {
        type Worker = ();
        fn worker(&self, _: usize, _: usize) {}
        fn run(&self, _: &mut (), round: &Round) {
            if round.index == 0 {
                // Unwinding outlasts the round's deadline, as a slow panic
                // hook does (a first backtrace on a loaded machine): the
                // panic is recorded only after the main thread gave up.
                struct SlowUnwind;
                impl Drop for SlowUnwind {
                    fn drop(&mut self) {
                        thread::sleep(Duration::from_millis(500));
                    }
                }
                let _slow = SlowUnwind;
                panic!("producer died");
            }
            // Waits for a signal worker 0 never sends.
            while !self.gate.load(Acquire) {
                thread::sleep(Duration::from_millis(1));
            }
        }
    }

    #[test]
    fn panic_behind_a_hang_is_reported() {
        let err = catch_unwind(AssertUnwindSafe(|| {
            let workload = PanicsWhilePeerWaits {
                gate: AtomicBool::new(false),
            };
            let mut pool = Pool::new("stuck", 2, workload).with_timeout(Duration::from_millis(200));
            pool.run(2);
        }))
        .unwrap_err();
        let msg = panic_message(&*err);
        assert!(
            msg.contains("stuck") && msg.contains("producer died"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_answer_is_reported() {
        struct Liar;
        impl Workload for Liar {
            type Worker = ();
            fn worker(&self, _: usize, _: usize) {}
            fn run(&self, _: &mut (), _: &Round) {}
            fn after_round(&self, total: u64) {
                assert_eq!(total, 0, "lost operations");
            }
        }
        let err = catch_unwind(AssertUnwindSafe(|| Pool::new("liar", 2, Liar).run(5))).unwrap_err();
        let msg = panic_message(&*err);
        assert!(
            msg.contains("liar") && msg.contains("lost operations"),
            "{msg}"
        );
    }
}
