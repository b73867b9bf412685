//! A crew: W persistent worker threads, each waiting on its own start
//! channel for its next task, reporting on one shared done channel. The
//! cancellation drivers and the persistent pool of `lifecycle/spawn` are
//! built on it.
//!
//! Exit path: a worker's loop is `for task in start_channel`, so dropping
//! the crew (which drops every start sender) ends every loop, and the drop
//! joins every worker. A task that panics is caught and reported by
//! [`Crew::collect`] with the strategy's name; a task that never returns is
//! reported after the crew's timeout. After either failure the crew's drop
//! leaves its workers to die with the process instead of hanging in a join.
//!
//! Contention: each start and each report is one channel hand-off; a worker
//! waiting for its next task is parked, so starting it is a futex wake-up.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam::channel::{Receiver, RecvTimeoutError, Sender, unbounded};

use crate::harness::{DEFAULT_ROUND_TIMEOUT, panic_message};

/// W persistent workers running tasks `T` into reports `R`.
pub struct Crew<T, R> {
    name: String,
    starts: Vec<Sender<T>>,
    done: Receiver<Result<R, String>>,
    handles: Vec<JoinHandle<()>>,
    timeout: Duration,
    hung: bool,
}

impl<T: Send + 'static, R: Send + 'static> Crew<T, R> {
    /// Spawns `workers` threads named after strategy `name`; worker `i`
    /// runs `f(i, task)` for every task it is started with.
    pub fn new<F>(name: &str, workers: usize, f: F) -> Self
    where
        F: Fn(usize, T) -> R + Send + Clone + 'static,
    {
        assert!(workers >= 1, "a crew needs at least one worker");
        let (done_tx, done) = unbounded();
        let mut starts = Vec::with_capacity(workers);
        let handles = (0..workers)
            .map(|index| {
                let (tx, rx) = unbounded::<T>();
                starts.push(tx);
                let (f, done_tx) = (f.clone(), done_tx.clone());
                std::thread::Builder::new()
                    .name(format!("{name}-{index}"))
                    .spawn(move || {
                        for task in rx {
                            let r = catch_unwind(AssertUnwindSafe(|| f(index, task)))
                                .map_err(|p| panic_message(&*p));
                            if done_tx.send(r).is_err() {
                                return;
                            }
                        }
                    })
                    .unwrap_or_else(|e| panic!("{name}: cannot spawn worker {index}: {e}"))
            })
            .collect();
        Crew {
            name: name.to_string(),
            starts,
            done,
            handles,
            timeout: DEFAULT_ROUND_TIMEOUT,
            hung: false,
        }
    }

    /// Workers in the crew.
    pub fn workers(&self) -> usize {
        self.starts.len()
    }

    /// Bounds the wait for each report.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Starts worker `index` on `task`.
    pub fn start(&self, index: usize, task: T) {
        if self.starts[index].send(task).is_err() {
            panic!("{}: worker {index} is gone", self.name);
        }
    }

    /// The next report of any worker; panics naming the strategy if a task
    /// panicked or no report comes within the timeout.
    pub fn collect(&mut self) -> R {
        let report = self.done.recv_timeout(self.timeout);
        if !matches!(report, Ok(Ok(_))) {
            // The other workers may wait for something the failed task
            // never did: joining them could hang.
            self.hung = true;
        }
        match report {
            Ok(Ok(r)) => r,
            Ok(Err(msg)) => panic!(
                "{} (threads={}): a worker panicked: {msg}",
                self.name,
                self.workers()
            ),
            Err(RecvTimeoutError::Timeout) => panic!(
                "{} (threads={}): a worker did not report within {:?} (deadlock or lost wake-up)",
                self.name,
                self.workers(),
                self.timeout
            ),
            Err(RecvTimeoutError::Disconnected) => {
                panic!("{}: every worker is gone", self.name)
            }
        }
    }
}

impl<T, R> Drop for Crew<T, R> {
    fn drop(&mut self) {
        // Closing the start channels is every worker's exit path.
        self.starts.clear();
        if self.hung {
            return;
        }
        for h in self.handles.drain(..) {
            if h.join().is_err() {
                eprintln!("{}: a worker thread panicked during shutdown", self.name);
            }
        }
    }
}
