//! The measurement harness shared by every workload.
//!
//! Contract (docs/measurement.md, "What is measured"):
//! - one criterion iteration is one logical operation of the whole system;
//! - worker threads are spawned once per benchmark id, outside the timed
//!   region, and released together by a spinning start barrier; the timed
//!   region runs from that release to the moment the last worker finishes;
//! - strategies are reached through generics (static dispatch);
//! - every round checks the system's answer, outside the timed region.

pub mod exit;
mod family;
pub mod fingerprint;
mod mix;
mod noop;
pub mod passes;
mod pool;
pub mod profile;
// The round protocol the pool and the tokio tasks share. Public, hidden, in
// the loom build only: `tests/loom.rs` model-checks it directly.
#[cfg(not(loom))]
mod round;
#[cfg(loom)]
#[doc(hidden)]
pub mod round;
pub mod settings;
pub mod sidecar;
mod spec;
pub mod threads;
pub mod work;

pub use family::Family;
pub use mix::{Mix, MixCursor, MixError};
pub use noop::Noop;
pub use passes::PassInfo;
pub use pool::{Pool, RoundStats, System, Workload};
pub use profile::{Profile, Settings};
pub use round::Round;
#[cfg(not(loom))]
pub(crate) use round::{Coordinator, Failure, Next, Protocol};
pub(crate) use round::{DEFAULT_ROUND_TIMEOUT, panic_message, process_cpu_time};
#[cfg(loom)]
#[doc(hidden)]
pub use round::{Fault, Probe};
pub use spec::{Declare, Except, Id, Ids, Only, Spec};
pub use threads::thread_axis;
pub use work::{Hot, LEVELS, PrivateWork, Warm};

/// A named strategy: what the benchmark id's function name and the report's
/// family grouping come from.
pub trait Strategy {
    /// The criterion function id, e.g. `std-mutex`, `atomic-fetch_add`.
    const NAME: &'static str;
    /// The primitive it is built on.
    const FAMILY: Family;
}
