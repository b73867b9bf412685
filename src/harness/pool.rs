//! Persistent worker threads released together: the harness's timing core.
//!
//! # Round protocol
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
//! # Under loom
//!
//! The protocol's atomics, mutexes, threads, park/unpark, yields and spin
//! hints come from [`crate::primitive`], which is loom's under `--cfg loom`,
//! so `tests/loom.rs` model-checks this very code. Timing stays out of the
//! protocol, in the private `timing` module: the clock (`Instant`; a logical
//! clock under loom), the round deadline (`park_timeout`; a plain `park`
//! under loom, where a lost wake-up is a deadlock loom reports) and CPU-time
//! reads (none under loom). Without `--cfg loom` the code is exactly what is
//! benchmarked; the loom-only additions (a probe of the barrier's clock
//! readings, and deliberately broken variants of the protocol, `Fault`) are
//! `#[cfg(loom)]`. Shutdown joins every worker unless a round hung.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use crossbeam::utils::CachePadded;

use crate::primitive::hint::spin_loop;
use crate::primitive::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::*};
use crate::primitive::sync::{Mutex, lock};
use crate::primitive::thread::{self, JoinHandle, Thread};

use timing::{Clock, Deadline};
pub(crate) use timing::{process_cpu_time, thread_cpu_time};

/// What one worker thread is asked to do in one round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Round {
    /// Logical operations of the whole system in this round.
    pub total: u64,
    /// This thread's even share of `total` (`total / threads`, the first
    /// `total % threads` threads get one more).
    pub ops: u64,
    /// This worker's index, `0..threads`.
    pub index: usize,
    /// Worker threads in the pool.
    pub threads: usize,
    /// Whether this is the extras pass (CPU time, latency histograms) rather
    /// than a round timed for criterion.
    pub instrumented: bool,
}

impl Round {
    /// The even share of `total` for worker `index` of `threads`.
    pub fn share(total: u64, index: usize, threads: usize) -> u64 {
        let n = threads as u64;
        total / n + u64::from((index as u64) < total % n)
    }
}

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
/// CPU time from its wake-up to done, finish (ns since the pool's base).
type WorkerStats = (usize, Option<Duration>, Option<Duration>, u64);

/// How long a round past its deadline waits for a worker's panic to be
/// recorded before it is reported as a plain hang. A worker records its panic
/// only after the panic hook has printed it, and with `RUST_BACKTRACE` set a
/// first backtrace (symbols read from the binary, other panics' output in the
/// way) can take longer than a short round timeout on a loaded machine. Paid
/// only by a round that has already failed; a recorded panic ends it early.
const PANIC_GRACE: Duration = Duration::from_secs(5);

/// Default bound on one round; a round that takes longer is reported as a
/// hang (deadlock or lost wake-up) naming the strategy.
pub const DEFAULT_ROUND_TIMEOUT: Duration = Duration::from_secs(120);

/// Worker threads, created once per benchmark id and reused for every round.
pub struct Pool<W: Workload> {
    shared: Arc<Shared<W>>,
    handles: Vec<JoinHandle<()>>,
    name: String,
    epoch: u64,
    timeout: Duration,
    /// A round failed (the pool refuses further rounds).
    poisoned: bool,
    /// A round did not finish within the timeout: workers may be stuck in
    /// the strategy, so shutdown does not join them.
    hung: bool,
}

struct Shared<W> {
    workload: W,
    threads: usize,
    /// Time base of `t0` and `t1`.
    clock: Clock,
    epoch: CachePadded<AtomicU64>,
    total: AtomicU64,
    instrumented: AtomicBool,
    shutdown: AtomicBool,
    arrived: CachePadded<AtomicUsize>,
    released: CachePadded<AtomicU64>,
    done: CachePadded<AtomicUsize>,
    completed: CachePadded<AtomicU64>,
    /// Release time, ns since `base`.
    t0: AtomicU64,
    /// Latest finish time, ns since `base`.
    t1: AtomicU64,
    waiter: Mutex<Option<Thread>>,
    panic: Mutex<Option<(usize, String)>>,
    /// Per worker in an instrumented round: index, CPU time in the timed
    /// region, CPU time from wake-up to done, finish time.
    stats: Mutex<Vec<WorkerStats>>,
    /// Loom only: the deliberately broken variant to run, if any.
    #[cfg(loom)]
    fault: std::sync::OnceLock<Fault>,
    /// Loom only: each worker's clock reading on arrival at the start
    /// barrier in the latest round.
    #[cfg(loom)]
    arrivals: Box<[AtomicU64]>,
    /// Loom only: each worker's clock reading on release, just before its
    /// timed run, in the latest round.
    #[cfg(loom)]
    starts: Box<[AtomicU64]>,
}

impl<W> Shared<W> {
    /// Stamps the release time; the last arrival does, once every worker
    /// has arrived.
    #[inline(always)]
    fn stamp_t0(&self) {
        #[cfg(loom)]
        if self.fault() == Some(Fault::StampBeforeLastArrival) {
            return;
        }
        self.t0.store(self.clock.ns(), Relaxed);
    }

    /// The last finisher: publishes the round's completion, then wakes the
    /// main thread (in this order: the main thread parks until it reads
    /// `completed`, so a wake-up before the store could be consumed by a
    /// park that then sleeps through the store).
    #[inline]
    fn complete(&self, epoch: u64) {
        #[cfg(loom)]
        if self.fault() == Some(Fault::UnparkBeforeCompleted) {
            self.wake_main();
            self.completed.store(epoch, Release);
            return;
        }
        self.completed.store(epoch, Release);
        self.wake_main();
    }

    fn wake_main(&self) {
        if let Some(t) = lock(&self.waiter).as_ref() {
            t.unpark();
        }
    }

    #[cfg(loom)]
    fn fault(&self) -> Option<Fault> {
        self.fault.get().copied()
    }
}

/// Loom only: a deliberately broken variant of the round protocol, which the
/// loom models must catch (`tests/loom.rs`).
#[cfg(loom)]
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The last finisher unparks the main thread before it stores
    /// `completed`: a lost wake-up.
    UnparkBeforeCompleted,
    /// A worker that is not the last to arrive stamps t0: the timed region
    /// would start before every worker is there.
    StampBeforeLastArrival,
}

/// Loom only: the clock readings of the latest round's start barrier (a
/// logical clock: readings are ordered as happens-before orders them).
#[cfg(loom)]
#[doc(hidden)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    /// The release time the pool's timed region starts from.
    pub t0: u64,
    /// Per worker: its arrival at the barrier.
    pub arrivals: Vec<u64>,
    /// Per worker: its release, just before its timed run.
    pub starts: Vec<u64>,
}

impl<W: Workload> Pool<W> {
    /// Spawns `threads` workers for `workload`. `name` identifies the
    /// strategy in thread names and in failure messages.
    pub fn new(name: impl Into<String>, threads: usize, workload: W) -> Pool<W> {
        assert!(threads >= 1, "a pool needs at least one worker thread");
        let name = name.into();
        let shared = Arc::new(Shared {
            workload,
            threads,
            clock: Clock::start(),
            epoch: CachePadded::new(AtomicU64::new(0)),
            total: AtomicU64::new(0),
            instrumented: AtomicBool::new(false),
            shutdown: AtomicBool::new(false),
            arrived: CachePadded::new(AtomicUsize::new(0)),
            released: CachePadded::new(AtomicU64::new(0)),
            done: CachePadded::new(AtomicUsize::new(0)),
            completed: CachePadded::new(AtomicU64::new(0)),
            t0: AtomicU64::new(0),
            t1: AtomicU64::new(0),
            waiter: Mutex::new(None),
            panic: Mutex::new(None),
            stats: Mutex::new(Vec::new()),
            #[cfg(loom)]
            fault: std::sync::OnceLock::new(),
            #[cfg(loom)]
            arrivals: (0..threads).map(|_| AtomicU64::new(0)).collect(),
            #[cfg(loom)]
            starts: (0..threads).map(|_| AtomicU64::new(0)).collect(),
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
            epoch: 0,
            timeout: DEFAULT_ROUND_TIMEOUT,
            poisoned: false,
            hung: false,
        }
    }

    /// Sets the bound after which a round is declared hung.
    pub fn with_timeout(mut self, timeout: Duration) -> Pool<W> {
        self.timeout = timeout;
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
        assert!(self.shared.fault.set(fault).is_ok(), "one fault per pool");
        self
    }

    /// Loom only: the latest round's barrier clock readings.
    #[cfg(loom)]
    #[doc(hidden)]
    pub fn probe(&self) -> Probe {
        let s = &*self.shared;
        let read = |v: &[AtomicU64]| v.iter().map(|a| a.load(Relaxed)).collect();
        Probe {
            t0: s.t0.load(Relaxed),
            arrivals: read(&s.arrivals),
            starts: read(&s.starts),
        }
    }

    /// After a round's deadline: the first worker panic, waiting up to
    /// [`PANIC_GRACE`] for one still being printed by the panic hook.
    fn panic_after_hang(&self) -> Option<(usize, String)> {
        let s = &*self.shared;
        let grace = Deadline::after(PANIC_GRACE);
        loop {
            if let Some(p) = lock(&s.panic).take() {
                return Some(p);
            }
            if !grace.park() {
                return None;
            }
        }
    }

    fn round(&mut self, ops: u64, instrumented: bool) -> Duration {
        assert!(
            !self.poisoned,
            "{}: pool used after a failed round",
            self.name
        );
        let s = &*self.shared;
        *lock(&s.waiter) = Some(thread::current());
        s.total.store(ops, Relaxed);
        s.instrumented.store(instrumented, Relaxed);
        s.t1.store(0, Relaxed);
        self.epoch += 1;
        s.epoch.store(self.epoch, Release);
        for h in &self.handles {
            h.thread().unpark();
        }
        let deadline = Deadline::after(self.timeout);
        while s.completed.load(Acquire) != self.epoch {
            if !deadline.park() {
                self.poisoned = true;
                self.hung = true;
                // A worker that panicked may have left its peers waiting for
                // it: report its panic rather than only the hang.
                let cause = match self.panic_after_hang() {
                    Some((index, msg)) => format!("; worker {index} panicked first: {msg}"),
                    None => " (deadlock or lost wake-up)".to_string(),
                };
                panic!(
                    "{} (threads={}): a round of {ops} operations did not finish within {:?}{cause}",
                    self.name, s.threads, self.timeout
                );
            }
        }
        if let Some((index, msg)) = lock(&s.panic).take() {
            self.poisoned = true;
            panic!(
                "{} (threads={}): worker {index} panicked: {msg}",
                self.name, s.threads
            );
        }
        let elapsed = s.t1.load(Relaxed).saturating_sub(s.t0.load(Relaxed));
        if let Err(p) = catch_unwind(AssertUnwindSafe(|| s.workload.after_round(ops))) {
            self.poisoned = true;
            panic!(
                "{} (threads={}): wrong answer after {ops} operations: {}",
                self.name,
                s.threads,
                panic_message(&*p)
            );
        }
        Duration::from_nanos(elapsed)
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
        let t0 = self.shared.t0.load(Relaxed);
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

    fn set_round_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    fn worker_threads(&self) -> Option<usize> {
        Some(self.shared.threads)
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
        let s = &*self.shared;
        s.shutdown.store(true, Release);
        s.epoch.store(self.epoch + 1, Release);
        for h in &self.handles {
            h.thread().unpark();
        }
        if self.hung {
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
    let mut worker = catch_unwind(AssertUnwindSafe(|| s.workload.worker(index, s.threads)))
        .map_err(|p| format!("while creating its state: {}", panic_message(&*p)));
    let mut seen = 0;
    loop {
        seen = wait_for_change(&s.epoch, seen);
        if s.shutdown.load(Acquire) {
            return;
        }
        let total = s.total.load(Relaxed);
        let instrumented = s.instrumented.load(Relaxed);
        let cpu_wake = if instrumented {
            thread_cpu_time()
        } else {
            None
        };
        let round = Round {
            total,
            ops: Round::share(total, index, s.threads),
            index,
            threads: s.threads,
            instrumented,
        };

        // Start barrier: the last arrival stamps t0 and releases everyone.
        #[cfg(loom)]
        s.arrivals[index].store(s.clock.ns(), Relaxed);
        if s.arrived.fetch_add(1, AcqRel) + 1 == s.threads {
            s.arrived.store(0, Relaxed);
            s.stamp_t0();
            s.released.store(seen, Release);
        } else {
            #[cfg(loom)]
            if s.fault() == Some(Fault::StampBeforeLastArrival) {
                s.t0.store(s.clock.ns(), Relaxed);
            }
            spin_until(|| s.released.load(Acquire) == seen);
        }
        #[cfg(loom)]
        s.starts[index].store(s.clock.ns(), Relaxed);

        let cpu_start = if instrumented {
            thread_cpu_time()
        } else {
            None
        };
        let outcome = match &mut worker {
            Ok(w) => catch_unwind(AssertUnwindSafe(|| s.workload.run(w, &round)))
                .map_err(|p| panic_message(&*p)),
            Err(msg) => Err(msg.clone()),
        };
        let end = s.clock.ns();
        s.t1.fetch_max(end, Relaxed);
        if instrumented {
            let now = thread_cpu_time();
            let cpu = cpu_start.zip(now).map(|(a, b)| b.saturating_sub(a));
            let full = cpu_wake.zip(now).map(|(a, b)| b.saturating_sub(a));
            lock(&s.stats).push((index, cpu, full, end));
        }
        if let Err(msg) = outcome {
            lock(&s.panic).get_or_insert((index, msg));
            // A main thread already past its deadline waits for this.
            s.wake_main();
        }

        // The last finisher completes the round and wakes the main thread.
        if s.done.fetch_add(1, AcqRel) + 1 == s.threads {
            s.done.store(0, Relaxed);
            s.complete(seen);
        }
    }
}

/// Spins before a waiting thread yields (and, waiting for an epoch, yields
/// before it parks). Under loom one of each: every spin is a yield to loom's
/// scheduler, and more would only multiply the interleavings it explores.
const SPINS: u32 = if cfg!(loom) { 1 } else { 64 };

/// Waits until `epoch` differs from `seen`: spin briefly, then yield, then
/// park (the main thread unparks every worker after bumping the epoch).
fn wait_for_change(epoch: &AtomicU64, seen: u64) -> u64 {
    let mut spins = 0u32;
    loop {
        let e = epoch.load(Acquire);
        if e != seen {
            return e;
        }
        if spins < SPINS {
            spin_loop();
        } else if spins < 2 * SPINS {
            thread::yield_now();
        } else {
            thread::park();
        }
        spins = spins.saturating_add(1);
    }
}

/// Spins on `cond`, yielding the core after a short while so that an
/// oversubscribed machine still schedules the threads being waited for.
fn spin_until(mut cond: impl FnMut() -> bool) {
    let mut spins = 0u32;
    while !cond() {
        if spins < SPINS {
            spin_loop();
            spins += 1;
        } else {
            thread::yield_now();
        }
    }
}

/// The message of a panic payload.
pub(crate) fn panic_message(p: &(dyn Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_string()
    }
}

/// Every clock the pool reads, kept apart from the round protocol: real
/// time, or under loom (which has no time) a stand-in.
#[cfg(not(loom))]
mod timing {
    use std::time::{Duration, Instant};

    /// Nanoseconds since the pool was built.
    pub(super) struct Clock(Instant);

    impl Clock {
        pub(super) fn start() -> Clock {
            Clock(Instant::now())
        }

        /// Nanoseconds since [`Clock::start`].
        #[inline(always)]
        pub(super) fn ns(&self) -> u64 {
            u64::try_from(self.0.elapsed().as_nanos()).unwrap_or(u64::MAX)
        }
    }

    /// When a round is declared hung.
    pub(super) struct Deadline(Instant);

    impl Deadline {
        pub(super) fn after(timeout: Duration) -> Deadline {
            Deadline(Instant::now() + timeout)
        }

        /// Parks until unparked (or spuriously woken) or the deadline;
        /// `false`, without parking, once the deadline has passed.
        #[inline]
        pub(super) fn park(&self) -> bool {
            let now = Instant::now();
            if now >= self.0 {
                return false;
            }
            std::thread::park_timeout(self.0 - now);
            true
        }
    }

    /// CPU time of the whole process so far, all threads together.
    pub(crate) fn process_cpu_time() -> Option<Duration> {
        cpu_time::ProcessTime::try_now()
            .ok()
            .map(|t| t.as_duration())
    }

    /// This thread's CPU time so far, where the OS reports it
    /// (`CLOCK_THREAD_CPUTIME_ID` on Unix, which includes the running time
    /// slice).
    pub(crate) fn thread_cpu_time() -> Option<Duration> {
        cpu_time::ThreadTime::try_now()
            .ok()
            .map(|t| t.as_duration())
    }
}

/// Loom's stand-ins for the pool's clocks.
#[cfg(loom)]
mod timing {
    use std::time::Duration;

    use crate::primitive::sync::atomic::{AtomicU64, Ordering::Relaxed};

    /// A logical clock: each reading is a `Relaxed` increment of one counter,
    /// so readings follow the counter's modification order, which agrees
    /// with happens-before, and the clock adds no synchronization of its own.
    pub(super) struct Clock(AtomicU64);

    impl Clock {
        pub(super) fn start() -> Clock {
            Clock(AtomicU64::new(0))
        }

        pub(super) fn ns(&self) -> u64 {
            self.0.fetch_add(1, Relaxed) + 1
        }
    }

    /// No deadline: the main thread parks until it is unparked, so a lost
    /// wake-up is a deadlock, which loom reports.
    pub(super) struct Deadline;

    impl Deadline {
        pub(super) fn after(_timeout: Duration) -> Deadline {
            Deadline
        }

        pub(super) fn park(&self) -> bool {
            crate::primitive::thread::park();
            true
        }
    }

    pub(crate) fn process_cpu_time() -> Option<Duration> {
        None
    }

    pub(crate) fn thread_cpu_time() -> Option<Duration> {
        None
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
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
