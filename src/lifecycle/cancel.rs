//! Cancellation on the first error (`lifecycle/cancel/<cost>`): W workers
//! are busy with jobs, one job fails, and every worker must stop, the way an
//! errgroup cancels its context on the first error.
//!
//! One operation is one whole cycle: start W workers on a fresh cycle (its
//! cancel state, its channels), let them run jobs until worker
//! `cycle % W` fails on its second job and cancels the cycle, and wait until
//! every worker has stopped. The persistent drivers ([`Cancellation`])
//! spawn their workers once, outside the timed region, and start them each
//! cycle over a [`Crew`]; `std-scope-flag` spawns and joins its workers
//! inside every cycle, because that is what a scope is.
//!
//! The strategy decides where jobs come from and how the failure reaches
//! the others ([`Cancel`]): a job channel fed by the calling thread, which
//! stops feeding once it hears of the failure, or a private supply per
//! worker; the cancel signal is a closed channel, a `select!`, a `Selector`
//! or an atomic flag.
//!
//! # Latency
//!
//! In instrumented rounds, each cycle records the time from the failure
//! (the failing worker's clock reading just before it cancels) to the last
//! stop: the latest of every worker's return from its cycle and the
//! feeder's return from feeding (for `std-scope-flag`: the scope's return,
//! every worker joined). The HDR histogram's percentiles go to the sidecar
//! as `extra.latency_ns`, the same field `signal` writes, so the report's
//! latency table shows them.
//!
//! # Checks
//!
//! Every cycle must end with a report from every worker and exactly one
//! failure; a worker that never stops fails the cycle's timeout naming the
//! strategy. Checked after the timed region.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::harness::{RoundStats, Spec, Strategy, System, process_cpu_time};
use crate::signal::latency::{Latency, Recorder};

use super::ItemWork;
use super::crew::Crew;

/// The failing worker fails on this job of its cycle (its second: by then
/// the others have started too).
pub const FAIL_AT: u64 = 2;

/// How a cycle's workers get jobs and learn that the cycle is cancelled.
pub trait Cancel: Strategy + Sized + 'static {
    /// What one cycle's workers and feeder share; fresh for every cycle.
    type Cycle: Send + Sync + 'static;
    /// The calling thread's part of a cycle (a job sender), or `()`.
    type Feed;

    /// A fresh cycle for `workers` workers, nothing cancelled.
    fn cycle(workers: usize) -> (Self::Cycle, Self::Feed);
    /// The calling thread's part, after every worker was started: feeds
    /// jobs until the cycle is cancelled, then returns (at once where the
    /// workers make their own jobs).
    fn feed(cycle: &Self::Cycle, feed: Self::Feed);
    /// A worker's next job, or `None` once the cycle is cancelled. `taken`
    /// counts the jobs it took in this cycle (a private supply numbers its
    /// jobs with it).
    fn next(cycle: &Self::Cycle, taken: u64) -> Option<u64>;
    /// Cancels the cycle; called once, by the worker whose job failed.
    fn cancel(cycle: &Self::Cycle);
}

/// One worker's report on one cycle.
#[derive(Clone, Copy, Debug)]
pub struct Stopped {
    /// When it stopped.
    pub at: Instant,
    /// When its job failed, if it was the failing worker.
    pub failed: Option<Instant>,
    /// Jobs it took.
    pub jobs: u64,
}

/// A worker's part of one cycle: jobs until cancelled, or, for the failing
/// worker, until its [`FAIL_AT`]-th job fails.
pub fn work_until_cancelled<S: Cancel>(cycle: &S::Cycle, fails: bool, work: ItemWork) -> Stopped {
    let mut jobs = 0;
    let mut failed = None;
    while let Some(job) = S::next(cycle, jobs) {
        black_box(work.apply(job));
        jobs += 1;
        if fails && jobs == FAIL_AT {
            failed = Some(Instant::now());
            S::cancel(cycle);
            break;
        }
    }
    Stopped {
        at: Instant::now(),
        failed,
        jobs,
    }
}

/// What a run of cycles saw: the latency recorder when instrumented, and
/// the first cycle that went wrong.
pub(crate) struct Run<'a> {
    rec: Option<&'a mut Recorder>,
    wrong: Option<String>,
}

impl<'a> Run<'a> {
    pub(crate) fn new(rec: Option<&'a mut Recorder>) -> Self {
        Run { rec, wrong: None }
    }

    /// Settles cycle `k` from its workers' reports and the time its last
    /// other thread (feeder, scope) stopped.
    pub(crate) fn cycle(&mut self, k: u64, stops: &[Stopped], also: Instant, workers: usize) {
        let failed: Vec<Instant> = stops.iter().filter_map(|s| s.failed).collect();
        if stops.len() != workers || failed.len() != 1 {
            self.wrong.get_or_insert_with(|| {
                format!(
                    "cycle {k}: {} of {workers} workers reported, {} failed (want exactly one)",
                    stops.len(),
                    failed.len()
                )
            });
            return;
        }
        let last = stops.iter().map(|s| s.at).fold(also, Instant::max);
        if let Some(rec) = self.rec.as_deref_mut() {
            let ns = last.saturating_duration_since(failed[0]).as_nanos();
            rec.record(u64::try_from(ns).unwrap_or(u64::MAX));
        }
    }

    /// Panics with the first wrong cycle, naming the strategy.
    pub(crate) fn check(self, name: &str, workers: usize) {
        if let Some(w) = self.wrong {
            panic!("{name} (threads={workers}): wrong answer: {w}");
        }
    }
}

/// Runs `cycles` (timing `ops` cycles of `sys` into a [`Run`]) as an
/// instrumented round: the process's CPU time over it (every thread the
/// strategy uses), and every cycle's latency kept in `sys`'s [`Latency`].
pub(crate) fn instrumented<T>(
    sys: &mut T,
    latency: fn(&T) -> &Latency,
    ops: u64,
    cycles: fn(&mut T, u64, Run<'_>) -> Duration,
) -> RoundStats {
    let p0 = process_cpu_time();
    let mut rec = latency(sys).start();
    let wall = cycles(sys, ops, Run::new(Some(&mut rec)));
    let cpu = p0.zip(process_cpu_time()).map(|(a, b)| b.saturating_sub(a));
    latency(sys).finish(rec);
    latency(sys).recycle();
    RoundStats {
        ops,
        wall,
        cpu,
        ..RoundStats::default()
    }
}

/// A cycle's task for one crew worker.
pub struct Task<C> {
    cycle: Arc<C>,
    fails: bool,
}

/// Driver for a persistent cancellable pool over strategy `S`: W crew
/// workers, spawned once.
pub struct Cancellation<S: Cancel> {
    crew: Crew<Task<S::Cycle>, Stopped>,
    cycles: u64,
    latency: Latency,
}

impl<S: Cancel> Cancellation<S> {
    /// W workers doing jobs of `work`.
    pub fn new(workers: usize, work: ItemWork) -> Self {
        let crew = Crew::new(S::NAME, workers, move |_, t: Task<S::Cycle>| {
            work_until_cancelled::<S>(&t.cycle, t.fails, work)
        });
        Cancellation {
            crew,
            cycles: 0,
            latency: Latency::new(),
        }
    }

    fn cycles(&mut self, ops: u64, mut run: Run<'_>) -> Duration {
        let w = self.crew.workers();
        let mut stops = Vec::with_capacity(w);
        let start = Instant::now();
        for _ in 0..ops {
            let (cycle, feed) = S::cycle(w);
            let cycle = Arc::new(cycle);
            let failing = (self.cycles % w as u64) as usize;
            for i in 0..w {
                let task = Task {
                    cycle: Arc::clone(&cycle),
                    fails: i == failing,
                };
                self.crew.start(i, task);
            }
            S::feed(&cycle, feed);
            let fed = Instant::now();
            stops.clear();
            for _ in 0..w {
                stops.push(self.crew.collect());
            }
            run.cycle(self.cycles, &stops, fed, w);
            self.cycles += 1;
        }
        let elapsed = start.elapsed();
        run.check(S::NAME, w);
        elapsed
    }
}

impl<S: Cancel> System for Cancellation<S> {
    fn run(&mut self, ops: u64) -> Duration {
        self.cycles(ops, Run::new(None))
    }

    fn run_instrumented(&mut self, ops: u64) -> RoundStats {
        instrumented(self, |s| &s.latency, ops, Self::cycles)
    }

    fn extras(&self) -> Option<serde_json::Value> {
        self.latency.summary()
    }

    fn set_round_timeout(&mut self, timeout: Duration) {
        self.crew.set_timeout(timeout);
    }

    fn worker_threads(&self) -> Option<usize> {
        Some(self.crew.workers())
    }
}

/// [`Cancellation`]'s benchmark: `S`'s id and family, parameter W.
pub fn spec<S: Cancel>(
    workers: usize,
    work: ItemWork,
) -> Spec<impl FnOnce() -> Cancellation<S> + Send + 'static> {
    Spec::of::<S>(workers, move || Cancellation::<S>::new(workers, work))
}
