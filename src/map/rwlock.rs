//! The map behind one reader-writer lock: `std::sync::RwLock<HashMap>` and
//! `parking_lot::RwLock<HashMap>`, the "RWMutex for read-heavy" answer.
//!
//! Invariant: lookups hold the read lock, every write the write lock.
//! Contention: lookups run in parallel, but each one still does an atomic
//! read-modify-write on the lock word to register and unregister as a reader,
//! so the lock's cache line bounces between all cores even at 100% reads. A
//! write waits for every reader to leave and blocks new ones; waiters park.
//! The key distribution hardly matters: all keys share the one lock.

use crate::harness::{Family, Strategy};

use super::mutex::add_one;
use super::{Map, StdMap, std_map};

/// `std::sync::RwLock<HashMap<u64, u64>>`.
#[derive(Debug)]
pub struct StdRwLock(std::sync::RwLock<StdMap>);

/// `parking_lot::RwLock<HashMap<u64, u64>>`.
#[derive(Debug)]
pub struct ParkingLotRwLock(parking_lot::RwLock<StdMap>);

impl StdRwLock {
    // Poisoning only follows a panic while locked, which the harness already
    // reports; every map operation leaves the map consistent.
    fn read(&self) -> std::sync::RwLockReadGuard<'_, StdMap> {
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }
    fn write(&self) -> std::sync::RwLockWriteGuard<'_, StdMap> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }
}

impl Strategy for StdRwLock {
    const NAME: &'static str = "std-rwlock";
    const FAMILY: Family = Family::RwLock;
}

impl Strategy for ParkingLotRwLock {
    const NAME: &'static str = "parking_lot-rwlock";
    const FAMILY: Family = Family::RwLock;
}

impl Map for StdRwLock {
    type Local = ();

    fn new(entries: &[(u64, u64)], capacity: usize, _threads: usize) -> Self {
        StdRwLock(std::sync::RwLock::new(std_map(entries, capacity)))
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn get(&self, _: &mut (), key: u64) -> Option<u64> {
        self.read().get(&key).copied()
    }
    #[inline]
    fn insert(&self, _: &mut (), key: u64, value: u64) -> Option<u64> {
        self.write().insert(key, value)
    }
    #[inline]
    fn remove(&self, _: &mut (), key: u64) -> Option<u64> {
        self.write().remove(&key)
    }
    #[inline]
    fn update(&self, _: &mut (), key: u64) -> Option<u64> {
        add_one(&mut self.write(), key)
    }
    fn entries(&self) -> Vec<(u64, u64)> {
        self.read().iter().map(|(&k, &v)| (k, v)).collect()
    }
}

impl Map for ParkingLotRwLock {
    type Local = ();

    fn new(entries: &[(u64, u64)], capacity: usize, _threads: usize) -> Self {
        ParkingLotRwLock(parking_lot::RwLock::new(std_map(entries, capacity)))
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn get(&self, _: &mut (), key: u64) -> Option<u64> {
        self.0.read().get(&key).copied()
    }
    #[inline]
    fn insert(&self, _: &mut (), key: u64, value: u64) -> Option<u64> {
        self.0.write().insert(key, value)
    }
    #[inline]
    fn remove(&self, _: &mut (), key: u64) -> Option<u64> {
        self.0.write().remove(&key)
    }
    #[inline]
    fn update(&self, _: &mut (), key: u64) -> Option<u64> {
        add_one(&mut self.0.write(), key)
    }
    fn entries(&self) -> Vec<(u64, u64)> {
        self.0.read().iter().map(|(&k, &v)| (k, v)).collect()
    }
}
