//! The rules of thumb under test: one registry entry per rule, and the
//! verdict logic.
//!
//! A comparison rule names the scenario-group prefixes it applies to, the
//! families it recommends (side A) and the families it recommends against
//! (side B). In every (scenario, thread count) cell where both sides have a
//! result whose sidecar names its family, the best of A is
//! compared with the best of B: A ahead with non-overlapping confidence
//! intervals supports the rule, B ahead contradicts it, overlap is a tie.
//!
//! Verdict: every non-tie cell supports -> confirmed; every one contradicts
//! -> contradicted; mixed -> depends, with the condition found
//! automatically (a thread-count threshold, else a split by scenario, else
//! per scenario); only ties -> inconclusive; no cells -> no data yet. Every
//! verdict cites its cells, and says when a strategy from neither side beats
//! both (a "confirmed" must not hide that something else wins).
//!
//! Rule 10 ("every goroutine must have an exit path") is a check, not a
//! comparison ([`Kind::ExitPaths`]): the bench glue counts the process's
//! threads before each benchmark id's system is built and after it is
//! dropped, and records the difference in the sidecar; the verdict is
//! confirmed when every checked id of the newest runs left none behind, and
//! failed, naming the ids, when any did.
//!
//! Adding a workload's rule is adding an entry to [`RULES`].

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::harness::Family;
use crate::report::analyse::decide::{Pick, Ratio, compare, fmt_ratio};
use crate::report::analyse::model::ranked;
use crate::report::analyse::model::{Model, Point, Scenario, Series};
use crate::report::analyse::scope::matches;
use crate::report::analyse::stats::Floor;

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

/// A rule's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every decided cell supports the rule, or all but one against two or
    /// more (the exception is named, see [`verdict_of`]).
    Confirmed,
    /// Every decided cell contradicts it, or all but one against two or
    /// more.
    Contradicted,
    /// Some cells support it, some contradict it (see the condition).
    Depends,
    /// Cells exist but every one is a tie.
    Inconclusive,
    /// No cells yet.
    NoData,
    /// Not measurable; the test suite enforces it.
    Enforced,
    /// A check that must always pass found a failure (rule 10: a leak).
    Failed,
}

impl Verdict {
    /// The word shown in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Contradicted => "contradicted",
            Verdict::Depends => "depends",
            Verdict::Inconclusive => "inconclusive (ties)",
            Verdict::NoData => "no data yet",
            Verdict::Enforced => "enforced by tests",
            Verdict::Failed => "failed",
        }
    }

    /// Its name in `results.json` (`no-data`, `inconclusive`, ...), the
    /// word `report diff` compares.
    pub fn key(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// How one cell went for a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The recommended side is ahead, intervals apart.
    Supports,
    /// The other side is ahead, intervals apart.
    Contradicts,
    /// Neither side's best wins clearly (see `crate::report::analyse::stats`).
    Tie,
}

/// One (scenario, thread count) comparison behind a verdict.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Cell {
    /// Scenario id.
    pub scenario: String,
    /// Thread count.
    pub threads: usize,
    /// Best strategy of the recommended side.
    pub best_a: Pick,
    /// Best strategy of the other side.
    pub best_b: Pick,
    /// A over B.
    pub ratio: Ratio,
    /// How the cell went.
    pub outcome: Outcome,
    /// The fastest contender overall when it is from neither side and its
    /// interval clears both sides' best, with its ratio over the better one.
    pub elsewhere: Option<(Pick, Ratio)>,
    /// Whether that strategy sits at the harness floor: its multiple over
    /// the better side is then not claimed (it measures the harness loop).
    pub elsewhere_at_floor: bool,
}

/// A rule's verdict with its evidence.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Judgement {
    /// The rule's id.
    pub id: u32,
    /// The rule's wording.
    pub text: Cow<'static, str>,
    /// The verdict.
    pub verdict: Verdict,
    /// For "depends": the condition, e.g. `holds up to 2 threads, reversed
    /// from 4`; for "confirmed" or "contradicted" with one exception, that
    /// cell (`except handoff/mpsc/vec64 at 1 thread (...)`).
    pub condition: Option<String>,
    /// One or two sentences on what the cells show.
    pub summary: String,
    /// When something from neither side wins, that sentence.
    pub elsewhere: Option<String>,
    /// The cells behind the verdict.
    pub cells: Vec<Cell>,
    /// The rules a composite verdict rests on.
    pub rests_on: Vec<u32>,
}

impl Judgement {
    /// The cells grouped by scenario, thread counts ascending: the rows to cite.
    pub fn citations(&self) -> Vec<(String, Vec<usize>)> {
        let mut by: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
        for c in &self.cells {
            by.entry(&c.scenario).or_default().insert(c.threads);
        }
        let mut out: Vec<(String, Vec<usize>)> = by
            .into_iter()
            .map(|(s, t)| (s.to_string(), t.into_iter().collect()))
            .collect();
        out.sort_by(|a, b| crate::report::analyse::model::natural_cmp(&a.0, &b.0));
        out
    }
}

/// Judges every rule of `rules` on `model`, in registry order.
pub fn judge_all(rules: &[Rule], model: &Model, floor: &Floor) -> Vec<Judgement> {
    let mut out: Vec<Judgement> = Vec::with_capacity(rules.len());
    for rule in rules {
        let j = match &rule.kind {
            Kind::Compare { scopes, a, b } => judge_compare(rule, scopes, a, b, model, floor),
            Kind::Enforced { how } => Judgement {
                id: rule.id,
                text: Cow::Borrowed(rule.text),
                verdict: Verdict::Enforced,
                condition: None,
                summary: capitalise(how) + ".",
                elsewhere: None,
                cells: Vec::new(),
                rests_on: Vec::new(),
            },
            Kind::ExitPaths => judge_exit_paths(rule, model),
            Kind::Composite { .. } => continue,
        };
        out.push(j);
    }
    // Composites rest on the rules judged above.
    for rule in rules {
        if let Kind::Composite { first, second } = &rule.kind {
            let j = judge_composite(rule, *first, *second, &out);
            out.push(j);
        }
    }
    out.sort_by_key(|j| rules.iter().position(|r| r.id == j.id));
    out
}

fn side_label(families: &[Family]) -> String {
    families
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join("/")
}

fn best_of<'a>(
    ranked: &[(&'a Series, &'a Point)],
    families: &[Family],
) -> Option<(&'a Series, &'a Point)> {
    ranked
        .iter()
        .find(|(s, _)| s.family.is_some_and(|f| families.contains(&f)))
        .copied()
}

fn pick(s: &Series, p: &Point) -> Pick {
    Pick {
        strategy: s.strategy.clone(),
        family: Cow::Borrowed(s.family_name()),
        throughput: p.throughput,
    }
}

/// The cells of a comparison over the scenarios in scope. A cell is decided
/// the way a scenario's row is (paired by pass, see `crate::report::analyse::stats`); when
/// both sides' best sit at the harness floor it is a tie.
pub fn cells(scenarios: &[&Scenario], a: &[Family], b: &[Family], floor: &Floor) -> Vec<Cell> {
    let mut out = Vec::new();
    for s in scenarios {
        for &t in &s.threads {
            // Verdicts only use results whose own sidecar names the family.
            let ranked: Vec<_> = ranked(s, t)
                .into_iter()
                .filter(|(x, p)| x.family.is_some() && p.sidecar.is_some())
                .collect();
            let (Some((sa, pa)), Some((sb, pb))) = (best_of(&ranked, a), best_of(&ranked, b))
            else {
                continue;
            };
            let c = compare(pa, pb);
            let both_floor =
                floor.holds(pa.ns_per_op.point, t) && floor.holds(pb.ns_per_op.point, t);
            let outcome = if both_floor {
                Outcome::Tie
            } else if c.a_wins() {
                Outcome::Supports
            } else if c.b_wins() {
                Outcome::Contradicts
            } else {
                Outcome::Tie
            };
            let better = if pa.throughput.point >= pb.throughput.point {
                pa
            } else {
                pb
            };
            let elsewhere_at_floor = ranked
                .first()
                .is_some_and(|(_, po)| floor.holds(po.ns_per_op.point, t));
            let elsewhere = ranked.first().and_then(|&(so, po)| {
                let outside = so
                    .family
                    .is_some_and(|f| !a.contains(&f) && !b.contains(&f));
                let beyond = compare(po, better);
                let floors =
                    floor.holds(po.ns_per_op.point, t) && floor.holds(better.ns_per_op.point, t);
                (outside && !floors && beyond.a_wins())
                    .then(|| (pick(so, po), Ratio::from_comparison(&beyond)))
            });
            out.push(Cell {
                scenario: s.id.clone(),
                threads: t,
                best_a: pick(sa, pa),
                best_b: pick(sb, pb),
                ratio: Ratio::from_comparison(&c),
                outcome,
                elsewhere,
                elsewhere_at_floor,
            });
        }
    }
    out
}

fn judge_compare(
    rule: &Rule,
    scopes: &[&str],
    a: &[Family],
    b: &[Family],
    model: &Model,
    floor: &Floor,
) -> Judgement {
    let scenarios: Vec<&Scenario> = model
        .scenarios
        .iter()
        .filter(|s| scopes.iter().any(|p| matches(p, &s.id)))
        .collect();
    let unmeasured: Vec<&str> = scopes
        .iter()
        .copied()
        .filter(|p| !scenarios.iter().any(|s| matches(p, &s.id)))
        .collect();
    let hint = |scopes: &[&str]| {
        let mut targets: Vec<&str> = scopes
            .iter()
            .filter_map(|p| p.split('/').next())
            .filter(|w| !w.is_empty())
            .collect();
        targets.dedup();
        targets
            .iter()
            .map(|w| format!("`cargo bench --bench {w}`"))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let cells = cells(&scenarios, a, b, floor);
    let (la, lb) = (side_label(a), side_label(b));
    let mut j = Judgement {
        id: rule.id,
        text: Cow::Borrowed(rule.text),
        verdict: Verdict::NoData,
        condition: None,
        summary: String::new(),
        elsewhere: None,
        cells: Vec::new(),
        rests_on: Vec::new(),
    };
    if cells.is_empty() {
        j.summary = if scenarios.is_empty() {
            format!("No data yet (run {}).", hint(scopes))
        } else {
            format!(
                "No comparable rows yet: {} scenario(s) under {} have no results from both \
                 {la} and {lb} strategies with a known family (are sidecars missing?).",
                scenarios.len(),
                scopes.join(", ")
            )
        };
        return j;
    }
    let count = |o: Outcome| cells.iter().filter(|c| c.outcome == o).count();
    let (sup, con, tie) = (
        count(Outcome::Supports),
        count(Outcome::Contradicts),
        count(Outcome::Tie),
    );
    // A verdict must not turn on one cell (see [`verdict_of`]): a confirmed
    // or contradicted rule with cells on the other side has exactly one,
    // its exception, named in the condition.
    j.verdict = verdict_of(sup, con);
    let against = match j.verdict {
        Verdict::Confirmed => Some(Outcome::Contradicts),
        Verdict::Contradicted => Some(Outcome::Supports),
        _ => None,
    };
    if j.verdict == Verdict::Depends {
        j.condition = Some(condition(&cells));
    } else if let Some(c) = against.and_then(|o| cells.iter().find(|c| c.outcome == o)) {
        j.condition = Some(exception_text(c, &la, &lb));
    }
    let n = cells.len();
    let span = |o: Outcome, inverse: bool| {
        let rs: Vec<f64> = cells
            .iter()
            .filter(|c| c.outcome == o)
            .map(|c| {
                if inverse {
                    1.0 / c.ratio.point
                } else {
                    c.ratio.point
                }
            })
            .collect();
        range_text(&rs)
    };
    let mut parts = Vec::new();
    if sup > 0 {
        parts.push(format!(
            "the best {la} strategy beats the best {lb} one in {sup} of {n} cells ({})",
            span(Outcome::Supports, false)
        ));
    }
    if con > 0 {
        parts.push(format!(
            "the best {lb} strategy beats the best {la} one in {con} of {n} cells ({})",
            span(Outcome::Contradicts, true)
        ));
    }
    if tie > 0 {
        parts.push(format!("{tie} of {n} cells tie (no clear winner)"));
    }
    j.summary = capitalise(&parts.join("; ")) + ".";
    if !unmeasured.is_empty() {
        j.summary += &format!(
            " Not yet measured: {} (run {}).",
            unmeasured.join(", "),
            hint(&unmeasured)
        );
    }
    let outside: Vec<(&(Pick, Ratio), bool)> = cells
        .iter()
        .filter_map(|c| c.elsewhere.as_ref().map(|e| (e, c.elsewhere_at_floor)))
        .collect();
    if !outside.is_empty() {
        let mut names: Vec<String> = Vec::new();
        for ((p, _), _) in &outside {
            let s = format!("{} ({})", p.strategy, p.family);
            if !names.contains(&s) {
                names.push(s);
            }
        }
        // Multiples of strategies at the harness floor measure the harness
        // loop, not synchronization: they are not claimed.
        let rs: Vec<f64> = outside
            .iter()
            .filter(|(_, floor)| !floor)
            .map(|((_, r), _)| r.point)
            .collect();
        let floors = outside.len() - rs.len();
        let by = match (rs.is_empty(), floors) {
            (true, _) => "at the harness floor".to_string(),
            (false, 0) => format!("{} over the better side", range_text(&rs)),
            (false, f) => format!(
                "{} over the better side ({f} of those cells at the harness floor, no multiple \
                 claimed)",
                range_text(&rs)
            ),
        };
        j.elsewhere = Some(format!(
            "But neither side wins in {} of {n} cells: {} {} both, {by}.",
            outside.len(),
            names.join(", "),
            if names.len() == 1 { "beats" } else { "beat" },
        ));
    }
    j.cells = cells;
    j
}

/// Rule 10 from the sidecars of the newest run of every scenario: a
/// benchmark id (scenario, strategy, thread count) is checked when one of
/// its passes recorded `threads_leaked`, and leaked when any pass found a
/// thread still alive after its system was dropped.
fn judge_exit_paths(rule: &Rule, model: &Model) -> Judgement {
    let mut checked = 0usize;
    let mut strategies = BTreeSet::new();
    let mut leaked: Vec<String> = Vec::new();
    for s in &model.scenarios {
        for x in &s.series {
            for (t, p) in &x.points {
                if p.stale {
                    continue;
                }
                let found: Vec<i64> = p
                    .passes
                    .iter()
                    .filter_map(|q| q.sidecar.as_ref()?.threads_leaked)
                    .chain(
                        p.passes
                            .is_empty()
                            .then(|| p.sidecar.as_ref()?.threads_leaked)
                            .flatten(),
                    )
                    .collect();
                if found.is_empty() {
                    continue;
                }
                checked += 1;
                strategies.insert((s.workload.as_str(), x.strategy.as_str()));
                if let Some(&n) = found.iter().max().filter(|&&n| n > 0) {
                    leaked.push(format!(
                        "{}/{}/{t} ({n} thread{})",
                        s.id,
                        x.strategy,
                        plural(n)
                    ));
                }
            }
        }
    }
    let (verdict, summary) = if checked == 0 {
        (
            Verdict::NoData,
            "No benchmark id recorded an exit check yet: the bench glue counts the process's \
             threads before each id's system is built and after it is dropped, when \
             benchmarking (`cargo bench`), on Linux."
                .to_string(),
        )
    } else if leaked.is_empty() {
        (
            Verdict::Confirmed,
            format!(
                "Confirmed: {checked} of {checked} benchmark ids ({} strategies) had every \
                 thread they started exit once their system was dropped.",
                strategies.len()
            ),
        )
    } else {
        (
            Verdict::Failed,
            format!(
                "Failed: {} of {checked} benchmark ids left threads running after their system \
                 was dropped: {}.",
                leaked.len(),
                leaked.join(", ")
            ),
        )
    };
    Judgement {
        id: rule.id,
        text: Cow::Borrowed(rule.text),
        verdict,
        condition: None,
        summary,
        elsewhere: None,
        cells: Vec::new(),
        rests_on: Vec::new(),
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `2.0x` or `1.5x to 9.8x`.
fn range_text(rs: &[f64]) -> String {
    let lo = rs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = rs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if rs.is_empty() {
        String::new()
    } else if fmt_ratio(lo) == fmt_ratio(hi) {
        fmt_ratio(lo)
    } else {
        format!("{} to {}", fmt_ratio(lo), fmt_ratio(hi))
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A rule's verdict from its supporting and contradicting cells. A verdict
/// must survive leaving out any single cell, and a "depends" that rests on
/// one cell does not (between two runs of one commit on the reference VM,
/// one cell of a rule went from a tie to a 1.3-1.4x lead and back, and the
/// rule's verdict with it): one cell against two or more is the others'
/// exception and leaves the verdict to them. With one cell on each side the
/// rule depends.
pub fn verdict_of(supports: usize, contradicts: usize) -> Verdict {
    match (supports, contradicts) {
        (0, 0) => Verdict::Inconclusive,
        (_, 0) => Verdict::Confirmed,
        (0, _) => Verdict::Contradicted,
        (1, c) if c >= 2 => Verdict::Contradicted,
        (s, 1) if s >= 2 => Verdict::Confirmed,
        _ => Verdict::Depends,
    }
}

/// `except handoff/mpsc/vec64 at 1 thread (the best mutex strategy ahead, 1.4x)`.
fn exception_text(c: &Cell, la: &str, lb: &str) -> String {
    let (side, r) = if c.outcome == Outcome::Supports {
        (la, c.ratio.point)
    } else {
        (lb, 1.0 / c.ratio.point)
    };
    format!(
        "except {} at {} thread{} (the best {side} strategy ahead, {})",
        c.scenario,
        c.threads,
        plural(c.threads as i64),
        fmt_ratio(r)
    )
}

/// The condition under which a mixed rule holds: a thread-count threshold
/// over all cells; else a split by scenario; else each scenario's own.
pub fn condition(cells: &[Cell]) -> String {
    let decided: Vec<&Cell> = cells.iter().filter(|c| c.outcome != Outcome::Tie).collect();
    if let Some(t) = threshold(&decided) {
        return t;
    }
    let mut by: BTreeMap<&str, Vec<&Cell>> = BTreeMap::new();
    for c in &decided {
        by.entry(&c.scenario).or_default().push(c);
    }
    let uniform = |cs: &[&Cell]| {
        let o = cs[0].outcome;
        cs.iter().all(|c| c.outcome == o).then_some(o)
    };
    let split: Option<Vec<(&str, Outcome)>> = by
        .iter()
        .map(|(s, cs)| uniform(cs).map(|o| (*s, o)))
        .collect();
    if let Some(split) = split {
        let holds: Vec<&str> = split
            .iter()
            .filter(|(_, o)| *o == Outcome::Supports)
            .map(|(s, _)| *s)
            .collect();
        let not: Vec<&str> = split
            .iter()
            .filter(|(_, o)| *o == Outcome::Contradicts)
            .map(|(s, _)| *s)
            .collect();
        return format!(
            "holds for {}; reversed for {}",
            holds.join(", "),
            not.join(", ")
        );
    }
    let per: Vec<String> = by
        .iter()
        .map(|(s, cs)| {
            let what = match uniform(cs) {
                Some(Outcome::Supports) => "holds".to_string(),
                Some(_) => "reversed".to_string(),
                None => threshold(cs).unwrap_or_else(|| {
                    let n = cs.iter().filter(|c| c.outcome == Outcome::Supports).count();
                    format!("holds in {n} of {} decided cells", cs.len())
                }),
            };
            format!("{s}: {what}")
        })
        .collect();
    per.join("; ")
}

/// `holds up to 2 threads, reversed from 4` when one thread count splits
/// the supporting from the contradicting cells.
fn threshold(cells: &[&Cell]) -> Option<String> {
    let threads = |o: Outcome| -> Vec<usize> {
        cells
            .iter()
            .filter(|c| c.outcome == o)
            .map(|c| c.threads)
            .collect()
    };
    let (s, c) = (threads(Outcome::Supports), threads(Outcome::Contradicts));
    let (smin, smax) = (s.iter().min()?, s.iter().max()?);
    let (cmin, cmax) = (c.iter().min()?, c.iter().max()?);
    let word = |n: usize| if n == 1 { "thread" } else { "threads" };
    if smax < cmin {
        Some(format!(
            "holds up to {smax} {}, reversed from {cmin} {}",
            word(*smax),
            word(*cmin)
        ))
    } else if cmax < smin {
        Some(format!(
            "reversed up to {cmax} {}, holds from {smin} {}",
            word(*cmax),
            word(*smin)
        ))
    } else {
        None
    }
}

/// A half of a composite: its members' verdicts combined, notes per
/// member, and whether every member has data.
fn half_verdict(ids: &[u32], judged: &[Judgement]) -> (Verdict, Vec<String>, bool) {
    let mut notes = Vec::new();
    let mut vs = Vec::new();
    let mut complete = true;
    for id in ids {
        match judged.iter().find(|j| j.id == *id) {
            Some(j) => {
                notes.push(format!("rule {id}: {}", j.verdict.as_str()));
                if matches!(j.verdict, Verdict::NoData | Verdict::Enforced) {
                    complete = false;
                } else {
                    vs.push(j.verdict);
                }
            }
            None => {
                notes.push(format!("rule {id}: not registered"));
                complete = false;
            }
        }
    }
    let v = if vs.is_empty() {
        Verdict::NoData
    } else if vs.iter().all(|v| *v == Verdict::Confirmed) {
        Verdict::Confirmed
    } else if vs.iter().all(|v| *v == Verdict::Contradicted) {
        Verdict::Contradicted
    } else if vs.iter().all(|v| *v == Verdict::Inconclusive) {
        Verdict::Inconclusive
    } else {
        Verdict::Depends
    };
    (v, notes, complete)
}

fn judge_composite(
    rule: &Rule,
    first: (&str, &[u32]),
    second: (&str, &[u32]),
    judged: &[Judgement],
) -> Judgement {
    let (v1, n1, c1) = half_verdict(first.1, judged);
    let (v2, n2, c2) = half_verdict(second.1, judged);
    use Verdict::*;
    // A half holds only when every one of its rules has data and holds.
    let settled = |v: Verdict, complete: bool| {
        if v == Confirmed && !complete {
            NoData
        } else {
            v
        }
    };
    let verdict = match (settled(v1, c1), settled(v2, c2)) {
        (Confirmed, Confirmed) => Confirmed,
        (Contradicted, Contradicted) => Contradicted,
        (NoData, NoData) => NoData,
        // One half unmeasured: the other decides whether it can still hold.
        (NoData, Confirmed) | (Confirmed, NoData) => NoData,
        (NoData, v) | (v, NoData) => v,
        (Inconclusive, Inconclusive) => Inconclusive,
        _ => Depends,
    };
    let describe = |name: &str, v: Verdict, complete: bool, notes: &[String]| {
        let state = match v {
            Confirmed if !complete => "holds so far",
            Confirmed => "holds",
            Contradicted | Failed => "fails",
            Depends => "holds only in part",
            Inconclusive => "is a tie",
            NoData | Enforced => "has no data yet",
        };
        format!("\"{name}\" {state} ({})", notes.join(", "))
    };
    let summary = format!(
        "{}; {}.",
        capitalise(&describe(first.0, v1, c1, &n1)),
        describe(second.0, v2, c2, &n2)
    );
    let condition = (verdict == Depends).then(|| {
        let failed: Vec<&str> = [(first.0, v1), (second.0, v2)]
            .into_iter()
            .filter(|(_, v)| !matches!(v, Confirmed | NoData))
            .map(|(n, _)| n)
            .collect();
        format!("fails on {}", failed.join(" and "))
    });
    Judgement {
        id: rule.id,
        text: Cow::Borrowed(rule.text),
        verdict,
        condition,
        summary,
        elsewhere: None,
        cells: Vec::new(),
        rests_on: first.1.iter().chain(second.1).copied().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::analyse::decide::tests::{scenario, series};

    fn model(scenarios: Vec<Scenario>) -> Model {
        Model { scenarios }
    }

    fn judge(id: u32, m: &Model) -> Judgement {
        judge_all(RULES, m, &Floor::default())
            .into_iter()
            .find(|j| j.id == id)
            .unwrap()
    }

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

    #[test]
    fn tokio_advice_is_judged_where_no_guard_crosses_an_await() {
        let m = model(vec![
            scenario(
                "tasks/counter/no-await",
                vec![
                    series("atomic-fetch_add", Some(Atomic), &[(1, 900.0), (2, 800.0)]),
                    series("std-mutex", Some(Mutex), &[(1, 100.0), (2, 80.0)]),
                    series("tokio-mutex", Some(AsyncLock), &[(1, 40.0), (2, 30.0)]),
                ],
            ),
            scenario(
                "tasks/map/no-await/current-thread",
                vec![
                    series("parking_lot-mutex", Some(Mutex), &[(1, 100.0)]),
                    series("tokio-rwlock", Some(AsyncLock), &[(1, 20.0)]),
                ],
            ),
            // Only async locks run across a yield: no cell, no effect.
            scenario(
                "tasks/counter/across-yield",
                vec![series(
                    "tokio-mutex",
                    Some(AsyncLock),
                    &[(1, 5.0), (2, 4.0)],
                )],
            ),
        ]);
        let j = judge(13, &m);
        assert_eq!(j.verdict, Verdict::Confirmed, "{}", j.summary);
        assert_eq!(j.cells.len(), 3);
        assert!(j.cells.iter().all(|c| !c.scenario.contains("across-yield")));
        assert!(j.elsewhere.as_deref().unwrap().contains("atomic-fetch_add"));
        // An async lock ahead of every sync one contradicts the advice.
        let m = model(vec![scenario(
            "tasks/counter/no-await",
            vec![
                series("std-mutex", Some(Mutex), &[(1, 10.0)]),
                series("tokio-mutex", Some(AsyncLock), &[(1, 100.0)]),
            ],
        )]);
        assert_eq!(judge(13, &m).verdict, Verdict::Contradicted);
        // Without tasks data the rule says which target to run.
        let j = judge(13, &model(vec![]));
        assert_eq!(j.verdict, Verdict::NoData);
        assert!(j.summary.contains("--bench tasks"), "{}", j.summary);
    }

    #[test]
    fn async_signals_count_for_rule_8() {
        let m = model(vec![scenario(
            "tasks/signal/ping-pong",
            vec![
                series("tokio-notify", Some(Park), &[(1, 100.0)]),
                series("tokio-watch", Some(Channel), &[(1, 50.0)]),
            ],
        )]);
        let j = judge(8, &m);
        assert_eq!(j.verdict, Verdict::Contradicted, "{}", j.summary);
        assert_eq!(j.cells[0].scenario, "tasks/signal/ping-pong");
    }

    #[test]
    fn scope_matches_whole_components() {
        assert!(matches("counter/increment/", "counter/increment/hot"));
        assert!(!matches("counter/increment/", "counter/incremental"));
        assert!(matches("signal/one-to-many", "signal/one-to-many"));
        assert!(matches("signal/one-to-many", "signal/one-to-many/cap-1"));
        assert!(!matches("signal/one-to-many", "signal/one-to-many-x"));
        assert!(!matches("map/", "mapx/a"));
    }

    #[test]
    fn confirmed_but_something_else_wins() {
        let m = model(vec![scenario(
            "counter/increment/hot",
            vec![
                series("atomic-fetch_add", Some(Atomic), &[(1, 400.0), (2, 200.0)]),
                series("std-mutex", Some(Mutex), &[(1, 100.0), (2, 50.0)]),
                series("actor", Some(Channel), &[(1, 10.0), (2, 10.0)]),
            ],
        )]);
        let j = judge(1, &m);
        assert_eq!(j.verdict, Verdict::Confirmed);
        assert_eq!(j.cells.len(), 2);
        assert!(
            j.summary.starts_with(
                "The best mutex strategy beats the best channel one in 2 of 2 cells (5.0x to 10x)"
            ),
            "{}",
            j.summary
        );
        let e = j.elsewhere.as_deref().unwrap();
        assert!(
            e.contains("atomic-fetch_add (atomic)") && e.contains("4.0x"),
            "{e}"
        );
        assert_eq!(
            j.citations(),
            vec![("counter/increment/hot".to_string(), vec![1, 2])]
        );
        // Rule 9 is the opposite claim on the same cells.
        assert_eq!(judge(9, &m).verdict, Verdict::Contradicted);
    }

    #[test]
    fn depends_on_a_thread_threshold() {
        let m = model(vec![scenario(
            "counter/read-mostly/90-10",
            vec![
                series(
                    "rw",
                    Some(RwLock),
                    &[(1, 50.0), (2, 50.0), (4, 50.0), (8, 200.0), (16, 300.0)],
                ),
                series(
                    "mu",
                    Some(Mutex),
                    &[(1, 100.0), (2, 100.0), (4, 51.0), (8, 100.0), (16, 100.0)],
                ),
            ],
        )]);
        let j = judge(4, &m);
        assert_eq!(j.verdict, Verdict::Depends);
        assert_eq!(
            j.condition.as_deref(),
            Some("reversed up to 2 threads, holds from 8 threads")
        );
        assert_eq!(
            j.cells.iter().filter(|c| c.outcome == Outcome::Tie).count(),
            1
        );
    }

    #[test]
    fn depends_by_scenario_then_per_scenario() {
        let hot = scenario(
            "counter/increment/hot",
            vec![
                series("mu", Some(Mutex), &[(1, 10.0), (2, 10.0)]),
                series("ch", Some(Channel), &[(1, 100.0), (2, 100.0)]),
            ],
        );
        let warm = scenario(
            "counter/increment/warm",
            vec![
                series("mu", Some(Mutex), &[(1, 100.0), (2, 100.0)]),
                series("ch", Some(Channel), &[(1, 10.0), (2, 10.0)]),
            ],
        );
        let j = judge(1, &model(vec![hot.clone(), warm]));
        assert_eq!(
            j.condition.as_deref(),
            Some("holds for counter/increment/warm; reversed for counter/increment/hot")
        );
        let mixed = scenario(
            "counter/increment/warm",
            vec![
                series("mu", Some(Mutex), &[(1, 100.0), (2, 100.0), (4, 10.0)]),
                series("ch", Some(Channel), &[(1, 10.0), (2, 10.0), (4, 100.0)]),
            ],
        );
        let j = judge(1, &model(vec![hot, mixed]));
        assert_eq!(
            j.condition.as_deref(),
            Some(
                "counter/increment/hot: reversed; counter/increment/warm: holds up to 2 threads, reversed from 4 threads"
            )
        );
    }

    #[test]
    fn one_cell_against_the_rest_is_an_exception_not_a_condition() {
        // Mutex ahead at 1, 2 and 4 threads, the channel ahead at 8.
        let cells = |ch8: f64| {
            model(vec![scenario(
                "counter/increment/hot",
                vec![
                    series(
                        "mu",
                        Some(Mutex),
                        &[(1, 100.0), (2, 100.0), (4, 100.0), (8, 10.0)],
                    ),
                    series(
                        "ch",
                        Some(Channel),
                        &[(1, 10.0), (2, 10.0), (4, 10.0), (8, ch8)],
                    ),
                ],
            )])
        };
        let j = judge(1, &cells(40.0));
        assert_eq!(j.verdict, Verdict::Confirmed);
        assert_eq!(
            j.condition.as_deref(),
            Some(
                "except counter/increment/hot at 8 threads (the best channel strategy ahead, 4.0x)"
            )
        );
        // The summary still counts the exception.
        assert!(j.summary.contains("in 1 of 4 cells"), "{}", j.summary);
        // The opposite claim: contradicted, with the same cell as its
        // exception.
        let j9 = judge(9, &cells(40.0));
        assert_eq!(j9.verdict, Verdict::Contradicted);
        assert!(
            j9.condition
                .as_deref()
                .unwrap()
                .starts_with("except counter/increment/hot at 8 threads")
        );
        // A tie there leaves no exception.
        let j = judge(1, &cells(10.0));
        assert_eq!((j.verdict, j.condition), (Verdict::Confirmed, None));
        // One cell on each side: the rule depends.
        let two = model(vec![scenario(
            "counter/increment/hot",
            vec![
                series("mu", Some(Mutex), &[(1, 100.0), (2, 10.0)]),
                series("ch", Some(Channel), &[(1, 10.0), (2, 100.0)]),
            ],
        )]);
        assert_eq!(judge(1, &two).verdict, Verdict::Depends);
    }

    #[test]
    fn no_data_unknown_families_and_ties() {
        let j = judge(5, &model(vec![]));
        assert_eq!(j.verdict, Verdict::NoData);
        assert!(
            j.summary.contains("`cargo bench --bench handoff`"),
            "{}",
            j.summary
        );
        // Without sidecars (family unknown) nothing is comparable.
        let m = model(vec![scenario(
            "counter/increment/hot",
            vec![
                series("mu", None, &[(1, 10.0)]),
                series("ch", None, &[(1, 100.0)]),
            ],
        )]);
        let j = judge(1, &m);
        assert_eq!(j.verdict, Verdict::NoData);
        assert!(j.summary.contains("sidecars"), "{}", j.summary);
        // A result without its own sidecar is left out, even when the
        // strategy's family is known from its other results.
        let mut mu = series("mu", Some(Mutex), &[(1, 100.0), (2, 100.0)]);
        mu.points.get_mut(&2).unwrap().sidecar = None;
        let m = model(vec![scenario(
            "counter/increment/hot",
            vec![mu, series("ch", Some(Channel), &[(1, 10.0), (2, 10.0)])],
        )]);
        let j = judge(1, &m);
        assert_eq!(j.cells.len(), 1);
        assert_eq!(j.cells[0].threads, 1);
        let m = model(vec![scenario(
            "counter/increment/hot",
            vec![
                series("mu", Some(Mutex), &[(1, 100.0)]),
                series("ch", Some(Channel), &[(1, 99.0)]),
            ],
        )]);
        assert_eq!(judge(1, &m).verdict, Verdict::Inconclusive);
        assert!(judge(3, &m).summary.contains("Not yet measured: map/"));
        assert_eq!(judge(10, &m).verdict, Verdict::NoData);
    }

    #[test]
    fn exit_paths_count_checked_ids_and_name_leaks() {
        let with = |leaks: &[Option<i64>]| {
            let mut x = series("crew", Some(Channel), &[(1, 10.0), (2, 10.0), (4, 10.0)]);
            for (p, l) in x.points.values_mut().zip(leaks) {
                p.sidecar.as_mut().unwrap().threads_leaked = *l;
            }
            model(vec![scenario("lifecycle/spawn", vec![x])])
        };
        let j = judge(10, &with(&[None, None, None]));
        assert_eq!(j.verdict, Verdict::NoData);
        let j = judge(10, &with(&[Some(0), Some(0), None]));
        assert_eq!(j.verdict, Verdict::Confirmed);
        assert!(
            j.summary
                .starts_with("Confirmed: 2 of 2 benchmark ids (1 strategies)"),
            "{}",
            j.summary
        );
        let j = judge(10, &with(&[Some(0), Some(3), Some(0)]));
        assert_eq!((j.verdict, j.verdict.as_str()), (Verdict::Failed, "failed"));
        assert!(
            j.summary.starts_with("Failed: 1 of 3 benchmark ids")
                && j.summary.contains("lifecycle/spawn/crew/2 (3 threads)"),
            "{}",
            j.summary
        );
    }

    #[test]
    fn spinlocks_against_mutexes_by_thread_count() {
        // Spinlocks ahead while every thread has a core, behind once
        // oversubscribed; a rwlock and an atomic take no side.
        let m = model(vec![
            scenario(
                "counter/increment/hot",
                vec![
                    series(
                        "spin-mutex",
                        Some(Spin),
                        &[(1, 200.0), (2, 100.0), (4, 5.0)],
                    ),
                    series(
                        "std-mutex",
                        Some(Mutex),
                        &[(1, 100.0), (2, 50.0), (4, 40.0)],
                    ),
                    series(
                        "std-rwlock",
                        Some(RwLock),
                        &[(1, 90.0), (2, 45.0), (4, 30.0)],
                    ),
                ],
            ),
            scenario(
                "map/write-heavy/50-50/zipf",
                vec![
                    series("ttas-mutex", Some(Spin), &[(1, 20.0), (4, 1.0)]),
                    series("parking_lot-mutex", Some(Mutex), &[(1, 10.0), (4, 8.0)]),
                ],
            ),
            // Out of scope: read-mostly rows never count for rule 12.
            scenario(
                "counter/read-mostly-struct/99-1",
                vec![
                    series("spin-rwlock", Some(Spin), &[(1, 1.0)]),
                    series("std-mutex", Some(Mutex), &[(1, 100.0)]),
                ],
            ),
        ]);
        let j = judge(12, &m);
        assert_eq!(j.verdict, Verdict::Depends, "{}", j.summary);
        assert_eq!(
            j.condition.as_deref(),
            Some("reversed up to 2 threads, holds from 4 threads")
        );
        assert_eq!(j.cells.len(), 5);
        assert!(
            j.summary
                .contains("the best spin strategy beats the best mutex one in 3 of 5"),
            "{}",
            j.summary
        );
        // The existing rules do not see the spin family.
        assert_eq!(judge(4, &m).verdict, Verdict::NoData);
    }

    #[test]
    fn composite_needs_both_halves() {
        let counter = scenario(
            "counter/increment/hot",
            vec![
                series("mu", Some(Mutex), &[(1, 100.0)]),
                series("ch", Some(Channel), &[(1, 10.0)]),
            ],
        );
        let handoff = |ch: f64| {
            scenario(
                "handoff/spsc",
                vec![
                    series("mu", Some(Mutex), &[(1, 10.0)]),
                    series("ch", Some(Channel), &[(1, ch)]),
                ],
            )
        };
        let j = judge(11, &model(vec![counter.clone()]));
        assert_eq!(j.verdict, Verdict::NoData, "{}", j.summary);
        let j = judge(11, &model(vec![counter.clone(), handoff(100.0)]));
        assert_eq!(j.verdict, Verdict::NoData, "rules 7 and 8 unmeasured");
        assert!(j.summary.contains("holds so far"), "{}", j.summary);
        let channel_ahead = |id: &str| {
            scenario(
                id,
                vec![
                    series("mu", Some(Mutex), &[(2, 10.0)]),
                    series("ch", Some(Channel), &[(2, 40.0)]),
                ],
            )
        };
        let all = model(vec![
            counter.clone(),
            handoff(100.0),
            channel_ahead("pipeline/square-sum/hot"),
            channel_ahead("signal/completion"),
        ]);
        let j = judge(11, &all);
        assert_eq!(j.verdict, Verdict::Confirmed, "{}", j.summary);
        assert_eq!(j.rests_on, vec![3, 5, 7, 8]);
        let j = judge(11, &model(vec![counter, handoff(1.0)]));
        assert_eq!(j.verdict, Verdict::Depends);
        assert_eq!(
            j.condition.as_deref(),
            Some("fails on channels for coordination")
        );
        assert!(j.summary.contains("rule 5: contradicted"), "{}", j.summary);
    }
}
