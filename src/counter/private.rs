//! The no-sharing limit: each thread counts in a private variable and adds
//! it to its own cache-padded slot once per round; the total is the sum of
//! the slots.
//!
//! This is the ceiling every sharing strategy is measured against: no cache
//! line moves between cores during the work. An empty `black_box(())` per
//! operation (the same barrier the no-op strategy uses) keeps the compiler
//! from folding the loop into one addition, while the count itself stays in
//! a register: what remains is one private add per operation. At `hot`
//! contention that is the harness's floor (a fraction of a nanosecond, like
//! the no-op), where thread-local batching and rayon's fold land too; their
//! order there is code generation, not synchronization.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crossbeam::utils::CachePadded;

use crate::harness::{Family, Strategy};

use super::Counter;

/// Private per-thread counts, summed at the end; see the module docs.
#[derive(Debug)]
pub struct NoSharing {
    slots: Box<[CachePadded<AtomicU64>]>,
}

/// A thread's slot index and private count.
#[derive(Debug)]
pub struct Private {
    slot: usize,
    count: u64,
}

impl Strategy for NoSharing {
    const NAME: &'static str = "no-sharing";
    const FAMILY: Family = Family::NoSharing;
}

impl Counter for NoSharing {
    type Local = Private;
    fn new(threads: usize) -> Self {
        NoSharing {
            slots: (0..threads.max(1))
                .map(|_| CachePadded::new(AtomicU64::new(0)))
                .collect(),
        }
    }
    fn local(&self, index: usize) -> Private {
        Private {
            slot: index % self.slots.len(),
            count: 0,
        }
    }
    #[inline]
    fn increment(&self, p: &mut Private) {
        p.count += 1;
        black_box(());
    }
    fn flush(&self, p: &mut Private) {
        self.slots[p.slot].fetch_add(p.count, Relaxed);
        p.count = 0;
    }
    fn total(&self) -> u64 {
        self.slots.iter().map(|s| s.load(Relaxed)).sum()
    }
}
