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
//! - the best and the contenders it could not be separated from are "no
//!   practical difference" when each of them, paired by pass with the
//!   best, is proven within [`stats::PRACTICAL_MARGIN`] (the upper end of
//!   the ratio's interval below it) and everything else is clearly behind:
//!   the margin that makes a winner also bounds an equivalence, used both
//!   ways as equivalence tests do. Any of them will do, and the row says
//!   within how much ([`Row::within`]); any other tie is *unclear* (this
//!   machine cannot tell them apart within the practical margin);
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
use crate::report::analyse::stats::{self, Comparison, Floor, Level};
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
    /// Unclear: the best could not be separated from these (best first),
    /// and the run cannot tell whether they differ by the practical margin.
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
    /// No practical difference: the best and these (best first) are
    /// proven within [`stats::PRACTICAL_MARGIN`] of each other, and every
    /// other contender is clearly behind (see the module docs).
    Equivalent {
        /// The group, best first.
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
            CellVerdict::Equivalent { strategies } => {
                format!("no practical difference ({})", strategies.join(" ~ "))
            }
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
            | (CellVerdict::Equivalent { .. }, CellVerdict::Equivalent { .. })
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

    /// Whether it answers the cell: a decided verdict ([`Self::is_decided`])
    /// or no practical difference among a named group. Only an unclear tie
    /// (or no contender) leaves the cell unanswered.
    pub fn is_answered(&self) -> bool {
        self.is_decided() || matches!(self, CellVerdict::Equivalent { .. })
    }

    /// The three-way reading of the verdict: `winner` (a winner, a winning
    /// family, a floor group ahead of the rest), `no practical difference`
    /// or `unclear`; `-` without a contender.
    pub fn three_way(&self) -> &'static str {
        match self {
            CellVerdict::Equivalent { .. } => "no practical difference",
            CellVerdict::None => "-",
            v if v.is_decided() => "winner",
            _ => "unclear",
        }
    }

    /// Whether two verdicts contradict each other: different winners,
    /// different families, a winner that is not among the other side's
    /// winning family's members or floor group, a family and a floor group
    /// with no strategy in common, or a winner that the other side puts
    /// clearly behind: outside its "no practical difference" group or its
    /// unclear tie (a winner that the other side's tie names is a weaker
    /// answer, not a contradiction).
    pub fn contradicts(&self, other: &CellVerdict) -> bool {
        use CellVerdict::{Equivalent as E, Family as F, Floor as L, Tie as T, Winner as W};
        match (self, other) {
            (W { strategy: a }, W { strategy: b }) => a != b,
            (F { family: a, .. }, F { family: b, .. }) => a != b,
            // A floor group not ahead of the rest does not put those off
            // it clearly behind.
            (W { strategy }, L { strategies, ahead })
            | (L { strategies, ahead }, W { strategy }) => *ahead && !strategies.contains(strategy),
            (W { strategy }, F { strategies, .. } | E { strategies } | T { strategies })
            | (F { strategies, .. } | E { strategies } | T { strategies }, W { strategy }) => {
                !strategies.contains(strategy)
            }
            (
                F { strategies: a, .. },
                L {
                    strategies: b,
                    ahead,
                },
            )
            | (
                L {
                    strategies: b,
                    ahead,
                },
                F { strategies: a, .. },
            ) => *ahead && !a.iter().any(|x| b.contains(x)),
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
    /// For "no practical difference": the largest upper end of the best's
    /// paired ratio over a member of the group, the bound the run proves
    /// ("within 1.12x").
    #[serde(default)]
    pub within: Option<f64>,
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

/// [`compare`] at `level` (see [`stats::Level`]).
fn compare_at(a: &Point, b: &Point, level: Level) -> Comparison {
    stats::compare_at(&a.estimates(), &b.estimates(), level)
}

/// Decides one scenario.
pub fn decide(scenario: &Scenario, floor: &Floor) -> Decision {
    decide_at(scenario, floor, Level::Final)
}

/// [`decide`] at `level`: [`Level::Interim`] is the stricter look that
/// lets a cell stop getting passes (`syncbench::report::analyse::settle`).
pub fn decide_at(scenario: &Scenario, floor: &Floor, level: Level) -> Decision {
    let rows: Vec<Row> = scenario
        .threads
        .iter()
        .map(|&t| row_at(scenario, t, floor, level))
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

/// One row of [`decide_at`]: `scenario` at `threads`.
pub fn row_at(scenario: &Scenario, threads: usize, floor: &Floor, level: Level) -> Row {
    let compare = |a: &Point, b: &Point| compare_at(a, b, level);
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
        within: None,
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
            ahead = beats_all(sp, &off, most, level);
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
                !ahead_of(wp, p, most, level)
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
        match family_win(&ranked, &all, most, level) {
            Some((family, outsider)) => {
                runner = Some(outsider);
                CellVerdict::Family {
                    family: family.as_str().to_string(),
                    strategies: all,
                }
            }
            None => match equivalent(wp, &ranked[1..], &row.tied_with, level) {
                Some(within) => {
                    row.within = Some(within);
                    CellVerdict::Equivalent { strategies: all }
                }
                None => CellVerdict::Tie { strategies: all },
            },
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
/// others beyond it. Returns the family and that best outsider. Baselines,
/// `other` and strategies without a known family never win as a family.
fn family_win<'a>(
    ranked: &[(&'a Series, &'a Point)],
    tied: &[String],
    most: usize,
    level: Level,
) -> Option<(Family, (&'a Series, &'a Point))> {
    let (ws, wp) = *ranked.first()?;
    // `other` is no family: strategies that share it have nothing else in
    // common.
    let family = ws
        .family
        .filter(|f| !matches!(f, Family::Baseline | Family::Other))?;
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
    beats_all(wp, &outsiders, most, level).then_some((family, best_out))
}

/// Whether the best (`best`) and the contenders `tied` with it (those
/// the best is not clearly ahead of; every other one of `rest` is) show no
/// practical difference: each tied one, paired with the best by pass (two
/// passes or more), has the upper end of the best's ratio over it below
/// [`stats::PRACTICAL_MARGIN`]. Returns the largest such upper end, the
/// bound the group is proven within.
fn equivalent(
    best: &Point,
    rest: &[(&Series, &Point)],
    tied: &[String],
    level: Level,
) -> Option<f64> {
    let mut within: f64 = 1.0;
    for name in tied {
        let (_, p) = rest.iter().find(|(s, _)| &s.strategy == name)?;
        let c = compare_at(best, p, level);
        let upper = c.upper();
        if c.passes < 2 || !upper.is_finite() || upper >= stats::PRACTICAL_MARGIN {
            return None;
        }
        within = within.max(upper);
    }
    Some(within)
}

/// Whether `best` beats `rivals` (best first) as a winner beats its rivals:
/// the first of them in every pass and beyond the margin
/// ([`stats::Comparison::a_wins`]), each of the others clearly ([`ahead_of`]).
/// False without rivals.
fn beats_all(best: &Point, rivals: &[&(&Series, &Point)], most: usize, level: Level) -> bool {
    let Some((first, rest)) = rivals.split_first() else {
        return false;
    };
    compare_at(best, first.1, level).a_wins()
        && rest.iter().all(|(_, p)| ahead_of(best, p, most, level))
}

/// Whether the best (`best`) stands clearly ahead of a contender behind the
/// runner-up: beyond the interval ([`Comparison::a_ahead`]), or because the
/// contender was screened out far behind after the first passes (it ties
/// with nobody, see `stats`). `most` is the most passes any contender of
/// the cell has.
pub fn ahead_of(best: &Point, p: &Point, most: usize, level: Level) -> bool {
    compare_at(best, p, level).a_ahead() || p.is_screened(most)
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
pub(crate) mod tests;
