//! The count behind a spinlock: `spin::Mutex<u64>` (the `spin` crate's, a
//! test-and-test-and-set lock that spins with the CPU's hint and never
//! yields), and [`crate::ttas::Mutex<u64>`], the same design with
//! crossbeam's `Backoff`, which yields to the OS once it has spun a while.
//!
//! Invariant: the `u64` is only touched while the lock is held.
//! Contention: like a mutex, every increment takes the one lock, and the
//! lock word and the count share a cache line that migrates to each locker
//! in turn. Unlike a mutex, a waiter never parks: it re-reads the word until
//! it is free. With a core per thread that hand-over is one cache-line
//! transfer, no futex; once threads outnumber cores, a thread preempted
//! while holding the lock keeps every waiter spinning through its time
//! slice (`spin::Mutex`) or yielding in turn (`ttas-mutex`) until the
//! holder is scheduled again. The sidecar's `cpu_ns_per_op` shows the spin.
//!
//! For `counter/read-mostly-struct`, `spin::RwLock<Record>`: readers add
//! themselves to the lock word with one `fetch_add` and spin while a writer
//! holds it; a writer compare-exchanges the word from "nobody" to "writer"
//! and spins until it can, so a steady stream of readers can hold writers
//! off (no writer preference). Invariant: the record is written only under
//! the write lock and read only under a read lock.

use crate::harness::{Family, Strategy};

use super::{Counter, Record, Register};

/// `spin::Mutex<u64>`.
#[derive(Debug, Default)]
pub struct SpinMutex(spin::Mutex<u64>);

/// [`crate::ttas::Mutex<u64>`]: test-and-test-and-set with backoff.
#[derive(Debug)]
pub struct TtasMutex(crate::ttas::Mutex<u64>);

/// `spin::RwLock<Record>`.
#[derive(Debug, Default)]
pub struct SpinRwLock(spin::RwLock<Record>);

impl Strategy for SpinMutex {
    const NAME: &'static str = "spin-mutex";
    const FAMILY: Family = Family::Spin;
}

impl Strategy for TtasMutex {
    const NAME: &'static str = "ttas-mutex";
    const FAMILY: Family = Family::Spin;
}

impl Strategy for SpinRwLock {
    const NAME: &'static str = "spin-rwlock";
    const FAMILY: Family = Family::Spin;
}

impl Counter for SpinMutex {
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

impl Counter for TtasMutex {
    type Local = ();
    fn new(_threads: usize) -> Self {
        TtasMutex(crate::ttas::mutex(0))
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

impl Register for SpinRwLock {
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
