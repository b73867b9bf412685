//! Atomics used by hand-written synchronization, swappable for loom's.
//!
//! Strategies whose correctness rests on our own orderings (sharding,
//! batching, seqlock-style snapshots) import their atomics from here, so that
//! `RUSTFLAGS="--cfg loom" cargo test --release --test loom` model-checks
//! exactly the code that is benchmarked.

#[cfg(loom)]
pub use loom::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
#[cfg(not(loom))]
pub use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
