//! The no-op strategy: the harness's own cost per operation.
//!
//! Each operation is an empty loop iteration with a `black_box(())` barrier
//! that keeps the loop from being optimised away; the only
//! shared state is one counter per round per thread, used to check that the
//! harness handed out exactly the operations criterion asked for.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use super::{Family, Round, Strategy, Workload};

/// Does nothing per operation; see the module docs.
#[derive(Debug, Default)]
pub struct Noop {
    done: AtomicU64,
    expected: AtomicU64,
}

impl Strategy for Noop {
    const NAME: &'static str = "noop";
    const FAMILY: Family = Family::Baseline;
}

impl Workload for Noop {
    type Worker = ();

    fn worker(&self, _: usize, _: usize) {}

    fn run(&self, _: &mut (), round: &Round) {
        for _ in 0..round.ops {
            black_box(());
        }
        self.done.fetch_add(round.ops, Relaxed);
    }

    fn after_round(&self, total: u64) {
        let expected = self.expected.fetch_add(total, Relaxed) + total;
        assert_eq!(
            self.done.load(Relaxed),
            expected,
            "operations lost by the harness"
        );
    }
}
