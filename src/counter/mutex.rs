//! The count behind a mutex: `std::sync::Mutex<u64>` and
//! `parking_lot::Mutex<u64>`.
//!
//! Invariant: the `u64` is only touched while the lock is held.
//! Contention: every operation, read or write, takes the one lock; the lock
//! word and the count share a cache line that migrates to each locker in
//! turn, and a contended lock parks waiters (a futex sleep and wake-up).

use crate::harness::{Family, Strategy};

use super::{Counter, Gauge};

/// `std::sync::Mutex<u64>`.
#[derive(Debug, Default)]
pub struct StdMutex(std::sync::Mutex<u64>);

/// `parking_lot::Mutex<u64>`.
#[derive(Debug, Default)]
pub struct ParkingLotMutex(parking_lot::Mutex<u64>);

impl StdMutex {
    fn lock(&self) -> std::sync::MutexGuard<'_, u64> {
        // Poisoning only follows a panic while locked, which the harness
        // already reports; the count itself is still a valid u64.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Strategy for StdMutex {
    const NAME: &'static str = "std-mutex";
    const FAMILY: Family = Family::Mutex;
}

impl Strategy for ParkingLotMutex {
    const NAME: &'static str = "parking_lot-mutex";
    const FAMILY: Family = Family::Mutex;
}

impl Counter for StdMutex {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn increment(&self, _: &mut ()) {
        *self.lock() += 1;
    }
    fn total(&self) -> u64 {
        *self.lock()
    }
}

impl Gauge for StdMutex {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn read(&self, _: &mut ()) -> u64 {
        *self.lock()
    }
    #[inline]
    fn add(&self, _: &mut ()) {
        *self.lock() += 1;
    }
}

impl Counter for ParkingLotMutex {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn increment(&self, _: &mut ()) {
        *self.0.lock() += 1;
    }
    fn total(&self) -> u64 {
        *self.0.lock()
    }
}

impl Gauge for ParkingLotMutex {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn read(&self, _: &mut ()) -> u64 {
        *self.0.lock()
    }
    #[inline]
    fn add(&self, _: &mut ()) {
        *self.0.lock() += 1;
    }
}
