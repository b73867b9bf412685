//! Lifecycle workload: the Go guide's own patterns. A bounded worker pool
//! fed by a job channel, a worker that stops on the first error, and the
//! price of starting and stopping workers.
//!
//! Four scenarios, each with ONE list of strategies that the bench target
//! (`benches/lifecycle.rs`) and the tests (`tests/lifecycle.rs`) iterate:
//!
//! - `lifecycle/dispatch/{none,1us}` ([`dispatch_strategies`]): J jobs
//!   through W workers; one operation is one job (job cost none or ~1 µs of
//!   private work, [`ItemWork`]). A job queue with a submitter thread
//!   ([`queue`]: std `sync_channel` behind a `Mutex<Receiver>`, crossbeam,
//!   flume, `Mutex<VecDeque>`), a shared atomic cursor over the jobs
//!   ([`cursor`]), rayon `par_iter` and rayon `scope` + one `spawn` per job
//!   ([`rayon`]).
//! - `lifecycle/cancel/{1us,100us}` ([`cancel_strategies`]): W busy workers,
//!   one job fails, every worker must stop; one operation is one whole cycle
//!   "start busy → fail → all stopped", and the sidecar carries the failure
//!   → all-stopped latency ([`cancel`]).
//! - `lifecycle/cancellable-recv` ([`cancellable_recv_strategies`]): the
//!   per-message cost of a consumer that can be cancelled ([`recv`]).
//! - `lifecycle/spawn` ([`spawn_strategies`]): starting and stopping W
//!   workers for each batch of W × 16 jobs of ~1 µs; one operation is one
//!   batch ([`spawn`]).
//!
//! Every round checks its answer: every job's id and result counted exactly
//! once (dispatch, spawn), exactly one failure and every worker stopped in
//! every cycle (cancel), every message received once (cancellable-recv).
//! Every system's threads exit when it is dropped: persistent workers wait
//! on a channel that the drop closes ([`crew`]), rayon pools are the
//! system's own, never rayon's global pool (see [`crate::harness::exit`]).

pub mod cancel;
pub mod close;
pub mod crew;
pub mod cursor;
pub mod flag;
pub mod queue;
pub mod rayon;
pub mod recv;
pub mod select;
pub mod spawn;

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use crate::channels::{Capacity, Crossbeam, Flume, StdSync};
use crate::handoff::channel::Chan;
use crate::handoff::locked_rx::LockedRx;
use crate::handoff::mutex::MutexCondvar;
use crate::handoff::{sum_below, sum_of_squares_below};
use crate::harness::{Declare, Spec};
pub use crate::pipeline::ItemWork;

/// The job queues' capacity in `lifecycle/dispatch`.
pub const QUEUE: Capacity = Capacity::Bounded(64);

/// Job sizes of `lifecycle/dispatch`: none, ~1 µs.
pub fn dispatch_costs() -> [ItemWork; 2] {
    [ItemWork::NONE, ItemWork::micro()]
}

/// Job sizes of `lifecycle/cancel`: ~1 µs, ~100 µs.
pub fn cancel_costs() -> [ItemWork; 2] {
    [
        ItemWork::micro(),
        ItemWork::calibrated_to("100us", Duration::from_micros(100)),
    ]
}

/// Every `lifecycle/dispatch/<cost>` strategy with `workers` workers, in
/// the bench's declaration order: the one list the bench target and the
/// tests iterate.
pub fn dispatch_strategies(workers: usize, work: ItemWork, d: &mut impl Declare) {
    d.declare(queue::spec::<LockedRx<StdSync>>(workers, QUEUE, work));
    d.declare(queue::spec::<Chan<Crossbeam>>(workers, QUEUE, work));
    d.declare(queue::spec::<Chan<Flume>>(workers, QUEUE, work));
    d.declare(queue::spec::<MutexCondvar>(workers, QUEUE, work));
    d.declare(cursor::spec(workers, work));
    d.declare(Spec::system(workers, move || {
        rayon::ParIter::new(workers, work)
    }));
    d.declare(Spec::system(workers, move || {
        rayon::SpawnPerJob::new(workers, work)
    }));
}

/// Every `lifecycle/cancel/<cost>` strategy with `workers` workers, in the
/// bench's declaration order.
pub fn cancel_strategies(workers: usize, work: ItemWork, d: &mut impl Declare) {
    d.declare(cancel::spec::<close::Close>(workers, work));
    d.declare(cancel::spec::<flag::StopFlag>(workers, work));
    d.declare(cancel::spec::<select::CrossbeamSelect>(workers, work));
    d.declare(Spec::system(workers, move || {
        flag::ScopeFlag::new(workers, work)
    }));
}

/// Every `lifecycle/cancellable-recv` strategy (one producer, one
/// consumer), in the bench's declaration order.
pub fn cancellable_recv_strategies(d: &mut impl Declare) {
    d.declare(recv::spec::<recv::Plain>());
    d.declare(recv::spec::<recv::SelectCancel>());
    d.declare(recv::spec::<recv::RecvFlag>());
    d.declare(recv::spec::<recv::PollTimeout>());
}

/// Every `lifecycle/spawn` strategy with `workers` workers, in the bench's
/// declaration order.
pub fn spawn_strategies(workers: usize, d: &mut impl Declare) {
    let work = ItemWork::micro();
    d.declare(Spec::system(workers, move || {
        spawn::SpawnJoin::new(workers, work)
    }));
    d.declare(Spec::system(workers, move || {
        spawn::Scoped::new(workers, work)
    }));
    d.declare(Spec::system(workers, move || {
        rayon::ScopePerBatch::new(workers, work)
    }));
    d.declare(Spec::system(workers, move || {
        spawn::Persistent::new(workers, work)
    }));
}

/// What a set of jobs added up to: how many, the sum of their ids and the
/// sum of their results (wrapping). Job `i`'s result is `i²`
/// ([`ItemWork::apply`]), so a job lost, run twice or replaced by another
/// changes at least one of the three.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sums {
    /// Jobs run.
    pub jobs: u64,
    /// Sum of their ids.
    pub ids: u64,
    /// Sum of their results.
    pub results: u64,
}

impl Sums {
    /// Counts job `id` with result `result`.
    #[inline(always)]
    pub fn add(&mut self, id: u64, result: u64) {
        self.jobs += 1;
        self.ids = self.ids.wrapping_add(id);
        self.results = self.results.wrapping_add(result);
    }

    /// Both sets together.
    pub fn merge(self, o: Sums) -> Sums {
        Sums {
            jobs: self.jobs + o.jobs,
            ids: self.ids.wrapping_add(o.ids),
            results: self.results.wrapping_add(o.results),
        }
    }

    /// What jobs `0..n`, each run once, add up to.
    pub fn of_jobs(n: u64) -> Sums {
        Sums {
            jobs: n,
            ids: sum_below(n),
            results: sum_of_squares_below(n),
        }
    }

    /// Runs jobs `ids` with `work`, counting each.
    pub fn run(ids: std::ops::Range<u64>, work: ItemWork) -> Sums {
        let mut s = Sums::default();
        for id in ids {
            s.add(id, work.apply(id));
        }
        s
    }

    /// Panics unless these are the sums of jobs `0..n`, each run once.
    pub fn check(self, n: u64) {
        let want = Sums::of_jobs(n);
        assert_eq!(
            self, want,
            "the jobs run do not add up to jobs 0..{n}, each run exactly once"
        );
    }
}

/// Sums that every worker adds its round's share to, once per round.
#[derive(Debug, Default)]
pub struct Tally(Mutex<Sums>);

impl Tally {
    /// Adds one worker's sums.
    pub fn add(&self, s: Sums) {
        let mut t = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *t = t.merge(s);
    }

    /// Takes the round's sums, leaving zero for the next round.
    pub fn take(&self) -> Sums {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_catch_a_lost_or_repeated_job() {
        let all = Sums::run(0..10, ItemWork::NONE);
        all.check(10);
        assert_eq!(
            all,
            Sums::run(0..4, ItemWork::NONE).merge(Sums::run(4..10, ItemWork::NONE))
        );
        let mut repeated = Sums::run(0..9, ItemWork::NONE);
        repeated.add(3, 9);
        assert_ne!(repeated, Sums::of_jobs(10));
    }
}
