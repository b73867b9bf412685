//! Tasks on a tokio runtime, released together: the async counterpart of
//! [`Pool`](crate::harness::Pool), running the same round protocol
//! (`src/harness/round.rs`) with tasks for threads.
//!
//! # Round protocol
//!
//! ```text
//! main (not a runtime thread)        task i (of n), spawned once per id
//! ----                               ----------------------------------
//! total := ops                       await start.changed()   (parked, untimed)
//! epoch += 1, start.send(())   -->   arrived += 1
//! park until completed               the n-th arrival: t0 := now, released := epoch
//!                                    others: yield_now() until released == epoch
//!                                    ---- timed: work.run(share of ops).await ----
//!                                    t1 := max(t1, now); done += 1
//!                                    the n-th finisher: completed := epoch, unpark main
//! elapsed := t1 - t0
//! work.after_round(ops)              (checks the answer; not timed)
//! ```
//!
//! The runtime is built and the tasks are spawned once per benchmark id,
//! outside the timed region. The round (its epoch and operations) is
//! published in the shared protocol state and a `watch` wakes the tasks;
//! waking them happens before t0: the timed region starts when the last task
//! has arrived, and the tasks that arrived earlier "spin" with `yield_now`
//! meanwhile, so the runtime's workers are awake when it starts (the pool's
//! spinning start barrier, in async form). It ends when the last task
//! finishes its share. The main thread parks while a round runs, and idle
//! runtime workers park, so the default [`System::run_instrumented`] (the
//! process's CPU time over the round) counts the runtime's threads and any
//! helper thread the workload owns (the bridges' producer thread), and
//! nothing else.
//!
//! What is the runtime's own: building the runtime and spawning the tasks,
//! waking them (the `watch`), the async waits, and shutting the runtime
//! down.
//!
//! `Flavor::CurrentThread` runs the tasks on a `current_thread` runtime
//! driven by one dedicated thread (`block_on`).
//!
//! A round that takes longer than the timeout fails naming the strategy; a
//! task that panics leaves the round (tokio drops it), which fails the round
//! at once, naming the strategy and task.

use std::future::Future;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use tokio::sync::watch;

use crate::harness::{Coordinator, Failure, Next, Protocol, Round, System};

/// The work the tasks of a [`Tasks`] system do.
pub trait TaskWork: Send + Sync + 'static {
    /// Per-task state (a channel end, a random stream), created in the task
    /// before the first round.
    type Task: Send + 'static;

    /// Creates task `index`'s state (of `tasks`). Not timed.
    fn task(&self, index: usize, tasks: usize) -> Self::Task;

    /// This task's part of a round. Timed. When every task has returned,
    /// the round's `total` operations must be complete.
    fn run(&self, task: &mut Self::Task, round: &Round) -> impl Future<Output = ()> + Send;

    /// Checks the answer after a round of `total` operations; panics if it
    /// is wrong. Not timed.
    fn after_round(&self, total: u64) {
        let _ = total;
    }

    /// Workload-specific measurements (latency percentiles) for the sidecar.
    fn extras(&self) -> Option<serde_json::Value> {
        None
    }
}

/// Which tokio runtime runs the tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// `new_multi_thread().worker_threads(n)`.
    MultiThread(usize),
    /// `new_current_thread()`, driven by one thread.
    CurrentThread,
}

impl Flavor {
    /// Runtime threads: the benchmark parameter.
    pub fn workers(self) -> usize {
        match self {
            Flavor::MultiThread(n) => n,
            Flavor::CurrentThread => 1,
        }
    }

    /// The flavours of a thread axis: one multi-thread runtime per axis
    /// point, then `current_thread`.
    pub fn axis(threads: &[usize]) -> Vec<Flavor> {
        let mut v: Vec<Flavor> = threads.iter().map(|&n| Flavor::MultiThread(n)).collect();
        v.push(Flavor::CurrentThread);
        v
    }
}

struct Shared<W> {
    work: W,
    protocol: Protocol,
    /// Rings once the main thread has published a round (or shutdown) in
    /// `protocol`: the tasks' wake-up.
    start: watch::Sender<()>,
}

/// Makes a panicking task leave the round (tokio drops it), which wakes the
/// main thread.
struct PanicGuard<'a> {
    protocol: &'a Protocol,
    index: usize,
}

impl Drop for PanicGuard<'_> {
    fn drop(&mut self) {
        if thread::panicking() {
            self.protocol.leave(self.index);
        }
    }
}

/// `rx` is subscribed before the task is spawned: one subscribed in the task
/// could already see the first round's ring as seen, and sleep through it.
async fn task_main<W: TaskWork>(shared: Arc<Shared<W>>, index: usize, mut rx: watch::Receiver<()>) {
    let p = &shared.protocol;
    let guard = PanicGuard { protocol: p, index };
    let mut state = shared.work.task(index, p.threads());
    let mut seen = 0;
    loop {
        if rx.changed().await.is_err() {
            break;
        }
        let epoch = match p.next(seen) {
            Next::Round(epoch) => epoch,
            Next::Shutdown => break,
            Next::Pending => continue,
        };
        seen = epoch;
        let round = p.round(index);
        // Start barrier: the last arrival stamps t0 and releases everyone.
        if !p.arrive(index, epoch) {
            while !p.released(epoch) {
                tokio::task::yield_now().await;
            }
        }
        p.started(index);
        shared.work.run(&mut state, &round).await;
        p.stamp_finish();
        // The last finisher completes the round and wakes the main thread.
        p.finish(epoch);
    }
    drop(guard);
}

/// A tokio runtime and its tasks, spawned once; see the module docs.
pub struct Tasks<W: TaskWork> {
    name: String,
    flavor: Flavor,
    shared: Arc<Shared<W>>,
    rt: Option<Arc<tokio::runtime::Runtime>>,
    driver: Option<(tokio::sync::oneshot::Sender<()>, JoinHandle<()>)>,
    /// The main thread's side of the round protocol (epoch, timeout, and
    /// whether a round failed or hung).
    rounds: Coordinator,
    /// Threads besides the runtime's (a bridge's producer thread).
    extra_threads: usize,
}

impl<W: TaskWork> Tasks<W> {
    /// Builds the runtime and spawns `tasks` tasks running `work`. `name`
    /// identifies the strategy in thread names and failure messages.
    pub fn new(name: impl Into<String>, flavor: Flavor, tasks: usize, work: W) -> Tasks<W> {
        assert!(tasks >= 1, "a system needs at least one task");
        let name = name.into();
        let (start, _) = watch::channel(());
        let shared = Arc::new(Shared {
            work,
            protocol: Protocol::new(tasks),
            start,
        });
        let mut builder = match flavor {
            Flavor::MultiThread(n) => {
                let mut b = tokio::runtime::Builder::new_multi_thread();
                b.worker_threads(n);
                b
            }
            Flavor::CurrentThread => tokio::runtime::Builder::new_current_thread(),
        };
        let rt = Arc::new(
            builder
                .thread_name(format!("{name}-rt"))
                .build()
                .unwrap_or_else(|e| panic!("{name}: cannot build the runtime: {e}")),
        );
        for i in 0..tasks {
            rt.spawn(task_main(Arc::clone(&shared), i, shared.start.subscribe()));
        }
        let driver = (flavor == Flavor::CurrentThread).then(|| {
            let (stop, wait) = tokio::sync::oneshot::channel::<()>();
            let rt = Arc::clone(&rt);
            let h = thread::Builder::new()
                .name(format!("{name}-ct"))
                .spawn(move || {
                    let _ = rt.block_on(wait);
                })
                .unwrap_or_else(|e| panic!("{name}: cannot spawn the runtime's driver: {e}"));
            (stop, h)
        });
        Tasks {
            name,
            flavor,
            shared,
            rt: Some(rt),
            driver,
            // No grace past a deadline: a task's panic fails the round as
            // soon as it is recorded (the task leaves), and a hung round is
            // reported at its deadline.
            rounds: Coordinator::new(Duration::ZERO),
            extra_threads: 0,
        }
    }

    /// Records `n` threads the workload runs besides the runtime's.
    pub fn with_extra_threads(mut self, n: usize) -> Tasks<W> {
        self.extra_threads = n;
        self
    }

    /// The bound after which a round is declared hung.
    pub fn with_timeout(mut self, timeout: Duration) -> Tasks<W> {
        self.rounds.set_timeout(timeout);
        self
    }

    /// The workload (for inspection after rounds).
    pub fn work(&self) -> &W {
        &self.shared.work
    }

    fn round(&mut self, ops: u64, instrumented: bool) -> Duration {
        let s = &*self.shared;
        let outcome = self.rounds.run(
            &s.protocol,
            ops,
            instrumented,
            || {
                s.start.send_replace(());
            },
            || s.work.after_round(ops),
        );
        let name = &self.name;
        match outcome {
            Ok(elapsed) => elapsed,
            Err(Failure::Reused) => panic!("{name}: runtime used after a failed round"),
            Err(Failure::Left { index }) => {
                panic!("{name}: task {index} panicked (see its message above)")
            }
            // Tasks do not catch their panics; kept for completeness.
            Err(Failure::Panicked { index, message }) => {
                panic!("{name}: task {index} panicked: {message}")
            }
            Err(Failure::Hung { timeout, .. }) => panic!(
                "{name}: round of {ops} operations did not finish within {timeout:?} \
                 (deadlock or lost wake-up)"
            ),
            Err(Failure::WrongAnswer(msg)) => panic!(
                "{name}: wrong answer after a round of {ops} operations ({:?} runtime): {msg}",
                self.flavor
            ),
        }
    }
}

impl<W: TaskWork> System for Tasks<W> {
    fn run(&mut self, ops: u64) -> Duration {
        self.round(ops, false)
    }

    fn run_instrumented(&mut self, ops: u64) -> crate::harness::RoundStats {
        let p0 = crate::harness::process_cpu_time();
        let wall = self.round(ops, true);
        let cpu = p0
            .zip(crate::harness::process_cpu_time())
            .map(|(a, b)| b.saturating_sub(a));
        crate::harness::RoundStats {
            ops,
            wall,
            cpu,
            ..Default::default()
        }
    }

    fn extras(&self) -> Option<serde_json::Value> {
        self.shared.work.extras()
    }

    fn set_round_timeout(&mut self, timeout: Duration) {
        self.rounds.set_timeout(timeout);
    }

    fn worker_threads(&self) -> Option<usize> {
        Some(self.flavor.workers() + self.extra_threads)
    }
}

impl<W: TaskWork> Drop for Tasks<W> {
    fn drop(&mut self) {
        let s = &*self.shared;
        self.rounds.shutdown(&s.protocol, || {
            s.start.send_replace(());
        });
        let hung = self.rounds.hung();
        if let Some((stop, h)) = self.driver.take() {
            let _ = stop.send(());
            if !hung {
                let _ = h.join();
            }
        }
        if let Some(rt) = self.rt.take() {
            match Arc::try_unwrap(rt) {
                Ok(rt) if hung => rt.shutdown_background(),
                Ok(rt) => rt.shutdown_timeout(Duration::from_secs(10)),
                Err(_) => {}
            }
        }
    }
}
