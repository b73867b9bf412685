//! Runs the correctness checks a strategy list generates: one job per
//! declared system, as many at a time as the machine has cores (as the test
//! harness runs separate tests), every failure reported with its job's name
//! (the strategy id and parameter).

#![allow(dead_code)] // each test target uses a different subset

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

type Job = Box<dyn FnOnce() + Send>;

/// Named checks, run by [`Jobs::run`].
#[derive(Default)]
pub struct Jobs {
    jobs: Vec<(String, Job)>,
}

impl Jobs {
    /// No jobs yet.
    pub fn new() -> Jobs {
        Jobs::default()
    }

    /// Queues `job` under `name`.
    pub fn push(&mut self, name: String, job: impl FnOnce() + Send + 'static) {
        self.jobs.push((name, Box::new(job)));
    }

    /// The queued jobs' names, in order.
    pub fn names(&self) -> Vec<&str> {
        self.jobs.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// Runs every job; panics after all have run if any failed, listing
    /// each failure with its name.
    pub fn run(self) {
        let total = self.jobs.len();
        assert!(total > 0, "no checks were queued");
        let queue = Mutex::new(self.jobs.into_iter());
        let failures = Mutex::new(Vec::new());
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        std::thread::scope(|s| {
            for _ in 0..threads.min(total) {
                s.spawn(|| {
                    loop {
                        let Some((name, job)) = queue.lock().unwrap().next() else {
                            break;
                        };
                        if let Err(p) = catch_unwind(AssertUnwindSafe(job)) {
                            failures
                                .lock()
                                .unwrap()
                                .push(format!("{name}: {}", message(&*p)));
                        }
                    }
                });
            }
        });
        let failures = failures.into_inner().unwrap();
        assert!(
            failures.is_empty(),
            "{} of {total} checks failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}

fn message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else {
        "(non-string panic payload)".to_string()
    }
}
