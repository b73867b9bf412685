//! Atomics used by hand-written synchronization, swappable for loom's (they
//! come from [`crate::primitive`]), and the one way std locks are taken
//! (ignoring poison).
//!
//! Strategies whose correctness rests on our own orderings (sharding,
//! batching, seqlock-style snapshots) import their atomics from here, so that
//! `RUSTFLAGS="--cfg loom" cargo test --release --test loom` model-checks
//! exactly the code that is benchmarked.

pub use crate::primitive::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering, fence};

/// Locks a std `Mutex`, ignoring poison.
///
/// Poisoning only follows a panic while the lock was held, which the harness
/// already reports with the strategy's name; every structure guarded here is
/// left consistent by each operation, so its data is still valid. For the
/// harness's own bookkeeping: strategies keep their lock calls written out
/// in their own files, because moving them behind this helper shifted the
/// measured code (std-rwlock, hot, 1 thread: 4.15 ns became 4.8 ns).
#[inline]
pub fn lock<T: ?Sized>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Read-locks a std `RwLock`, ignoring poison (see [`lock`]).
#[inline]
pub fn read<T: ?Sized>(l: &std::sync::RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(|e| e.into_inner())
}

/// Write-locks a std `RwLock`, ignoring poison (see [`lock`]).
#[inline]
pub fn write<T: ?Sized>(l: &std::sync::RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|e| e.into_inner())
}
