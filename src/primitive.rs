//! The primitives hand-written synchronization is built on, swappable for
//! loom's, the way crossbeam-utils keeps its `primitive` module.
//!
//! Under `--cfg loom` these are loom's atomics and fences, `Mutex`, threads,
//! park/unpark, yield, spin hint and a stand-in for crossbeam's `Backoff`;
//! otherwise they are plain re-exports of std's (and crossbeam's) and cost
//! nothing. Code that imports them from here (the round protocol that the
//! worker pool and the tokio tasks share, in [`crate::harness`], the sharded
//! and batched counters, the test-and-test-and-set lock in [`crate::ttas`],
//! the seqlock, the spin and park signal strategies) is model-checked by
//! `tests/loom.rs` exactly as it is benchmarked:
//! `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test --release --test loom`.
//!
//! In a loom build these primitives only work inside `loom::model`; only the
//! `loom` test target is run in that build.
//!
//! Clocks are not here: loom has no time. The round protocol keeps its
//! timing (`Instant`, `park_timeout`, CPU-time reads, the round timeout)
//! behind small functions with a loom stand-in (see `src/harness/round.rs`).

pub mod sync {
    //! `std::sync`'s `Mutex`, or loom's.

    #[cfg(loom)]
    pub use loom::sync::{Mutex, MutexGuard};
    #[cfg(not(loom))]
    pub use std::sync::{Mutex, MutexGuard};

    pub mod atomic {
        //! `std::sync::atomic`, or loom's.

        #[cfg(loom)]
        pub use loom::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering, fence};
        #[cfg(not(loom))]
        pub use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering, fence};
    }

    /// Locks `m`, ignoring poison, like [`crate::sync::lock`] (which takes a
    /// std `Mutex` in every build).
    #[inline]
    pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
        m.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub mod thread {
    //! `std::thread`'s spawning, park/unpark and yield, or loom's.

    #[cfg(loom)]
    pub use loom::thread::{
        Builder, JoinHandle, Thread, current, panicking, park, spawn, yield_now,
    };
    #[cfg(not(loom))]
    pub use std::thread::{
        Builder, JoinHandle, Thread, current, panicking, park, spawn, yield_now,
    };
}

pub mod hint {
    //! `std::hint::spin_loop`, or loom's (a yield to loom's scheduler).

    #[cfg(loom)]
    pub use loom::hint::spin_loop;
    #[cfg(not(loom))]
    pub use std::hint::spin_loop;
}

pub mod backoff {
    //! crossbeam's `Backoff`, or a stand-in for loom whose every step is a
    //! yield to loom's scheduler (crossbeam's own spins with the CPU's hint
    //! and yields to the OS, which loom cannot see: a model would spin
    //! forever).

    #[cfg(not(loom))]
    pub use crossbeam::utils::Backoff;

    /// `crossbeam::utils::Backoff`'s interface; each step yields to loom.
    #[cfg(loom)]
    #[derive(Debug, Default)]
    pub struct Backoff(());

    #[cfg(loom)]
    impl Backoff {
        /// A fresh backoff.
        pub fn new() -> Backoff {
            Backoff(())
        }
        /// A retry of a failed atomic operation.
        pub fn spin(&self) {
            loom::hint::spin_loop();
        }
        /// A wait for another thread to make progress.
        pub fn snooze(&self) {
            loom::thread::yield_now();
        }
        /// Whether blocking would beat backing off further: never, here.
        pub fn is_completed(&self) -> bool {
            false
        }
    }
}
