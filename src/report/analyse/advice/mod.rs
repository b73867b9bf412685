//! "What to use": the guide's own table (one row per situation), answered
//! from the decisions instead of folklore.
//!
//! Each situation of [`SITUATIONS`] names the scenario groups that measure
//! it and the guide's rules about it. A situation none of whose scenarios
//! is in the data is left out. For each situation and each **regime** of the
//! thread axis (one thread; 2 up to the machine's logical CPUs; more threads
//! than CPUs, oversubscribed) the answer collects the **cells** (scenario ×
//! thread count) of that regime and what each cell's row says
//! ([`CellVerdict`]):
//!
//! - cells with a clear winner count for that winner; cells that tie count
//!   for "any of" the strategies the tie names; cells at the harness floor
//!   count for "any of" the floor strategies, marked as such; cells with no
//!   contender do not count;
//! - cells saying the same thing form one [`Part`]; when one part covers
//!   every cell of the regime, that is the answer, with the range of its
//!   margins; otherwise every part is listed with where it holds (the
//!   scenarios, or the thread counts, it covers), largest first;
//! - a winner's margin is its paired margin over the runner-up in each cell;
//!   against the guide it is the winner's paired ratio over the best
//!   strategy of the side the situation's first rule recommends, in the same
//!   cell ("the guide's pick" when the winner is on that side).
//!
//! "Avoid" gathers every row's "avoid" (at least
//! [`crate::report::analyse::decide::AVOID_RATIO`] times slower than the winner) over all the
//! situation's cells; each rule's verdict is restated on the situation's
//! cells only, beside its overall verdict.
//!
//! Adding a situation (a new workload) is adding an entry to
//! [`SITUATIONS`].

use std::collections::{BTreeMap, BTreeSet};

use crate::harness::Family;
use crate::report::analyse::decide::{CellVerdict, Decision, Row, compare};
use crate::report::analyse::model::ranked;
use crate::report::analyse::model::{Model, Scenario, Series};
use crate::report::analyse::rules::{Judgement, Kind, Outcome, RULES, Verdict};
use crate::report::analyse::scope::{label, matches};

/// One row of the "what to use" table.
#[derive(Debug)]
pub struct Situation {
    /// Stable id (fragment ids, tests).
    pub id: &'static str,
    /// What the reader is building, in the guide's words.
    pub text: &'static str,
    /// Scenario-group prefixes that measure it, matched component-wise
    /// (`counter/increment/`); a scope ending in `*` matches any id that
    /// starts with the text before it (`counter/read-mostly-*`).
    pub scopes: &'static [&'static str],
    /// The guide's rules about it ([`RULES`] ids); the first one's
    /// recommended side is "what the guide recommends".
    pub rules: &'static [u32],
}

/// The situations, in the guide's order. Many-to-one (`handoff/mpsc/`) and
/// many-to-many (`handoff/mpmc/`) hand-off are separate rows: consumers
/// contend only in the second, and one row would hide where the answer
/// changes.
pub static SITUATIONS: &[Situation] = &[
    Situation {
        id: "shared-counter",
        text: "A counter written by many threads",
        scopes: &["counter/increment/"],
        rules: &[1],
    },
    Situation {
        id: "read-mostly",
        text: "A counter or config read far more often than written",
        scopes: &["counter/read-mostly/", "counter/read-mostly-*"],
        rules: &[4],
    },
    Situation {
        id: "read-heavy-map",
        text: "A read-heavy map",
        scopes: &["map/read-heavy/"],
        rules: &[4, 2],
    },
    Situation {
        id: "write-heavy-map",
        text: "A write-heavy map",
        scopes: &["map/write-heavy/"],
        rules: &[2],
    },
    Situation {
        id: "handoff-one-to-one",
        text: "Moving owned values one-to-one",
        scopes: &["handoff/spsc/"],
        rules: &[5],
    },
    Situation {
        id: "handoff-many-to-one",
        text: "Moving owned values many-to-one",
        scopes: &["handoff/mpsc/"],
        rules: &[5],
    },
    Situation {
        id: "handoff-many-to-many",
        text: "Moving owned values many-to-many",
        scopes: &["handoff/mpmc/"],
        rules: &[5],
    },
    Situation {
        id: "pipeline",
        text: "A pipeline or fan-out",
        scopes: &["pipeline/"],
        rules: &[7],
    },
    Situation {
        id: "completion",
        text: "One-shot completion (signal and wait)",
        scopes: &["signal/ping-pong"],
        rules: &[8],
    },
    Situation {
        id: "broadcast",
        text: "Broadcast wake-up (one to many)",
        scopes: &["signal/one-to-many"],
        rules: &[8],
    },
    Situation {
        id: "worker-pool",
        text: "A bounded worker pool (jobs fanned out to W workers)",
        scopes: &["lifecycle/dispatch/"],
        rules: &[6],
    },
    Situation {
        id: "cancellation",
        text: "Stopping a busy pool on the first error",
        scopes: &["lifecycle/cancel/"],
        rules: &[8, 6],
    },
    Situation {
        id: "cancellable-consumer",
        text: "A consumer that can be cancelled (cost per message)",
        scopes: &["lifecycle/cancellable-recv"],
        rules: &[8],
    },
    Situation {
        id: "async-shared-state",
        text: "Async tasks: a counter or map, no .await under the lock",
        scopes: &["tasks/counter/no-await", "tasks/map/no-await"],
        rules: &[13],
    },
    Situation {
        id: "async-lock-across-await",
        text: "Async tasks: a lock held across .await",
        scopes: &["tasks/counter/across-yield", "tasks/map/across-yield"],
        rules: &[],
    },
    Situation {
        id: "async-handoff-one-to-one",
        text: "Async tasks: moving values one-to-one",
        scopes: &["tasks/handoff/spsc"],
        rules: &[],
    },
    Situation {
        id: "async-handoff-many-to-one",
        text: "Async tasks: moving values many-to-one",
        scopes: &["tasks/handoff/mpsc"],
        rules: &[],
    },
    Situation {
        id: "async-bridge",
        text: "From a plain thread into an async task",
        scopes: &["tasks/bridge/"],
        rules: &[],
    },
    Situation {
        id: "async-completion",
        text: "Async tasks: signal and wait for the answer",
        scopes: &["tasks/signal/ping-pong"],
        rules: &[8],
    },
    Situation {
        id: "async-broadcast",
        text: "Async tasks: wake many at once",
        scopes: &["tasks/signal/one-to-many"],
        rules: &[8],
    },
    Situation {
        id: "async-cancellation",
        text: "Async tasks: cancel every task and wait until all stopped",
        scopes: &["tasks/cancel"],
        rules: &[8],
    },
];

/// A part of the thread axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Regime {
    /// One thread: no contention at all.
    One,
    /// 2 up to the machine's logical CPUs.
    UpToCores,
    /// More threads than logical CPUs.
    Oversubscribed,
}

impl Regime {
    /// Every regime, in thread order.
    pub const ALL: [Regime; 3] = [Regime::One, Regime::UpToCores, Regime::Oversubscribed];

    /// The regime of `threads` on a machine with `cpus` logical CPUs.
    pub fn of(threads: usize, cpus: usize) -> Regime {
        if threads <= 1 {
            Regime::One
        } else if threads <= cpus {
            Regime::UpToCores
        } else {
            Regime::Oversubscribed
        }
    }

    /// The column heading: `1 thread`, `2 threads (up to the 2 cores)`,
    /// `2-16 threads (up to the cores)`, `over 2 threads (oversubscribed)`.
    pub fn heading(self, cpus: usize) -> String {
        match self {
            Regime::One => "1 thread".to_string(),
            Regime::UpToCores if cpus <= 1 => "2+ threads up to the cores (none: 1 CPU)".into(),
            Regime::UpToCores if cpus == 2 => "2 threads (up to the 2 CPUs)".into(),
            Regime::UpToCores => format!("2-{cpus} threads (up to the {cpus} CPUs)"),
            Regime::Oversubscribed => format!("over {cpus} threads (oversubscribed)"),
        }
    }
}

/// One (scenario, thread count) cell behind an answer.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CellRef {
    /// Scenario id.
    pub scenario: String,
    /// Its short name within the situation ([`label`]).
    pub label: String,
    /// Thread count.
    pub threads: usize,
}

/// What a group of cells says.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Answer {
    /// One clear winner.
    Winner(String),
    /// A family's win: any of its members (the tied ones, best first in
    /// the first cell), which beat every other family.
    Family(String, Vec<String>),
    /// No practical difference among these (best first in the first cell
    /// that named them): proven within the practical margin, any will do.
    Equivalent(Vec<String>),
    /// An unclear tie between these (best first in the first cell that
    /// named them): the run cannot tell them apart within the practical
    /// margin.
    AnyOf(Vec<String>),
    /// Together at the harness floor.
    Floor(Vec<String>),
}

impl Answer {
    fn rank(&self) -> u8 {
        match self {
            Answer::Winner(_) => 0,
            Answer::Family(..) => 1,
            Answer::Equivalent(_) => 2,
            Answer::AnyOf(_) => 3,
            Answer::Floor(_) => 4,
        }
    }

    /// The strategies it names.
    pub fn names(&self) -> Vec<&str> {
        match self {
            Answer::Winner(w) => vec![w.as_str()],
            Answer::Family(_, v) | Answer::Equivalent(v) | Answer::AnyOf(v) | Answer::Floor(v) => {
                v.iter().map(String::as_str).collect()
            }
        }
    }
}

/// How one cell's answer compares with what the guide recommends.
#[derive(Clone, Debug, PartialEq)]
pub enum Guide {
    /// The answer is (or, for "any of", includes) a strategy of the
    /// recommended side.
    Pick,
    /// The winner over the best strategy of the recommended side (its name
    /// and the paired ratio).
    Over(String, f64),
}

/// Cells that say the same thing.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// What they say.
    pub answer: Answer,
    /// The cells, in scenario then thread order.
    pub cells: Vec<CellRef>,
    /// Per cell where the row has one: the winner's margin over the
    /// runner-up (at the floor: the slowest floor strategy's over the best
    /// one off it).
    pub margins: Vec<f64>,
    /// Per cell where the guide's side was measured: how the answer
    /// compares with it.
    pub guide: Vec<Guide>,
}

/// A situation's answer in one regime.
#[derive(Clone, Debug, PartialEq)]
pub struct RegimeAnswer {
    /// The regime.
    pub regime: Regime,
    /// Every decided cell of the regime (at least one contender).
    pub cells: Vec<CellRef>,
    /// The parts, largest first (winners before ties on equal size).
    pub parts: Vec<Part>,
}

/// A strategy to avoid in a situation.
#[derive(Clone, Debug, PartialEq)]
pub struct Avoid {
    /// The strategy.
    pub strategy: String,
    /// Cells where it is at least [`crate::report::analyse::decide::AVOID_RATIO`] times
    /// slower than the winner.
    pub cells: usize,
    /// Cells where it was measured.
    pub measured: usize,
    /// The smallest and largest of those multiples.
    pub lo: f64,
    /// See `lo`.
    pub hi: f64,
}

/// A rule's verdict restated on a situation's cells.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleNote {
    /// The rule's id.
    pub id: u32,
    /// Its wording.
    pub text: std::borrow::Cow<'static, str>,
    /// The verdict on this situation's cells alone.
    pub here: Verdict,
    /// Cells of this situation supporting the rule.
    pub supports: usize,
    /// Cells contradicting it.
    pub contradicts: usize,
    /// Cells tied.
    pub ties: usize,
    /// The rule's verdict over all its cells.
    pub overall: Verdict,
}

/// One row of the "what to use" table.
#[derive(Clone, Debug)]
pub struct Advice {
    /// The situation.
    pub situation: &'static Situation,
    /// Its scenarios in the data: id and short name, in model order.
    pub scenarios: Vec<(String, String)>,
    /// One answer per regime, in [`Regime::ALL`] order.
    pub regimes: Vec<RegimeAnswer>,
    /// Strategies to avoid, most often avoided first.
    pub avoid: Vec<Avoid>,
    /// The situation's rules with their verdicts here.
    pub rules: Vec<RuleNote>,
    /// The strategy never far from the best over all its cells
    /// ([`robust`]), `None` without a cell with a contender.
    pub robust: Option<robust::Robust>,
    /// A situation measured at both map sizes: the robust pick over each
    /// size's cells, small first ([`robust::Sized`]); empty otherwise.
    pub sizes: Vec<robust::Sized>,
}

/// The "what to use" rows for `situations`, from the decisions and rule
/// verdicts of `model` measured on `cpus` logical CPUs. Situations without
/// a scenario in the model are left out.
pub fn advise(
    situations: &'static [Situation],
    model: &Model,
    decisions: &[Decision],
    verdicts: &[Judgement],
    cpus: usize,
) -> Vec<Advice> {
    situations
        .iter()
        .filter_map(|sit| advise_one(sit, model, decisions, verdicts, cpus))
        .collect()
}

/// The scope of `sit` that `id` falls under (the first that matches).
fn scope_of<'a>(sit: &'a Situation, id: &str) -> Option<&'a str> {
    sit.scopes.iter().copied().find(|p| matches(p, id))
}

/// The families the first rule of `sit` recommends.
fn guide_side(sit: &Situation) -> Option<&'static [Family]> {
    let id = sit.rules.first()?;
    match &RULES.iter().find(|r| r.id == *id)?.kind {
        Kind::Compare { a, .. } => Some(a),
        _ => None,
    }
}

fn family_of(s: &Scenario, name: &str) -> Option<Family> {
    s.series
        .iter()
        .find(|x| x.strategy == name)
        .and_then(|x| x.family)
}

/// One decided cell with what it contributes.
struct Contribution {
    cell: CellRef,
    answer: Answer,
    margin: Option<f64>,
    guide: Option<Guide>,
}

fn contribution(
    s: &Scenario,
    label: &str,
    row: &Row,
    side: Option<&[Family]>,
) -> Option<Contribution> {
    let answer = match &row.verdict {
        CellVerdict::Winner { strategy } => Answer::Winner(strategy.clone()),
        CellVerdict::Family { family, strategies } => {
            Answer::Family(family.clone(), strategies.clone())
        }
        CellVerdict::Equivalent { strategies } => Answer::Equivalent(strategies.clone()),
        CellVerdict::Tie { strategies } => Answer::AnyOf(strategies.clone()),
        CellVerdict::Floor { strategies, .. } => Answer::Floor(strategies.clone()),
        CellVerdict::None => return None,
    };
    let in_side =
        |name: &str| side.is_some_and(|a| family_of(s, name).is_some_and(|f| a.contains(&f)));
    let guide = side.and_then(|a| {
        if answer.names().iter().any(|n| in_side(n)) {
            return Some(Guide::Pick);
        }
        let Answer::Winner(w) = &answer else {
            return None;
        };
        let ranked: Vec<(&Series, &crate::report::analyse::model::Point)> = ranked(s, row.threads);
        let wp = ranked.iter().find(|(x, _)| x.strategy == *w)?.1;
        let (gs, gp) = ranked
            .iter()
            .find(|(x, _)| x.family.is_some_and(|f| a.contains(&f)))?;
        Some(Guide::Over(gs.strategy.clone(), compare(wp, gp).point))
    });
    Some(Contribution {
        cell: CellRef {
            scenario: s.id.clone(),
            label: label.to_string(),
            threads: row.threads,
        },
        answer,
        // No practical difference: how far apart the group is proven to be.
        margin: match row.verdict {
            CellVerdict::Equivalent { .. } => row.within,
            _ => row.margin.map(|m| m.point),
        },
        guide,
    })
}

fn advise_one(
    sit: &'static Situation,
    model: &Model,
    decisions: &[Decision],
    verdicts: &[Judgement],
    cpus: usize,
) -> Option<Advice> {
    let scenarios: Vec<(&Scenario, &Decision, String)> = model
        .scenarios
        .iter()
        .filter_map(|s| {
            let scope = scope_of(sit, &s.id)?;
            let d = decisions.iter().find(|d| d.scenario == s.id)?;
            Some((s, d, label(scope, &s.id)))
        })
        .collect();
    if scenarios.is_empty() {
        return None;
    }
    let side = guide_side(sit);
    let cells_of = |size: Option<robust::MapSize>| {
        scenarios
            .iter()
            .filter(|(s, _, _)| size.is_none_or(|z| robust::MapSize::of(&s.id) == z))
            .flat_map(|(s, d, label)| d.rows.iter().map(move |r| (*s, label.as_str(), r.threads)))
            .collect::<Vec<_>>()
    };
    let robust = robust::pick(&cells_of(None));
    // Per size only where both sizes were measured (elsewhere one size's
    // cells are all the cells, and its pick is `robust`).
    let both = robust::MapSize::ALL.iter().all(|&z| {
        scenarios
            .iter()
            .any(|(s, _, _)| robust::MapSize::of(&s.id) == z)
    });
    let sizes: Vec<robust::Sized> = if both {
        robust::MapSize::ALL
            .into_iter()
            .map(|size| {
                robust::pick(&cells_of(Some(size))).map(|robust| robust::Sized { size, robust })
            })
            .collect::<Option<_>>()
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut by_regime: BTreeMap<Regime, Vec<Contribution>> = BTreeMap::new();
    let mut avoided: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut measured: BTreeMap<&str, usize> = BTreeMap::new();
    for (s, d, label) in &scenarios {
        for row in &d.rows {
            let Some(c) = contribution(s, label, row, side) else {
                continue;
            };
            for (x, _) in ranked(s, row.threads) {
                *measured.entry(x.strategy.as_str()).or_default() += 1;
            }
            for (name, ratio) in &row.avoid {
                if let Some(x) = s.series.iter().find(|x| &x.strategy == name) {
                    avoided.entry(x.strategy.as_str()).or_default().push(*ratio);
                }
            }
            by_regime
                .entry(Regime::of(row.threads, cpus))
                .or_default()
                .push(c);
        }
    }
    let regimes = Regime::ALL
        .iter()
        .map(|&regime| {
            let contributions = by_regime.remove(&regime).unwrap_or_default();
            regime_answer(regime, contributions)
        })
        .collect();
    let mut avoid: Vec<Avoid> = avoided
        .into_iter()
        .map(|(name, rs)| Avoid {
            strategy: name.to_string(),
            cells: rs.len(),
            measured: measured.get(name).copied().unwrap_or(rs.len()),
            lo: rs.iter().copied().fold(f64::INFINITY, f64::min),
            hi: rs.iter().copied().fold(0.0, f64::max),
        })
        .collect();
    avoid.sort_by(|a, b| {
        let all = |x: &Avoid| x.cells >= x.measured;
        all(b)
            .cmp(&all(a))
            .then(b.cells.cmp(&a.cells))
            .then(b.hi.total_cmp(&a.hi))
            .then_with(|| a.strategy.cmp(&b.strategy))
    });
    let ids: BTreeSet<&str> = scenarios.iter().map(|(s, _, _)| s.id.as_str()).collect();
    let rules = sit
        .rules
        .iter()
        .filter_map(|id| verdicts.iter().find(|j| j.id == *id))
        .map(|j| rule_note(j, &ids))
        .collect();
    Some(Advice {
        situation: sit,
        scenarios: scenarios
            .iter()
            .map(|(s, _, l)| (s.id.clone(), l.clone()))
            .collect(),
        regimes,
        avoid,
        rules,
        robust,
        sizes,
    })
}

/// Sorted, so ties naming the same strategies in another order join.
fn key(a: &Answer) -> Answer {
    match a {
        Answer::Winner(_) => a.clone(),
        // One part per family, whichever members tied in each cell.
        Answer::Family(f, _) => Answer::Family(f.clone(), Vec::new()),
        Answer::Equivalent(v) | Answer::AnyOf(v) | Answer::Floor(v) => {
            let mut v = v.clone();
            v.sort();
            match a {
                Answer::Equivalent(_) => Answer::Equivalent(v),
                Answer::AnyOf(_) => Answer::AnyOf(v),
                _ => Answer::Floor(v),
            }
        }
    }
}

fn regime_answer(regime: Regime, contributions: Vec<Contribution>) -> RegimeAnswer {
    let cells: Vec<CellRef> = contributions.iter().map(|c| c.cell.clone()).collect();
    let mut parts: BTreeMap<Answer, Part> = BTreeMap::new();
    for c in contributions {
        let part = parts.entry(key(&c.answer)).or_insert_with(|| Part {
            answer: c.answer.clone(),
            cells: Vec::new(),
            margins: Vec::new(),
            guide: Vec::new(),
        });
        if let (Answer::Family(_, all), Answer::Family(_, more)) = (&mut part.answer, &c.answer) {
            for m in more {
                if !all.contains(m) {
                    all.push(m.clone());
                }
            }
        }
        part.cells.push(c.cell);
        part.margins.extend(c.margin);
        part.guide.extend(c.guide);
    }
    let mut parts: Vec<Part> = parts.into_values().collect();
    // Largest first; then winners, ties, floors; then in the order of
    // their first cell (scenario, then threads).
    let first = |p: &Part| cells.iter().position(|c| p.cells.first() == Some(c));
    parts.sort_by(|a, b| {
        b.cells
            .len()
            .cmp(&a.cells.len())
            .then(a.answer.rank().cmp(&b.answer.rank()))
            .then(first(a).cmp(&first(b)))
    });
    RegimeAnswer {
        regime,
        cells,
        parts,
    }
}

fn rule_note(j: &Judgement, ids: &BTreeSet<&str>) -> RuleNote {
    let here: Vec<Outcome> = j
        .cells
        .iter()
        .filter(|c| ids.contains(c.scenario.as_str()))
        .map(|c| c.outcome)
        .collect();
    let count = |o: Outcome| here.iter().filter(|x| **x == o).count();
    let (supports, contradicts, ties) = (
        count(Outcome::Supports),
        count(Outcome::Contradicts),
        count(Outcome::Tie),
    );
    let verdict = match here.is_empty() {
        true if j.verdict == Verdict::Enforced => Verdict::Enforced,
        true => Verdict::NoData,
        false => crate::report::analyse::rules::verdict_of(supports, contradicts),
    };
    RuleNote {
        id: j.id,
        text: j.text.clone(),
        here: verdict,
        supports,
        contradicts,
        ties,
        overall: j.verdict,
    }
}

pub mod robust;

#[cfg(test)]
pub(crate) mod tests;
