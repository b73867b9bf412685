//! Thread-local batching: each thread counts privately in its handle and
//! adds the batch to one shared atomic every [`BATCH`] increments, and at the
//! end of its work.
//!
//! Invariant: count = shared atomic + every thread's unflushed batch; after
//! every thread flushes, the atomic alone is exact.
//! Contention: one shared `fetch_add` per [`BATCH`] increments, so the shared
//! line is fought over 64× less often. The price is staleness: between
//! flushes, readers of the shared atomic lag by up to `BATCH × threads`.

use crossbeam::utils::CachePadded;

use crate::harness::{Family, Strategy};
use crate::sync::{AtomicU64, Ordering::Relaxed};

use super::Counter;

/// Increments per flush.
pub const BATCH: u64 = 64;

/// One shared atomic fed by per-thread batches; see the module docs.
#[derive(Debug)]
pub struct ThreadLocalBatch {
    shared: CachePadded<AtomicU64>,
}

/// A thread's unflushed increments.
#[derive(Debug, Default)]
pub struct Batch {
    pending: u64,
}

impl Strategy for ThreadLocalBatch {
    const NAME: &'static str = "thread-local-batch";
    const FAMILY: Family = Family::Batched;
}

impl Counter for ThreadLocalBatch {
    type Local = Batch;
    fn new(_threads: usize) -> Self {
        ThreadLocalBatch {
            shared: CachePadded::new(AtomicU64::new(0)),
        }
    }
    fn local(&self, _index: usize) -> Batch {
        Batch::default()
    }
    #[inline]
    fn increment(&self, batch: &mut Batch) {
        batch.pending += 1;
        if batch.pending == BATCH {
            self.shared.fetch_add(BATCH, Relaxed);
            batch.pending = 0;
        }
    }
    fn flush(&self, batch: &mut Batch) {
        if batch.pending > 0 {
            self.shared.fetch_add(batch.pending, Relaxed);
            batch.pending = 0;
        }
    }
    fn total(&self) -> u64 {
        self.shared.load(Relaxed)
    }
}
