//! Dispatch by a shared atomic cursor over the jobs: each worker claims the
//! next job id with one `fetch_add` until the cursor passes the round's last
//! job. No queue, no submitter, no blocking.
//!
//! Invariant: `fetch_add` hands every id below `total` to exactly one
//! worker; each worker overshoots once (its last claim is past the end) and
//! the cursor is reset between rounds, outside the timed region.
//!
//! Contention: every claim is a read-modify-write of one cache line, which
//! moves between the workers' cores; with no job cost that line is the whole
//! cost, with ~1 µs jobs claims rarely collide. The pool has W threads.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crossbeam::utils::CachePadded;

use crate::harness::{Family, Pool, Round, Spec, Strategy, Workload};

use super::{ItemWork, Sums, Tally};

/// Driver for the `atomic-cursor` strategy; see the module docs.
pub struct Cursor {
    next: CachePadded<AtomicU64>,
    work: ItemWork,
    tally: Tally,
}

impl Strategy for Cursor {
    const NAME: &'static str = "atomic-cursor";
    const FAMILY: Family = Family::Atomic;
}

impl Cursor {
    /// A cursor at job 0.
    pub fn new(work: ItemWork) -> Self {
        Cursor {
            next: CachePadded::new(AtomicU64::new(0)),
            work,
            tally: Tally::default(),
        }
    }
}

impl Workload for Cursor {
    type Worker = ();

    fn worker(&self, _index: usize, _threads: usize) {}

    #[inline(never)]
    fn run(&self, _: &mut (), round: &Round) {
        let mut mine = Sums::default();
        loop {
            // The job is its id: nothing is published through the cursor,
            // so the claim needs no ordering beyond its atomicity.
            let id = self.next.fetch_add(1, Relaxed);
            if id >= round.total {
                break;
            }
            mine.add(id, self.work.apply(id));
        }
        self.tally.add(mine);
    }

    fn after_round(&self, total: u64) {
        self.next.store(0, Relaxed);
        self.tally.take().check(total);
    }
}

/// The `atomic-cursor` pool of `workers` threads.
pub fn cursor(workers: usize, work: ItemWork) -> Pool<Cursor> {
    Pool::new(Cursor::NAME, workers, Cursor::new(work))
}

/// [`cursor`]'s benchmark, parameter W.
pub fn spec(
    workers: usize,
    work: ItemWork,
) -> Spec<impl FnOnce() -> Pool<Cursor> + Send + 'static> {
    Spec::of::<Cursor>(workers, move || cursor(workers, work))
}
