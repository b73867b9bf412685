//! Rayon as the worker pool: its own pool of exactly W threads, built once
//! outside the timed region and dropped with the system (never rayon's
//! global pool, whose threads would outlive the system).
//!
//! - `rayon-par_iter` (dispatch): `(0..J).into_par_iter()` folds each
//!   job's sums; rayon splits the range and its threads steal halves.
//! - `rayon-spawn_per_job` (dispatch): one `scope` and one `spawn` per job,
//!   the way a job queue is replaced by rayon tasks; each spawn is a heap
//!   allocation and a push onto a deque, which is what this measures. Jobs
//!   add their sums to their thread's own padded slot (three uncontended
//!   `Relaxed` adds). Scopes hold at most [`SPAWNS_PER_SCOPE`] jobs, so a
//!   one-thread pool, which spawns everything before it runs anything,
//!   never queues more than that.
//! - `rayon-scope` (spawn): one `scope` per batch with one `spawn` per
//!   worker's part ([`super::spawn`]), each part added to one tally.
//!
//! The timed region is the whole `install`/`scope` call: splitting,
//! stealing, wake-ups. Sums are checked after it.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use crossbeam::utils::CachePadded;
use rayon::prelude::*;

use crate::harness::{Family, Strategy, System};
use crate::pipeline::rayon::rayon_pool;

use super::spawn::{Batches, part};
use super::{ItemWork, Sums, Tally};

/// Most jobs one scope of `rayon-spawn_per_job` spawns.
pub const SPAWNS_PER_SCOPE: u64 = 1 << 16;

/// `par_iter` over the jobs; see the module docs.
pub struct ParIter {
    pool: rayon::ThreadPool,
    workers: usize,
    work: ItemWork,
}

/// One rayon `spawn` per job; see the module docs.
pub struct SpawnPerJob {
    pool: rayon::ThreadPool,
    workers: usize,
    work: ItemWork,
    slots: Box<[CachePadded<[AtomicU64; 3]>]>,
}

/// One rayon `scope` per batch; see the module docs.
pub struct ScopePerBatch {
    pool: rayon::ThreadPool,
    workers: usize,
    work: ItemWork,
    tally: Tally,
}

impl Strategy for ParIter {
    const NAME: &'static str = "rayon-par_iter";
    const FAMILY: Family = Family::DataParallel;
}

impl Strategy for SpawnPerJob {
    const NAME: &'static str = "rayon-spawn_per_job";
    const FAMILY: Family = Family::DataParallel;
}

impl Strategy for ScopePerBatch {
    const NAME: &'static str = "rayon-scope";
    const FAMILY: Family = Family::DataParallel;
}

impl ParIter {
    /// A pool of `workers` threads doing jobs of `work`.
    pub fn new(workers: usize, work: ItemWork) -> Self {
        ParIter {
            pool: rayon_pool(Self::NAME, workers),
            workers,
            work,
        }
    }
}

impl SpawnPerJob {
    /// A pool of `workers` threads doing jobs of `work`.
    pub fn new(workers: usize, work: ItemWork) -> Self {
        SpawnPerJob {
            pool: rayon_pool(Self::NAME, workers),
            workers,
            work,
            slots: (0..workers)
                .map(|_| CachePadded::new(Default::default()))
                .collect(),
        }
    }

    fn take(&self) -> Sums {
        self.slots.iter().fold(Sums::default(), |acc, s| {
            acc.merge(Sums {
                jobs: s[0].swap(0, Relaxed),
                ids: s[1].swap(0, Relaxed),
                results: s[2].swap(0, Relaxed),
            })
        })
    }
}

impl ScopePerBatch {
    /// A pool of `workers` threads doing jobs of `work`.
    pub fn new(workers: usize, work: ItemWork) -> Self {
        ScopePerBatch {
            pool: rayon_pool(Self::NAME, workers),
            workers,
            work,
            tally: Tally::default(),
        }
    }
}

impl System for ParIter {
    fn run(&mut self, ops: u64) -> Duration {
        let work = self.work;
        let start = Instant::now();
        let sums = self.pool.install(|| {
            (0..ops)
                .into_par_iter()
                .fold(Sums::default, |mut s, id| {
                    s.add(id, work.apply(id));
                    s
                })
                .reduce(Sums::default, Sums::merge)
        });
        let elapsed = start.elapsed();
        check(Self::NAME, self.workers, ops, sums);
        elapsed
    }

    fn worker_threads(&self) -> Option<usize> {
        Some(self.workers)
    }
}

impl System for SpawnPerJob {
    fn run(&mut self, ops: u64) -> Duration {
        let (work, slots) = (self.work, &self.slots);
        let start = Instant::now();
        let mut first = 0;
        while first < ops {
            let end = ops.min(first + SPAWNS_PER_SCOPE);
            self.pool.scope(|s| {
                for id in first..end {
                    s.spawn(move |_| {
                        let result = work.apply(id);
                        let slot = &slots[rayon::current_thread_index().unwrap_or(0)];
                        slot[0].fetch_add(1, Relaxed);
                        slot[1].fetch_add(id, Relaxed);
                        slot[2].fetch_add(result, Relaxed);
                    });
                }
            });
            first = end;
        }
        let elapsed = start.elapsed();
        check(Self::NAME, self.workers, ops, self.take());
        elapsed
    }

    fn worker_threads(&self) -> Option<usize> {
        Some(self.workers)
    }
}

impl System for ScopePerBatch {
    fn run(&mut self, ops: u64) -> Duration {
        let (w, work) = (self.workers, self.work);
        let mut batches = Batches::default();
        let start = Instant::now();
        for k in 0..ops {
            let tally = &self.tally;
            self.pool.scope(|s| {
                for i in 0..w {
                    s.spawn(move |_| tally.add(part(i, work)));
                }
            });
            batches.batch(k, w, self.tally.take());
        }
        let elapsed = start.elapsed();
        batches.check(Self::NAME, w);
        elapsed
    }

    fn worker_threads(&self) -> Option<usize> {
        Some(self.workers)
    }
}

fn check(name: &str, workers: usize, ops: u64, sums: Sums) {
    if sums != Sums::of_jobs(ops) {
        panic!(
            "{name} (threads={workers}): wrong answer: the jobs run ({sums:?}) are not jobs \
             0..{ops}, each once"
        );
    }
}
