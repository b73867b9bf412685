//! Exit paths: does every thread a system starts end when it is dropped?
//!
//! The Go guide's "every goroutine must have an exit path", checked on the
//! process itself: [`thread_count`] counts the process's threads
//! (`/proc/self/task` on Linux; `None` where the OS has no such listing),
//! [`leaked_since`] counts again after a system was dropped, waiting
//! briefly, with a bounded number of retries, for threads that were told to
//! exit but have not been reaped yet (a dropped rayon pool lets its threads
//! exit on their own, without joining them). [`check`] is the whole check:
//! count, build, run a small round, drop, count.
//!
//! Threads that exist before the first count belong to the process, not to a
//! system: the test harness's, and rayon's global pool, which criterion's
//! analysis starts on first use and keeps for the life of the process
//! ([`start_shared_pools`] starts it before any count, so that it is never
//! billed to the strategy measured first). Strategies build their own rayon
//! pools, dropped with the system, and never use the global one.

use std::time::{Duration, Instant};

use super::System;

/// How long [`leaked_since`] waits for exiting threads to disappear.
pub const SETTLE: Duration = Duration::from_secs(2);

/// Pause between two counts while waiting.
const POLL: Duration = Duration::from_millis(2);

/// The process's threads right now, where the OS lists them.
pub fn thread_count() -> Option<usize> {
    std::fs::read_dir("/proc/self/task")
        .ok()
        .map(|dir| dir.filter(Result::is_ok).count())
}

/// Threads beyond `before` that are still alive once every exiting thread
/// had up to [`SETTLE`] to disappear: 0 when the count is back at `before`
/// (or below it). `None` where the OS does not list threads.
pub fn leaked_since(before: usize) -> Option<i64> {
    let deadline = Instant::now() + SETTLE;
    loop {
        let now = thread_count()?;
        if now <= before || Instant::now() >= deadline {
            return Some((now as i64 - before as i64).max(0));
        }
        std::thread::sleep(POLL);
    }
}

/// Starts rayon's global pool, whose threads live as long as the process
/// (criterion's statistics run on it), so that it exists before any count.
pub fn start_shared_pools() {
    let _ = rayon::current_num_threads();
}

/// What [`check`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExitCheck {
    /// The process's threads before the system was built.
    pub before: usize,
    /// The system's threads while it was alive (after its round).
    pub during: usize,
    /// Threads still alive after it was dropped (0: every one exited).
    pub leaked: i64,
}

/// Builds a system with `build`, runs one round of `ops` operations, drops
/// it, and counts the threads it left behind. `None` where the OS does not
/// list threads. Call it from one thread at a time, with no other thread of
/// the process starting or ending meanwhile: the count is the process's.
pub fn check<Sys: System>(build: impl FnOnce() -> Sys, ops: u64) -> Option<ExitCheck> {
    start_shared_pools();
    let before = thread_count()?;
    let mut system = build();
    system.run(ops);
    let during = thread_count()?.saturating_sub(before);
    drop(system);
    let leaked = leaked_since(before)?;
    Some(ExitCheck {
        before,
        during,
        leaked,
    })
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn linux_lists_threads() {
        // Other tests of this binary start and end threads meanwhile, so
        // only the listing itself is checked here; tests/exit_paths.rs
        // checks leaks in a process of its own.
        assert!(thread_count().unwrap() >= 1);
        assert_eq!(leaked_since(1 << 20), Some(0));
    }
}
