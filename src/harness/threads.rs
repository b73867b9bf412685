//! The thread-count axis: one place that decides which thread counts run.
//!
//! Default: powers of two from 1 up to the machine's available parallelism,
//! that parallelism itself if it is not a power of two, and twice it
//! (oversubscription is part of the answer). `SYNCBENCH_THREADS=1,3,16`
//! overrides the axis.

use std::fmt;

/// The environment variable that overrides the thread axis.
pub const THREADS_VAR: &str = "SYNCBENCH_THREADS";

/// Largest thread count accepted from the environment; anything above is
/// almost certainly a typo and would exhaust the machine.
pub const MAX_THREADS: usize = 1024;

/// A malformed `SYNCBENCH_THREADS` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadsError {
    /// The offending token as written by the user.
    pub token: String,
    /// Why it was rejected.
    pub reason: &'static str,
}

impl fmt::Display for ThreadsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{THREADS_VAR}: `{}` {} (expected a comma-separated list of thread counts \
             between 1 and {MAX_THREADS}, e.g. {THREADS_VAR}=1,2,8)",
            self.token, self.reason
        )
    }
}

impl std::error::Error for ThreadsError {}

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

/// Parses a `SYNCBENCH_THREADS` value: comma-separated positive integers,
/// returned sorted and without duplicates.
pub fn parse_axis(value: &str) -> Result<Vec<usize>, ThreadsError> {
    let mut axis = Vec::new();
    for raw in value.split(',') {
        let token = raw.trim();
        let err = |reason| ThreadsError {
            token: token.to_string(),
            reason,
        };
        if token.is_empty() {
            return Err(err("is an empty entry"));
        }
        let n: usize = token.parse().map_err(|_| err("is not a whole number"))?;
        if n == 0 {
            return Err(err("is zero"));
        }
        if n > MAX_THREADS {
            return Err(err("is too many threads"));
        }
        axis.push(n);
    }
    axis.sort_unstable();
    axis.dedup();
    Ok(axis)
}

/// The machine's logical CPU count, read at run time (1 if unknown).
pub fn available_parallelism() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The thread axis for this run: `SYNCBENCH_THREADS` if set and non-empty,
/// else [`default_axis`] of this machine's available parallelism.
pub fn thread_axis() -> Result<Vec<usize>, ThreadsError> {
    match std::env::var(THREADS_VAR) {
        Ok(v) if !v.trim().is_empty() => parse_axis(&v),
        Ok(_) | Err(std::env::VarError::NotPresent) => Ok(default_axis(available_parallelism())),
        Err(std::env::VarError::NotUnicode(v)) => Err(ThreadsError {
            token: v.to_string_lossy().into_owned(),
            reason: "is not valid UTF-8",
        }),
    }
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

    #[test]
    fn parse_sorts_and_dedups() {
        assert_eq!(parse_axis("16, 1,3,3").unwrap(), vec![1, 3, 16]);
        assert_eq!(parse_axis("8").unwrap(), vec![8]);
    }

    #[test]
    fn parse_names_the_bad_token() {
        let e = parse_axis("1,two,4").unwrap_err();
        assert_eq!(e.token, "two");
        let msg = e.to_string();
        assert!(msg.contains("SYNCBENCH_THREADS"), "{msg}");
        assert!(msg.contains("`two`"), "{msg}");
        assert_eq!(parse_axis("0").unwrap_err().reason, "is zero");
        assert_eq!(parse_axis("1,,2").unwrap_err().reason, "is an empty entry");
        assert_eq!(parse_axis("-1").unwrap_err().token, "-1");
        assert_eq!(
            parse_axis("100000").unwrap_err().reason,
            "is too many threads"
        );
    }
}
