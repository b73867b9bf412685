//! Data parallelism instead of a shared counter: rayon's `fold` gives each
//! worker a private accumulator and `sum` combines them, on a rayon pool of
//! exactly the benchmark's thread count (built once, outside the timed
//! region). The timed region is the whole `install` call, so rayon's own
//! splitting, stealing and wake-ups are part of the cost.

use std::hint::black_box;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::harness::{Family, PrivateWork, Strategy, System};

/// `(0..ops).into_par_iter().fold(..).sum()`; see the module docs.
pub struct RayonFold<P> {
    pool: rayon::ThreadPool,
    work: P,
}

impl<P> Strategy for RayonFold<P> {
    const NAME: &'static str = "rayon-fold";
    const FAMILY: Family = Family::DataParallel;
}

impl<P: PrivateWork> RayonFold<P> {
    /// A rayon pool of `threads` threads doing private work `work` per item.
    pub fn new(threads: usize, work: P) -> Self {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("rayon-fold-{i}"))
            .build()
            .expect("cannot build the rayon pool");
        RayonFold { pool, work }
    }
}

impl<P: PrivateWork> System for RayonFold<P> {
    fn run(&mut self, ops: u64) -> Duration {
        let work = self.work;
        let start = Instant::now();
        let sum: u64 = self.pool.install(|| {
            (0..ops)
                .into_par_iter()
                .fold(
                    || 0u64,
                    |acc, _| {
                        work.between_ops();
                        black_box(());
                        acc + 1
                    },
                )
                .sum()
        });
        let elapsed = start.elapsed();
        assert_eq!(sum, ops, "{}: increments lost", Self::NAME);
        elapsed
    }
}
