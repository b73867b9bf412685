//! The count behind a mutex: `std::sync::Mutex<u64>` and
//! `parking_lot::Mutex<u64>`; for `counter/read-mostly-struct`, the same
//! locks around the four-word [`Record`].
//!
//! Invariant: the value is only touched while the lock is held, so a read
//! always sees one whole write.
//! Contention: every operation, read or write, takes the one lock; the lock
//! word and the count share a cache line that migrates to each locker in
//! turn, and a contended lock parks waiters (a futex sleep and wake-up).

use crate::harness::{Family, Strategy};

use super::{Counter, Gauge, Record, Register};

/// `std::sync::Mutex<u64>` (or `<Record>`).
#[derive(Debug, Default)]
pub struct StdMutex<T = u64>(std::sync::Mutex<T>);

/// `parking_lot::Mutex<u64>` (or `<Record>`).
#[derive(Debug, Default)]
pub struct ParkingLotMutex<T = u64>(parking_lot::Mutex<T>);

impl<T> StdMutex<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, T> {
        // Poisoning only follows a panic while locked, which the harness
        // already reports; every operation leaves the value whole.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<T> Strategy for StdMutex<T> {
    const NAME: &'static str = "std-mutex";
    const FAMILY: Family = Family::Mutex;
}

impl<T> Strategy for ParkingLotMutex<T> {
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

impl Register for StdMutex<Record> {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn read(&self, _: &mut ()) -> Record {
        *self.lock()
    }
    #[inline]
    fn write(&self, _: &mut ()) {
        let mut r = self.lock();
        *r = r.next();
    }
}

impl Register for ParkingLotMutex<Record> {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn read(&self, _: &mut ()) -> Record {
        *self.0.lock()
    }
    #[inline]
    fn write(&self, _: &mut ()) {
        let mut r = self.0.lock();
        *r = r.next();
    }
}
