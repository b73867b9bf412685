//! The map behind one spinlock: `spin::Mutex<HashMap>` (the `spin` crate's
//! test-and-test-and-set lock, spinning with the CPU's hint) and
//! [`crate::ttas::Mutex<HashMap>`] (the same design with crossbeam's
//! `Backoff`, which yields to the OS once it has spun a while).
//!
//! Invariant: the map is only touched while the lock is held; every
//! operation is one critical section (a hash, a probe, maybe a write).
//! Contention: as with one mutex, every operation takes the one lock and
//! operations are serialised; the key distribution hardly matters. Waiters
//! never park: they re-read the lock word until it is free, so a hand-over
//! costs one cache-line transfer and no futex wake-up. A critical section
//! here is tens of nanoseconds, several times the counter's, so waiters spin
//! longer; and once threads outnumber cores, a holder preempted inside one
//! keeps every waiter spinning (`spin-mutex`) or yielding (`ttas-mutex`)
//! until it runs again.

use crate::harness::{Family, Strategy};

use super::mutex::add_one;
use super::{Map, StdMap, std_map};

/// `spin::Mutex<HashMap<u64, u64>>`.
#[derive(Debug)]
pub struct SpinMutex(spin::Mutex<StdMap>);

/// [`crate::ttas::Mutex<HashMap<u64, u64>>`]: test-and-test-and-set with
/// backoff.
#[derive(Debug)]
pub struct TtasMutex(crate::ttas::Mutex<StdMap>);

impl Strategy for SpinMutex {
    const NAME: &'static str = "spin-mutex";
    const FAMILY: Family = Family::Spin;
}

impl Strategy for TtasMutex {
    const NAME: &'static str = "ttas-mutex";
    const FAMILY: Family = Family::Spin;
}

impl Map for SpinMutex {
    type Local = ();

    fn new(entries: &[(u64, u64)], capacity: usize, _threads: usize) -> Self {
        SpinMutex(spin::Mutex::new(std_map(entries, capacity)))
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

impl Map for TtasMutex {
    type Local = ();
    const UNIFORM_ONLY: bool = true;

    fn new(entries: &[(u64, u64)], capacity: usize, _threads: usize) -> Self {
        TtasMutex(crate::ttas::mutex(std_map(entries, capacity)))
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
