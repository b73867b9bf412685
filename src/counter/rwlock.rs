//! The count behind a reader-writer lock: `std::sync::RwLock<u64>` and
//! `parking_lot::RwLock<u64>`; for `counter/read-mostly-struct`, the same
//! locks around the four-word [`Record`].
//!
//! Invariant: the value is written only under the write lock and read only
//! under a read lock, so a read always sees one whole write.
//! Contention: increments take the write lock (exclusive, like a mutex, with
//! a more expensive lock word); reads take the shared lock, which still
//! writes the lock word's reader count, so readers on different cores fight
//! over that one cache line even though they never block each other.

use crate::harness::{Family, Strategy};

use super::{Counter, Gauge, Record, Register};

/// `std::sync::RwLock<u64>` (or `<Record>`).
#[derive(Debug, Default)]
pub struct StdRwLock<T = u64>(std::sync::RwLock<T>);

/// `parking_lot::RwLock<u64>` (or `<Record>`).
#[derive(Debug, Default)]
pub struct ParkingLotRwLock<T = u64>(parking_lot::RwLock<T>);

impl<T> StdRwLock<T> {
    fn read_guard(&self) -> std::sync::RwLockReadGuard<'_, T> {
        // Poisoning only follows a panic while locked, reported elsewhere.
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }
    fn write_guard(&self) -> std::sync::RwLockWriteGuard<'_, T> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }
}

impl<T> Strategy for StdRwLock<T> {
    const NAME: &'static str = "std-rwlock";
    const FAMILY: Family = Family::RwLock;
}

impl<T> Strategy for ParkingLotRwLock<T> {
    const NAME: &'static str = "parking_lot-rwlock";
    const FAMILY: Family = Family::RwLock;
}

impl Counter for StdRwLock {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn increment(&self, _: &mut ()) {
        *self.write_guard() += 1;
    }
    fn total(&self) -> u64 {
        *self.read_guard()
    }
}

impl Gauge for StdRwLock {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn read(&self, _: &mut ()) -> u64 {
        *self.read_guard()
    }
    #[inline]
    fn add(&self, _: &mut ()) {
        *self.write_guard() += 1;
    }
}

impl Counter for ParkingLotRwLock {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn increment(&self, _: &mut ()) {
        *self.0.write() += 1;
    }
    fn total(&self) -> u64 {
        *self.0.read()
    }
}

impl Gauge for ParkingLotRwLock {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn read(&self, _: &mut ()) -> u64 {
        *self.0.read()
    }
    #[inline]
    fn add(&self, _: &mut ()) {
        *self.0.write() += 1;
    }
}

impl Register for StdRwLock<Record> {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn read(&self, _: &mut ()) -> Record {
        *self.read_guard()
    }
    #[inline]
    fn write(&self, _: &mut ()) {
        let mut r = self.write_guard();
        *r = r.next();
    }
}

impl Register for ParkingLotRwLock<Record> {
    type Local = ();
    fn new(_threads: usize) -> Self {
        Self::default()
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn read(&self, _: &mut ()) -> Record {
        *self.0.read()
    }
    #[inline]
    fn write(&self, _: &mut ()) {
        let mut r = self.0.write();
        *r = r.next();
    }
}
