//! Which benchmark ids the last passes of a run may skip (`report screen`).
//!
//! Every benchmark id costs the same time per pass, whatever its speed:
//! criterion measures for a fixed window. In a typical run about a third of
//! the ids are a rendezvous channel, an actor or a spinner that is tens to
//! thousands of times slower than the best strategy of its cell. Their
//! figure decides nothing (no interval of a 10x gap comes near 1), yet they
//! take a third of every pass.
//!
//! **The rule.** After the first [`AFTER`] passes, a strategy is *screened*
//! when, in each of those passes, its time per operation is at least
//! [`FACTOR`] times that of the cell's fastest contender in the same pass
//! (contenders at the harness floor do not count as the fastest: the
//! comparison is with the best strategy that does shared work). The main job
//! leaves screened ids out of the later passes and out of the repairs, so
//! they keep [`AFTER`] passes, every one of them measured side by side with
//! the rest of its cell. Their verdicts and charts rest on those passes; the
//! report counts them in its Notes. Nothing that could lead a cell is
//! screened: a contender within [`FACTOR`] of the best in any one of the
//! first passes stays in every pass.

use std::fmt::Write as _;

use crate::report::analyse::model::{Model, Point};
use crate::report::analyse::stats::Floor;

/// Passes every id gets before any is screened.
pub use crate::report::analyse::model::SCREEN_AFTER as AFTER;

/// A strategy at least this many times slower than its cell's best in each
/// of the first [`AFTER`] passes is screened.
pub const FACTOR: f64 = 8.0;

/// One screened benchmark id.
#[derive(Clone, Debug, PartialEq)]
pub struct Screened {
    /// The scenario (criterion group).
    pub scenario: String,
    /// The strategy (criterion function).
    pub strategy: String,
    /// The thread count (criterion parameter).
    pub threads: usize,
    /// Its smallest slowdown over the cell's best in the first passes.
    pub slowdown: f64,
}

impl Screened {
    /// The id as the bench glue names it: `group/function/parameter`.
    pub fn id(&self) -> String {
        format!("{}/{}/{}", self.scenario, self.strategy, self.threads)
    }
}

/// The ids of `model` to leave out of the passes after [`AFTER`] (see the
/// module docs), in scenario order.
pub fn screened(model: &Model, floor: &Floor) -> Vec<Screened> {
    let mut out = Vec::new();
    for scenario in &model.scenarios {
        for &t in &scenario.threads {
            let ranked = crate::report::analyse::model::ranked(scenario, t);
            // Each contender's first passes, by pass number; a contender
            // that lacks one of them is never screened.
            let first = |p: &Point| -> Option<Vec<f64>> {
                (1..=AFTER)
                    .map(|k| {
                        p.passes
                            .iter()
                            .find(|e| e.pass == k)
                            .map(|e| e.ns_per_op.point)
                    })
                    .collect()
            };
            let mut best: Vec<f64> = vec![f64::INFINITY; AFTER as usize];
            for (_, p) in &ranked {
                if floor.holds(p.ns_per_op.point, t) {
                    continue;
                }
                if let Some(ns) = first(p) {
                    for (b, x) in best.iter_mut().zip(ns) {
                        *b = b.min(x);
                    }
                }
            }
            if best.iter().any(|b| !b.is_finite()) {
                continue;
            }
            for (s, p) in &ranked {
                let Some(ns) = first(p) else { continue };
                let slowdown = ns
                    .iter()
                    .zip(&best)
                    .map(|(x, b)| x / b)
                    .fold(f64::INFINITY, f64::min);
                if slowdown >= FACTOR {
                    out.push(Screened {
                        scenario: scenario.id.clone(),
                        strategy: s.strategy.clone(),
                        threads: t,
                        slowdown,
                    });
                }
            }
        }
    }
    out
}

/// Every result of `model` with whether it was screened (see
/// [`Point::is_screened`]).
pub fn results(model: &Model) -> impl Iterator<Item = (&Point, bool)> {
    model.scenarios.iter().flat_map(|scenario| {
        scenario.threads.iter().flat_map(move |&t| {
            let most = scenario
                .at(t)
                .map(|(_, p)| p.pass_count())
                .max()
                .unwrap_or(0);
            scenario.at(t).map(move |(_, p)| (p, p.is_screened(most)))
        })
    })
}

/// How many results of `model` were screened (see [`Point::is_screened`]).
pub fn count(model: &Model) -> usize {
    results(model).filter(|&(_, s)| s).count()
}

/// The script's skip list: one `group/function/parameter` per line.
pub fn skip_list(screened: &[Screened]) -> String {
    let mut out = String::new();
    for s in screened {
        let _ = writeln!(out, "{}", s.id());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::analyse::repair::tests::{floor, scenario};

    #[test]
    fn only_strategies_far_behind_in_every_first_pass_are_screened() {
        let model = Model {
            scenarios: vec![scenario(
                "handoff/spsc/u64",
                &[
                    ("best", 2, &[10.0, 11.0, 10.0, 10.0, 10.0]),
                    ("close", 2, &[12.0, 12.0, 12.0, 12.0, 12.0]),
                    // 9x, 9x, 9x: screened.
                    ("slow", 2, &[90.0, 99.0, 90.0, 90.0, 90.0]),
                    // 9x twice, but only 5x in pass 2: kept.
                    ("once-close", 2, &[90.0, 55.0, 90.0, 90.0, 90.0]),
                ],
            )],
        };
        let s = screened(&model, &floor());
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].id(), "handoff/spsc/u64/slow/2");
        assert!((s[0].slowdown - 9.0).abs() < 1e-9);
        assert_eq!(skip_list(&s), "handoff/spsc/u64/slow/2\n");
    }

    #[test]
    fn nothing_is_screened_before_the_first_passes_are_in() {
        let model = Model {
            scenarios: vec![scenario(
                "handoff/spsc/u64",
                &[("best", 1, &[10.0]), ("slow", 1, &[500.0])],
            )],
        };
        assert!(screened(&model, &floor()).is_empty());
    }

    #[test]
    fn the_best_is_taken_off_the_harness_floor() {
        // `private` runs at the floor (0.3 ns): everything else is 30x
        // slower than it, but only `slow` is 8x behind the best off it.
        let model = Model {
            scenarios: vec![scenario(
                "counter/increment/hot",
                &[
                    ("private", 1, &[0.3, 0.3, 0.3]),
                    ("atomic", 1, &[9.0, 9.0, 9.0]),
                    ("mutex", 1, &[15.0, 15.0, 15.0]),
                    ("slow", 1, &[80.0, 80.0, 80.0]),
                ],
            )],
        };
        let ids: Vec<String> = screened(&model, &floor()).iter().map(|s| s.id()).collect();
        assert_eq!(ids, vec!["counter/increment/hot/slow/1".to_string()]);
    }
}
