//! Cancel with an atomic stop flag checked before every job: the failing
//! worker sets it, every other worker sees it before its next job. No
//! channel carries jobs: each worker runs its own supply (the job is its
//! running count), so nobody feeds and nobody blocks.
//!
//! - `atomic-flag`: persistent workers (a [`Crew`](super::crew::Crew),
//!   spawned once, started each cycle), one `AtomicBool` per cycle;
//! - `std-scope-flag`: `std::thread::scope` spawns the W workers of each
//!   cycle and joins them when it returns; the cycle ends, and its latency
//!   is measured, at that return (spawning and joining are in every cycle:
//!   that is what a scope costs).
//!
//! Invariant: the flag is only ever set (once per cycle, `Release`), and
//! read `Acquire` before each job; a worker stops at most one job after it
//! was set.
//!
//! Contention: none while running (each worker reads a line only the
//! failure writes); the failure's store invalidates that line in every
//! reader's cache, and the cost of stopping is the rest of the job each
//! worker is in.

use std::sync::atomic::{AtomicBool, Ordering::*};
use std::time::{Duration, Instant};

use crossbeam::utils::CachePadded;

use crate::harness::{Family, RoundStats, Strategy, System};
use crate::signal::latency::Latency;

use super::ItemWork;
use super::cancel::{Cancel, Run, Stopped, instrumented, work_until_cancelled};

/// Persistent workers and an atomic stop flag; see the module docs.
pub struct StopFlag;

impl Strategy for StopFlag {
    const NAME: &'static str = "atomic-flag";
    const FAMILY: Family = Family::Atomic;
}

impl Cancel for StopFlag {
    type Cycle = CachePadded<AtomicBool>;
    type Feed = ();

    fn cycle(_workers: usize) -> (Self::Cycle, ()) {
        (CachePadded::new(AtomicBool::new(false)), ())
    }

    fn feed(_: &Self::Cycle, _: ()) {}

    #[inline]
    fn next(stop: &Self::Cycle, taken: u64) -> Option<u64> {
        (!stop.load(Acquire)).then_some(taken)
    }

    fn cancel(stop: &Self::Cycle) {
        stop.store(true, Release);
    }
}

/// `std::thread::scope` per cycle with an atomic stop flag; see the module
/// docs.
pub struct ScopeFlag {
    workers: usize,
    work: ItemWork,
    cycles: u64,
    latency: Latency,
}

impl Strategy for ScopeFlag {
    const NAME: &'static str = "std-scope-flag";
    const FAMILY: Family = Family::Atomic;
}

impl ScopeFlag {
    /// W workers per cycle doing jobs of `work`.
    pub fn new(workers: usize, work: ItemWork) -> Self {
        assert!(workers >= 1, "a scope needs at least one worker");
        ScopeFlag {
            workers,
            work,
            cycles: 0,
            latency: Latency::new(),
        }
    }

    fn cycles(&mut self, ops: u64, mut run: Run<'_>) -> Duration {
        let (w, work) = (self.workers, self.work);
        let start = Instant::now();
        for _ in 0..ops {
            let (stop, ()) = StopFlag::cycle(w);
            let failing = (self.cycles % w as u64) as usize;
            let stops: Vec<Stopped> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..w)
                    .map(|i| {
                        let stop = &stop;
                        s.spawn(move || work_until_cancelled::<StopFlag>(stop, i == failing, work))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            panic!("{} (threads={w}): a worker panicked", Self::NAME)
                        })
                    })
                    .collect()
            });
            run.cycle(self.cycles, &stops, Instant::now(), w);
            self.cycles += 1;
        }
        let elapsed = start.elapsed();
        run.check(Self::NAME, w);
        elapsed
    }
}

impl System for ScopeFlag {
    fn run(&mut self, ops: u64) -> Duration {
        self.cycles(ops, Run::new(None))
    }

    fn run_instrumented(&mut self, ops: u64) -> RoundStats {
        instrumented(self, |s| &s.latency, ops, Self::cycles)
    }

    fn extras(&self) -> Option<serde_json::Value> {
        self.latency.summary()
    }

    fn worker_threads(&self) -> Option<usize> {
        Some(self.workers)
    }
}
