//! Striped counter: one cache-padded atomic cell per thread, summed on read
//! (the LongAdder design, with cells assigned by thread instead of hashed).
//!
//! Invariant: the count is the sum of all cells; a cell only grows.
//! Contention: an increment is an uncontended `fetch_add` on the thread's own
//! cell (`CachePadded` keeps neighbours off its cache line), so writers never
//! fight. The price moves to readers: a read loads every cell, and pulls
//! each line away from its writer. A reader's successive sums never decrease,
//! because each cell it loads is at least as new as the last time it looked.
//!
//! [`ShardedAtomicUnpadded`] is the same counter without the padding: one
//! cell per thread, adjacent `AtomicU64`s, eight to a 64-byte cache line,
//! so up to eight threads' cells share a line. No cell is shared, yet every
//! increment still needs its line in exclusive state and takes it from the
//! neighbours' cores: false sharing. Beside `sharded-atomic` it shows what
//! the padding buys (nothing at one thread, where there are no neighbours).

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

/// Cells per 64-byte cache line.
const PER_LINE: usize = 8;

/// Adjacent per-thread cells without padding between them; see the module
/// docs.
///
/// The cells are laid out eight to a cache-line-aligned block (a plain
/// `Box<[AtomicU64]>` would do the same, but where its allocation starts
/// inside a line, and so which threads share one, would vary from run to
/// run): threads 0-7 share the first line, 8-15 the next.
#[derive(Debug)]
pub struct ShardedAtomicUnpadded {
    lines: Box<[CachePadded<[AtomicU64; PER_LINE]>]>,
}

impl Strategy for ShardedAtomicUnpadded {
    const NAME: &'static str = "sharded-atomic-unpadded";
    const FAMILY: Family = Family::Sharded;
}

impl Counter for ShardedAtomicUnpadded {
    type Local = (usize, usize);
    fn new(threads: usize) -> Self {
        ShardedAtomicUnpadded {
            lines: (0..threads.max(1).div_ceil(PER_LINE))
                .map(|_| CachePadded::new(Default::default()))
                .collect(),
        }
    }
    fn local(&self, index: usize) -> (usize, usize) {
        let index = index % (self.lines.len() * PER_LINE);
        (index / PER_LINE, index % PER_LINE)
    }
    #[inline]
    fn increment(&self, &mut (line, cell): &mut (usize, usize)) {
        self.lines[line][cell].fetch_add(1, Relaxed);
    }
    fn total(&self) -> u64 {
        self.lines
            .iter()
            .flat_map(|line| line.iter())
            .map(|c| c.load(Relaxed))
            .sum()
    }
}
