//! Pipeline workload: the classic three stages, generate → work → reduce
//! (the Go guide's generate → square → sum), with the middle stage fanned
//! out to W workers and fanned back in to one reducer ("channel: pipelines
//! or fan-out").
//!
//! The stages run on a [`Pool`] of W + 2 threads: worker 0 generates the
//! round's items `0..total` into the jobs queue, workers `1..=W` take jobs
//! (whichever worker is free takes the next one), square them after the
//! per-item work knob ([`ItemWork`]: none, or ~1 µs of private arithmetic)
//! and send the squares to the results queue, and worker W + 1 adds up
//! exactly `total` results. The two queues are one [`Queue`] flavour at one
//! capacity, so "channels connecting the stages" and "mutex-guarded queues
//! connecting the stages" are the same driver over different flavours.
//! The no-pipeline alternative, rayon, is in [`rayon`]. [`strategies`] lists
//! every strategy once, for the bench target and the tests.
//!
//! One operation is one item through all three stages. After the generator's
//! items it sends one end-of-round marker (`None`) per worker; a worker stops
//! at its marker, so workers never need a shared count of jobs taken.
//!
//! Checks (outside the timed region): the reducer's sum must equal
//! `0² + 1² + … + (total − 1)²` (wrapping), and the workers' item counts
//! must add up to `total`. A lost item leaves the reducer waiting, so the
//! round times out naming the strategy instead of hanging.

pub mod rayon;

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use crossbeam::utils::CachePadded;

use crate::channels::{Capacity, Crossbeam, Flume, StdSync};
use crate::handoff::channel::Chan;
use crate::handoff::locked_rx::LockedRx;
use crate::handoff::mutex::MutexCondvar;
use crate::handoff::{Queue, sum_of_squares_below};
use crate::harness::work::{calibrated_units, spin_work};
use crate::harness::{Declare, Pool, Round, Spec, Workload};

/// The queues' capacity in the benchmarks (besides crossbeam's unbounded).
const SMALL: Capacity = Capacity::Bounded(64);

/// Every `pipeline/square-sum/<work>` strategy with `workers` middle-stage
/// workers, in the bench's declaration order: the one list the bench target
/// and the tests iterate. A new strategy is one line here.
pub fn strategies(workers: usize, work: ItemWork, d: &mut impl Declare) {
    d.declare(spec::<LockedRx<StdSync>>(workers, SMALL, work));
    d.declare(spec::<Chan<Crossbeam>>(workers, SMALL, work));
    d.declare(spec::<Chan<Crossbeam>>(workers, Capacity::Unbounded, work));
    d.declare(spec::<Chan<Flume>>(workers, SMALL, work));
    d.declare(spec::<MutexCondvar>(workers, SMALL, work));
    d.declare(Spec::system(workers, move || {
        self::rayon::RayonParIter::new(workers, work)
    }));
    d.declare(Spec::system(workers, move || {
        self::rayon::RayonParBridge::new(workers, work)
    }));
}

/// A job on the first link: an item, or the end-of-round marker.
pub type Job = Option<u64>;

/// Target duration of [`ItemWork::micro`].
pub const MICRO_TARGET: Duration = Duration::from_micros(1);

/// The middle stage's work per item, besides squaring it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemWork {
    units: u32,
    name: &'static str,
}

impl ItemWork {
    /// Nothing but the square: the stages' hand-offs dominate.
    pub const NONE: ItemWork = ItemWork {
        units: 0,
        name: "none",
    };

    /// About [`MICRO_TARGET`] of private arithmetic per item, calibrated
    /// once per process ([`calibrated_units`]).
    pub fn micro() -> ItemWork {
        ItemWork::calibrated_to("1us", MICRO_TARGET)
    }

    /// About `target` of private arithmetic per item, named `name` in
    /// benchmark groups (the lifecycle workload's job sizes).
    pub fn calibrated_to(name: &'static str, target: Duration) -> ItemWork {
        ItemWork {
            units: calibrated_units(target),
            name,
        }
    }

    /// Exactly `units` steps of [`spin_work`] per item (tests use small ones).
    pub fn with_units(units: u32) -> ItemWork {
        ItemWork {
            units,
            name: "spin",
        }
    }

    /// The knob's name in benchmark groups (`none`, `1us`).
    pub fn name(self) -> &'static str {
        self.name
    }

    /// Steps of [`spin_work`] per item.
    pub fn units(self) -> u32 {
        self.units
    }

    /// The middle stage on one item: the work, then the square (wrapping).
    ///
    /// The item goes through `black_box`, so that where items are not
    /// opaque anyway (rayon over a range) the compiler cannot replace the
    /// whole sum of squares by its closed form.
    #[inline(always)]
    pub fn apply(self, item: u64) -> u64 {
        if self.units > 0 {
            spin_work(self.units);
        }
        let item = black_box(item);
        item.wrapping_mul(item)
    }
}

/// A pool thread's stage, with its queue handles.
pub enum Stage<Q: Queue> {
    /// Sends the round's items, then one end marker per worker.
    Generate(Q::Producer<Job>),
    /// Worker `index` (of W): takes jobs, sends squares.
    Work {
        /// Index among the workers, `0..W`.
        index: usize,
        /// Handle on the jobs queue.
        jobs: Q::Consumer<Job>,
        /// Handle on the results queue.
        results: Q::Producer<u64>,
    },
    /// Adds up exactly `total` results.
    Reduce(Q::Consumer<u64>),
}

/// Driver for `pipeline/square-sum/<work>` over queue flavour `Q`; see the
/// module docs.
pub struct Pipeline<Q: Queue> {
    jobs: Q::Shared<Job>,
    results: Q::Shared<u64>,
    workers: usize,
    work: ItemWork,
    sum: CachePadded<AtomicU64>,
    /// Items each worker took in the latest round (fairness).
    items: Box<[CachePadded<AtomicU64>]>,
}

impl<Q: Queue> Pipeline<Q> {
    /// Empty queues of capacity `cap` for `workers` middle-stage workers;
    /// panics if the flavour does not offer them.
    pub fn new(workers: usize, cap: Capacity, work: ItemWork) -> Self {
        assert!(workers >= 1, "a pipeline needs at least one worker");
        assert!(
            Q::offers(cap, true),
            "{} does not offer a fan-out to {workers} workers",
            Q::name(cap)
        );
        Pipeline {
            jobs: Q::new(cap),
            results: Q::new(cap),
            workers,
            work,
            sum: CachePadded::new(AtomicU64::new(0)),
            items: (0..workers)
                .map(|_| CachePadded::new(AtomicU64::new(0)))
                .collect(),
        }
    }

    /// Pool threads: generator, W workers, reducer.
    pub fn threads(&self) -> usize {
        self.workers + 2
    }
}

impl<Q: Queue> Workload for Pipeline<Q> {
    type Worker = Stage<Q>;

    fn worker(&self, index: usize, _threads: usize) -> Stage<Q> {
        if index == 0 {
            Stage::Generate(Q::producer(&self.jobs))
        } else if index <= self.workers {
            Stage::Work {
                index: index - 1,
                jobs: Q::consumer(&self.jobs),
                results: Q::producer(&self.results),
            }
        } else {
            Stage::Reduce(Q::consumer(&self.results))
        }
    }

    #[inline(never)]
    fn run(&self, stage: &mut Stage<Q>, round: &Round) {
        match stage {
            Stage::Generate(jobs) => {
                for item in 0..round.total {
                    Q::send(&self.jobs, jobs, Some(item));
                }
                for _ in 0..self.workers {
                    Q::send(&self.jobs, jobs, None);
                }
            }
            Stage::Work {
                index,
                jobs,
                results,
            } => {
                let mut taken = 0u64;
                while let Some(item) = Q::recv(&self.jobs, jobs) {
                    Q::send(&self.results, results, self.work.apply(item));
                    taken += 1;
                }
                self.items[*index].store(taken, Relaxed);
            }
            Stage::Reduce(results) => {
                let mut sum = 0u64;
                for _ in 0..round.total {
                    sum = sum.wrapping_add(Q::recv(&self.results, results));
                }
                self.sum.store(sum, Relaxed);
            }
        }
    }

    fn after_round(&self, total: u64) {
        let sum = self.sum.swap(0, Relaxed);
        let want = sum_of_squares_below(total);
        assert_eq!(
            sum, want,
            "the reducer's sum of squares differs from that of the {total} items generated"
        );
        let taken: u64 = self.items.iter().map(|n| n.load(Relaxed)).sum();
        assert_eq!(
            taken, total,
            "workers took {taken} items, the generator sent {total}"
        );
    }

    fn extras(&self) -> Option<serde_json::Value> {
        let items: Vec<u64> = self.items.iter().map(|n| n.load(Relaxed)).collect();
        Some(serde_json::json!({ "items_per_worker": items }))
    }
}

/// A pool running the pipeline over flavour `Q` at capacity `cap` with
/// `workers` middle-stage workers (W + 2 threads). Its name is the
/// strategy id.
pub fn pipeline<Q: Queue>(workers: usize, cap: Capacity, work: ItemWork) -> Pool<Pipeline<Q>> {
    let p = Pipeline::<Q>::new(workers, cap, work);
    Pool::new(Q::name(cap), p.threads(), p)
}

/// [`pipeline`]'s benchmark: flavour `Q`'s id at `cap` and family, the
/// parameter W, and the pool.
pub fn spec<Q: Queue>(
    workers: usize,
    cap: Capacity,
    work: ItemWork,
) -> Spec<impl FnOnce() -> Pool<Pipeline<Q>> + Send + 'static> {
    Spec::named(Q::name(cap), Q::FAMILY, workers, move || {
        pipeline::<Q>(workers, cap, work)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_squares_whatever_its_units() {
        for w in [ItemWork::NONE, ItemWork::with_units(5), ItemWork::micro()] {
            assert_eq!(w.apply(12), 144);
            assert_eq!(w.apply(u64::MAX), 1);
        }
        assert_eq!(ItemWork::NONE.name(), "none");
        assert_eq!(ItemWork::micro().name(), "1us");
        assert!(ItemWork::micro().units() >= 1);
    }
}
