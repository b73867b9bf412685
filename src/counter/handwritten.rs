//! The reference for the harness's overhead: `AtomicU64::fetch_add` in a
//! plain loop on the calling thread, timed with `Instant` around the loop and
//! nothing else. Compare with `atomic-fetch_add` through the harness at one
//! thread (bench group `counter/overhead`).

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use crate::harness::{Family, Strategy, System};

/// A hand-written `fetch_add` loop; see the module docs.
#[derive(Debug, Default)]
pub struct HandwrittenFetchAdd {
    count: AtomicU64,
}

impl Strategy for HandwrittenFetchAdd {
    const NAME: &'static str = "handwritten-fetch_add";
    const FAMILY: Family = Family::Baseline;
}

impl System for HandwrittenFetchAdd {
    fn run(&mut self, ops: u64) -> Duration {
        let before = self.count.load(Relaxed);
        let start = Instant::now();
        for _ in 0..ops {
            self.count.fetch_add(1, Relaxed);
        }
        let elapsed = start.elapsed();
        assert_eq!(
            self.count.load(Relaxed) - before,
            ops,
            "{}: increments lost",
            Self::NAME
        );
        elapsed
    }
}
