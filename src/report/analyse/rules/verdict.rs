//! What a rule's judgement is made of: its verdict ([`Verdict`]), how each
//! cell went ([`Outcome`], [`Cell`]) and the judgement itself
//! ([`Judgement`]); how the supporting and contradicting cells combine into
//! a verdict ([`verdict_of`]), the condition of a mixed rule
//! ([`condition`]), and the text helpers the judgements' sentences use.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::report::analyse::decide::{Pick, Ratio, fmt_ratio};

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

/// `""` for one, `"s"` otherwise.
pub(crate) fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `2.0x` or `1.5x to 9.8x`.
pub(crate) fn range_text(rs: &[f64]) -> String {
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

/// `s` with its first letter in upper case.
pub(crate) fn capitalise(s: &str) -> String {
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
pub(crate) fn exception_text(c: &Cell, la: &str, lb: &str) -> String {
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
