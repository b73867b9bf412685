//! The rules of thumb under test, as data: one [`Rule`] per rule in
//! [`RULES`], each saying how it is judged ([`Kind`]). The verdict logic
//! that reads them is in `crate::report::analyse::rules`.
//!
//! Adding a workload's rule is adding an entry to [`RULES`].

use crate::harness::Family;

/// One rule of thumb.
#[derive(Debug)]
pub struct Rule {
    /// Its number in the summary (stable: links and tests use it).
    pub id: u32,
    /// The guide's wording.
    pub text: &'static str,
    /// How it is judged.
    pub kind: Kind,
}

/// How a rule is judged.
#[derive(Debug)]
pub enum Kind {
    /// Best of families `a` (recommended) against best of families `b`
    /// (recommended against) in every scenario under one of `scopes`.
    Compare {
        /// Scenario-group prefixes (`counter/increment/`, `signal/one-to-many`).
        scopes: &'static [&'static str],
        /// The families the rule recommends.
        a: &'static [Family],
        /// The families it recommends against.
        b: &'static [Family],
    },
    /// Not a performance claim: every benchmark id's threads must exit when
    /// its system is dropped, as the bench glue records in each sidecar
    /// (`threads_leaked`, see [`crate::harness::exit`]).
    ExitPaths,
    /// Not a performance claim: the test suite enforces it.
    Enforced {
        /// How it is enforced.
        how: &'static str,
    },
    /// Holds only if every rule of both halves holds.
    Composite {
        /// The first half's name and rule ids.
        first: (&'static str, &'static [u32]),
        /// The second half's name and rule ids.
        second: (&'static str, &'static [u32]),
    },
}

use Family::{AsyncLock, Atomic, Batched, Channel, Mutex, Park, RwLock, Sharded, Snapshot, Spin};

/// The registry: the guide's table, then its principles, then folklore the
/// guide does not cover.
pub static RULES: &[Rule] = &[
    Rule {
        id: 1,
        text: "Use a mutex when protecting a shared counter",
        kind: Kind::Compare {
            scopes: &["counter/increment/"],
            a: &[Mutex],
            b: &[Channel],
        },
    },
    Rule {
        id: 2,
        text: "Use a mutex when guarding a map or slice",
        kind: Kind::Compare {
            scopes: &["map/"],
            a: &[Mutex, RwLock],
            b: &[Channel],
        },
    },
    Rule {
        id: 3,
        text: "Use a mutex when simple lock/unlock is sufficient",
        kind: Kind::Compare {
            scopes: &["counter/", "map/"],
            a: &[Mutex],
            b: &[Channel],
        },
    },
    Rule {
        id: 4,
        text: "Use an RWMutex for read-heavy workloads",
        kind: Kind::Compare {
            scopes: &["counter/read-mostly/", "map/read-heavy/"],
            a: &[RwLock],
            b: &[Mutex],
        },
    },
    Rule {
        id: 5,
        text: "Use a channel when transferring ownership of data",
        kind: Kind::Compare {
            scopes: &["handoff/"],
            a: &[Channel],
            b: &[Mutex],
        },
    },
    Rule {
        id: 6,
        text: "Use a channel when coordinating goroutine lifecycle",
        kind: Kind::Compare {
            scopes: &["lifecycle/dispatch/", "lifecycle/cancel/"],
            a: &[Channel],
            b: &[Mutex, Atomic],
        },
    },
    Rule {
        id: 7,
        text: "Use a channel when building pipelines or fan-out",
        kind: Kind::Compare {
            scopes: &["pipeline/"],
            a: &[Channel],
            b: &[Mutex],
        },
    },
    Rule {
        id: 8,
        text: "Use a channel when signalling completion or cancellation",
        kind: Kind::Compare {
            // tasks: Notify and CancellationToken (park family, a waker
            // registry) against oneshot / watch / broadcast / a dropped
            // sender (channels).
            scopes: &[
                "signal/",
                "lifecycle/cancel/",
                "lifecycle/cancellable-recv",
                "tasks/signal/",
                "tasks/cancel",
            ],
            a: &[Channel],
            b: &[Mutex, Park, Atomic],
        },
    },
    Rule {
        id: 9,
        text: "Principle: share memory by communicating",
        kind: Kind::Compare {
            scopes: &["counter/increment/", "map/"],
            a: &[Channel],
            b: &[Mutex, RwLock, Atomic, Sharded, Batched, Snapshot],
        },
    },
    Rule {
        id: 10,
        text: "Principle: every goroutine must have an exit path",
        kind: Kind::ExitPaths,
    },
    Rule {
        id: 11,
        text: "Principle: channels for coordination, mutexes for state",
        kind: Kind::Composite {
            first: ("mutexes for state", &[3]),
            second: ("channels for coordination", &[5, 7, 8]),
        },
    },
    Rule {
        id: 12,
        text: "Use a mutex rather than a spinlock",
        kind: Kind::Compare {
            // Every thread count of the axis, which runs past the CPU count:
            // the oversubscribed cells are where the claim is made.
            scopes: &["counter/increment/", "map/"],
            a: &[Mutex],
            b: &[Spin],
        },
    },
    Rule {
        id: 13,
        text: "tokio: prefer a std Mutex unless the guard is held across .await",
        kind: Kind::Compare {
            // Judged where the guard is not held across an .await: the sync
            // locks (std, parking_lot) against the async ones (tokio Mutex
            // and RwLock). Across a yield only the async locks can run (the
            // report shows the others as not applicable), so the "unless"
            // half holds by construction and has no cells to compare.
            scopes: &["tasks/counter/no-await", "tasks/map/no-await"],
            a: &[Mutex],
            b: &[AsyncLock],
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_ids_are_unique_and_scopes_nonempty() {
        let mut ids: Vec<u32> = RULES.iter().map(|r| r.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        for r in RULES {
            if let Kind::Compare { scopes, a, b } = &r.kind {
                assert!(
                    !scopes.is_empty() && !a.is_empty() && !b.is_empty(),
                    "{}",
                    r.id
                );
                assert!(a.iter().all(|f| !b.contains(f)), "{}", r.id);
            }
        }
    }
}
