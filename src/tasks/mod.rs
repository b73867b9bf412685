//! Async tasks: the same questions on a tokio runtime (`cargo bench --bench
//! tasks`).
//!
//! Each benchmark id builds one tokio runtime ([`runtime::Flavor`]:
//! multi-thread with `worker_threads` = the thread-axis value, or
//! `current_thread`) and spawns its tasks once, outside the timed region;
//! [`runtime::Tasks`] releases them together each round and times from the
//! last task's arrival to the last task's finish (see [`runtime`] for the
//! protocol and what the sidecar's CPU time covers).
//!
//! Scenarios:
//! - [`shared`]: a counter and a map behind std / parking_lot / tokio
//!   locks, an atomic and DashMap, with a critical section that does not
//!   await and one that holds the guard across `yield_now().await` (async
//!   locks only);
//! - [`handoff`]: tokio mpsc, flume's async API and async-channel between
//!   tasks (spsc, mpsc), and from a plain thread into a task (bridges);
//! - [`signal`]: Notify / oneshot / watch round trips, Notify / watch /
//!   broadcast one-to-many releases, and cancellation (CancellationToken,
//!   watch, dropping a sender) with latency percentiles.
//!
//! `current_thread` is shown as its own scenario: the group name gains a
//! `current-thread` segment (`tasks/counter/no-await/current-thread`), at
//! parameter 1, so that the report's (scenario, thread count) cells never
//! mix it with the 1-worker multi-thread runtime.

pub mod handoff;
pub mod runtime;
pub mod shared;
pub mod signal;

pub use runtime::{Flavor, TaskWork, Tasks};

/// The group name of `base` on `flavor`: `base` itself for a multi-thread
/// runtime, `base/current-thread` for a current_thread one.
pub fn group_name(base: &str, flavor: Flavor) -> String {
    match flavor {
        Flavor::MultiThread(_) => base.to_string(),
        Flavor::CurrentThread => format!("{base}/current-thread"),
    }
}
