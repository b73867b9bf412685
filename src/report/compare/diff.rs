//! `report diff A B`: where two result sets disagree.
//!
//! Each side is either a report directory (its `results.json`, e.g. the
//! committed `reports/`), a criterion tree or a result bundle (decided in
//! memory, nothing written). Every scenario × thread-count cell present on both sides is
//! compared by its verdict: the same winner, a tie on both sides, at the
//! harness floor on both sides, or neither is the same verdict; anything
//! else is a disagreement (different winners, a winner on one side and a tie
//! on the other, ...). Rule verdicts are compared by their word (confirmed,
//! depends, ...), and a changed condition is listed too. The summary gives
//! the share of identical verdicts and, per side, the share of decided cells.
//! When both sides have Go results (`results.json` key `go`, or the Go
//! output of a criterion tree or bundle), a section of its own compares
//! them the same way: cells by their clear winner, rules by their word.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::report::analyse::decide::CellVerdict;
use crate::report::analyse::go::GoSummary;
use crate::report::input::gotext::short_version;
use crate::report::input::{RUN_BUNDLE, bundle};
use crate::report::log::Log;
use crate::report::render::data::{Results, SituationPick};

/// One side of a diff.
#[derive(Clone, Debug, Default)]
pub struct ResultSet {
    /// What it was read from.
    pub label: String,
    /// Cell verdicts by (scenario, threads), with the margin text.
    pub cells: BTreeMap<(String, usize), (CellVerdict, Option<f64>)>,
    /// Rule verdicts by id: (wording, verdict word, condition).
    pub rules: BTreeMap<u32, (String, String, Option<String>)>,
    /// Passes per point (fewest, most).
    pub passes: (usize, usize),
    /// The Go side's verdicts, when the run has a Go side.
    pub go: Option<GoSummary>,
    /// Per cell: every contender's throughput (ops/s; no reference line,
    /// no older result), for the regret of following the other side.
    pub ops: BTreeMap<(String, usize), Vec<(String, f64)>>,
    /// Each situation's robust pick (empty for a results.json written
    /// before they were recorded).
    pub robust: Vec<SituationPick>,
}

impl ResultSet {
    /// Cells with a named winner or a winning family.
    pub fn decided(&self) -> usize {
        self.cells.values().filter(|(v, _)| v.is_decided()).count()
    }
}

/// Reads a side: a criterion tree, a bundle or a report directory (through
/// [`crate::report::analyse::load`], like every command), or, for a report
/// directory written before reports carried their run and for a
/// `results.json` file itself, the verdicts its `results.json` records.
pub fn read(path: &Path, log: &mut Log<'_>) -> Result<ResultSet> {
    crate::io::remove_dead_siblings(path, "staging");
    let meta = std::fs::metadata(path)
        .with_context(|| format!("{}: cannot read it (does it exist?)", path.display()))?;
    let results_only = if meta.is_file() {
        (!bundle::looks_like_bundle(path)).then(|| path.to_path_buf())
    } else {
        let file = path.join("results.json");
        (file.is_file() && !path.join(RUN_BUNDLE).is_file()).then_some(file)
    };
    let label = if results_only.is_some() && meta.is_file() {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(path)
            .display()
            .to_string()
    } else {
        path.display().to_string()
    };
    let results = match results_only {
        Some(file) => Results::read(&file)?,
        None => Results::of(&crate::report::analyse::load(path, log)?),
    };
    Ok(ResultSet::of(&results, label))
}

impl ResultSet {
    /// The verdicts `results` records: every cell, every rule, the passes
    /// and the Go side.
    pub fn of(results: &Results, label: String) -> ResultSet {
        let mut set = ResultSet {
            label,
            ..ResultSet::default()
        };
        for d in &results.decisions {
            for row in &d.rows {
                set.cells.insert(
                    (d.scenario.clone(), row.threads),
                    (row.verdict.clone(), row.margin.map(|m| m.point)),
                );
            }
        }
        for j in &results.rules {
            set.rules.insert(
                j.id,
                (j.text.to_string(), j.verdict.key(), j.condition.clone()),
            );
        }
        let passes = results.rows.iter().map(|r| r.passes);
        set.passes = (passes.clone().min().unwrap_or(0), passes.max().unwrap_or(0));
        set.go = results.go.clone();
        for r in &results.rows {
            if r.reference || r.older_run || !(r.ops_per_s.is_finite() && r.ops_per_s > 0.0) {
                continue;
            }
            set.ops
                .entry((r.scenario.clone(), r.threads))
                .or_default()
                .push((r.strategy.clone(), r.ops_per_s));
        }
        set.robust = results.robust.clone();
        set
    }
}

/// How one cell differs.
#[derive(Clone, Debug, PartialEq)]
pub struct CellDiff {
    /// Scenario id.
    pub scenario: String,
    /// Thread count.
    pub threads: usize,
    /// Verdict in A.
    pub a: CellVerdict,
    /// Verdict in B.
    pub b: CellVerdict,
    /// Margin in A (winner or best over runner-up).
    pub margin_a: Option<f64>,
    /// Margin in B.
    pub margin_b: Option<f64>,
}

impl CellDiff {
    /// `different winners`, `winner vs tie`, ...
    pub fn kind(&self) -> &'static str {
        match (self.a.is_decided(), self.b.is_decided()) {
            (true, true) if self.a.contradicts(&self.b) => "different winners",
            (true, true) => "winner vs its family",
            (true, false) | (false, true) if self.a.contradicts(&self.b) => {
                "winner clearly behind in the other"
            }
            (true, false) | (false, true) => "winner vs no winner",
            (false, false) => "different kinds of no winner",
        }
    }

    /// Whether the two sides contradict each other
    /// ([`CellVerdict::contradicts`]): different winners, or a winner the
    /// other side puts clearly behind.
    pub fn is_contradiction(&self) -> bool {
        self.a.contradicts(&self.b)
    }
}

/// The comparison of two result sets.
#[derive(Clone, Debug)]
pub struct Diff {
    /// Side A's label.
    pub a: String,
    /// Side B's label.
    pub b: String,
    /// Cells present on both sides.
    pub common: usize,
    /// Of those, cells with the same verdict.
    pub same: usize,
    /// Decided cells (a named winner or a winning family) on side A,
    /// among the common cells.
    pub decided_a: usize,
    /// The same on side B.
    pub decided_b: usize,
    /// Answered cells ([`CellVerdict::is_answered`]: decided, or no
    /// practical difference) on sides A and B, among the common cells.
    pub answered: (usize, usize),
    /// Of the decided cells, those decided by a family, on sides A and B.
    pub families: (usize, usize),
    /// Of the decided cells, those decided by a floor group ahead of the
    /// rest, on sides A and B.
    pub floors: (usize, usize),
    /// Cells that differ.
    pub cells: Vec<CellDiff>,
    /// Cells only on side A.
    pub only_a: Vec<(String, usize)>,
    /// Cells only on side B.
    pub only_b: Vec<(String, usize)>,
    /// Rules on both sides.
    pub rules_common: usize,
    /// Rules whose verdict word differs: (id, text, A, B).
    pub rules: Vec<(u32, String, String, String)>,
    /// Rules with the same verdict but a different condition: (id, A, B).
    pub conditions: Vec<(u32, String, String)>,
    /// Rules with no data on one side (not compared): ids.
    pub rules_one_sided: Vec<u32>,
    /// Passes per side (fewest, most).
    pub passes: ((usize, usize), (usize, usize)),
    /// The Go sides compared, or which side lacks one.
    pub go: GoSides,
}

/// Whether both result sets have a Go side, and their comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum GoSides {
    /// Neither has Go results.
    Neither,
    /// Only side A has them (not compared).
    OnlyA,
    /// Only side B has them (not compared).
    OnlyB,
    /// Both: how their verdicts compare.
    Both(GoDiff),
}

/// How the Go sides of two result sets compare: cells by their clear
/// winner (a tie on both sides is the same verdict), rules by their word.
/// Kept apart from the Rust figures: Go's verdicts rest on its own,
/// simpler test (see [`crate::report::analyse::go`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GoDiff {
    /// Cells on both sides.
    pub common: usize,
    /// Of those, the same verdict.
    pub same: usize,
    /// Cells with a clear winner, sides A and B, among the common ones.
    pub decided: (usize, usize),
    /// Cells that differ: scenario, threads, winner in A, in B (`None` a
    /// tie), margin in A, in B.
    pub cells: Vec<GoCellDiff>,
    /// Rules with data on both sides.
    pub rules_common: usize,
    /// Rules whose word differs: id, A, B.
    pub rules: Vec<(u32, String, String)>,
    /// `go version` of sides A and B.
    pub versions: (Option<String>, Option<String>),
}

/// One Go cell whose verdict differs.
#[derive(Clone, Debug, PartialEq)]
pub struct GoCellDiff {
    /// Scenario id.
    pub scenario: String,
    /// Thread count.
    pub threads: usize,
    /// Clear winner in A (`None`: a tie).
    pub a: Option<String>,
    /// Clear winner in B.
    pub b: Option<String>,
    /// Fastest over runner-up in A.
    pub margin_a: Option<f64>,
    /// The same in B.
    pub margin_b: Option<f64>,
}

impl GoDiff {
    /// Cells with a clear winner on both sides, not the same one.
    pub fn flips(&self) -> usize {
        self.cells
            .iter()
            .filter(|c| c.a.is_some() && c.b.is_some())
            .count()
    }
}

/// Compares two Go sides.
pub fn go_diff(a: &GoSummary, b: &GoSummary) -> GoDiff {
    let mut d = GoDiff {
        versions: (a.version.clone(), b.version.clone()),
        ..GoDiff::default()
    };
    for ca in &a.cells {
        let Some(cb) = b
            .cells
            .iter()
            .find(|c| c.scenario == ca.scenario && c.threads == ca.threads)
        else {
            continue;
        };
        d.common += 1;
        d.decided.0 += usize::from(ca.winner.is_some());
        d.decided.1 += usize::from(cb.winner.is_some());
        if ca.winner == cb.winner {
            d.same += 1;
        } else {
            d.cells.push(GoCellDiff {
                scenario: ca.scenario.clone(),
                threads: ca.threads,
                a: ca.winner.clone(),
                b: cb.winner.clone(),
                margin_a: ca.margin,
                margin_b: cb.margin,
            });
        }
    }
    for ra in &a.rules {
        let Some(rb) = b.rules.iter().find(|r| r.id == ra.id) else {
            continue;
        };
        if ra.verdict == "no-data" || rb.verdict == "no-data" {
            continue;
        }
        d.rules_common += 1;
        if ra.verdict != rb.verdict {
            d.rules
                .push((ra.id, ra.verdict.clone(), rb.verdict.clone()));
        }
    }
    d
}

impl Diff {
    /// Cells whose sides contradict each other (see
    /// [`CellDiff::is_contradiction`]).
    pub fn contradictions(&self) -> usize {
        self.cells.iter().filter(|c| c.is_contradiction()).count()
    }

    /// Cells naming a winner on both sides, with different winners.
    pub fn flips(&self) -> usize {
        self.cells
            .iter()
            .filter(|c| c.kind() == "different winners")
            .count()
    }
}

/// Compares `a` with `b`. Errors when they share no cell.
pub fn diff(a: &ResultSet, b: &ResultSet) -> Result<Diff> {
    let mut d = Diff {
        a: a.label.clone(),
        b: b.label.clone(),
        common: 0,
        same: 0,
        decided_a: 0,
        decided_b: 0,
        answered: (0, 0),
        families: (0, 0),
        floors: (0, 0),
        cells: Vec::new(),
        only_a: Vec::new(),
        only_b: Vec::new(),
        rules_common: 0,
        rules: Vec::new(),
        conditions: Vec::new(),
        rules_one_sided: Vec::new(),
        passes: (a.passes, b.passes),
        go: match (&a.go, &b.go) {
            (None, None) => GoSides::Neither,
            (Some(_), None) => GoSides::OnlyA,
            (None, Some(_)) => GoSides::OnlyB,
            (Some(x), Some(y)) => GoSides::Both(go_diff(x, y)),
        },
    };
    for (key, (va, ma)) in &a.cells {
        let Some((vb, mb)) = b.cells.get(key) else {
            d.only_a.push(key.clone());
            continue;
        };
        d.common += 1;
        d.decided_a += usize::from(va.is_decided());
        d.decided_b += usize::from(vb.is_decided());
        d.answered.0 += usize::from(va.is_answered());
        d.answered.1 += usize::from(vb.is_answered());
        let family = |v: &CellVerdict| usize::from(matches!(v, CellVerdict::Family { .. }));
        d.families.0 += family(va);
        d.families.1 += family(vb);
        let floor =
            |v: &CellVerdict| usize::from(matches!(v, CellVerdict::Floor { .. }) && v.is_decided());
        d.floors.0 += floor(va);
        d.floors.1 += floor(vb);
        if va.agrees(vb) {
            d.same += 1;
        } else {
            d.cells.push(CellDiff {
                scenario: key.0.clone(),
                threads: key.1,
                a: va.clone(),
                b: vb.clone(),
                margin_a: *ma,
                margin_b: *mb,
            });
        }
    }
    d.only_b = b
        .cells
        .keys()
        .filter(|k| !a.cells.contains_key(*k))
        .cloned()
        .collect();
    if d.common == 0 {
        bail!(
            "{} and {} have no scenario x thread count in common: nothing to compare \
             (different workloads or thread axes?)",
            a.label,
            b.label
        );
    }
    for (id, (text, va, ca)) in &a.rules {
        let Some((_, vb, cb)) = b.rules.get(id) else {
            continue;
        };
        if (va == "no-data") != (vb == "no-data") {
            d.rules_one_sided.push(*id);
            continue;
        }
        d.rules_common += 1;
        if va != vb {
            d.rules.push((*id, text.clone(), va.clone(), vb.clone()));
        } else if ca != cb {
            d.conditions.push((
                *id,
                ca.clone().unwrap_or_else(|| "-".into()),
                cb.clone().unwrap_or_else(|| "-".into()),
            ));
        }
    }
    Ok(d)
}

fn pct(n: usize, of: usize) -> String {
    if of == 0 {
        "-".to_string()
    } else {
        format!("{:.0}%", 100.0 * n as f64 / of as f64)
    }
}

fn passes_text((lo, hi): (usize, usize)) -> String {
    if lo == hi {
        format!("{lo}")
    } else {
        format!("{lo}-{hi}")
    }
}

fn margin_text(m: Option<f64>) -> String {
    m.filter(|x| x.is_finite()).map_or(String::new(), |x| {
        format!(", margin {}", crate::report::analyse::decide::fmt_ratio(x))
    })
}

/// The diff as Markdown: the summary first, then every disagreement.
pub fn render(d: &Diff) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# report diff\n\nA: `{}`  \nB: `{}`\n", d.a, d.b);
    let _ = writeln!(s, "| | |\n|---|---|");
    let _ = writeln!(
        s,
        "| cells in both | {} (A alone: {}, B alone: {}) |",
        d.common,
        d.only_a.len(),
        d.only_b.len()
    );
    let _ = writeln!(
        s,
        "| same verdict | {} of {} ({}) |",
        d.same,
        d.common,
        pct(d.same, d.common)
    );
    let _ = writeln!(
        s,
        "| contradictions (different winners, or a winner clearly behind in the other) | {} |\n\
         | different winners | {} |\n| winner in one, no winner in the other | {} |\n\
         | winner in one, its family in the other | {} |",
        d.contradictions(),
        d.flips(),
        d.cells
            .iter()
            .filter(|c| c.kind() == "winner vs no winner")
            .count(),
        d.cells
            .iter()
            .filter(|c| c.kind() == "winner vs its family")
            .count()
    );
    let by = |decided: usize, families: usize, floors: usize| {
        if families == 0 && floors == 0 {
            String::new()
        } else {
            let winners = decided - families - floors;
            let mut t = format!(
                ": {winners} winner{}, {families} famil{}",
                if winners == 1 { "" } else { "s" },
                if families == 1 { "y" } else { "ies" }
            );
            if floors > 0 {
                let _ = write!(
                    t,
                    ", {floors} floor group{}",
                    if floors == 1 { "" } else { "s" }
                );
            }
            t
        }
    };
    let _ = writeln!(
        s,
        "| decided (a winner, a winning family or a floor group ahead) | A {} ({}{}), B {} ({}{}) |",
        d.decided_a,
        pct(d.decided_a, d.common),
        by(d.decided_a, d.families.0, d.floors.0),
        d.decided_b,
        pct(d.decided_b, d.common),
        by(d.decided_b, d.families.1, d.floors.1)
    );
    let _ = writeln!(
        s,
        "| answered (decided, or no practical difference proven) | A {} ({}), B {} ({}) |",
        d.answered.0,
        pct(d.answered.0, d.common),
        d.answered.1,
        pct(d.answered.1, d.common)
    );
    let _ = writeln!(
        s,
        "| same rule verdict | {} of {} |",
        d.rules_common - d.rules.len(),
        d.rules_common
    );
    if !d.rules_one_sided.is_empty() {
        let ids: Vec<String> = d.rules_one_sided.iter().map(u32::to_string).collect();
        let _ = writeln!(
            s,
            "| rules with data on one side only (not compared) | {} |",
            ids.join(", ")
        );
    }
    let _ = writeln!(
        s,
        "| passes per point | A {}, B {} |",
        passes_text(d.passes.0),
        passes_text(d.passes.1)
    );
    if !d.cells.is_empty() {
        let _ = writeln!(
            s,
            "\n## Cells that differ\n\n| cell | kind | A | B |\n|---|---|---|---|"
        );
        for c in &d.cells {
            let _ = writeln!(
                s,
                "| `{}` @ {} | {} | {}{} | {}{} |",
                c.scenario,
                c.threads,
                c.kind(),
                c.a.describe(),
                margin_text(c.margin_a),
                c.b.describe(),
                margin_text(c.margin_b)
            );
        }
    }
    if !d.rules.is_empty() {
        let _ = writeln!(
            s,
            "\n## Rule verdicts that differ\n\n| rule | A | B |\n|---|---|---|"
        );
        for (id, text, a, b) in &d.rules {
            let _ = writeln!(s, "| {id}. {text} | {a} | {b} |");
        }
    }
    if !d.conditions.is_empty() {
        let _ = writeln!(
            s,
            "\n## Same rule verdict, different condition\n\n| rule | A | B |\n|---|---|---|"
        );
        for (id, a, b) in &d.conditions {
            let _ = writeln!(s, "| {id} | {a} | {b} |");
        }
    }
    for (side, cells) in [("A", &d.only_a), ("B", &d.only_b)] {
        if !cells.is_empty() {
            let list: Vec<String> = cells.iter().map(|(g, t)| format!("{g}@{t}")).collect();
            let _ = writeln!(s, "\nOnly in {side}: {}", list.join(", "));
        }
    }
    render_go(&mut s, &d.go);
    s
}

/// The Go section of the diff.
fn render_go(s: &mut String, go: &GoSides) {
    let g = match go {
        GoSides::Neither => return,
        GoSides::OnlyA | GoSides::OnlyB => {
            let (has, lacks) = if *go == GoSides::OnlyA {
                ("A", "B")
            } else {
                ("B", "A")
            };
            let _ = writeln!(
                s,
                "\n## The Go side\n\nOnly {has} has Go results ({lacks} was run without Go, \
                 or before its results were recorded): not compared."
            );
            return;
        }
        GoSides::Both(g) => g,
    };
    let version = |v: &Option<String>| {
        v.as_deref()
            .and_then(short_version)
            .unwrap_or_else(|| "?".into())
    };
    let _ = writeln!(
        s,
        "\n## The Go side\n\nGo {} and Go {}; a clear winner leads the runner-up by the \
         practical margin on the medians and every replicate of it beats every replicate of \
         the runner-up; otherwise the cell is a tie.\n\n| | |\n|---|---|",
        version(&g.versions.0),
        version(&g.versions.1)
    );
    let _ = writeln!(
        s,
        "| cells in both | {} |\n| same verdict | {} of {} ({}) |\n| different winners | {} |\n\
         | winner in one, tie in the other | {} |\n| decided (a clear winner) | A {} ({}), B {} ({}) |\n\
         | same rule verdict | {} of {} |",
        g.common,
        g.same,
        g.common,
        pct(g.same, g.common),
        g.flips(),
        g.cells.len() - g.flips(),
        g.decided.0,
        pct(g.decided.0, g.common),
        g.decided.1,
        pct(g.decided.1, g.common),
        g.rules_common - g.rules.len(),
        g.rules_common
    );
    if !g.cells.is_empty() {
        let _ = writeln!(
            s,
            "\n### Go cells that differ\n\n| cell | A | B |\n|---|---|---|"
        );
        let side = |w: &Option<String>, m: Option<f64>| match w {
            Some(w) => format!("winner {w}{}", margin_text(m)),
            None => format!("tie{}", margin_text(m)),
        };
        for c in &g.cells {
            let _ = writeln!(
                s,
                "| `{}` @ {} | {} | {} |",
                c.scenario,
                c.threads,
                side(&c.a, c.margin_a),
                side(&c.b, c.margin_b)
            );
        }
    }
    if !g.rules.is_empty() {
        let _ = writeln!(
            s,
            "\n### Go rule verdicts that differ\n\n| rule | A | B |\n|---|---|---|"
        );
        for (id, a, b) in &g.rules {
            let text = crate::report::analyse::rules::RULES
                .iter()
                .find(|r| r.id == *id)
                .map_or("", |r| r.text);
            let _ = writeln!(s, "| {id}. {text} | {a} | {b} |");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(label: &str, cells: &[(&str, usize, CellVerdict)], rules: &[(u32, &str)]) -> ResultSet {
        ResultSet {
            label: label.into(),
            cells: cells
                .iter()
                .map(|(g, t, v)| ((g.to_string(), *t), (v.clone(), Some(2.0))))
                .collect(),
            rules: rules
                .iter()
                .map(|(id, v)| (*id, ("rule".to_string(), v.to_string(), None)))
                .collect(),
            passes: (3, 3),
            go: None,
            ..ResultSet::default()
        }
    }

    fn w(s: &str) -> CellVerdict {
        CellVerdict::Winner { strategy: s.into() }
    }

    fn tie() -> CellVerdict {
        CellVerdict::Tie {
            strategies: vec!["a".into(), "b".into()],
        }
    }

    #[test]
    fn counts_same_flips_and_winner_vs_tie() {
        let a = set(
            "A",
            &[
                ("g", 1, w("x")),
                ("g", 2, w("x")),
                ("g", 4, tie()),
                ("g", 8, w("y")),
                ("h", 1, w("z")),
            ],
            &[(1, "confirmed"), (2, "depends")],
        );
        let b = set(
            "B",
            &[
                ("g", 1, w("x")),
                ("g", 2, w("y")),
                ("g", 4, tie()),
                ("g", 8, tie()),
                ("k", 1, w("z")),
            ],
            &[(1, "confirmed"), (2, "confirmed")],
        );
        let d = diff(&a, &b).unwrap();
        assert_eq!((d.common, d.same, d.flips()), (4, 2, 1));
        assert_eq!((d.decided_a, d.decided_b), (3, 2));
        assert_eq!(d.only_a, vec![("h".to_string(), 1)]);
        assert_eq!(d.only_b, vec![("k".to_string(), 1)]);
        assert_eq!(d.rules.len(), 1);
        let text = render(&d);
        assert!(text.contains("| same verdict | 2 of 4 (50%) |"), "{text}");
        assert!(
            text.contains("`g` @ 2 | different winners | winner x"),
            "{text}"
        );
        // `y` wins in A and is outside B's tie: clearly behind there.
        assert!(
            text.contains("`g` @ 8 | winner clearly behind in the other"),
            "{text}"
        );
        assert_eq!(d.contradictions(), 2);
        assert!(text.contains("| contradictions (different winners, or a winner clearly behind in the other) | 2 |"), "{text}");
        assert!(text.contains("| same rule verdict | 1 of 2 |"), "{text}");
    }

    #[test]
    fn floors_agree_whatever_their_members() {
        let f = |v: &[&str]| CellVerdict::Floor {
            strategies: v.iter().map(|s| s.to_string()).collect(),
            ahead: true,
        };
        assert!(f(&["a", "b"]).agrees(&f(&["b", "c"])));
        assert!(!f(&["a"]).agrees(&w("a")));
        assert!(tie().agrees(&CellVerdict::Tie { strategies: vec![] }));
        // A floor group clearly ahead is decided; a winner among its
        // members is no contradiction, one outside it is.
        assert!(f(&["a", "b"]).is_decided());
        assert!(!f(&["a", "b"]).contradicts(&w("b")));
        assert!(w("c").contradicts(&f(&["a", "b"])));
        let behind = CellVerdict::Floor {
            strategies: vec!["a".into(), "b".into()],
            ahead: false,
        };
        assert!(!behind.is_decided());
        // Results written before the field existed read as not ahead.
        let old: CellVerdict =
            serde_json::from_str(r#"{"kind":"floor","strategies":["a"]}"#).unwrap();
        assert_eq!(
            old,
            CellVerdict::Floor {
                strategies: vec!["a".into()],
                ahead: false
            }
        );
    }

    #[test]
    fn family_wins_count_as_decided_and_flip_only_across_families() {
        let fam = |f: &str, v: &[&str]| CellVerdict::Family {
            family: f.into(),
            strategies: v.iter().map(|s| s.to_string()).collect(),
        };
        let a = set(
            "A",
            &[
                ("g", 1, fam("spin", &["s1", "s2"])),
                ("g", 2, fam("spin", &["s1", "s2"])),
                ("g", 4, w("s1")),
                ("g", 8, fam("spin", &["s1"])),
            ],
            &[],
        );
        let b = set(
            "B",
            &[
                ("g", 1, fam("spin", &["s2", "s1", "s3"])),
                ("g", 2, tie()),
                ("g", 4, fam("spin", &["s2", "s1"])),
                ("g", 8, fam("lock-free", &["q"])),
            ],
            &[],
        );
        let d = diff(&a, &b).unwrap();
        assert_eq!((d.common, d.same, d.flips()), (4, 1, 1));
        assert_eq!((d.decided_a, d.decided_b), (4, 3));
        assert_eq!(d.families, (3, 3));
        let text = render(&d);
        assert!(text.contains("`g` @ 2 | winner vs no winner"), "{text}");
        assert!(text.contains("`g` @ 4 | winner vs its family"), "{text}");
        assert!(text.contains("`g` @ 8 | different winners"), "{text}");
        assert!(
            text.contains("A 4 (100%: 1 winner, 3 families), B 3 (75%: 0 winners, 3 families)"),
            "{text}"
        );
    }

    #[test]
    fn nothing_in_common_is_an_error() {
        let a = set("A", &[("g", 1, w("x"))], &[]);
        let b = set("B", &[("h", 1, w("x"))], &[]);
        let e = diff(&a, &b).unwrap_err().to_string();
        assert!(e.contains("no scenario x thread count in common"), "{e}");
    }

    fn go(cells: &[(&str, usize, Option<&str>)], rules: &[(u32, &str)]) -> GoSummary {
        GoSummary {
            version: Some("go version go1.19.8 linux/amd64".into()),
            replicates: 5,
            cells: cells
                .iter()
                .map(|(g, t, w)| crate::report::analyse::go::GoCellSummary {
                    scenario: g.to_string(),
                    threads: *t,
                    winner: w.map(str::to_string),
                    ranked: vec!["x".into(), "y".into()],
                    margin: Some(1.5),
                })
                .collect(),
            rules: rules
                .iter()
                .map(|(id, v)| crate::report::analyse::go::GoRuleSummary {
                    id: *id,
                    verdict: v.to_string(),
                    tally: (0, 0, 0),
                })
                .collect(),
        }
    }

    #[test]
    fn go_sides_compare_apart_from_the_rust_cells() {
        let a = go(
            &[
                ("g", 1, Some("x")),
                ("g", 2, Some("x")),
                ("g", 4, None),
                ("g", 8, None),
                ("h", 1, Some("z")),
            ],
            &[
                (1, "confirmed"),
                (2, "depends"),
                (3, "no-data"),
                (4, "inconclusive"),
            ],
        );
        let b = go(
            &[
                ("g", 1, Some("x")),
                ("g", 2, Some("y")),
                ("g", 4, Some("x")),
                ("g", 8, None),
            ],
            &[
                (1, "confirmed"),
                (2, "confirmed"),
                (3, "confirmed"),
                (4, "inconclusive"),
            ],
        );
        let g = go_diff(&a, &b);
        assert_eq!((g.common, g.same, g.flips()), (4, 2, 1));
        assert_eq!(g.decided, (2, 3));
        // No data on one side is not compared.
        assert_eq!(g.rules_common, 3);
        assert_eq!(g.rules, vec![(2, "depends".into(), "confirmed".into())]);

        // The Go side changes none of the Rust figures, and is rendered
        // after them; a side without Go is named, not compared.
        let mut ra = set("A", &[("g", 1, w("x"))], &[(1, "confirmed")]);
        let mut rb = set("B", &[("g", 1, w("x"))], &[(1, "confirmed")]);
        assert_eq!(diff(&ra, &rb).unwrap().go, GoSides::Neither);
        ra.go = Some(a);
        let one = diff(&ra, &rb).unwrap();
        assert_eq!(one.go, GoSides::OnlyA);
        assert!(render(&one).contains("Only A has Go results"));
        rb.go = Some(b);
        let both = diff(&ra, &rb).unwrap();
        assert_eq!((both.common, both.same), (1, 1));
        let text = render(&both);
        assert!(text.contains("| same verdict | 2 of 4 (50%) |"), "{text}");
        assert!(text.contains("| different winners | 1 |"), "{text}");
        assert!(text.contains("| `g` @ 2 | winner x, margin 1.50x | winner y, margin 1.50x |"));
        assert!(text.contains("| `g` @ 4 | tie, margin 1.50x | winner x, margin 1.50x |"));
        assert!(text.contains("| 2. "), "{text}");
        assert!(text.find("## The Go side").unwrap() > text.find("| same rule verdict").unwrap());
    }
}
