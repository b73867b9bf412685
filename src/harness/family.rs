use serde::{Deserialize, Serialize};

/// The kind of primitive a strategy is built on.
///
/// The report groups strategies by family when it judges a rule of thumb
/// ("use a mutex for a shared counter" compares the [`Family::Mutex`] and
/// [`Family::RwLock`] strategies with everything else). Benches record the
/// family of every benchmark id in its sidecar file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// A mutual-exclusion lock (std or parking_lot), alone or with a Condvar.
    Mutex,
    /// A reader-writer lock (std or parking_lot).
    RwLock,
    /// An async lock whose guard may be held across `.await`
    /// (`tokio::sync::Mutex`, `tokio::sync::RwLock`): its own family, so
    /// that tokio's advice ("prefer a std Mutex unless the guard is held
    /// across .await") compares it with [`Family::Mutex`].
    AsyncLock,
    /// A spinlock: waiters spin (and maybe yield) instead of parking (the
    /// `spin` crate's `Mutex` and `RwLock`, a test-and-test-and-set lock).
    Spin,
    /// One shared atomic word: fetch_add, compare-exchange, load/store, spinning on a flag.
    Atomic,
    /// State split across shards (striped atomics, cache-padded or not;
    /// sharded maps, DashMap).
    Sharded,
    /// Private per-thread batches flushed periodically into shared state.
    Batched,
    /// A channel: message passing, including state owned by one thread (actor).
    Channel,
    /// A lock-free queue (crossbeam ArrayQueue / SegQueue).
    LockFree,
    /// An immutable snapshot swapped atomically (arc-swap, seqlock, copy-on-write).
    Snapshot,
    /// Thread park/unpark with an atomic flag, or its async counterpart: a
    /// waker registry without a queue of values (tokio `Notify`,
    /// tokio-util `CancellationToken`).
    Park,
    /// A std Barrier.
    Barrier,
    /// Data parallelism without shared mutable state (rayon).
    DataParallel,
    /// The no-sharing limit: each thread works privately, one combine at the end.
    NoSharing,
    /// Harness calibration: no-op and hand-written reference loops. Never a winner.
    Baseline,
    /// A primitive that fits none of the families above (a strategy from
    /// another crate may declare it): shown as `other`, judged by no rule of
    /// thumb (no rule compares it with anything), drawn and ranked like any
    /// contender.
    Other,
}

impl Family {
    /// Whether strategies of this family do no shared work per operation
    /// (private batches, data parallelism, the no-sharing limit): the ones
    /// that run at the harness floor.
    pub fn is_private(self) -> bool {
        matches!(
            self,
            Family::Batched | Family::DataParallel | Family::NoSharing
        )
    }

    /// Every family, in declaration order.
    pub const ALL: [Family; 16] = [
        Family::Mutex,
        Family::RwLock,
        Family::AsyncLock,
        Family::Spin,
        Family::Atomic,
        Family::Sharded,
        Family::Batched,
        Family::Channel,
        Family::LockFree,
        Family::Snapshot,
        Family::Park,
        Family::Barrier,
        Family::DataParallel,
        Family::NoSharing,
        Family::Baseline,
        Family::Other,
    ];

    /// The kebab-case name used in sidecars, results files and charts.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Mutex => "mutex",
            Family::RwLock => "rw-lock",
            Family::AsyncLock => "async-lock",
            Family::Spin => "spin",
            Family::Atomic => "atomic",
            Family::Sharded => "sharded",
            Family::Batched => "batched",
            Family::Channel => "channel",
            Family::LockFree => "lock-free",
            Family::Snapshot => "snapshot",
            Family::Park => "park",
            Family::Barrier => "barrier",
            Family::DataParallel => "data-parallel",
            Family::NoSharing => "no-sharing",
            Family::Baseline => "baseline",
            Family::Other => "other",
        }
    }

    /// Whether this family is a reference point rather than a contender: it is
    /// drawn and tabulated but never named winner (no-op, hand-written loop,
    /// the no-sharing limit).
    pub fn is_reference(self) -> bool {
        matches!(self, Family::Baseline | Family::NoSharing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_str_matches_serde_name() {
        for f in Family::ALL {
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.as_str()));
            assert_eq!(serde_json::from_str::<Family>(&json).unwrap(), f);
        }
    }
}
