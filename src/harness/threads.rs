//! The thread-count axis: one place that decides which thread counts run.
//!
//! Default: powers of two from 1 up to the machine's available parallelism,
//! that parallelism itself if it is not a power of two, and twice it
//! (oversubscription is part of the answer). `SYNCBENCH_THREADS=1,3,16`
//! overrides the axis; it is read and checked in [`super::settings`].

use super::settings::{SettingError, Vars};

pub use super::settings::{MAX_THREADS, THREADS_VAR, available_parallelism, default_axis};

/// The thread axis for this run: `SYNCBENCH_THREADS` if set and non-empty,
/// else [`default_axis`] of this machine's available parallelism
/// ([`Vars::threads`]).
pub fn thread_axis() -> Result<Vec<usize>, SettingError> {
    Vars::env().threads()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_axis_powers_of_two_then_oversubscribed() {
        assert_eq!(default_axis(1), vec![1, 2]);
        assert_eq!(default_axis(2), vec![1, 2, 4]);
        assert_eq!(default_axis(16), vec![1, 2, 4, 8, 16, 32]);
        assert_eq!(default_axis(6), vec![1, 2, 4, 6, 12]);
        assert_eq!(default_axis(0), vec![1, 2]);
    }
}
