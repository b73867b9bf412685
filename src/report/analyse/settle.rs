//! Adaptive passes: after each pass from the [`MIN_PASSES`]-th on, which
//! cells are settled and stop getting passes, and which ids of the open
//! cells are out of contention (`report screen`).
//!
//! Every benchmark id costs the same window per pass, whatever its cell
//! needs. A cell where a rendezvous channel is 2,000x behind, or where rayon
//! leads by 51x, is settled by its first passes; a cell where two lock-free
//! queues are 1.2x apart needs every pass it can get. So the main job
//! (`scripts/bench.sh`) gives every id [`MIN_PASSES`] passes, then looks at
//! every cell after each pass:
//!
//! - A cell is **settled** when its verdict, taken at [`Level::Interim`],
//!   answers it: a winner, a winning family, a floor group ahead of the rest,
//!   or no practical difference (see `crate::report::analyse::decide`). It
//!   gets no more passes, and the report's verdict rests on the passes it
//!   has. A cell without a contender (reference lines only) is settled too.
//! - In an **open** cell, a contender is **out of contention** when the
//!   cell's best is ahead of it by the practical margin beyond the
//!   interval, at the same stricter level, or when it was screened far
//!   behind (see `crate::report::analyse::screen`). It gets no more passes;
//!   the report counts it as clearly behind, as it does a screened one.
//! - Everything else gets the next pass, up to the run's planned passes
//!   (the cap) and its time budget.
//!
//! A list once made is kept: an id left out after one pass stays out, so
//! every result's passes are `1..=k`.
//!
//! **Optional stopping.** Looking after every pass and stopping on the
//! first look that settles a cell would raise the rate of false verdicts
//! (each look is one more chance for noise to cross the bar). So a look
//! before the last pass uses a stricter interval: Student's t at 99.9 %
//! instead of 97.5 %, one-sided, and no order bound (see
//! [`Level::Interim`]): each of the (at most four) looks before the last
//! adds at most 0.1 % to the chance of a false verdict (a Bonferroni
//! bound), while the cells still open get up to seven passes instead of
//! five, and a winner must then lead in all seven. On synthetic replicates
//! (the tests `equal_strategies_win_no_more_often` and
//! `strategies_apart_by_more_than_the_margin_are_called_equivalent_no_more_often`,
//! the same draws through both designs), looks after passes 3-6 with up to
//! seven passes name false winners and false "no practical difference"
//! no more often than five fixed passes, at every noise level tried. With
//! up to five passes (`SYNCBENCH_PASSES=5`) they would, by up to 0.2
//! points at the noisiest: the final look at five passes has no more
//! strictness to spend.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;

use crate::report::analyse::decide::{ahead_of, row_at};
use crate::report::analyse::model::{Model, Point, ranked};
use crate::report::analyse::screen;
use crate::report::analyse::stats::{Floor, Level};

/// Passes every id gets before any cell may stop: the first look.
pub const MIN_PASSES: u32 = crate::harness::settings::LOOK_AFTER_PASSES;

/// One bench target's ids after a look.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetOpen {
    /// Ids of the target measured so far.
    pub ids: usize,
    /// Ids that get the next pass.
    pub open_ids: usize,
    /// Cells (scenario × thread count) not settled yet.
    pub open_cells: usize,
    /// Cells in all.
    pub cells: usize,
}

/// What a look decides.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Look {
    /// Every id to leave out of the next passes (`group/function/parameter`),
    /// sorted; includes the list the look was given.
    pub skip: BTreeSet<String>,
    /// Per bench target (the scenario id's first component), its ids and
    /// open cells.
    pub targets: BTreeMap<String, TargetOpen>,
    /// Ids left out in settled cells.
    pub settled_ids: usize,
    /// Ids left out in open cells: out of contention, screened, or on the
    /// list the look was given.
    pub behind_ids: usize,
}

impl Look {
    /// The skip list the benches read (`SYNCBENCH_SKIP`): one id per line.
    pub fn skip_list(&self) -> String {
        let mut out = String::new();
        for id in &self.skip {
            let _ = writeln!(out, "{id}");
        }
        out
    }

    /// One line per bench target for the main job:
    /// `target<TAB>ids<TAB>open ids<TAB>open cells<TAB>cells`.
    pub fn open_table(&self) -> String {
        let mut out = String::new();
        for (t, o) in &self.targets {
            let _ = writeln!(
                out,
                "{t}\t{}\t{}\t{}\t{}",
                o.ids, o.open_ids, o.open_cells, o.cells
            );
        }
        out
    }

    /// Open ids over every target.
    pub fn open_ids(&self) -> usize {
        self.targets.values().map(|o| o.open_ids).sum()
    }

    /// Open cells over every target.
    pub fn open_cells(&self) -> usize {
        self.targets.values().map(|o| o.open_cells).sum()
    }
}

/// The bench target of a scenario id: its first component.
pub fn target_of(scenario: &str) -> &str {
    scenario.split('/').next().unwrap_or(scenario)
}

/// A look at `model` (see the module docs): which ids to leave out of the
/// next pass, keeping every id of `kept` (the list so far) out. Before
/// every result of a cell has [`MIN_PASSES`] passes, nothing of the cell is
/// left out but what `kept` lists.
pub fn look(model: &Model, floor: &Floor, kept: &HashSet<String>) -> Look {
    let screened: HashSet<String> = screen::screened(model, floor)
        .iter()
        .map(screen::Screened::id)
        .collect();
    let mut out = Look::default();
    for scenario in &model.scenarios {
        let target = out
            .targets
            .entry(target_of(&scenario.id).to_string())
            .or_default();
        for &t in &scenario.threads {
            // Every current id of the cell, reference lines included.
            let ids: Vec<(String, &str, &Point)> = scenario
                .at(t)
                .filter(|(_, p)| !p.stale)
                .map(|(s, p)| {
                    let id = format!("{}/{}/{t}", scenario.id, s.strategy);
                    (id, s.strategy.as_str(), p)
                })
                .collect();
            if ids.is_empty() {
                continue;
            }
            target.ids += ids.len();
            target.cells += 1;
            let contenders = ranked(scenario, t);
            let most = ids
                .iter()
                .map(|(_, _, p)| p.pass_count())
                .max()
                .unwrap_or(0);
            let fewest_open = ids
                .iter()
                .filter(|(i, _, _)| !kept.contains(i))
                .map(|(_, _, p)| p.pass_count())
                .min()
                .unwrap_or(most);
            let looked = fewest_open >= MIN_PASSES as usize;
            let settled = looked
                && (contenders.is_empty()
                    || row_at(scenario, t, floor, Level::Interim)
                        .verdict
                        .is_answered());
            let best = contenders.first().map(|&(_, p)| p);
            let mut open = 0;
            for (i, strategy, p) in &ids {
                let contender = contenders.iter().any(|(s, _)| s.strategy == *strategy);
                let out_of_contention = looked
                    && contender
                    && best.is_some_and(|b| {
                        !std::ptr::eq(b, *p) && ahead_of(b, p, most, Level::Interim)
                    });
                if kept.contains(i) || settled || out_of_contention || screened.contains(i) {
                    if settled {
                        out.settled_ids += 1;
                    } else {
                        out.behind_ids += 1;
                    }
                    out.skip.insert(i.clone());
                } else {
                    open += 1;
                }
            }
            target.open_ids += open;
            if open > 0 {
                target.open_cells += 1;
            }
        }
    }
    out
}

/// The results of a run short of their planned passes, besides those left
/// out of their cell's later passes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Short {
    /// Results whose cell stopped on a look, settled: its verdict at
    /// [`Level::Interim`] on the passes it has answers it.
    pub settled: usize,
    /// Their cells.
    pub settled_cells: usize,
    /// The others, `group/function/parameter (k of planned)`: the time
    /// budget stopped the passes, or the run was interrupted.
    pub open: Vec<String>,
}

/// Which results of `model` are short of their planned passes, and why (see
/// [`Short`]).
pub fn short_of_plan(model: &Model, floor: &Floor) -> Short {
    let mut out = Short::default();
    for s in &model.scenarios {
        for &t in &s.threads {
            let most = s
                .at(t)
                .filter(|(_, p)| !p.stale)
                .map(|(_, p)| p.pass_count())
                .max()
                .unwrap_or(0);
            let short: Vec<(&str, &Point)> = s
                .at(t)
                .filter(|(_, p)| !p.stale)
                .filter(|(_, p)| p.pass_count() < p.planned_passes.max(1) as usize)
                .filter(|(_, p)| !p.is_screened(most))
                .map(|(x, p)| (x.strategy.as_str(), p))
                .collect();
            if short.is_empty() {
                continue;
            }
            let settled = short.iter().all(|(_, p)| p.is_settled_early(most))
                && (ranked(s, t).is_empty()
                    || row_at(s, t, floor, Level::Interim).verdict.is_answered());
            if settled {
                out.settled += short.len();
                out.settled_cells += 1;
            } else {
                out.open.extend(short.iter().map(|(x, p)| {
                    format!(
                        "{}/{x}/{t} ({} of {})",
                        s.id,
                        p.pass_count(),
                        p.planned_passes
                    )
                }));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
