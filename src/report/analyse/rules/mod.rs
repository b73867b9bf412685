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
//!
//! The registry is data ([`RULES`], in `table`); the verdict types and how
//! cells combine into a verdict are in `verdict`; this file judges the
//! rules on a model. Both are re-exported here: callers use
//! `crate::report::analyse::rules::...`.

mod table;
mod verdict;

pub use crate::report::analyse::rules::table::{Kind, RULES, Rule};
pub use crate::report::analyse::rules::verdict::{
    Cell, Judgement, Outcome, Verdict, condition, verdict_of,
};

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::harness::Family;
use crate::report::analyse::decide::{Pick, Ratio, compare};
use crate::report::analyse::model::ranked;
use crate::report::analyse::model::{Model, Point, Scenario, Series};
use crate::report::analyse::rules::verdict::{capitalise, exception_text, plural, range_text};
use crate::report::analyse::scope::matches;
use crate::report::analyse::stats::Floor;

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
mod tests;
