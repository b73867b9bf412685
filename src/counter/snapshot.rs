//! An immutable snapshot swapped atomically: `arc_swap::ArcSwap<u64>`, and
//! for `counter/read-mostly-struct` `ArcSwap<Record>`, where a reader gets
//! one whole published record by construction.
//!
//! Invariant: the published `Arc<u64>` is never mutated; a write publishes a
//! new one (read-copy-update), retrying if another writer got there first.
//! Contention: readers go through arc-swap's `Cache`, its documented fast path
//! for hot loops: a load of the pointer and a compare, no reference-count
//! traffic unless the snapshot changed. Writers allocate and compare-and-swap,
//! so writes are expensive and readers re-fetch after each one. Suited to
//! read-mostly data only; it is not offered for the increment scenario.

use std::sync::Arc;

use arc_swap::{ArcSwap, Cache};

use crate::harness::{Family, Strategy};

use super::{Gauge, Record, Register};

/// `ArcSwap<u64>` (or `<Record>`) with per-thread `Cache` readers and `rcu`
/// writers.
#[derive(Debug)]
pub struct ArcSwapSnapshot<T = u64> {
    current: Arc<ArcSwap<T>>,
}

impl<T> Strategy for ArcSwapSnapshot<T> {
    const NAME: &'static str = "arc-swap";
    const FAMILY: Family = Family::Snapshot;
}

impl Gauge for ArcSwapSnapshot {
    type Local = Cache<Arc<ArcSwap<u64>>, Arc<u64>>;

    fn new(_threads: usize) -> Self {
        ArcSwapSnapshot {
            current: Arc::new(ArcSwap::from_pointee(0)),
        }
    }

    fn local(&self, _index: usize) -> Self::Local {
        Cache::new(Arc::clone(&self.current))
    }

    #[inline]
    fn read(&self, cache: &mut Self::Local) -> u64 {
        **cache.load()
    }

    #[inline]
    fn add(&self, _: &mut Self::Local) {
        self.current.rcu(|v| **v + 1);
    }
}

impl Register for ArcSwapSnapshot<Record> {
    type Local = Cache<Arc<ArcSwap<Record>>, Arc<Record>>;

    fn new(_threads: usize) -> Self {
        ArcSwapSnapshot {
            current: Arc::new(ArcSwap::from_pointee(Record::default())),
        }
    }

    fn local(&self, _index: usize) -> Self::Local {
        Cache::new(Arc::clone(&self.current))
    }

    #[inline]
    fn read(&self, cache: &mut Self::Local) -> Record {
        **cache.load()
    }

    #[inline]
    fn write(&self, _: &mut Self::Local) {
        self.current.rcu(|r| r.next());
    }
}
