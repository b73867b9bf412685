//! Dispatch through a job queue: the Go guide's worker pool. One submitter
//! sends the round's jobs into a queue, W workers take whichever job is next,
//! and each worker stops at its end-of-round marker (Go closes the channel;
//! a persistent pool cannot, so it sends one `None` per worker after the
//! jobs, as `pipeline` does).
//!
//! Any [`Queue`] flavour serves: std `sync_channel(64)` whose single
//! receiver the workers share behind a `Mutex` (`LockedRx<StdSync>`, the
//! Rust Book's worker pool), crossbeam and flume `bounded(64)`, and a
//! `Mutex<VecDeque>` with two condvars (`MutexCondvar`).
//!
//! Invariant: the submitter sends every job `0..total` once, then one
//! marker per worker; the queue is FIFO with one producer, so every job is
//! taken before any marker, and each worker stops at exactly one marker.
//!
//! Contention: the submitter and every worker meet at the queue's head and
//! tail (one lock, or the channel's atomics); an empty queue parks workers,
//! a full one parks the submitter, a futex sleep and wake-up each. The pool
//! has W + 1 threads (submitter and workers; the sidecar records it).

use crate::channels::Capacity;
use crate::handoff::Queue;
use crate::harness::{Pool, Round, Spec, Workload};

use super::{ItemWork, Sums, Tally};

/// A job on the queue: its id, or the end-of-round marker.
pub type Job = Option<u64>;

/// A pool thread's part, with its queue handle.
pub enum Role<Q: Queue> {
    /// Thread 0: sends the round's jobs, then one marker per worker.
    Submit(Q::Producer<Job>),
    /// Threads `1..=W`: take jobs until a marker.
    Work(Q::Consumer<Job>),
}

/// Driver for `lifecycle/dispatch/<cost>` over queue flavour `Q`.
pub struct Dispatch<Q: Queue> {
    jobs: Q::Shared<Job>,
    workers: usize,
    work: ItemWork,
    tally: Tally,
}

impl<Q: Queue> Dispatch<Q> {
    /// An empty queue of capacity `cap` for `workers` workers; panics if the
    /// flavour does not offer it to several consumers.
    pub fn new(workers: usize, cap: Capacity, work: ItemWork) -> Self {
        assert!(workers >= 1, "a worker pool needs at least one worker");
        assert!(
            Q::offers(cap, true),
            "{} does not offer a queue shared by {workers} workers",
            Q::name(cap)
        );
        Dispatch {
            jobs: Q::new(cap),
            workers,
            work,
            tally: Tally::default(),
        }
    }
}

impl<Q: Queue> Workload for Dispatch<Q> {
    type Worker = Role<Q>;

    fn worker(&self, index: usize, _threads: usize) -> Role<Q> {
        if index == 0 {
            Role::Submit(Q::producer(&self.jobs))
        } else {
            Role::Work(Q::consumer(&self.jobs))
        }
    }

    #[inline(never)]
    fn run(&self, role: &mut Role<Q>, round: &Round) {
        match role {
            Role::Submit(tx) => {
                for id in 0..round.total {
                    Q::send(&self.jobs, tx, Some(id));
                }
                for _ in 0..self.workers {
                    Q::send(&self.jobs, tx, None);
                }
            }
            Role::Work(rx) => {
                let mut mine = Sums::default();
                while let Some(id) = Q::recv(&self.jobs, rx) {
                    mine.add(id, self.work.apply(id));
                }
                self.tally.add(mine);
            }
        }
    }

    fn after_round(&self, total: u64) {
        self.tally.take().check(total);
    }
}

/// A pool of W + 1 threads dispatching over `Q` at capacity `cap`; its name
/// is the flavour's id.
pub fn dispatch<Q: Queue>(workers: usize, cap: Capacity, work: ItemWork) -> Pool<Dispatch<Q>> {
    Pool::new(
        Q::name(cap),
        workers + 1,
        Dispatch::<Q>::new(workers, cap, work),
    )
}

/// [`dispatch`]'s benchmark: the flavour's id and family, parameter W.
pub fn spec<Q: Queue>(
    workers: usize,
    cap: Capacity,
    work: ItemWork,
) -> Spec<impl FnOnce() -> Pool<Dispatch<Q>> + Send + 'static> {
    Spec::named(Q::name(cap), Q::FAMILY, workers, move || {
        dispatch::<Q>(workers, cap, work)
    })
}
