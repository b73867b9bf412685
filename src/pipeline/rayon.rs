//! The no-pipeline alternative: rayon data parallelism over the same items
//! and the same per-item work, summed the same way (wrapping).
//!
//! - `rayon-par_iter`: `(0..n).into_par_iter().map(work).sum()`; rayon splits
//!   the range across its threads, which steal halves from each other. No
//!   queue carries items at all.
//! - `rayon-par_bridge`: `(0..n).par_bridge().map(work).sum()`; the items come
//!   from a sequential iterator, as from a generator stage, and rayon's
//!   threads pull them in turns from behind a lock.
//!
//! The rayon pool has exactly W threads, W being the pipeline's worker count
//! (the generate and reduce stages have no threads of their own), and is
//! built once, outside the timed region. The timed region is the whole
//! `install` call, so rayon's splitting, stealing and wake-ups are in it. The
//! sum is checked after the timed region.

use std::num::Wrapping;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::handoff::sum_of_squares_below;
use crate::harness::{Family, Strategy, System};

use super::ItemWork;

/// `into_par_iter().map().sum()`; see the module docs.
pub struct RayonParIter {
    pool: rayon::ThreadPool,
    threads: usize,
    work: ItemWork,
}

/// `par_bridge().map().sum()`; see the module docs.
pub struct RayonParBridge {
    pool: rayon::ThreadPool,
    threads: usize,
    work: ItemWork,
}

impl Strategy for RayonParIter {
    const NAME: &'static str = "rayon-par_iter";
    const FAMILY: Family = Family::DataParallel;
}

impl Strategy for RayonParBridge {
    const NAME: &'static str = "rayon-par_bridge";
    const FAMILY: Family = Family::DataParallel;
}

/// A rayon pool of exactly `threads` threads named after strategy `name`,
/// built outside any timed region (the lifecycle workload builds its own the
/// same way).
pub(crate) fn rayon_pool(name: &'static str, threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(move |i| format!("{name}-{i}"))
        .build()
        .unwrap_or_else(|e| panic!("{name}: cannot build the rayon pool: {e}"))
}

fn check(name: &str, ops: u64, sum: Wrapping<u64>) {
    let want = sum_of_squares_below(ops);
    assert_eq!(
        sum.0, want,
        "{name}: the sum of squares of {ops} items is wrong"
    );
}

impl RayonParIter {
    /// A rayon pool of `threads` threads doing `work` per item.
    pub fn new(threads: usize, work: ItemWork) -> Self {
        RayonParIter {
            pool: rayon_pool(Self::NAME, threads),
            threads,
            work,
        }
    }
}

impl RayonParBridge {
    /// A rayon pool of `threads` threads doing `work` per item.
    pub fn new(threads: usize, work: ItemWork) -> Self {
        RayonParBridge {
            pool: rayon_pool(Self::NAME, threads),
            threads,
            work,
        }
    }
}

impl System for RayonParIter {
    fn run(&mut self, ops: u64) -> Duration {
        let work = self.work;
        let start = Instant::now();
        let sum: Wrapping<u64> = self.pool.install(|| {
            (0..ops)
                .into_par_iter()
                .map(|item| Wrapping(work.apply(item)))
                .sum()
        });
        let elapsed = start.elapsed();
        check(Self::NAME, ops, sum);
        elapsed
    }

    fn worker_threads(&self) -> Option<usize> {
        Some(self.threads)
    }
}

impl System for RayonParBridge {
    fn run(&mut self, ops: u64) -> Duration {
        let work = self.work;
        let start = Instant::now();
        let sum: Wrapping<u64> = self.pool.install(|| {
            (0..ops)
                .par_bridge()
                .map(|item| Wrapping(work.apply(item)))
                .sum()
        });
        let elapsed = start.elapsed();
        check(Self::NAME, ops, sum);
        elapsed
    }

    fn worker_threads(&self) -> Option<usize> {
        Some(self.threads)
    }
}
