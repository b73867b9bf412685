//! The map behind one mutex: `std::sync::Mutex<HashMap>` and
//! `parking_lot::Mutex<HashMap>`, the "guard a map with a mutex" answer.
//!
//! Invariant: the map is only touched while the lock is held; every
//! operation is one critical section (a hash, a probe, maybe a write).
//! Contention: every operation, lookup or write, takes the one lock, so
//! operations are serialised and the lock word's cache line migrates to each
//! locker in turn; a contended lock parks waiters (a futex sleep and wake).
//! The key distribution hardly matters: all keys share the one lock.

use crate::harness::{Family, Strategy};

use super::{Map, StdMap, std_map};

/// `std::sync::Mutex<HashMap<u64, u64>>`.
#[derive(Debug)]
pub struct StdMutex(std::sync::Mutex<StdMap>);

/// `parking_lot::Mutex<HashMap<u64, u64>>`.
#[derive(Debug)]
pub struct ParkingLotMutex(parking_lot::Mutex<StdMap>);

impl StdMutex {
    fn lock(&self) -> std::sync::MutexGuard<'_, StdMap> {
        // Poisoning only follows a panic while locked, which the harness
        // already reports; every map operation leaves the map consistent.
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

/// The one critical section of an update: add one, return the old value.
#[inline]
pub(crate) fn add_one(map: &mut StdMap, key: u64) -> Option<u64> {
    map.get_mut(&key).map(|v| {
        let old = *v;
        *v += 1;
        old
    })
}

impl Map for StdMutex {
    type Local = ();

    fn new(entries: &[(u64, u64)], capacity: usize, _threads: usize) -> Self {
        StdMutex(std::sync::Mutex::new(std_map(entries, capacity)))
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn get(&self, _: &mut (), key: u64) -> Option<u64> {
        self.lock().get(&key).copied()
    }
    #[inline]
    fn insert(&self, _: &mut (), key: u64, value: u64) -> Option<u64> {
        self.lock().insert(key, value)
    }
    #[inline]
    fn remove(&self, _: &mut (), key: u64) -> Option<u64> {
        self.lock().remove(&key)
    }
    #[inline]
    fn update(&self, _: &mut (), key: u64) -> Option<u64> {
        add_one(&mut self.lock(), key)
    }
    fn entries(&self) -> Vec<(u64, u64)> {
        self.lock().iter().map(|(&k, &v)| (k, v)).collect()
    }
}

impl Map for ParkingLotMutex {
    type Local = ();

    fn new(entries: &[(u64, u64)], capacity: usize, _threads: usize) -> Self {
        ParkingLotMutex(parking_lot::Mutex::new(std_map(entries, capacity)))
    }
    fn local(&self, _index: usize) {}
    #[inline]
    fn get(&self, _: &mut (), key: u64) -> Option<u64> {
        self.0.lock().get(&key).copied()
    }
    #[inline]
    fn insert(&self, _: &mut (), key: u64, value: u64) -> Option<u64> {
        self.0.lock().insert(key, value)
    }
    #[inline]
    fn remove(&self, _: &mut (), key: u64) -> Option<u64> {
        self.0.lock().remove(&key)
    }
    #[inline]
    fn update(&self, _: &mut (), key: u64) -> Option<u64> {
        add_one(&mut self.0.lock(), key)
    }
    fn entries(&self) -> Vec<(u64, u64)> {
        self.0.lock().iter().map(|(&k, &v)| (k, v)).collect()
    }
}
