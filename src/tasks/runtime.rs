//! Tasks on a tokio runtime, released together: the async counterpart of
//! [`Pool`](crate::harness::Pool).
//!
//! # Round protocol
//!
//! ```text
//! main (not a runtime thread)        task i (of n), spawned once per id
//! ----                               ----------------------------------
//! total := ops                       await start.changed()   (parked, untimed)
//! start.send(epoch)            -->   arrived += 1
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
//! outside the timed region. Waking the tasks (a `watch` send) happens before
//! t0: the timed region starts when the last task has arrived, and the tasks
//! that arrived earlier "spin" with `yield_now` meanwhile, so the runtime's
//! workers are awake when it starts (the pool's spinning start barrier, in
//! async form). It ends when the last task finishes its share. The main
//! thread parks while a round runs, and idle runtime workers park, so the
//! default [`System::run_instrumented`] (the process's CPU time over the
//! round) counts the runtime's threads and any helper thread the workload
//! owns (the bridges' producer thread), and nothing else.
//!
//! `Flavor::CurrentThread` runs the tasks on a `current_thread` runtime
//! driven by one dedicated thread (`block_on`).
//!
//! A round that takes longer than the timeout fails naming the strategy; a
//! task that panics fails the round at once, naming the strategy and task.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::*};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle, Thread};
use std::time::{Duration, Instant};

use crossbeam::utils::CachePadded;
use tokio::sync::watch;

use crate::harness::{DEFAULT_ROUND_TIMEOUT, Round, System};

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

const SHUTDOWN: u64 = u64::MAX;

struct Shared<W> {
    work: W,
    tasks: usize,
    base: Instant,
    start: watch::Sender<u64>,
    total: AtomicU64,
    instrumented: AtomicBool,
    arrived: CachePadded<AtomicUsize>,
    released: CachePadded<AtomicU64>,
    done: CachePadded<AtomicUsize>,
    completed: CachePadded<AtomicU64>,
    t0: AtomicU64,
    t1: AtomicU64,
    waiter: Mutex<Option<Thread>>,
    /// A task that panicked: its index.
    panicked: Mutex<Option<usize>>,
}

impl<W> Shared<W> {
    fn ns(&self) -> u64 {
        u64::try_from(self.base.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    fn wake_main(&self) {
        if let Some(t) = self
            .waiter
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            t.unpark();
        }
    }
}

/// Records a panicking task and wakes the main thread.
struct PanicGuard<'a, W> {
    shared: &'a Shared<W>,
    index: usize,
}

impl<W> Drop for PanicGuard<'_, W> {
    fn drop(&mut self) {
        if thread::panicking() {
            *self
                .shared
                .panicked
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(self.index);
            self.shared.wake_main();
        }
    }
}

/// `rx` is subscribed before the task is spawned: one subscribed in the task
/// could already see the first round's epoch as seen, and sleep through it.
async fn task_main<W: TaskWork>(
    shared: Arc<Shared<W>>,
    index: usize,
    mut rx: watch::Receiver<u64>,
) {
    let guard = PanicGuard {
        shared: &shared,
        index,
    };
    let mut state = shared.work.task(index, shared.tasks);
    let n = shared.tasks;
    loop {
        if rx.changed().await.is_err() {
            break;
        }
        let epoch = *rx.borrow_and_update();
        if epoch == SHUTDOWN {
            break;
        }
        if shared.arrived.fetch_add(1, AcqRel) + 1 == n {
            shared.arrived.store(0, Relaxed);
            shared.t0.store(shared.ns(), Relaxed);
            shared.released.store(epoch, Release);
        } else {
            while shared.released.load(Acquire) != epoch {
                tokio::task::yield_now().await;
            }
        }
        let total = shared.total.load(Relaxed);
        let round = Round {
            total,
            ops: Round::share(total, index, n),
            index,
            threads: n,
            instrumented: shared.instrumented.load(Relaxed),
        };
        shared.work.run(&mut state, &round).await;
        shared.t1.fetch_max(shared.ns(), AcqRel);
        if shared.done.fetch_add(1, AcqRel) + 1 == n {
            shared.done.store(0, Relaxed);
            shared.completed.store(epoch, Release);
            shared.wake_main();
        }
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
    epoch: u64,
    timeout: Duration,
    poisoned: bool,
    hung: bool,
    /// Threads besides the runtime's (a bridge's producer thread).
    extra_threads: usize,
}

impl<W: TaskWork> Tasks<W> {
    /// Builds the runtime and spawns `tasks` tasks running `work`. `name`
    /// identifies the strategy in thread names and failure messages.
    pub fn new(name: impl Into<String>, flavor: Flavor, tasks: usize, work: W) -> Tasks<W> {
        assert!(tasks >= 1, "a system needs at least one task");
        let name = name.into();
        let (start, _) = watch::channel(0);
        let shared = Arc::new(Shared {
            work,
            tasks,
            base: Instant::now(),
            start,
            total: AtomicU64::new(0),
            instrumented: AtomicBool::new(false),
            arrived: CachePadded::new(AtomicUsize::new(0)),
            released: CachePadded::new(AtomicU64::new(0)),
            done: CachePadded::new(AtomicUsize::new(0)),
            completed: CachePadded::new(AtomicU64::new(0)),
            t0: AtomicU64::new(0),
            t1: AtomicU64::new(0),
            waiter: Mutex::new(None),
            panicked: Mutex::new(None),
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
            epoch: 0,
            timeout: DEFAULT_ROUND_TIMEOUT,
            poisoned: false,
            hung: false,
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
        self.timeout = timeout;
        self
    }

    /// The workload (for inspection after rounds).
    pub fn work(&self) -> &W {
        &self.shared.work
    }

    fn round(&mut self, ops: u64, instrumented: bool) -> Duration {
        assert!(
            !self.poisoned,
            "{}: runtime used after a failed round",
            self.name
        );
        let s = &*self.shared;
        *s.waiter.lock().unwrap_or_else(PoisonError::into_inner) = Some(thread::current());
        s.total.store(ops, Relaxed);
        s.instrumented.store(instrumented, Relaxed);
        s.t1.store(0, Relaxed);
        self.epoch += 1;
        s.start.send_replace(self.epoch);
        let deadline = Instant::now() + self.timeout;
        while s.completed.load(Acquire) != self.epoch {
            if let Some(i) = *s.panicked.lock().unwrap_or_else(PoisonError::into_inner) {
                self.poisoned = true;
                self.hung = true;
                panic!("{}: task {i} panicked (see its message above)", self.name);
            }
            let now = Instant::now();
            if now >= deadline {
                self.poisoned = true;
                self.hung = true;
                panic!(
                    "{}: round of {ops} operations did not finish within {:?} \
                     (deadlock or lost wake-up)",
                    self.name, self.timeout
                );
            }
            thread::park_timeout(deadline - now);
        }
        let t0 = s.t0.load(Relaxed);
        let t1 = s.t1.load(Acquire);
        let elapsed = Duration::from_nanos(t1.saturating_sub(t0));
        let check =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| s.work.after_round(ops)));
        if let Err(e) = check {
            self.poisoned = true;
            panic!(
                "{}: wrong answer after a round of {ops} operations ({:?} runtime): {}",
                self.name,
                self.flavor,
                crate::harness::panic_message(&*e)
            );
        }
        elapsed
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
        self.timeout = timeout;
    }

    fn worker_threads(&self) -> Option<usize> {
        Some(self.flavor.workers() + self.extra_threads)
    }
}

impl<W: TaskWork> Drop for Tasks<W> {
    fn drop(&mut self) {
        self.shared.start.send_replace(SHUTDOWN);
        if let Some((stop, h)) = self.driver.take() {
            let _ = stop.send(());
            if !self.hung {
                let _ = h.join();
            }
        }
        if let Some(rt) = self.rt.take() {
            match Arc::try_unwrap(rt) {
                Ok(rt) if self.hung => rt.shutdown_background(),
                Ok(rt) => rt.shutdown_timeout(Duration::from_secs(10)),
                Err(_) => {}
            }
        }
    }
}
