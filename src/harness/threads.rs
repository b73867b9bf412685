//! The thread-count axis: one place that decides which thread counts run.
//!
//! Default: powers of two from 1 up to the machine's available parallelism,
//! that parallelism itself if it is not a power of two, and twice it
//! (oversubscription is part of the answer). `SYNCBENCH_THREADS=1,3,16`
//! overrides the axis; it is read and checked in [`super::settings`].

use super::settings::{SettingError, Vars};

pub use super::settings::{MAX_THREADS, THREADS_VAR};

/// The default axis for a machine with `parallelism` logical CPUs.
pub fn default_axis(parallelism: usize) -> Vec<usize> {
    let p = parallelism.max(1);
    let mut axis = Vec::new();
    let mut t = 1;
    while t < p {
        axis.push(t);
        t *= 2;
    }
    axis.push(p);
    axis.push(2 * p);
    axis
}

/// The machine's logical CPU count, read at run time (1 if unknown).
pub fn available_parallelism() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

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
