//! The count in one `AtomicU64`.
//!
//! Invariant: the atomic holds the count; every change is one atomic
//! read-modify-write, so no increment is lost.
//! Contention: every increment needs the one cache line in exclusive state.
//! `fetch_add` is a single `lock xadd` that always succeeds; the
//! compare-exchange loop can fail and retry under contention (what
//! `fetch_update` and hand-rolled lock-free code do). Reads are plain loads
//! and only share the line.
//!
//! `Relaxed` ordering is correct here: only the count itself matters, and the
//! harness's round barrier orders the final read after every increment.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::harness::{Family, Strategy};

use super::{Counter, Gauge};

/// `AtomicU64::fetch_add`; reads are `load`.
#[derive(Debug, Default)]
pub struct AtomicFetchAdd(AtomicU64);

/// A `compare_exchange_weak` retry loop.
#[derive(Debug, Default)]
pub struct AtomicCas(AtomicU64);

impl Strategy for AtomicFetchAdd {
    const NAME: &'static str = "atomic-fetch_add";
    const FAMILY: Family = Family::Atomic;
}

impl Strategy for AtomicCas {
    const NAME: &'static str = "atomic-cas";
    const FAMILY: Family = Family::Atomic;
}

impl Counter for AtomicFetchAdd {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn increment(&self, _: &mut ()) {
        self.0.fetch_add(1, Relaxed);
    }
    fn total(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

impl Gauge for AtomicFetchAdd {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn read(&self, _: &mut ()) -> u64 {
        self.0.load(Relaxed)
    }
    #[inline]
    fn add(&self, _: &mut ()) {
        self.0.fetch_add(1, Relaxed);
    }
}

impl Counter for AtomicCas {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn increment(&self, _: &mut ()) {
        let mut current = self.0.load(Relaxed);
        while let Err(actual) = self
            .0
            .compare_exchange_weak(current, current + 1, Relaxed, Relaxed)
        {
            current = actual;
        }
    }
    fn total(&self) -> u64 {
        self.0.load(Relaxed)
    }
}
