//! Decisions per scenario and thread count: winner, runner-up, margin, ties,
//! "avoid", the margin over the best mutex, and where the winner changes.
//!
//! Rules (the statistics are in [`crate::report::analyse::stats`]):
//! - only contenders compete: reference lines (baselines, the no-sharing
//!   limit) are tabulated but never winner or runner-up, and results of an
//!   older run than the scenario's newest are shown but never compared;
//! - the best point estimate wins only when it leads the runner-up in every
//!   pass and its paired margin over each contender excludes 1; otherwise
//!   the row is a tie naming every contender it could not separate;
//! - a tie among strategies of one family is that family's win when the
//!   family, through its best member, beats every other family's
//!   contenders by the same test (a *family verdict*: "a spinlock", "a
//!   lock-free queue"); the row then names the tied members, and its
//!   runner-up and margin are the best contender of another family;
//! - contenders within [`crate::report::analyse::stats::FLOOR_FACTOR`] of the no-op ("at the
//!   harness floor") never win among themselves: the row names them
//!   together and only their margin over everything else;
//! - margins are ratios with the paired interval;
//! - "avoid" = at least [`AVOID_RATIO`] times slower than the winner;
//! - a crossover is where the clear winner changes between two thread
//!   counts at which both winners were measured.

use crate::report::analyse::model::{Model, Point, Scenario, Series, ranked};
use crate::report::analyse::stats::{self, Comparison, Floor};
use crate::report::input::criterion::Interval;
use std::borrow::Cow;

use crate::harness::{Family, Noop, Strategy};

/// A strategy this many times slower than the winner is marked "avoid".
pub const AVOID_RATIO: f64 = 10.0;

/// How many times faster `a` is than `b`, with the range the two
/// confidence intervals allow.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Ratio {
    /// `a.point / b.point`.
    pub point: f64,
    /// The smallest ratio the intervals allow (`a.lo / b.hi`).
    pub lo: f64,
    /// The largest ratio the intervals allow (`a.hi / b.lo`).
    pub hi: f64,
}

impl Ratio {
    /// The ratio of throughput `a` over throughput `b`.
    pub fn of(a: &Interval, b: &Interval) -> Ratio {
        Ratio {
            point: a.point / b.point,
            lo: a.lo / b.hi,
            hi: a.hi / b.lo,
        }
    }

    /// The ratio of a paired comparison, with the ends the verdicts use
    /// ([`Comparison::lower`], [`Comparison::upper`]).
    pub fn from_comparison(c: &Comparison) -> Ratio {
        Ratio {
            point: c.point,
            lo: c.lower(),
            hi: c.upper(),
        }
    }

    /// `b` over `a` instead of `a` over `b`.
    pub fn inverse(&self) -> Ratio {
        Ratio {
            point: 1.0 / self.point,
            lo: 1.0 / self.hi,
            hi: 1.0 / self.lo,
        }
    }

    /// `1.8x (1.6-2.0x)`.
    pub fn with_range(&self) -> String {
        format!(
            "{} ({}-{})",
            fmt_ratio(self.point),
            fmt_ratio_bare(self.lo),
            fmt_ratio(self.hi)
        )
    }
}

/// `1.83x`, `4.2x`, `23x`.
pub fn fmt_ratio(r: f64) -> String {
    format!("{}x", fmt_ratio_bare(r))
}

fn fmt_ratio_bare(r: f64) -> String {
    if !r.is_finite() {
        "?".to_string()
    } else if r < 2.0 {
        format!("{r:.2}")
    } else if r < 10.0 {
        format!("{r:.1}")
    } else {
        format!("{r:.0}")
    }
}

/// A strategy's result in a row.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Pick {
    /// Strategy name.
    pub strategy: String,
    /// Family name (`unknown` without a sidecar).
    pub family: Cow<'static, str>,
    /// Operations per second with its interval.
    pub throughput: Interval,
}

impl Pick {
    fn new(series: &Series, point: &Point) -> Pick {
        Pick {
            strategy: series.strategy.clone(),
            family: Cow::Borrowed(series.family_name()),
            throughput: point.throughput,
        }
    }
}

/// What a cell says, in the terms `report diff` compares.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CellVerdict {
    /// A clear winner.
    Winner {
        /// The strategy.
        strategy: String,
    },
    /// The best could not be separated from these (best first).
    Tie {
        /// The strategies tied.
        strategies: Vec<String>,
    },
    /// The best are tied among themselves, all of one family, and beat
    /// every other family's contenders: the family wins (see the module
    /// docs).
    Family {
        /// The family's name (`spin`, `lock-free`, ...).
        family: String,
        /// The family's tied members, best first.
        strategies: Vec<String>,
    },
    /// The best are at the harness floor together.
    Floor {
        /// The strategies at the floor.
        strategies: Vec<String>,
        /// Whether they beat every other contender as a winner beats its
        /// rivals (then the cell is decided: use any of them).
        #[serde(default)]
        ahead: bool,
    },
    /// No contender (reference lines or older results only).
    None,
}

impl CellVerdict {
    /// `winner x`, `tie (a ~ b)`, `floor (a, b)`, `-`.
    pub fn describe(&self) -> String {
        match self {
            CellVerdict::Winner { strategy } => format!("winner {strategy}"),
            CellVerdict::Tie { strategies } => format!("tie ({})", strategies.join(" ~ ")),
            CellVerdict::Family { family, strategies } => {
                format!("family {family} ({})", strategies.join(" ~ "))
            }
            CellVerdict::Floor { strategies, .. } => {
                format!("at the harness floor ({})", strategies.join(", "))
            }
            CellVerdict::None => "no contender".to_string(),
        }
    }

    /// Whether two verdicts say the same: the same winner, the same winning
    /// family, a tie in both, at the floor in both, or no contender in both.
    pub fn agrees(&self, other: &CellVerdict) -> bool {
        match (self, other) {
            (CellVerdict::Winner { strategy: a }, CellVerdict::Winner { strategy: b }) => a == b,
            (CellVerdict::Family { family: a, .. }, CellVerdict::Family { family: b, .. }) => {
                a == b
            }
            (CellVerdict::Tie { .. }, CellVerdict::Tie { .. })
            | (CellVerdict::Floor { .. }, CellVerdict::Floor { .. })
            | (CellVerdict::None, CellVerdict::None) => true,
            _ => false,
        }
    }

    /// Whether it names what to use: a winner, a winning family, or a
    /// group at the harness floor clearly ahead of everything else.
    pub fn is_decided(&self) -> bool {
        matches!(
            self,
            CellVerdict::Winner { .. }
                | CellVerdict::Family { .. }
                | CellVerdict::Floor { ahead: true, .. }
        )
    }

    /// Whether two decided verdicts contradict each other: different
    /// winners, different families, a winner that is not among the other
    /// side's winning family's members or floor group, or a family and a
    /// floor group with no strategy in common.
    pub fn contradicts(&self, other: &CellVerdict) -> bool {
        use CellVerdict::{Family as F, Floor as L, Winner as W};
        match (self, other) {
            (W { strategy: a }, W { strategy: b }) => a != b,
            (F { family: a, .. }, F { family: b, .. }) => a != b,
            (W { strategy }, F { strategies, .. } | L { strategies, .. })
            | (F { strategies, .. } | L { strategies, .. }, W { strategy }) => {
                !strategies.contains(strategy)
            }
            (F { strategies: a, .. }, L { strategies: b, .. })
            | (L { strategies: a, .. }, F { strategies: b, .. }) => {
                !a.iter().any(|x| b.contains(x))
            }
            _ => false,
        }
    }
}

/// One scenario at one thread count.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Row {
    /// Thread count.
    pub threads: usize,
    /// Contenders with a current result here.
    pub contenders: usize,
    /// Best point estimate among contenders (the winner only when
    /// [`Row::verdict`] says so).
    pub winner: Option<Pick>,
    /// Contenders the best could not be separated from: non-empty = tie.
    pub tied_with: Vec<String>,
    /// Second-best point estimate (at the floor: the best strategy off it;
    /// for a family verdict: the best contender of another family).
    pub runner_up: Option<Pick>,
    /// Best over runner-up, paired by pass (at the floor: the slowest floor
    /// strategy over the best one off it; for a family verdict: the
    /// family's best over the best of another family).
    pub margin: Option<Ratio>,
    /// When the winner is not a mutex: the best mutex and the winner's
    /// ratio over it.
    pub vs_mutex: Option<(String, Ratio)>,
    /// Contenders at least [`AVOID_RATIO`] times slower than the winner (at
    /// the floor: than the best strategy off it), with how many times.
    pub avoid: Vec<(String, f64)>,
    /// The winner's CPU time per operation (sidecars, median over passes), ns.
    pub winner_cpu_ns: Option<f64>,
    /// The same across passes: median, smallest and largest.
    pub winner_cpu: Option<stats::Spread>,
    /// Contenders at the harness floor, when the best is one of at least two.
    pub floor: Vec<String>,
    /// Fewest passes any contender here was measured in.
    pub passes: usize,
    /// Strategies with a result from an older run here: shown, not compared.
    pub older: Vec<String>,
    /// What the row says.
    pub verdict: CellVerdict,
}

impl Row {
    /// Whether the winner is not distinguishable from another contender.
    pub fn is_tie(&self) -> bool {
        !self.tied_with.is_empty()
    }

    /// Whether the best contenders sit together at the harness floor.
    pub fn is_floor(&self) -> bool {
        !self.floor.is_empty()
    }

    /// The winning family's name, for a family verdict.
    pub fn family_winner(&self) -> Option<&str> {
        match &self.verdict {
            CellVerdict::Family { family, .. } => Some(family),
            _ => None,
        }
    }

    /// The clear winner's name, if there is one (not tied, not at the floor).
    pub fn clear_winner(&self) -> Option<&str> {
        match &self.verdict {
            CellVerdict::Winner { strategy } => Some(strategy),
            _ => None,
        }
    }
}

/// Where the clear winner changes along the thread axis.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Crossover {
    /// The last thread count the previous winner won at.
    pub after: usize,
    /// The first thread count the new winner wins at.
    pub at: usize,
    /// The previous winner.
    pub from: String,
    /// The new winner.
    pub to: String,
}

/// A scenario's decision table.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Decision {
    /// The scenario id.
    pub scenario: String,
    /// One row per thread count, ascending.
    pub rows: Vec<Row>,
    /// Winner changes along the thread axis.
    pub crossovers: Vec<Crossover>,
}

impl Decision {
    /// The crossover line: `winner changes at 4 threads: a -> b`, or what
    /// holds instead.
    pub fn crossover_text(&self) -> String {
        let clear: Vec<&str> = self.rows.iter().filter_map(Row::clear_winner).collect();
        if clear.is_empty() {
            return "No clear winner at any thread count.".to_string();
        }
        if self.crossovers.is_empty() {
            let undecided = self
                .rows
                .iter()
                .filter(|r| r.clear_winner().is_none())
                .count();
            let mut names: Vec<&str> = clear.clone();
            names.dedup();
            if names.len() > 1 {
                return format!(
                    "No crossover can be drawn: the clear winners ({}) were never decided at \
                     two thread counts where both were measured.",
                    names.join(", ")
                );
            }
            let at_all = if undecided == 0 && clear.len() == self.rows.len() {
                "at every thread count".to_string()
            } else {
                format!(
                    "wherever there is a clear winner ({} of {} thread counts)",
                    clear.len(),
                    self.rows.len()
                )
            };
            return format!("No crossover: {} wins {at_all}.", clear[0]);
        }
        let parts: Vec<String> = self
            .crossovers
            .iter()
            .map(|c| {
                let when = if c.after_is_adjacent(&self.rows) {
                    format!("at {} threads", c.at)
                } else {
                    format!("between {} and {} threads", c.after, c.at)
                };
                format!("{when}: {} -> {}", c.from, c.to)
            })
            .collect();
        format!("Winner changes {}.", parts.join("; "))
    }
}

impl Crossover {
    fn after_is_adjacent(&self, rows: &[Row]) -> bool {
        let i = rows.iter().position(|r| r.threads == self.after);
        let j = rows.iter().position(|r| r.threads == self.at);
        matches!((i, j), (Some(i), Some(j)) if j == i + 1)
    }
}

/// The harness floor of `model`: the no-op at one thread where measured,
/// spread over `cpus` CPUs (those the run could use, see `report::cpus_of`).
pub fn floor_of(model: &Model, cpus: usize) -> Floor {
    let noop = model
        .scenarios
        .iter()
        .flat_map(|s| &s.series)
        .filter(|x| x.strategy == Noop::NAME)
        .filter_map(|x| x.points.get(&1))
        .find(|p| !p.stale)
        .map(|p| p.ns_per_op.point);
    Floor {
        noop_ns: noop.unwrap_or(stats::DEFAULT_NOOP_NS),
        measured: noop.is_some(),
        cpus: cpus.max(1),
    }
}

/// Decides every scenario of the model.
pub fn decide_all(model: &Model, floor: &Floor) -> Vec<Decision> {
    model.scenarios.iter().map(|s| decide(s, floor)).collect()
}

/// `a`'s throughput over `b`'s, paired by pass.
pub fn compare(a: &Point, b: &Point) -> Comparison {
    stats::compare(&a.estimates(), &b.estimates())
}

/// Decides one scenario.
pub fn decide(scenario: &Scenario, floor: &Floor) -> Decision {
    let rows: Vec<Row> = scenario
        .threads
        .iter()
        .map(|&t| row(scenario, t, floor))
        .collect();
    let mut crossovers = Vec::new();
    let mut last: Option<(usize, &str)> = None;
    let current = |name: &str, t: usize| {
        scenario
            .series
            .iter()
            .find(|x| x.strategy == name)
            .and_then(|x| x.points.get(&t))
            .is_some_and(|p| !p.stale)
    };
    for r in &rows {
        if let Some(w) = r.clear_winner() {
            if let Some((after, from)) = last
                && from != w
                && current(from, r.threads)
                && current(w, after)
            {
                crossovers.push(Crossover {
                    after,
                    at: r.threads,
                    from: from.to_string(),
                    to: w.to_string(),
                });
            }
            last = Some((r.threads, w));
        }
    }
    Decision {
        scenario: scenario.id.clone(),
        rows,
        crossovers,
    }
}

fn row(scenario: &Scenario, threads: usize, floor: &Floor) -> Row {
    let ranked = ranked(scenario, threads);
    let older: Vec<String> = scenario
        .at(threads)
        .filter(|(_, p)| p.stale)
        .map(|(s, _)| s.strategy.clone())
        .collect();
    // The most passes any contender has: fewer mark a screened one.
    let most = ranked
        .iter()
        .map(|(_, p)| p.pass_count())
        .max()
        .unwrap_or(0);
    let mut row = Row {
        threads,
        contenders: ranked.len(),
        winner: None,
        tied_with: Vec::new(),
        runner_up: None,
        margin: None,
        vs_mutex: None,
        avoid: Vec::new(),
        winner_cpu_ns: None,
        winner_cpu: None,
        floor: Vec::new(),
        // The passes every contender has, leaving out those screened after
        // the first passes (far behind, they decide nothing).
        passes: ranked
            .iter()
            .filter(|(_, p)| !p.is_screened(most))
            .map(|(_, p)| p.pass_count())
            .min()
            .unwrap_or(0),
        older,
        verdict: CellVerdict::None,
    };
    let Some(&(ws, wp)) = ranked.first() else {
        return row;
    };
    row.winner = Some(Pick::new(ws, wp));
    row.winner_cpu_ns = wp.cpu_ns_per_op();
    row.winner_cpu = wp.cpu();
    // Beside a best at the floor, the band widens to
    // [`stats::NEAR_FLOOR_FACTOR`] of the best for the strategies that do
    // no shared work per operation (see `stats`).
    let at_floor = |p: &Point| floor.holds(p.ns_per_op.point, threads);
    let near_floor = |s: &Series, p: &Point| {
        at_floor(p)
            || (s.family.is_some_and(Family::is_private)
                && p.ns_per_op.point <= stats::NEAR_FLOOR_FACTOR * wp.ns_per_op.point)
    };
    let on_floor: Vec<&(&Series, &Point)> =
        ranked.iter().filter(|(s, p)| near_floor(s, p)).collect();
    if at_floor(wp) && on_floor.len() >= 2 {
        // Together at the floor: no order among them, only their margin
        // over everything else.
        row.floor = on_floor.iter().map(|(s, _)| s.strategy.clone()).collect();
        let slowest = on_floor.last().map(|&&(s, p)| (s, p));
        let off: Vec<&(&Series, &Point)> =
            ranked.iter().filter(|(s, p)| !near_floor(s, p)).collect();
        let mut ahead = false;
        if let (Some((_, sp)), Some(&&(os, op))) = (slowest, off.first()) {
            row.runner_up = Some(Pick::new(os, op));
            row.margin = Some(Ratio::from_comparison(&compare(sp, op)));
            row.avoid = avoid(&ranked, op);
            // Decided when even the slowest of the group beats those off
            // it as a winner beats its rivals.
            ahead = beats_all(sp, &off, most);
        }
        row.verdict = CellVerdict::Floor {
            strategies: row.floor.clone(),
            ahead,
        };
        return row;
    }
    // Everyone the best cannot be told apart from: the runner-up unless the
    // best leads it in every pass and beyond the interval, the others
    // unless the best is clearly ahead ([`ahead_of`]).
    row.tied_with = ranked[1..]
        .iter()
        .enumerate()
        .filter(|&(i, (_, p))| {
            if i == 0 {
                !compare(wp, p).a_wins()
            } else {
                !ahead_of(wp, p, most)
            }
        })
        .map(|(_, (s, _))| s.strategy.clone())
        .collect();
    let mut runner = ranked.get(1).copied();
    row.verdict = if row.tied_with.is_empty() {
        CellVerdict::Winner {
            strategy: ws.strategy.clone(),
        }
    } else {
        let mut all = vec![ws.strategy.clone()];
        all.extend(row.tied_with.iter().cloned());
        match family_win(&ranked, &all, most) {
            Some((family, outsider)) => {
                runner = Some(outsider);
                CellVerdict::Family {
                    family: family.as_str().to_string(),
                    strategies: all,
                }
            }
            None => CellVerdict::Tie { strategies: all },
        }
    };
    if let Some((rs, rp)) = runner {
        row.runner_up = Some(Pick::new(rs, rp));
        row.margin = Some(Ratio::from_comparison(&compare(wp, rp)));
    }
    if ws.family != Some(Family::Mutex)
        && let Some((ms, mp)) = ranked.iter().find(|(s, _)| s.family == Some(Family::Mutex))
    {
        row.vs_mutex = Some((
            ms.strategy.clone(),
            Ratio::from_comparison(&compare(wp, mp)),
        ));
    }
    row.avoid = avoid(&ranked, wp);
    row
}

/// Whether the tie among `tied` (the best first, then the contenders it
/// could not be separated from) is one family's win: every tied strategy is
/// of that family and ranks ahead of every other family's contenders, and
/// the best beats those contenders as a winner beats its rivals: the best
/// of them in every pass and beyond [`stats::PRACTICAL_MARGIN`], each of the
/// others beyond it. Returns the family and that best outsider. Baselines
/// and strategies without a known family never win as a family.
fn family_win<'a>(
    ranked: &[(&'a Series, &'a Point)],
    tied: &[String],
    most: usize,
) -> Option<(Family, (&'a Series, &'a Point))> {
    let (ws, wp) = *ranked.first()?;
    let family = ws.family.filter(|f| *f != Family::Baseline)?;
    let members = tied.len();
    // The tied members come first in rank, and are all of the family.
    let (inside, outside) = ranked.split_at(members.min(ranked.len()));
    if inside.len() != members
        || inside
            .iter()
            .any(|(s, _)| s.family != Some(family) || !tied.contains(&s.strategy))
    {
        return None;
    }
    let outsiders: Vec<&(&Series, &Point)> = outside
        .iter()
        .filter(|(s, _)| s.family != Some(family))
        .collect();
    let &&best_out = outsiders.first()?;
    beats_all(wp, &outsiders, most).then_some((family, best_out))
}

/// Whether `best` beats `rivals` (best first) as a winner beats its rivals:
/// the first of them in every pass and beyond the margin
/// ([`stats::Comparison::a_wins`]), each of the others clearly ([`ahead_of`]).
/// False without rivals.
fn beats_all(best: &Point, rivals: &[&(&Series, &Point)], most: usize) -> bool {
    let Some((first, rest)) = rivals.split_first() else {
        return false;
    };
    compare(best, first.1).a_wins() && rest.iter().all(|(_, p)| ahead_of(best, p, most))
}

/// Whether the best (`best`) stands clearly ahead of a contender behind the
/// runner-up: beyond the interval ([`Comparison::a_ahead`]), or because the
/// contender was screened out far behind after the first passes (it ties
/// with nobody, see `stats`). `most` is the most passes any contender of
/// the cell has.
fn ahead_of(best: &Point, p: &Point, most: usize) -> bool {
    compare(best, p).a_ahead() || p.is_screened(most)
}

/// Contenders at least [`AVOID_RATIO`] times slower than `best`.
fn avoid(ranked: &[(&Series, &Point)], best: &Point) -> Vec<(String, f64)> {
    ranked
        .iter()
        .map(|(s, p)| (s, best.throughput.point / p.throughput.point))
        .filter(|(_, r)| *r >= AVOID_RATIO)
        .map(|(s, r)| (s.strategy.clone(), r))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::harness::sidecar::Sidecar;
    use crate::report::input::criterion::Estimator;
    use std::collections::BTreeMap;

    /// A point with throughput `ops` (Mops/s) ± `spread` (fraction).
    pub(crate) fn pt(threads: usize, mops: f64, spread: f64) -> Point {
        let point = mops * 1e6;
        let throughput = Interval {
            point,
            lo: point * (1.0 - spread),
            hi: point * (1.0 + spread),
        };
        Point {
            threads,
            throughput,
            ns_per_op: Interval {
                point: 1e9 / point,
                lo: 1e9 / throughput.hi,
                hi: 1e9 / throughput.lo,
            },
            estimator: Estimator::Slope,
            confidence_level: 0.95,
            sidecar: None,
            source: Default::default(),
            passes: Vec::new(),
            run: None,
            planned_passes: 1,
            stale: false,
        }
    }

    /// A series from (threads, Mops/s) pairs with a 2% interval.
    /// A series from (threads, Mops/s) pairs with a 2% interval; with a
    /// family, every point carries a sidecar naming it (as benches write).
    pub(crate) fn series(name: &str, family: Option<Family>, pts: &[(usize, f64)]) -> Series {
        Series {
            strategy: name.to_string(),
            family,
            points: pts
                .iter()
                .map(|&(t, m)| {
                    let mut p = pt(t, m, 0.02);
                    p.sidecar = family.map(|family| Sidecar {
                        group: "w/s".into(),
                        function: name.into(),
                        parameter: t.to_string(),
                        threads: t,
                        family,
                        profile: "quick".into(),
                        ops: 1000,
                        wall_ns_per_op: p.ns_per_op.point,
                        cpu_ns_per_op: Some(p.ns_per_op.point * t as f64),
                        finish_ns: vec![1000; t],
                        extra: None,
                        run_started_ms: None,
                        worker_cpu_ns_per_op: None,
                        pass: 1,
                        passes: 1,
                        baseline: None,
                        order_seed: None,
                        position: None,
                        repair: None,
                        threads_leaked: None,
                    });
                    (t, p)
                })
                .collect::<BTreeMap<_, _>>(),
        }
    }

    pub(crate) fn scenario(id: &str, series: Vec<Series>) -> Scenario {
        let mut threads: Vec<usize> = series
            .iter()
            .flat_map(|s| s.points.keys().copied())
            .collect();
        threads.sort_unstable();
        threads.dedup();
        let mut parts = id.splitn(3, '/');
        Scenario {
            id: id.to_string(),
            workload: parts.next().unwrap_or_default().into(),
            name: parts.next().unwrap_or_default().into(),
            variant: parts.next().unwrap_or_default().into(),
            threads,
            series,
        }
    }

    #[test]
    fn winner_margin_avoid_and_vs_mutex() {
        let s = scenario(
            "w/s",
            vec![
                series("atomic", Some(Family::Atomic), &[(1, 100.0)]),
                series("mutex", Some(Family::Mutex), &[(1, 50.0)]),
                series("actor", Some(Family::Channel), &[(1, 5.0)]),
                series("limit", Some(Family::NoSharing), &[(1, 1000.0)]),
            ],
        );
        let d = decide(&s, &Floor::default());
        let r = &d.rows[0];
        assert_eq!(r.contenders, 3, "the limit is not a contender");
        assert_eq!(r.winner.as_ref().unwrap().strategy, "atomic");
        assert!(!r.is_tie());
        assert_eq!(r.runner_up.as_ref().unwrap().strategy, "mutex");
        let m = r.margin.unwrap();
        assert!((m.point - 2.0).abs() < 1e-9 && m.lo < 2.0 && m.hi > 2.0);
        assert_eq!(r.vs_mutex.as_ref().unwrap().0, "mutex");
        assert_eq!(r.avoid.len(), 1);
        assert_eq!(r.avoid[0].0, "actor");
        assert!((r.avoid[0].1 - 20.0).abs() < 1e-9);
        assert!(
            m.with_range().ends_with("x (1.92-2.1x)"),
            "{}",
            m.with_range()
        );
    }

    #[test]
    fn overlapping_intervals_are_a_tie() {
        let s = scenario(
            "w/s",
            vec![
                series("a", Some(Family::Mutex), &[(1, 100.0)]),
                series("b", Some(Family::Mutex), &[(1, 98.0)]),
                series("c", Some(Family::Atomic), &[(1, 50.0)]),
            ],
        );
        let r = &decide(&s, &Floor::default()).rows[0];
        assert!(r.is_tie());
        assert_eq!(r.tied_with, vec!["b".to_string()]);
        assert_eq!(r.clear_winner(), None);
        assert!(r.vs_mutex.is_none(), "a mutex won");
    }

    #[test]
    fn crossover_where_the_clear_winner_changes() {
        let s = scenario(
            "w/s",
            vec![
                series(
                    "mutex",
                    Some(Family::Mutex),
                    &[(1, 100.0), (2, 60.0), (4, 30.0), (8, 20.0)],
                ),
                series(
                    "sharded",
                    Some(Family::Sharded),
                    &[(1, 50.0), (2, 59.0), (4, 90.0), (8, 200.0)],
                ),
            ],
        );
        let d = decide(&s, &Floor::default());
        assert!(d.rows[1].is_tie(), "60 vs 59 at 2 threads overlaps");
        assert_eq!(
            d.crossovers,
            vec![Crossover {
                after: 1,
                at: 4,
                from: "mutex".into(),
                to: "sharded".into()
            }]
        );
        assert_eq!(
            d.crossover_text(),
            "Winner changes between 1 and 4 threads: mutex -> sharded."
        );
        let same = scenario(
            "w/s",
            vec![
                series("a", None, &[(1, 100.0), (2, 100.0)]),
                series("b", None, &[(1, 10.0), (2, 10.0)]),
            ],
        );
        assert_eq!(
            decide(&same, &Floor::default()).crossover_text(),
            "No crossover: a wins at every thread count."
        );
    }

    #[test]
    fn strategies_at_the_harness_floor_never_rank_among_themselves() {
        // The no-op costs 0.3 ns at one thread on 2 CPUs: the floor is 0.6 ns
        // at 1 thread and 0.3 ns from 2 threads on. 2000 and 3000 Mops/s (0.5
        // and 0.33 ns) are at the floor at 1 thread; 100 Mops/s is not.
        let floor = Floor {
            noop_ns: 0.3,
            measured: true,
            cpus: 2,
        };
        let s = scenario(
            "w/s",
            vec![
                series("batch", Some(Family::Batched), &[(1, 2000.0), (2, 4000.0)]),
                series(
                    "fold",
                    Some(Family::DataParallel),
                    &[(1, 3000.0), (2, 3500.0)],
                ),
                series("atomic", Some(Family::Atomic), &[(1, 100.0), (2, 50.0)]),
                series("mutex", Some(Family::Mutex), &[(1, 5.0), (2, 2.0)]),
            ],
        );
        let d = decide(&s, &floor);
        for r in &d.rows {
            assert!(r.is_floor(), "{r:?}");
            assert_eq!(r.clear_winner(), None);
            assert!(matches!(r.verdict, CellVerdict::Floor { .. }));
            assert_eq!(r.runner_up.as_ref().unwrap().strategy, "atomic");
            assert!(r.vs_mutex.is_none(), "no multiple over a mutex claimed");
            // The margin is the slowest floor strategy over the best off it.
            let m = r.margin.unwrap();
            assert!(m.point >= 20.0 && m.point <= 80.0, "{m:?}");
            // "Avoid" is measured from the best strategy off the floor.
            assert!(r.avoid.iter().all(|(n, _)| n == "mutex"), "{:?}", r.avoid);
        }
        assert_eq!(d.rows[0].floor.len(), 2);
        assert!(d.crossovers.is_empty(), "fold -> batch is no crossover");
        // One strategy alone at the floor may still win outright.
        let lone = scenario(
            "w/s",
            vec![
                series("batch", Some(Family::Batched), &[(1, 3000.0)]),
                series("atomic", Some(Family::Atomic), &[(1, 100.0)]),
            ],
        );
        let r = &decide(&lone, &floor).rows[0];
        assert_eq!(r.clear_winner(), Some("batch"));
    }

    #[test]
    fn beside_a_best_at_the_floor_a_near_contender_joins_it() {
        // Floor 0.3 ns from 2 threads on 2 CPUs: 2x is 0.6 ns.
        let floor = Floor {
            noop_ns: 0.6,
            measured: true,
            cpus: 2,
        };
        // At 2 threads: fold 0.33 ns (at the floor), batch 0.7 ns (2.1x
        // behind it, within 2.6x), atomic 10 ns. Batch does not lose to fold
        // by 2.1x: both are at the floor, ahead of atomic.
        let s = scenario(
            "w/s",
            vec![
                series("fold", Some(Family::DataParallel), &[(2, 3000.0)]),
                series("batch", Some(Family::Batched), &[(2, 1430.0)]),
                series("atomic", Some(Family::Atomic), &[(2, 100.0)]),
            ],
        );
        let r = &decide(&s, &floor).rows[0];
        assert_eq!(r.floor, ["fold", "batch"], "{r:?}");
        assert_eq!(r.clear_winner(), None);
        assert_eq!(r.runner_up.as_ref().unwrap().strategy, "atomic");
        assert!(r.verdict.is_decided(), "{:?}", r.verdict);
        // Beyond 2.6x of fold (0.9 ns), batch is off the floor.
        let s = scenario(
            "w/s",
            vec![
                series("fold", Some(Family::DataParallel), &[(2, 3000.0)]),
                series("batch", Some(Family::Batched), &[(2, 1100.0)]),
                series("atomic", Some(Family::Atomic), &[(2, 100.0)]),
            ],
        );
        let r = &decide(&s, &floor).rows[0];
        assert!(r.floor.is_empty(), "{r:?}");
        // A near contender alone does not make a floor group when the best
        // is not at the floor itself.
        let s = scenario(
            "w/s",
            vec![
                series("fold", Some(Family::DataParallel), &[(2, 1400.0)]),
                series("batch", Some(Family::Batched), &[(2, 1300.0)]),
            ],
        );
        assert!(decide(&s, &floor).rows[0].floor.is_empty());
    }

    #[test]
    fn a_floor_group_not_clearly_ahead_of_the_rest_is_not_decided() {
        let floor = Floor {
            noop_ns: 0.6,
            measured: true,
            cpus: 2,
        };
        // At 1 thread the floor is 0.6 ns (2x: 1.2 ns): fold at it (1 ns),
        // batch within 2.6x of fold (2.5 ns), atomic (2.8 ns) just beyond,
        // only 1.12x behind batch: under the practical margin.
        let s = scenario(
            "w/s",
            vec![
                series("fold", Some(Family::DataParallel), &[(1, 1000.0)]),
                series("batch", Some(Family::Batched), &[(1, 400.0)]),
                series("atomic", Some(Family::Atomic), &[(1, 357.0)]),
            ],
        );
        let r = &decide(&s, &floor).rows[0];
        assert_eq!(r.floor, ["fold", "batch"], "{r:?}");
        assert!(!r.verdict.is_decided(), "{:?}", r.verdict);
    }

    #[test]
    fn crossovers_need_both_winners_measured_at_both_thread_counts() {
        let s = scenario(
            "w/s",
            vec![
                series("a", Some(Family::Mutex), &[(1, 100.0)]),
                series("b", Some(Family::Atomic), &[(4, 100.0)]),
                series("c", Some(Family::Channel), &[(1, 10.0), (4, 10.0)]),
            ],
        );
        let d = decide(&s, &Floor::default());
        assert_eq!(d.rows[0].clear_winner(), Some("a"));
        assert_eq!(d.rows[1].clear_winner(), Some("b"));
        assert!(d.crossovers.is_empty(), "{:?}", d.crossovers);
        assert!(d.crossover_text().contains("No crossover can be drawn"));
    }

    /// A series at 2 threads measured in one pass per entry of `per_pass`
    /// (Mops/s), each with a 1 % interval.
    fn with_passes(name: &str, family: Family, per_pass: &[f64]) -> Series {
        let mut x = series(name, Some(family), &[(2, 10.0)]);
        let p = x.points.get_mut(&2).unwrap();
        p.passes = per_pass
            .iter()
            .enumerate()
            .map(|(k, &mops)| crate::report::analyse::model::PassPoint {
                pass: k as u32 + 1,
                ns_per_op: Interval {
                    point: 1e3 / mops,
                    lo: 1e3 / mops * 0.99,
                    hi: 1e3 / mops * 1.01,
                },
                sidecar: None,
            })
            .collect();
        let est = p.estimates();
        p.ns_per_op = stats::combine(&est).unwrap();
        p.throughput = p.ns_per_op.per_second(1.0);
        x
    }

    #[test]
    fn a_tie_within_one_family_that_beats_the_others_is_the_familys_win() {
        let spin = |name, per_pass: &[f64]| with_passes(name, Family::Spin, per_pass);
        let mutex = |name, per_pass: &[f64]| with_passes(name, Family::Mutex, per_pass);
        // Two spinlocks trade the lead; both beat the mutexes by ~1.5x in
        // every pass: "any spin", margin over the best mutex.
        let s = scenario(
            "w/s",
            vec![
                spin("s1", &[150.0, 140.0, 155.0, 145.0, 150.0]),
                spin("s2", &[140.0, 150.0, 145.0, 152.0, 148.0]),
                mutex("m1", &[100.0, 98.0, 101.0, 99.0, 100.0]),
                mutex("m2", &[80.0, 80.0, 80.0, 80.0, 80.0]),
            ],
        );
        let r = &decide(&s, &Floor::default()).rows[0];
        assert!(r.is_tie(), "no single winner: {r:?}");
        assert_eq!(r.clear_winner(), None);
        assert_eq!(r.family_winner(), Some("spin"), "{r:?}");
        match &r.verdict {
            CellVerdict::Family { strategies, .. } => {
                let mut v = strategies.clone();
                v.sort();
                assert_eq!(v, ["s1", "s2"]);
            }
            v => panic!("{v:?}"),
        }
        assert_eq!(r.runner_up.as_ref().unwrap().strategy, "m1");
        assert!(r.margin.unwrap().lo > 1.3, "{:?}", r.margin);
        // The best mutex leads the spinlocks once: a plain tie.
        let s = scenario(
            "w/s",
            vec![
                spin("s1", &[150.0, 140.0, 155.0, 145.0, 150.0]),
                spin("s2", &[140.0, 150.0, 145.0, 152.0, 148.0]),
                mutex("m1", &[100.0, 98.0, 160.0, 99.0, 100.0]),
            ],
        );
        let r = &decide(&s, &Floor::default()).rows[0];
        assert_eq!(r.family_winner(), None, "{r:?}");
        assert!(matches!(r.verdict, CellVerdict::Tie { .. }));
        // Ahead in every pass, but by less than the practical margin: a tie.
        let s = scenario(
            "w/s",
            vec![
                spin("s1", &[150.0, 140.0, 155.0, 145.0, 150.0]),
                spin("s2", &[140.0, 150.0, 145.0, 152.0, 148.0]),
                mutex("m1", &[139.0, 138.0, 140.0, 137.0, 139.0]),
            ],
        );
        let r = &decide(&s, &Floor::default()).rows[0];
        assert_eq!(r.family_winner(), None, "{r:?}");
        // A tie across two families is a tie.
        let s = scenario(
            "w/s",
            vec![
                spin("s1", &[150.0, 140.0, 155.0, 145.0, 150.0]),
                mutex("m1", &[140.0, 150.0, 145.0, 152.0, 148.0]),
                mutex("m2", &[80.0, 80.0, 80.0, 80.0, 80.0]),
            ],
        );
        let r = &decide(&s, &Floor::default()).rows[0];
        assert_eq!(r.family_winner(), None, "{r:?}");
        // A member tied only by its wide spread but ranked behind another
        // family's contender: not the family's win.
        let s = scenario(
            "w/s",
            vec![
                spin("s1", &[150.0, 150.0, 150.0, 150.0, 150.0]),
                mutex("m1", &[100.0, 100.0, 100.0, 100.0, 100.0]),
                spin("s2", &[30.0, 30.0, 160.0, 30.0, 160.0]),
            ],
        );
        let r = &decide(&s, &Floor::default()).rows[0];
        assert_eq!(r.family_winner(), None, "{r:?}");
        // A single clear winner stays a winner, not a family.
        let s = scenario(
            "w/s",
            vec![
                spin("s1", &[200.0, 200.0, 200.0, 200.0, 200.0]),
                spin("s2", &[100.0, 100.0, 100.0, 100.0, 100.0]),
                mutex("m1", &[50.0, 50.0, 50.0, 50.0, 50.0]),
            ],
        );
        let r = &decide(&s, &Floor::default()).rows[0];
        assert_eq!(r.clear_winner(), Some("s1"));
        assert_eq!(r.runner_up.as_ref().unwrap().strategy, "s2");
    }

    #[test]
    fn family_verdicts_agree_and_contradict_by_family() {
        let fam = |f: &str, v: &[&str]| CellVerdict::Family {
            family: f.into(),
            strategies: v.iter().map(|s| s.to_string()).collect(),
        };
        let w = |s: &str| CellVerdict::Winner { strategy: s.into() };
        assert!(fam("spin", &["a", "b"]).agrees(&fam("spin", &["b", "c"])));
        assert!(!fam("spin", &["a"]).agrees(&fam("mutex", &["a"])));
        assert!(fam("spin", &["a"]).contradicts(&fam("mutex", &["m"])));
        assert!(!fam("spin", &["a", "b"]).contradicts(&w("b")));
        assert!(w("c").contradicts(&fam("spin", &["a", "b"])));
        assert!(!w("a").agrees(&fam("spin", &["a", "b"])));
        assert!(fam("spin", &["a"]).is_decided() && w("a").is_decided());
        assert!(!CellVerdict::Tie { strategies: vec![] }.is_decided());
        assert!(!fam("spin", &["a"]).contradicts(&CellVerdict::None));
    }

    #[test]
    fn replicated_passes_decide_the_row() {
        // a leads b in passes 1 and 2 only: a tie, whatever the mean says.
        let s = scenario(
            "w/s",
            vec![
                with_passes("a", Family::Atomic, &[200.0, 210.0, 90.0]),
                with_passes("b", Family::Mutex, &[100.0, 100.0, 100.0]),
            ],
        );
        let r = &decide(&s, &Floor::default()).rows[0];
        assert!(r.is_tie(), "{r:?}");
        assert_eq!(r.passes, 3);
        // a leads in all three by about 2x: the winner.
        let s = scenario(
            "w/s",
            vec![
                with_passes("a", Family::Atomic, &[200.0, 210.0, 190.0]),
                with_passes("b", Family::Mutex, &[100.0, 100.0, 100.0]),
            ],
        );
        let r = &decide(&s, &Floor::default()).rows[0];
        assert_eq!(r.clear_winner(), Some("a"));
        let m = r.margin.unwrap();
        assert!(m.lo > 1.5 && m.hi < 2.5, "{m:?}");
        // Only the runner-up must trail in every pass: c, third by its
        // figure, beat a once (one lucky pass) but is clearly behind over
        // the five; a still wins. If the runner-up had been the one ahead
        // in that pass, it would be a tie.
        let s = scenario(
            "w/s",
            vec![
                with_passes("a", Family::Atomic, &[200.0, 210.0, 190.0, 205.0, 200.0]),
                with_passes("b", Family::Mutex, &[150.0, 150.0, 150.0, 150.0, 150.0]),
                with_passes("c", Family::RwLock, &[100.0, 100.0, 195.0, 100.0, 100.0]),
            ],
        );
        let r = &decide(&s, &Floor::default()).rows[0];
        assert_eq!(r.runner_up.as_ref().map(|p| p.strategy.as_str()), Some("b"));
        assert_eq!(r.clear_winner(), Some("a"), "{r:?}");
        let s = scenario(
            "w/s",
            vec![
                with_passes("a", Family::Atomic, &[200.0, 210.0, 190.0, 205.0, 200.0]),
                with_passes("b", Family::Mutex, &[150.0, 150.0, 195.0, 150.0, 150.0]),
                with_passes("c", Family::RwLock, &[100.0, 100.0, 100.0, 100.0, 100.0]),
            ],
        );
        let r = &decide(&s, &Floor::default()).rows[0];
        assert!(r.is_tie(), "{r:?}");
    }

    #[test]
    fn a_contender_screened_out_far_behind_ties_with_nobody() {
        // c ran 18-1200x behind in passes 1-3 and was screened out (run F's
        // crossbeam-bounded-1 beside crossbeam-arrayqueue-64): its three
        // scattered passes give a t interval reaching below 1.10, yet it
        // cannot tie with a that led it by 18x or more in each.
        let mut c = with_passes("c", Family::Channel, &[0.17, 11.0, 0.9]);
        c.points.get_mut(&2).unwrap().planned_passes = 5;
        let plan = |mut x: Series| {
            x.points.get_mut(&2).unwrap().planned_passes = 5;
            x
        };
        let s = scenario(
            "w/s",
            vec![
                plan(with_passes(
                    "a",
                    Family::Atomic,
                    &[200.0, 210.0, 190.0, 205.0, 200.0],
                )),
                plan(with_passes(
                    "b",
                    Family::Mutex,
                    &[100.0, 100.0, 100.0, 100.0, 100.0],
                )),
                c.clone(),
            ],
        );
        assert!(!compare(&s.series[0].points[&2], &c.points[&2]).a_ahead());
        let r = &decide(&s, &Floor::default()).rows[0];
        assert_eq!(r.clear_winner(), Some("a"), "{r:?}");
        // Measured in every pass, the same figures are a tie.
        let s = scenario(
            "w/s",
            vec![
                plan(with_passes("a", Family::Atomic, &[200.0, 210.0, 190.0])),
                plan(with_passes("b", Family::Mutex, &[100.0, 100.0, 100.0])),
                c,
            ],
        );
        assert!(decide(&s, &Floor::default()).rows[0].is_tie());
    }

    #[test]
    fn reference_only_cells_have_no_winner() {
        let s = scenario(
            "w/overhead",
            vec![series("noop", Some(Family::Baseline), &[(1, 900.0)])],
        );
        let d = decide(&s, &Floor::default());
        assert!(d.rows[0].winner.is_none());
        assert_eq!(d.crossover_text(), "No clear winner at any thread count.");
    }
}
