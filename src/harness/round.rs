//! The round protocol: one round of a system whose participants (the
//! [`Pool`](super::Pool)'s worker threads, or the tasks of a tokio
//! [`Tasks`](crate::tasks::Tasks) system) are released together and timed
//! from that release until the last of them finishes.
//!
//! ```text
//! main (Coordinator)                   participant i (of n)
//! ----                                 --------------------
//! total := ops, t1 := 0                wait for the next epoch      (untimed)
//! epoch += 1; wake the participants -> round := total's share
//! park until completed                 arrived += 1
//!                                      the n-th arrival: t0 := now, released := epoch
//!                                      others wait until released == epoch
//!                                      ---- timed: its share of the round ----
//!                                      t1 := max(t1, now); done += 1
//!                                      the n-th finisher: completed := epoch, unpark main
//! elapsed := t1 - t0
//! check the answer                     (not timed)
//! ```
//!
//! The shared state is a [`Protocol`]; the main thread's side (the epoch,
//! the round timeout, what a failed round leaves behind) is a
//! [`Coordinator`]. Two things are the system's own, because threads and
//! tasks do them differently: how participants are woken and wait for the
//! next epoch (a pool's workers spin, yield, then park, and the main thread
//! unparks them; a task awaits a `watch` the main thread sends on), and how
//! a participant waits at the start barrier (a thread spins on
//! [`Protocol::released`]; a task `yield_now()`s). Threads use the blocking
//! forms here ([`Protocol::wait_next`], [`Protocol::barrier`]); a task uses
//! [`Protocol::next`], [`Protocol::arrive`] and [`Protocol::released`]
//! with its own awaits in between.
//!
//! Nothing here is async or tokio's, so this module builds under
//! `--cfg loom`, where `tests/loom.rs` model-checks it once, through the
//! pool's models and a model of the path only tasks take
//! ([`Protocol::leave`]).
//!
//! # Failures
//!
//! A participant that panics either finishes the round anyway, its panic
//! recorded ([`Protocol::record_panic`]: a pool worker catches the panic
//! around its run), or leaves the round ([`Protocol::leave`]: tokio drops a
//! task that panics, so the round can no longer complete). The main thread
//! parks until the round completes, a participant leaves, or the round
//! timeout passes; a panic that is recorded only after the deadline (a slow
//! panic hook) is waited for up to the coordinator's grace. What failed is a
//! [`Failure`], which each system words in its own panic message.
//!
//! # Under loom
//!
//! The protocol's atomics, mutexes, threads, park/unpark, yields and spin
//! hints come from [`crate::primitive`], which is loom's under `--cfg loom`.
//! Timing stays out of the protocol, in the private `timing` module: the
//! clock (`Instant`; a logical clock under loom), the round deadline
//! (`park_timeout`; a plain `park` under loom, where a lost wake-up is a
//! deadlock loom reports) and CPU-time reads (none under loom). Without
//! `--cfg loom` the code is exactly what is benchmarked; the loom-only
//! additions (a probe of the barrier's clock readings, `Probe`, and
//! deliberately broken variants of the protocol, `Fault`) are
//! `#[cfg(loom)]`.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use crossbeam::utils::CachePadded;

use crate::primitive::hint::spin_loop;
use crate::primitive::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::*};
use crate::primitive::sync::{Mutex, lock};
use crate::primitive::thread::{self, Thread};

use timing::{Clock, Deadline};
pub(crate) use timing::{process_cpu_time, thread_cpu_time};

/// What one worker thread (or task) is asked to do in one round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Round {
    /// Logical operations of the whole system in this round.
    pub total: u64,
    /// This thread's even share of `total` (`total / threads`, the first
    /// `total % threads` threads get one more).
    pub ops: u64,
    /// This worker's index, `0..threads`.
    pub index: usize,
    /// Worker threads in the pool (tasks in a tokio system).
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

/// How long a round past its deadline waits for a worker's panic to be
/// recorded before it is reported as a plain hang (the pool's grace). A worker
/// records its panic only after the panic hook has printed it, and with
/// `RUST_BACKTRACE` set a first backtrace (symbols read from the binary,
/// other panics' output in the way) can take longer than a short round
/// timeout on a loaded machine. Paid only by a round that has already failed;
/// a recorded panic ends it early.
pub const PANIC_GRACE: Duration = Duration::from_secs(5);

/// Default bound on one round; a round that takes longer is reported as a
/// hang (deadlock or lost wake-up) naming the strategy.
pub const DEFAULT_ROUND_TIMEOUT: Duration = Duration::from_secs(120);

/// No participant has left the round ([`Protocol::leave`]).
const NOBODY: usize = usize::MAX;

/// The state a round's participants and its main thread share.
pub struct Protocol {
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
    /// Release time, ns since the clock's start.
    t0: AtomicU64,
    /// Latest finish time, ns since the clock's start.
    t1: AtomicU64,
    waiter: Mutex<Option<Thread>>,
    /// The first panic a participant caught and recorded: its index and
    /// message.
    panic: Mutex<Option<(usize, String)>>,
    /// The first participant that left a round ([`NOBODY`] if none). On a
    /// line of its own: the main thread reads it after every wake-up.
    left: CachePadded<AtomicUsize>,
    /// Loom only: the deliberately broken variant to run, if any.
    #[cfg(loom)]
    fault: std::sync::OnceLock<Fault>,
    /// Loom only: each participant's clock reading on arrival at the start
    /// barrier in the latest round.
    #[cfg(loom)]
    arrivals: Box<[AtomicU64]>,
    /// Loom only: each participant's clock reading on release, just before
    /// its timed run, in the latest round.
    #[cfg(loom)]
    starts: Box<[AtomicU64]>,
}

/// What a participant waiting for the next round finds ([`Protocol::next`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// The round of this epoch has been published.
    Round(u64),
    /// The system is shutting down: the participant exits.
    Shutdown,
    /// Nothing new since the epoch it has seen.
    Pending,
}

impl Protocol {
    /// The state of a system of `threads` participants (threads or tasks).
    pub fn new(threads: usize) -> Protocol {
        assert!(threads >= 1, "a round needs at least one participant");
        Protocol {
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
            left: CachePadded::new(AtomicUsize::new(NOBODY)),
            #[cfg(loom)]
            fault: std::sync::OnceLock::new(),
            #[cfg(loom)]
            arrivals: (0..threads).map(|_| AtomicU64::new(0)).collect(),
            #[cfg(loom)]
            starts: (0..threads).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// Participants in every round.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Whether a round other than `seen`, or shutdown, has been published.
    #[inline]
    pub fn next(&self, seen: u64) -> Next {
        let e = self.epoch.load(Acquire);
        if e == seen {
            Next::Pending
        } else if self.shutdown.load(Acquire) {
            Next::Shutdown
        } else {
            Next::Round(e)
        }
    }

    /// A thread's wait for the round after `seen`: spin briefly, then
    /// yield, then park (the main thread unparks every worker after
    /// publishing). `None` at shutdown.
    pub fn wait_next(&self, seen: u64) -> Option<u64> {
        let mut spins = 0u32;
        loop {
            match self.next(seen) {
                Next::Round(e) => return Some(e),
                Next::Shutdown => return None,
                Next::Pending => {}
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

    /// Participant `index`'s part of the published round. Read before the
    /// start barrier, so that the timed region does not.
    #[inline]
    pub fn round(&self, index: usize) -> Round {
        let total = self.total.load(Relaxed);
        Round {
            total,
            ops: Round::share(total, index, self.threads),
            index,
            threads: self.threads,
            instrumented: self.instrumented.load(Relaxed),
        }
    }

    /// Participant `index` arrives at the start barrier of round `epoch`.
    /// The last to arrive stamps t0 and releases everyone, and gets `true`;
    /// the others get `false` and wait until [`released`](Self::released).
    #[inline]
    pub fn arrive(&self, index: usize, epoch: u64) -> bool {
        #[cfg(loom)]
        self.arrivals[index].store(self.clock.ns(), Relaxed);
        #[cfg(not(loom))]
        let _ = index;
        if self.arrived.fetch_add(1, AcqRel) + 1 == self.threads {
            self.arrived.store(0, Relaxed);
            self.stamp_t0();
            self.released.store(epoch, Release);
            true
        } else {
            #[cfg(loom)]
            if self.fault() == Some(Fault::StampBeforeLastArrival) {
                self.t0.store(self.clock.ns(), Relaxed);
            }
            false
        }
    }

    /// Whether round `epoch` has been released.
    #[inline(always)]
    pub fn released(&self, epoch: u64) -> bool {
        self.released.load(Acquire) == epoch
    }

    /// Participant `index` has been released and starts its timed run (a
    /// loom probe; nothing otherwise).
    #[inline(always)]
    pub fn started(&self, index: usize) {
        #[cfg(loom)]
        self.starts[index].store(self.clock.ns(), Relaxed);
        #[cfg(not(loom))]
        let _ = index;
    }

    /// A thread's start barrier: [`arrive`](Self::arrive), then spin (and
    /// yield the core after a while) until the round is released.
    #[inline]
    pub fn barrier(&self, index: usize, epoch: u64) {
        if !self.arrive(index, epoch) {
            spin_until(|| self.released(epoch));
        }
        self.started(index);
    }

    /// Stamps the release time; the last arrival does, once every
    /// participant has arrived.
    #[inline(always)]
    fn stamp_t0(&self) {
        #[cfg(loom)]
        if self.fault() == Some(Fault::StampBeforeLastArrival) {
            return;
        }
        self.t0.store(self.clock.ns(), Relaxed);
    }

    /// A participant's timed run is over: t1 := max(t1, now). Returns now
    /// (ns since the clock's start).
    #[inline]
    pub fn stamp_finish(&self) -> u64 {
        let end = self.clock.ns();
        self.t1.fetch_max(end, Relaxed);
        end
    }

    /// A participant is done with round `epoch` (after
    /// [`stamp_finish`](Self::stamp_finish) and anything it records for the
    /// main thread): the last one completes the round and wakes the main
    /// thread.
    #[inline]
    pub fn finish(&self, epoch: u64) {
        if self.done.fetch_add(1, AcqRel) + 1 == self.threads {
            self.done.store(0, Relaxed);
            self.complete(epoch);
        }
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

    /// Participant `index` caught a panic (`message`) and still finishes
    /// the round: the main thread reports it once the round completes (or
    /// behind a hang, since a peer may have waited for it).
    pub fn record_panic(&self, index: usize, message: String) {
        lock(&self.panic).get_or_insert((index, message));
        // A main thread already past its deadline waits for this.
        self.wake_main();
    }

    /// Participant `index` panicked and left the round (a tokio task, which
    /// tokio drops): the round cannot complete, and the main thread fails it
    /// as soon as it wakes. Its message is the panic hook's output.
    pub fn leave(&self, index: usize) {
        let _ = self.left.compare_exchange(NOBODY, index, Release, Relaxed);
        self.wake_main();
    }

    /// The first participant that left, if any.
    fn left(&self) -> Option<usize> {
        let i = self.left.load(Acquire);
        (i != NOBODY).then_some(i)
    }

    fn wake_main(&self) {
        if let Some(t) = lock(&self.waiter).as_ref() {
            t.unpark();
        }
    }

    /// The latest round's release time (ns since the clock's start), the
    /// origin of per-participant finish times.
    pub fn t0(&self) -> u64 {
        self.t0.load(Relaxed)
    }

    /// Loom only: runs the deliberately broken variant `fault` of the
    /// protocol from the next round on.
    #[cfg(loom)]
    #[doc(hidden)]
    pub fn set_fault(&self, fault: Fault) {
        assert!(self.fault.set(fault).is_ok(), "one fault per protocol");
    }

    #[cfg(loom)]
    fn fault(&self) -> Option<Fault> {
        self.fault.get().copied()
    }

    /// Loom only: the latest round's barrier clock readings.
    #[cfg(loom)]
    #[doc(hidden)]
    pub fn probe(&self) -> Probe {
        let read = |v: &[AtomicU64]| v.iter().map(|a| a.load(Relaxed)).collect();
        Probe {
            t0: self.t0.load(Relaxed),
            arrivals: read(&self.arrivals),
            starts: read(&self.starts),
        }
    }
}

/// Why a round failed: each system words it in its panic message, naming
/// the strategy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// An earlier round failed: the system refuses further rounds.
    Reused,
    /// Participant `index` caught a panic; the round completed otherwise.
    Panicked {
        /// The participant.
        index: usize,
        /// Its panic's message.
        message: String,
    },
    /// Participant `index` panicked and left, so the round could not
    /// complete; its message is the panic hook's output.
    Left {
        /// The participant.
        index: usize,
    },
    /// The round did not complete within `timeout`.
    Hung {
        /// The round timeout.
        timeout: Duration,
        /// A panic a participant recorded (within the grace), which may
        /// have left its peers waiting for it.
        panic: Option<(usize, String)>,
    },
    /// The system's answer was wrong: the check's panic message.
    WrongAnswer(String),
}

/// The main thread's side of the protocol: publishes rounds, waits for them,
/// and remembers a failed one.
#[derive(Debug)]
pub struct Coordinator {
    epoch: u64,
    timeout: Duration,
    grace: Duration,
    /// A round failed (further rounds are refused).
    poisoned: bool,
    /// A round did not complete: participants may be stuck in the strategy,
    /// so shutdown must not wait for them.
    hung: bool,
}

impl Coordinator {
    /// A coordinator with the default round timeout that, past a round's
    /// deadline, waits up to `grace` for a panic still being recorded.
    pub fn new(grace: Duration) -> Coordinator {
        Coordinator {
            epoch: 0,
            timeout: DEFAULT_ROUND_TIMEOUT,
            grace,
            poisoned: false,
            hung: false,
        }
    }

    /// Sets the bound after which a round is declared hung.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Whether a round did not complete (a hang, or a participant that
    /// left): shutdown must not wait for the participants.
    pub fn hung(&self) -> bool {
        self.hung
    }

    /// Runs one round of `ops` operations on `p`: publishes it, `wake`s the
    /// participants, parks until the round completes, then runs `check`
    /// (the system's answer; a panic there is a wrong answer). Returns the
    /// timed region, t1 - t0.
    pub fn run(
        &mut self,
        p: &Protocol,
        ops: u64,
        instrumented: bool,
        wake: impl FnOnce(),
        check: impl FnOnce(),
    ) -> Result<Duration, Failure> {
        if self.poisoned {
            return Err(Failure::Reused);
        }
        *lock(&p.waiter) = Some(thread::current());
        p.total.store(ops, Relaxed);
        p.instrumented.store(instrumented, Relaxed);
        p.t1.store(0, Relaxed);
        self.epoch += 1;
        p.epoch.store(self.epoch, Release);
        wake();
        let deadline = Deadline::after(self.timeout);
        while p.completed.load(Acquire) != self.epoch {
            let woken = deadline.park();
            if let Some(index) = p.left() {
                return Err(self.hang(Failure::Left { index }));
            }
            if !woken {
                // A participant that panicked may have left its peers
                // waiting for it: report its panic rather than only the hang.
                let failure = self.after_deadline(p);
                return Err(self.hang(failure));
            }
        }
        if let Some((index, message)) = lock(&p.panic).take() {
            self.poisoned = true;
            return Err(Failure::Panicked { index, message });
        }
        let elapsed = p.t1.load(Relaxed).saturating_sub(p.t0.load(Relaxed));
        if let Err(e) = catch_unwind(AssertUnwindSafe(check)) {
            self.poisoned = true;
            return Err(Failure::WrongAnswer(panic_message(&*e)));
        }
        Ok(Duration::from_nanos(elapsed))
    }

    /// A round that did not complete: poisoned and hung.
    fn hang(&mut self, failure: Failure) -> Failure {
        self.poisoned = true;
        self.hung = true;
        failure
    }

    /// Past a round's deadline: a participant that left, or the hang with
    /// the first recorded panic, waiting up to the grace for one still being
    /// printed by the panic hook.
    fn after_deadline(&self, p: &Protocol) -> Failure {
        let grace = Deadline::after(self.grace);
        loop {
            if let Some(index) = p.left() {
                return Failure::Left { index };
            }
            if let Some(panic) = lock(&p.panic).take() {
                return self.hung_with(Some(panic));
            }
            if !grace.park() {
                return self.hung_with(None);
            }
        }
    }

    fn hung_with(&self, panic: Option<(usize, String)>) -> Failure {
        Failure::Hung {
            timeout: self.timeout,
            panic,
        }
    }

    /// Publishes shutdown on `p` and `wake`s the participants, which exit
    /// their loops. Waiting for them is the system's: only if not
    /// [`hung`](Self::hung).
    pub fn shutdown(&self, p: &Protocol, wake: impl FnOnce()) {
        p.shutdown.store(true, Release);
        p.epoch.store(self.epoch + 1, Release);
        wake();
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
    /// A participant that is not the last to arrive stamps t0: the timed
    /// region would start before every participant is there.
    StampBeforeLastArrival,
}

/// Loom only: the clock readings of the latest round's start barrier (a
/// logical clock: readings are ordered as happens-before orders them).
#[cfg(loom)]
#[doc(hidden)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    /// The release time the timed region starts from.
    pub t0: u64,
    /// Per participant: its arrival at the barrier.
    pub arrivals: Vec<u64>,
    /// Per participant: its release, just before its timed run.
    pub starts: Vec<u64>,
}

/// Spins before a waiting thread yields (and, waiting for an epoch, yields
/// before it parks). Under loom one of each: every spin is a yield to loom's
/// scheduler, and more would only multiply the interleavings it explores.
const SPINS: u32 = if cfg!(loom) { 1 } else { 64 };

/// Spins on `cond`, yielding the core after a short while so that an
/// oversubscribed machine still schedules the threads being waited for.
#[inline]
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

/// Every clock the protocol reads, kept apart from it: real time, or under
/// loom (which has no time) a stand-in.
#[cfg(not(loom))]
mod timing {
    use std::time::{Duration, Instant};

    /// Nanoseconds since the protocol was built.
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

/// Loom's stand-ins for the protocol's clocks.
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
    use std::sync::Arc;
    use std::time::Instant;

    /// Participant threads running the protocol as tasks do, with one that
    /// leaves the round in its timed part: the main thread fails the round
    /// at once, naming it, without waiting for the timeout.
    #[test]
    fn a_participant_that_leaves_fails_the_round_at_once() {
        let p = Arc::new(Protocol::new(3));
        let handles: Vec<_> = (0..3)
            .map(|index| {
                let p = Arc::clone(&p);
                std::thread::spawn(move || {
                    let mut seen = 0;
                    while let Some(epoch) = p.wait_next(seen) {
                        seen = epoch;
                        let _ = p.round(index);
                        p.barrier(index, epoch);
                        if index == 2 && seen == 2 {
                            p.leave(index);
                            return;
                        }
                        p.stamp_finish();
                        p.finish(epoch);
                    }
                })
            })
            .collect();
        let wake = || handles.iter().for_each(|h| h.thread().unpark());
        let mut c = Coordinator::new(PANIC_GRACE);
        c.set_timeout(Duration::from_secs(60));
        assert!(c.run(&p, 10, false, wake, || {}).is_ok());
        assert!(!c.hung());
        let started = Instant::now();
        assert_eq!(
            c.run(&p, 10, false, wake, || {}),
            Err(Failure::Left { index: 2 })
        );
        assert!(started.elapsed() < Duration::from_secs(30));
        assert!(c.hung());
        assert_eq!(c.run(&p, 10, false, wake, || {}), Err(Failure::Reused));
        c.shutdown(&p, wake);
        for h in handles {
            h.join().unwrap();
        }
    }

    /// A wrong answer poisons the coordinator but is no hang: the round
    /// completed, so shutdown may join the participants.
    #[test]
    fn a_wrong_answer_poisons_but_does_not_hang() {
        let p = Arc::new(Protocol::new(1));
        let h = {
            let p = Arc::clone(&p);
            std::thread::spawn(move || {
                let mut seen = 0;
                while let Some(epoch) = p.wait_next(seen) {
                    seen = epoch;
                    p.barrier(0, epoch);
                    p.stamp_finish();
                    p.finish(epoch);
                }
            })
        };
        let t = h.thread().clone();
        let mut c = Coordinator::new(PANIC_GRACE);
        let err = c
            .run(&p, 1, false, || t.unpark(), || panic!("lost operations"))
            .unwrap_err();
        assert_eq!(err, Failure::WrongAnswer("lost operations".into()));
        assert!(!c.hung());
        assert_eq!(
            c.run(&p, 1, false, || t.unpark(), || {}),
            Err(Failure::Reused)
        );
        c.shutdown(&p, || t.unpark());
        h.join().unwrap();
    }
}
