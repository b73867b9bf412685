//! Starting and stopping W workers for every batch of jobs
//! (`lifecycle/spawn`): one operation is one batch of W × [`PER_WORKER`]
//! jobs of ~1 µs, worker `i` running jobs `16 i .. 16 (i + 1)`, and the
//! batch is done when every worker has finished and been stopped (joined,
//! or back waiting for the next batch).
//!
//! - `std-thread-spawn`: `std::thread::spawn` W threads per batch, then
//!   `join` each (their results come back through `join`);
//! - `std-thread-scope`: the same inside `std::thread::scope`;
//! - `rayon-scope` ([`super::rayon::ScopePerBatch`]): a rayon pool of W
//!   threads, one `scope` per batch with one `spawn` per worker's part;
//! - `persistent-crew`: W threads spawned once, started per batch over
//!   their start channels and reporting over a done channel
//!   ([`Crew`]): a bounded pool that never respawns.
//!
//! Invariant: every batch's sums must be those of jobs `0..16 W`, each run
//! once; checked after the timed region.
//!
//! Contention: spawning is a `clone` system call, a stack mapping and the
//! new thread's first scheduling, per worker per batch; joining waits on
//! each thread's exit. A persistent worker costs one channel hand-off and
//! one futex wake-up per batch instead.

use std::time::{Duration, Instant};

use crate::harness::{Family, Strategy, System};

use super::crew::Crew;
use super::{ItemWork, Sums};

/// Jobs per worker in a batch.
pub const PER_WORKER: u64 = 16;

/// Worker `index`'s part of a batch.
pub fn part(index: usize, work: ItemWork) -> Sums {
    let first = index as u64 * PER_WORKER;
    Sums::run(first..first + PER_WORKER, work)
}

/// The batches of one run: the first wrong one, reported after timing.
#[derive(Default)]
pub(crate) struct Batches {
    wrong: Option<String>,
}

impl Batches {
    /// Checks one batch of `workers` workers.
    pub(crate) fn batch(&mut self, k: u64, workers: usize, got: Sums) {
        if got != Sums::of_jobs(workers as u64 * PER_WORKER) && self.wrong.is_none() {
            self.wrong = Some(format!(
                "batch {k}: the jobs run ({got:?}) are not jobs 0..{}, each once",
                workers as u64 * PER_WORKER
            ));
        }
    }

    /// Panics with the first wrong batch, naming the strategy.
    pub(crate) fn check(self, name: &str, workers: usize) {
        if let Some(w) = self.wrong {
            panic!("{name} (threads={workers}): wrong answer: {w}");
        }
    }
}

/// `std::thread::spawn` + `join` per batch; see the module docs.
pub struct SpawnJoin {
    workers: usize,
    work: ItemWork,
}

/// `std::thread::scope` per batch; see the module docs.
pub struct Scoped {
    workers: usize,
    work: ItemWork,
}

/// Persistent workers started per batch; see the module docs.
pub struct Persistent {
    crew: Crew<(), Sums>,
}

impl Strategy for SpawnJoin {
    const NAME: &'static str = "std-thread-spawn";
    const FAMILY: Family = Family::DataParallel;
}

impl Strategy for Scoped {
    const NAME: &'static str = "std-thread-scope";
    const FAMILY: Family = Family::DataParallel;
}

impl Strategy for Persistent {
    const NAME: &'static str = "persistent-crew";
    const FAMILY: Family = Family::Channel;
}

impl SpawnJoin {
    /// W threads per batch doing jobs of `work`.
    pub fn new(workers: usize, work: ItemWork) -> Self {
        SpawnJoin { workers, work }
    }
}

impl Scoped {
    /// W scoped threads per batch doing jobs of `work`.
    pub fn new(workers: usize, work: ItemWork) -> Self {
        Scoped { workers, work }
    }
}

impl Persistent {
    /// W persistent workers doing jobs of `work`.
    pub fn new(workers: usize, work: ItemWork) -> Self {
        Persistent {
            crew: Crew::new(Self::NAME, workers, move |i, ()| part(i, work)),
        }
    }
}

impl System for SpawnJoin {
    fn run(&mut self, ops: u64) -> Duration {
        let (w, work) = (self.workers, self.work);
        let mut batches = Batches::default();
        let start = Instant::now();
        for k in 0..ops {
            let handles: Vec<_> = (0..w)
                .map(|i| std::thread::spawn(move || part(i, work)))
                .collect();
            let got =
                handles.into_iter().fold(Sums::default(), |acc, h| {
                    acc.merge(h.join().unwrap_or_else(|_| {
                        panic!("{} (threads={w}): a worker panicked", Self::NAME)
                    }))
                });
            batches.batch(k, w, got);
        }
        let elapsed = start.elapsed();
        batches.check(Self::NAME, w);
        elapsed
    }

    fn worker_threads(&self) -> Option<usize> {
        Some(self.workers)
    }
}

impl System for Scoped {
    fn run(&mut self, ops: u64) -> Duration {
        let (w, work) = (self.workers, self.work);
        let mut batches = Batches::default();
        let start = Instant::now();
        for k in 0..ops {
            let got = std::thread::scope(|s| {
                let handles: Vec<_> = (0..w).map(|i| s.spawn(move || part(i, work))).collect();
                handles.into_iter().fold(Sums::default(), |acc, h| {
                    acc.merge(h.join().unwrap_or_else(|_| {
                        panic!("{} (threads={w}): a worker panicked", Self::NAME)
                    }))
                })
            });
            batches.batch(k, w, got);
        }
        let elapsed = start.elapsed();
        batches.check(Self::NAME, w);
        elapsed
    }

    fn worker_threads(&self) -> Option<usize> {
        Some(self.workers)
    }
}

impl System for Persistent {
    fn run(&mut self, ops: u64) -> Duration {
        let w = self.crew.workers();
        let mut batches = Batches::default();
        let start = Instant::now();
        for k in 0..ops {
            for i in 0..w {
                self.crew.start(i, ());
            }
            let got = (0..w).fold(Sums::default(), |acc, _| acc.merge(self.crew.collect()));
            batches.batch(k, w, got);
        }
        let elapsed = start.elapsed();
        batches.check(Self::NAME, w);
        elapsed
    }

    fn set_round_timeout(&mut self, timeout: Duration) {
        self.crew.set_timeout(timeout);
    }

    fn worker_threads(&self) -> Option<usize> {
        Some(self.crew.workers())
    }
}
