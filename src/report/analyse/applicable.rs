//! Cells that do not exist because the strategy cannot run there, shown as
//! "not applicable" rather than left as holes.
//!
//! The one case so far: holding a lock's guard across an `.await`
//! (`tasks/*/across-yield`). A std or parking_lot guard is not `Send`, so a
//! task holding one across `.await` cannot run on a multi-thread runtime;
//! an atomic or DashMap has no guard to hold. Those strategies run in the
//! sibling `no-await` scenario and are absent here by design: every
//! strategy of the sibling scenario whose family is listed is reported as
//! not applicable, with the reason.

use crate::harness::Family;
use crate::report::analyse::model::{Model, Scenario};
use crate::report::analyse::scope::matches;

/// Strategies of some families that cannot run in the scenarios of a scope.
#[derive(Debug)]
pub struct NotApplicable {
    /// Scenario-group prefix, matched component-wise.
    pub scope: &'static str,
    /// The scope's path segment that the sibling scenario (where the
    /// strategies do run) has instead, and that segment there.
    pub sibling: (&'static str, &'static str),
    /// The families that cannot run here.
    pub families: &'static [Family],
    /// Why, as the report prints it.
    pub reason: &'static str,
}

/// The reason printed for sync locks across a yield point.
pub const GUARD_NOT_SEND: &str = "not applicable (guard not Send across .await)";

/// The families whose guard (or whole operation) cannot span an `.await`:
/// the sync locks, the atomic and DashMap.
const NOT_ACROSS_AWAIT: &[Family] = &[
    Family::Mutex,
    Family::RwLock,
    Family::Atomic,
    Family::Sharded,
];

/// The registry.
pub static NOT_APPLICABLE: &[NotApplicable] = &[
    NotApplicable {
        scope: "tasks/counter/across-yield",
        sibling: ("across-yield", "no-await"),
        families: NOT_ACROSS_AWAIT,
        reason: GUARD_NOT_SEND,
    },
    NotApplicable {
        scope: "tasks/map/across-yield",
        sibling: ("across-yield", "no-await"),
        families: NOT_ACROSS_AWAIT,
        reason: GUARD_NOT_SEND,
    },
];

/// A strategy shown as not applicable in a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Absent {
    /// The strategy id.
    pub strategy: String,
    /// Its family's name.
    pub family: String,
    /// Why it cannot run here.
    pub reason: &'static str,
}

/// The strategies not applicable in scenario `s` of `model`: those of the
/// sibling scenario whose family the registry lists, that `s` lacks.
pub fn absent(model: &Model, s: &Scenario) -> Vec<Absent> {
    let mut out = Vec::new();
    for na in NOT_APPLICABLE.iter().filter(|na| matches(na.scope, &s.id)) {
        let sibling_id =
            s.id.split('/')
                .map(|c| if c == na.sibling.0 { na.sibling.1 } else { c })
                .collect::<Vec<_>>()
                .join("/");
        let Some(sibling) = model.scenarios.iter().find(|x| x.id == sibling_id) else {
            continue;
        };
        for x in &sibling.series {
            let listed = x.family.is_some_and(|f| na.families.contains(&f));
            let here = s.series.iter().any(|y| y.strategy == x.strategy);
            if listed && !here && !out.iter().any(|a: &Absent| a.strategy == x.strategy) {
                out.push(Absent {
                    strategy: x.strategy.clone(),
                    family: x.family_name().to_string(),
                    reason: na.reason,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::analyse::decide::tests::{scenario, series};

    #[test]
    fn sync_locks_across_a_yield_are_not_applicable() {
        let m = Model {
            scenarios: vec![
                scenario(
                    "tasks/counter/no-await",
                    vec![
                        series("std-mutex", Some(Family::Mutex), &[(1, 100.0)]),
                        series("atomic-fetch_add", Some(Family::Atomic), &[(1, 300.0)]),
                        series("tokio-mutex", Some(Family::AsyncLock), &[(1, 50.0)]),
                    ],
                ),
                scenario(
                    "tasks/counter/across-yield",
                    vec![series("tokio-mutex", Some(Family::AsyncLock), &[(1, 5.0)])],
                ),
                scenario(
                    "tasks/counter/no-await/current-thread",
                    vec![series("std-mutex", Some(Family::Mutex), &[(1, 100.0)])],
                ),
                scenario(
                    "tasks/counter/across-yield/current-thread",
                    vec![series("tokio-mutex", Some(Family::AsyncLock), &[(1, 5.0)])],
                ),
            ],
        };
        let names = |i: usize| -> Vec<String> {
            absent(&m, &m.scenarios[i])
                .into_iter()
                .map(|a| {
                    assert_eq!(a.reason, GUARD_NOT_SEND);
                    a.strategy
                })
                .collect()
        };
        assert_eq!(names(1), ["std-mutex", "atomic-fetch_add"]);
        assert_eq!(names(3), ["std-mutex"]);
        // Nothing is missing where every strategy runs.
        assert!(names(0).is_empty());
        assert!(names(2).is_empty());
    }
}
