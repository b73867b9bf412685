//! Striped counter: one cache-padded atomic cell per thread, summed on read
//! (the LongAdder design, with cells assigned by thread instead of hashed).
//!
//! Invariant: the count is the sum of all cells; a cell only grows.
//! Contention: an increment is an uncontended `fetch_add` on the thread's own
//! cell (`CachePadded` keeps neighbours off its cache line), so writers never
//! fight. The price moves to readers: a read loads every cell, and pulls
//! each line away from its writer. A reader's successive sums never decrease,
//! because each cell it loads is at least as new as the last time it looked.

use crossbeam::utils::CachePadded;

use crate::harness::{Family, Strategy};
use crate::sync::{AtomicU64, Ordering::Relaxed};

use super::{Counter, Gauge};

/// Cache-padded per-thread cells; see the module docs.
#[derive(Debug)]
pub struct ShardedAtomic {
    cells: Box<[CachePadded<AtomicU64>]>,
}

impl ShardedAtomic {
    /// One cell per thread, rounded up to a power of two.
    pub fn with_threads(threads: usize) -> Self {
        let n = threads.max(1).next_power_of_two();
        ShardedAtomic {
            cells: (0..n)
                .map(|_| CachePadded::new(AtomicU64::new(0)))
                .collect(),
        }
    }

    /// The cell index thread `index` writes to.
    pub fn cell_of(&self, index: usize) -> usize {
        index & (self.cells.len() - 1)
    }

    /// Adds one to cell `cell`.
    #[inline]
    pub fn add_to(&self, cell: usize) {
        self.cells[cell].fetch_add(1, Relaxed);
    }

    /// The sum of all cells.
    #[inline]
    pub fn sum(&self) -> u64 {
        self.cells.iter().map(|c| c.load(Relaxed)).sum()
    }
}

impl Strategy for ShardedAtomic {
    const NAME: &'static str = "sharded-atomic";
    const FAMILY: Family = Family::Sharded;
}

impl Counter for ShardedAtomic {
    type Local = usize;
    fn new(threads: usize) -> Self {
        Self::with_threads(threads)
    }
    fn local(&self, index: usize) -> usize {
        self.cell_of(index)
    }
    #[inline]
    fn increment(&self, cell: &mut usize) {
        self.add_to(*cell);
    }
    fn total(&self) -> u64 {
        self.sum()
    }
}

impl Gauge for ShardedAtomic {
    type Local = usize;
    fn new(threads: usize) -> Self {
        Self::with_threads(threads)
    }
    fn local(&self, index: usize) -> usize {
        self.cell_of(index)
    }
    #[inline]
    fn read(&self, _: &mut usize) -> u64 {
        self.sum()
    }
    #[inline]
    fn add(&self, cell: &mut usize) {
        self.add_to(*cell);
    }
}
