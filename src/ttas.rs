//! A hand-written test-and-test-and-set (TTAS) spinlock with crossbeam's
//! `Backoff`, written the way a careful user would: a raw lock implementing
//! `lock_api::RawMutex`, so that `lock_api::Mutex` supplies the guard, the
//! data cell and `Sync` ([`Mutex`]).
//!
//! Invariant: `locked` is `true` exactly while one thread holds the lock.
//! Locking sets it with a compare-exchange from `false` to `true` whose
//! success is `Acquire`; unlocking stores `false` with `Release`. So the
//! unlock of one critical section synchronizes-with the lock of the next,
//! and everything written under the lock is visible to the next holder.
//!
//! Contention: the "test" half waits with plain loads, which keep the lock
//! word's cache line shared in every waiter's cache instead of bouncing it
//! with failed read-modify-writes; only when the word reads `false` does a
//! waiter try the compare-exchange again (the "test-and-set"). Between
//! loads it backs off with `Backoff::snooze`: exponentially longer bursts of
//! the CPU's spin hint, then `thread::yield_now` once the bursts are long,
//! so a waiter whose lock holder was preempted gives its core away instead
//! of spinning through its whole time slice. That yield is the only
//! difference from `spin::Mutex`, which spins with the hint forever. No
//! waiter ever parks, so there is no futex and no wake-up call on unlock,
//! and no fairness: whoever sees the word free first takes it.
//!
//! The lock's atomics and backoff come from [`crate::primitive`], so
//! `tests/loom.rs` model-checks this very code (mutual exclusion, and the
//! Acquire/Release hand-over of the guarded data).

use crate::primitive::backoff::Backoff;
use crate::sync::{AtomicBool, Ordering::*};

/// A mutex guarding a `T` with the [`RawTtas`] lock.
pub type Mutex<T> = lock_api::Mutex<RawTtas, T>;

/// The guard of a [`Mutex`].
pub type MutexGuard<'a, T> = lock_api::MutexGuard<'a, RawTtas, T>;

/// An unlocked [`Mutex`] guarding `value`.
///
/// Use this instead of `Mutex::new`: under loom the raw lock cannot be
/// built in a `const` (see [`RawTtas::INIT`](lock_api::RawMutex::INIT)).
pub fn mutex<T>(value: T) -> Mutex<T> {
    lock_api::Mutex::from_raw(RawTtas::new(), value)
}

/// The raw test-and-test-and-set lock; see the module docs.
#[derive(Debug)]
pub struct RawTtas {
    locked: AtomicBool,
}

impl RawTtas {
    /// An unlocked lock.
    #[cfg(not(loom))]
    pub const fn new() -> RawTtas {
        RawTtas {
            locked: AtomicBool::new(false),
        }
    }

    /// An unlocked lock (loom's atomics cannot be built in a `const`).
    #[cfg(loom)]
    pub fn new() -> RawTtas {
        RawTtas {
            locked: AtomicBool::new(false),
        }
    }

    /// One test-and-set: takes the lock if it is free.
    #[inline]
    fn try_acquire(&self) -> bool {
        self.locked
            .compare_exchange_weak(false, true, Acquire, Relaxed)
            .is_ok()
    }
}

impl Default for RawTtas {
    fn default() -> RawTtas {
        RawTtas::new()
    }
}

// SAFETY: `lock` and `try_lock` return only after a successful
// compare-exchange of `locked` from `false` to `true`, and nothing else sets
// it to `true`, so at most one acquisition exists at a time (mutual
// exclusion); that compare-exchange is `Acquire` on success. `unlock` is only
// called with the state of the current acquisition (lock_api's contract), so
// storing `false` releases exactly that one, with `Release`: the holder's
// writes happen-before the next holder's reads. The guard state is `()`;
// forgetting it leaves the lock held forever, which is safe. A thread that
// owns the mutex exclusively may move or drop it while locked: `locked` is a
// plain atomic with no pointers to it. No operation unwinds while holding a
// new acquisition: `lock` cannot panic after its successful compare-exchange,
// and `unlock` is one store. The lock may be released from any thread, so
// the guard may be sent (`GuardSend`).
unsafe impl lock_api::RawMutex for RawTtas {
    #[cfg(not(loom))]
    const INIT: RawTtas = RawTtas::new();
    // Loom's atomics are not `const`; every lock is built by [`mutex`]
    // (`Mutex::from_raw`), and reaching this constant is a compile error.
    #[cfg(loom)]
    const INIT: RawTtas = panic!("under loom, build the lock with ttas::mutex");

    type Guard = lock_api::GuardSend;

    #[inline]
    fn lock(&self) -> lock_api::GuardSend {
        // Uncontended fast path: one compare-exchange, no backoff state.
        if self.try_acquire() {
            return lock_api::GuardSend::new();
        }
        let backoff = Backoff::new();
        loop {
            // Test: wait with loads (the line stays shared) until it is free…
            while self.locked.load(Relaxed) {
                backoff.snooze();
            }
            // …then test-and-set.
            if self.try_acquire() {
                return lock_api::GuardSend::new();
            }
        }
    }

    #[inline]
    fn try_lock(&self) -> Option<lock_api::GuardSend> {
        // A look first (no write to a line someone holds), then a strong
        // `compare_exchange`: `None` only after seeing the lock held.
        let free = !self.locked.load(Relaxed)
            && self
                .locked
                .compare_exchange(false, true, Acquire, Relaxed)
                .is_ok();
        free.then(lock_api::GuardSend::new)
    }

    #[inline]
    unsafe fn unlock(&self, _guard: lock_api::GuardSend) {
        self.locked.store(false, Release);
    }

    #[inline]
    fn is_locked(&self) -> bool {
        self.locked.load(Relaxed)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn locks_exclude_and_release() {
        let m = mutex(5u64);
        {
            let mut g = m.lock();
            *g += 1;
            assert!(m.is_locked());
            assert!(m.try_lock().is_none());
        }
        assert!(!m.is_locked());
        assert_eq!(*m.try_lock().unwrap(), 6);
        let counter = mutex(0u64);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..10_000 {
                        *counter.lock() += 1;
                    }
                });
            }
        });
        assert_eq!(*counter.lock(), 40_000);
    }
}
