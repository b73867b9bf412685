//! The merged report of several machines (see [`crate::report::compare::merge`]).
//!
//! One document (see [`crate::report::render::doc`]) renders as `DECISIONS.md` and as
//! `index.html`, as the single-machine report does. In order: "what to use",
//! one robust pick per situation over every machine's cells together (see
//! [`crate::report::analyse::advice::robust`]; each cell's regret is against
//! its own machine's best), then per machine (one column each, named by CPU
//! model and usable CPUs), each situation and regime marked where the answer
//! depends on the machine; the
//! contents; the machines; "where machines disagree": every cell and rule
//! verdict whose answer changes with the machine, with each machine's
//! margin; and per scenario the winner per machine under a chart that puts
//! the machines' panels side by side (`charts/<scenario>.svg`, inline in
//! the page). The page carries the same self-check as the single-machine
//! page (`scripts/browser-check.sh reports/machines`); `machines.json` holds
//! the same data.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::report::analyse::advice::robust::{Cell, Robust, pick_on};
use crate::report::analyse::advice::{Answer, Regime};
use crate::report::analyse::decide::{CellVerdict, fmt_ratio};
use crate::report::analyse::model::anchor;
use crate::report::analyse::rules::Verdict;
use crate::report::analyse::stats::PRACTICAL_MARGIN;
use crate::report::compare::merge::Machine;
use crate::report::render::File;
use crate::report::render::chart;
use crate::report::render::doc::{Block, Inline, Line, rich, rich_strong};
use crate::report::render::{html, markdown};

/// Height of a panel's title above its chart, px.
const TITLE: u32 = 28;

/// Every file of the merged report.
pub fn render(machines: &[Machine], warnings: &[String]) -> Result<Vec<File>> {
    crate::register_fonts();
    let scenarios = scenario_ids(machines);
    let charts: Vec<(String, String)> = scenarios
        .par_iter()
        .map(|id| panels(machines, id))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    let doc = document(machines, &scenarios, warnings);
    let svgs: HashMap<&str, &str> = charts
        .iter()
        .map(|(stem, svg)| (stem.as_str(), svg.as_str()))
        .collect();
    let mut files: Vec<File> = vec![
        ("DECISIONS.md".into(), markdown::render(&doc).into_bytes()),
        ("index.html".into(), html::render(&doc, &svgs).into_bytes()),
        (
            "machines.json".into(),
            serde_json::to_vec_pretty(&data(machines, &scenarios))?,
        ),
    ];
    for (stem, svg) in charts {
        files.push((format!("charts/{stem}.svg").into(), svg.into_bytes()));
    }
    Ok(files)
}

/// Scenario ids of all machines: the first machine's order, then the rest.
fn scenario_ids(machines: &[Machine]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for m in machines {
        for s in &m.analysis.model.scenarios {
            if seen.insert(s.id.clone()) {
                out.push(s.id.clone());
            }
        }
    }
    out
}

/// Thread counts any machine measured `scenario` at, ascending.
fn threads_of(machines: &[Machine], scenario: &str) -> Vec<usize> {
    let t: BTreeSet<usize> = machines
        .iter()
        .filter_map(|m| m.analysis.decisions.iter().find(|d| d.scenario == scenario))
        .flat_map(|d| d.rows.iter().map(|r| r.threads))
        .collect();
    t.into_iter().collect()
}

/// One chart per machine that measured `id`, side by side, each titled by
/// its machine; `None` when no machine has it.
fn panels(machines: &[Machine], id: &str) -> Result<Option<(String, String)>> {
    let mut parts = Vec::new();
    let mut stem = None;
    for m in machines {
        if let Some(s) = m.analysis.model.scenarios.iter().find(|s| s.id == id) {
            let svg = chart::render_svg(s)
                .with_context(|| format!("cannot draw the chart of {id} for {}", m.label))?;
            stem.get_or_insert_with(|| s.file_stem());
            parts.push((m.label.as_str(), svg));
        }
    }
    let Some(stem) = stem else {
        return Ok(None);
    };
    let (w, h) = (chart::WIDTH, chart::HEIGHT);
    let total = w * parts.len() as u32;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{total}\" height=\"{}\" \
         viewBox=\"0 0 {total} {}\">\n<title>{} on {} machines</title>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
        h + TITLE,
        h + TITLE,
        xml(id),
        parts.len()
    );
    for (i, (label, inner)) in parts.iter().enumerate() {
        let x = w * i as u32;
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"20\" text-anchor=\"middle\" font-family=\"sans-serif\" \
             font-size=\"16\" font-weight=\"bold\">{}</text>",
            x + w / 2,
            xml(label)
        );
        // Nest the machine's chart as a positioned inner <svg> (its XML
        // declaration, if any, dropped).
        let body = inner.find("<svg").map_or(inner.as_str(), |i| &inner[i..]);
        let body = body.replacen("<svg", &format!("<svg x=\"{x}\" y=\"{TITLE}\""), 1);
        svg.push_str(&body);
        svg.push('\n');
    }
    svg.push_str("</svg>\n");
    Ok(Some((stem, svg)))
}

fn xml(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A cell as text: `**parking_lot-mutex** 1.32x`, `tie: a ~ b`, ...
fn cell_text(c: Option<(&CellVerdict, Option<f64>)>) -> String {
    let margin = |m: Option<f64>| m.map(|r| format!(" {}", fmt_ratio(r))).unwrap_or_default();
    match c {
        None => "—".to_string(),
        Some((CellVerdict::Winner { strategy }, m)) => format!("**{strategy}**{}", margin(m)),
        Some((CellVerdict::Equivalent { strategies }, m)) => {
            format!(
                "no practical difference: {}{}",
                strategies.join(" ~ "),
                margin(m)
            )
        }
        Some((CellVerdict::Tie { strategies }, m)) => {
            format!("tie: {}{}", strategies.join(" ~ "), margin(m))
        }
        Some((CellVerdict::Family { family, strategies }, m)) => {
            format!("**any {family}** ({}){}", strategies.join(" ~ "), margin(m))
        }
        Some((CellVerdict::Floor { strategies, .. }, _)) => {
            format!("at the floor: {}", strategies.join(", "))
        }
        Some((CellVerdict::None, _)) => "no contender".to_string(),
    }
}

fn answer_text(a: &Answer) -> String {
    match a {
        Answer::Winner(w) => format!("**{w}**"),
        Answer::Family(f, v) => format!("**any {f}** ({})", v.join(", ")),
        Answer::Equivalent(v) => format!("any of {} (no practical difference)", v.join(", ")),
        Answer::AnyOf(v) => format!("unclear: {}", v.join(", ")),
        Answer::Floor(v) => format!("at the floor: {}", v.join(", ")),
    }
}

fn regime_name(g: Regime) -> &'static str {
    match g {
        Regime::One => "1 thread",
        Regime::UpToCores => "2 up to the usable CPUs",
        Regime::Oversubscribed => "more threads than usable CPUs",
    }
}

/// Whether two answers say the same, as a cell's verdicts agree in
/// `report diff` (see [`CellVerdict::agrees`]): the same winner, the same
/// winning family, a tie in both or at the floor in both. Two ties are the
/// same answer ("no clear winner") whoever is in them: membership of a tie
/// moves with the run-to-run drift and is not a difference between machines.
fn same_answer(a: &Answer, b: &Answer) -> bool {
    match (a, b) {
        (Answer::Winner(x), Answer::Winner(y)) => x == y,
        (Answer::Family(x, _), Answer::Family(y, _)) => x == y,
        (Answer::Equivalent(_), Answer::Equivalent(_))
        | (Answer::AnyOf(_), Answer::AnyOf(_))
        | (Answer::Floor(_), Answer::Floor(_)) => true,
        _ => false,
    }
}

/// The "across machines" note of one situation and regime, from the
/// answers of the machines that measured it.
fn across(given: &[&Answer]) -> &'static str {
    if given.len() < 2 {
        "measured on one machine"
    } else if !given.iter().all(|a| same_answer(a, given[0])) {
        "**depends on the machine**"
    } else if matches!(given[0], Answer::AnyOf(_)) {
        "no clear winner anywhere"
    } else {
        "same everywhere"
    }
}

/// How a rule's judgement differs between machines.
#[derive(Debug, PartialEq)]
enum RuleChange {
    /// Another verdict word on some machine.
    Verdict,
    /// The same word everywhere, another condition (or exception).
    Condition,
}

/// Whether the machines' judgements of one rule differ, counting only the
/// machines with data for it (a machine that lacks the rule's scenarios
/// says nothing against the others).
fn rule_change(said: &[(Verdict, Option<&str>)]) -> Option<RuleChange> {
    let measured: Vec<&(Verdict, Option<&str>)> =
        said.iter().filter(|(v, _)| *v != Verdict::NoData).collect();
    let first = measured.first()?;
    if measured.iter().any(|(v, _)| *v != first.0) {
        Some(RuleChange::Verdict)
    } else if measured.iter().any(|(_, c)| *c != first.1) {
        Some(RuleChange::Condition)
    } else {
        None
    }
}

/// A machine's main answer for a situation in a regime, and its text.
fn regime_answer(m: &Machine, situation: &str, g: Regime) -> Option<(Answer, String)> {
    let a = m
        .analysis
        .advice
        .iter()
        .find(|a| a.situation.id == situation)?;
    let r = a.regimes.iter().find(|r| r.regime == g)?;
    let first = r.parts.first()?;
    let mut text = answer_text(&first.answer);
    if r.parts.len() > 1 {
        let _ = write!(text, " ({} of {} cells)", first.cells.len(), r.cells.len());
    }
    Some((first.answer.clone(), text))
}

/// The situations any machine has data for: id and text, in the first
/// machine's order, then the rest.
fn situations_of(machines: &[Machine]) -> Vec<(&'static str, &'static str)> {
    let mut situations: Vec<(&str, &str)> = Vec::new();
    for m in machines {
        for a in &m.analysis.advice {
            if !situations.iter().any(|(id, _)| *id == a.situation.id) {
                situations.push((a.situation.id, a.situation.text));
            }
        }
    }
    situations
}

/// A situation's robust pick over every machine's cells (each machine's
/// scenarios of the situation at the thread counts it measured, each cell's
/// regret against that machine's best); `None` without a contender. With
/// `short`, each cell names its machine by [`short_label`] (the page's
/// table), else by its full label.
pub fn robust_over(machines: &[Machine], situation: &str, short: bool) -> Option<Robust> {
    let labels: Vec<String> = machines
        .iter()
        .enumerate()
        .map(|(i, m)| {
            if short {
                short_label(i)
            } else {
                m.label.clone()
            }
        })
        .collect();
    let mut cells: Vec<Cell<'_>> = Vec::new();
    for (m, name) in machines.iter().zip(&labels) {
        let a = &m.analysis;
        let Some(advice) = a.advice.iter().find(|x| x.situation.id == situation) else {
            continue;
        };
        for (id, label) in &advice.scenarios {
            let s = a.model.scenarios.iter().find(|s| &s.id == id);
            let d = a.decisions.iter().find(|d| &d.scenario == id);
            if let (Some(s), Some(d)) = (s, d) {
                cells.extend(
                    d.rows
                        .iter()
                        .map(|r| (name.as_str(), s, label.as_str(), r.threads)),
                );
            }
        }
    }
    pick_on(&cells)
}

/// The short name of the `i`-th machine in the page's "what to use" table:
/// `M1`, `M2`, ..., defined in the line above it.
pub fn short_label(i: usize) -> String {
    format!("M{}", i + 1)
}

/// Each situation's robust pick over every machine's cells, one plain line
/// each for the terminal: `(situation, answer)`.
pub fn answer(machines: &[Machine]) -> Vec<(String, String)> {
    situations_of(machines)
        .into_iter()
        .filter_map(|(id, text)| {
            Some((
                text.to_string(),
                robust_over(machines, id, false)?.terminal_line(),
            ))
        })
        .collect()
}

/// Whether the measured verdicts (two or more) do not all agree.
fn disagree<'a>(mut v: impl Iterator<Item = &'a CellVerdict>) -> bool {
    let Some(first) = v.next() else {
        return false;
    };
    let rest: Vec<&CellVerdict> = v.collect();
    !rest.is_empty() && rest.iter().any(|o| !first.agrees(o))
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}

/// A table row from cell texts with `**strong**` and `code` spans.
fn cells(texts: impl IntoIterator<Item = String>) -> Vec<Line> {
    texts.into_iter().map(|t| rich_strong(&t)).collect()
}

/// A table with `first` columns, one per machine, then `last`; the columns
/// named in `right` are right-aligned.
fn table(
    first: &[&str],
    machines: &[Machine],
    last: &[&str],
    right: &[&str],
    rows: Vec<Vec<Line>>,
) -> Block {
    let head: Vec<String> = first
        .iter()
        .map(|s| s.to_string())
        .chain(machines.iter().map(|m| m.label.clone()))
        .chain(last.iter().map(|s| s.to_string()))
        .collect();
    let right = head.iter().map(|h| right.contains(&h.as_str())).collect();
    Block::Table { head, right, rows }
}

fn heading(level: u8, id: &str, text: Line) -> Block {
    Block::Heading {
        level,
        id: Some(id.to_string()),
        text,
    }
}

fn para(s: &str) -> Block {
    Block::Para(rich_strong(s))
}

/// The page as a document, answer first: "what to use" per machine, the
/// contents, the machines, where they disagree, the winner per scenario
/// with its side-by-side chart, and the notes. `DECISIONS.md` and
/// `index.html` are both rendered from it.
fn document(machines: &[Machine], scenarios: &[String], warnings: &[String]) -> Vec<Block> {
    let mut doc = vec![
        Block::Heading {
            level: 1,
            id: None,
            text: rich(&format!(
                "syncbench: {} machines side by side",
                machines.len()
            )),
        },
        para(
            "Each machine's results are decided on their own (harness floor, thread regimes \
             up to the CPUs the run could use); the columns put the answers side by side. A \
             machine is its CPU model, usable CPUs and toolchain: one host run with `taskset \
             -c 0` and without is two machines.",
        ),
    ];

    // What to use: one pick per situation over every machine's cells.
    let situations = situations_of(machines);
    doc.push(heading(2, "what-to-use", rich("What to use")));
    doc.push(para(&format!(
        "One pick per situation over the cells (machine, scenario, threads) of all {n} \
         machines: the strategy with the smallest worst ratio to each cell's best on that \
         cell's machine (\"≤1.40x\": never more than 1.40x from it), or where that is {m} \
         or more and a strategy measured in only some cells does better, that one \
         \"where it applies\" and another elsewhere; then the largest exception. Machines: {legend}.",
        n = machines.len(),
        m = fmt_ratio(PRACTICAL_MARGIN),
        legend = machines
            .iter()
            .enumerate()
            .map(|(i, m)| format!("**{}** {}", short_label(i), m.label))
            .collect::<Vec<_>>()
            .join("; ")
    )));
    doc.push(Block::Table {
        head: vec![
            "situation".to_string(),
            format!("use (over the cells of all {} machines)", machines.len()),
            format!(
                "unless (beats it by {} or more)",
                fmt_ratio(PRACTICAL_MARGIN)
            ),
        ],
        right: vec![false; 3],
        rows: situations
            .iter()
            .map(|(id, text)| {
                let (pick, unless) = match robust_over(machines, id, true) {
                    Some(r) => (rich_strong(&r.short_text()), rich(&r.short_exceptions())),
                    None => (rich("-"), rich("-")),
                };
                vec![rich(text), pick, unless]
            })
            .collect(),
    });
    doc.push(heading(
        3,
        "what-to-use-per-machine",
        rich("What to use, per machine"),
    ));
    doc.push(para(
        "The main answer of each situation and regime on each machine (the share of cells \
         when they split); **depends on the machine** marks where the machines answer \
         differently: another winner, a winner on one and a tie on another. Ties on every \
         machine are \"no clear winner anywhere\", whoever is in them (who makes a tie moves \
         from run to run).",
    ));
    let mut rows = Vec::new();
    for (id, text) in &situations {
        for g in Regime::ALL {
            let answers: Vec<Option<(Answer, String)>> =
                machines.iter().map(|m| regime_answer(m, id, g)).collect();
            if answers.iter().all(Option::is_none) {
                continue;
            }
            let given: Vec<&Answer> = answers.iter().flatten().map(|(a, _)| a).collect();
            let note = across(&given);
            let mut r = vec![text.to_string(), regime_name(g).to_string()];
            r.extend(
                answers
                    .into_iter()
                    .map(|a| a.map_or("—".to_string(), |(_, t)| t)),
            );
            r.push(note.to_string());
            rows.push(cells(r));
        }
    }
    doc.push(table(
        &["situation", "regime"],
        machines,
        &["across machines"],
        &[],
        rows,
    ));

    // Contents.
    doc.push(heading(2, "contents", rich("Contents")));
    let link = |text: &str, id: &str| vec![Inline::Link(text.to_string(), format!("#{id}"))];
    doc.push(Block::List(vec![
        link("The machines", "machines"),
        link("Where machines disagree", "disagree"),
        link("Winner per machine", "winners"),
    ]));
    let mut index: Line = Vec::new();
    for (i, id) in scenarios.iter().enumerate() {
        if i > 0 {
            index.push(Inline::Text(" · ".into()));
        }
        index.push(Inline::Link(id.clone(), format!("#{}", anchor(id))));
    }
    doc.push(Block::Para(index));

    // Machines.
    doc.push(heading(2, "machines", rich("Machines")));
    let rows = machines
        .iter()
        .map(|m| {
            let f = &m.fingerprint;
            let profiles: BTreeSet<&str> = m
                .analysis
                .runs
                .values()
                .map(|r| r.profile.as_str())
                .collect();
            cells([
                m.label.clone(),
                f.cpu_model.clone(),
                m.analysis.cpus.to_string(),
                f.logical_cores.to_string(),
                format!("{}, {}", f.os, f.kernel),
                f.rustc.clone(),
                profiles.into_iter().collect::<Vec<_>>().join(", "),
                format!("`{}`", m.input.display()),
            ])
        })
        .collect();
    doc.push(Block::Table {
        head: [
            "column",
            "CPU",
            "usable CPUs",
            "logical CPUs",
            "OS, kernel",
            "rustc",
            "profile",
            "input",
        ]
        .map(String::from)
        .to_vec(),
        right: vec![false, false, true, true, false, false, false, false],
        rows,
    });

    // Disagreements.
    doc.push(heading(2, "disagree", rich("Where machines disagree")));
    let mut rows = Vec::new();
    for id in scenarios {
        for t in threads_of(machines, id) {
            let per: Vec<_> = machines.iter().map(|m| m.cell(id, t)).collect();
            if disagree(per.iter().flatten().map(|(v, _)| *v)) {
                let mut r = vec![format!("`{id}`"), t.to_string()];
                r.extend(per.into_iter().map(cell_text));
                rows.push(cells(r));
            }
        }
    }
    let count = rows.len();
    doc.push(heading(3, "disagree-cells", rich("Cells")));
    doc.push(para(&format!(
        "{count} scenario × thread cell{} measured on two or more machines {} a different \
         verdict (different winner, or a winner on one and a tie or the floor on another); \
         each machine's margin is the winner's over the runner-up.",
        if count == 1 { "" } else { "s" },
        if count == 1 { "has" } else { "have" }
    )));
    if count > 0 {
        doc.push(table(
            &["scenario", "threads"],
            machines,
            &[],
            &["threads"],
            rows,
        ));
    }
    doc.push(heading(3, "disagree-rules", rich("Rules of thumb")));
    let mut ids: Vec<(u32, &str)> = Vec::new();
    for m in machines {
        for j in &m.analysis.verdicts {
            if !ids.iter().any(|(i, _)| *i == j.id) {
                ids.push((j.id, &j.text));
            }
        }
    }
    // A verdict changes when its word does, among the machines that have
    // data for the rule; a changed condition alone (another exception,
    // other scenarios where it holds) is listed apart, as `report diff` does.
    let (mut verdict_rows, mut condition_rows) = (Vec::new(), Vec::new());
    for (id, text) in &ids {
        let per: Vec<Option<&crate::report::analyse::rules::Judgement>> = machines
            .iter()
            .map(|m| m.analysis.verdicts.iter().find(|j| j.id == *id))
            .collect();
        let said: Vec<(Verdict, Option<&str>)> = per
            .iter()
            .flatten()
            .map(|j| (j.verdict, j.condition.as_deref()))
            .collect();
        let target = match rule_change(&said) {
            Some(RuleChange::Verdict) => &mut verdict_rows,
            Some(RuleChange::Condition) => &mut condition_rows,
            None => continue,
        };
        let mut r = vec![format!("{id}. {text}")];
        r.extend(per.iter().map(|j| match j {
            None => "—".to_string(),
            Some(j) => {
                let mut s = format!("**{}**", j.verdict.as_str());
                if let Some(c) = &j.condition {
                    let _ = write!(s, " ({c})");
                }
                if let Some(med) = median(j.cells.iter().map(|c| c.ratio.point).collect()) {
                    let _ = write!(s, "; median {}", fmt_ratio(med));
                }
                s
            }
        }));
        target.push(cells(r));
    }
    let n = verdict_rows.len();
    doc.push(para(&format!(
        "{n} rule verdict{} change{} with the machine, among the machines with data for the \
         rule (the median is the recommended side's best over the other side's, across the \
         rule's cells).",
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "" },
    )));
    if n > 0 {
        doc.push(table(&["rule"], machines, &[], &[], verdict_rows));
    }
    let n = condition_rows.len();
    if n > 0 {
        doc.push(para(&format!(
            "{n} more rule{} the same verdict on every machine but {} its condition (where \
             it holds, or its named exception):",
            if n == 1 { " keeps" } else { "s keep" },
            if n == 1 { "changes" } else { "change" },
        )));
        doc.push(table(&["rule"], machines, &[], &[], condition_rows));
    }

    // Winners per scenario.
    doc.push(heading(2, "winners", rich("Winner per machine")));
    for id in scenarios {
        let stem = machines
            .iter()
            .find_map(|m| m.analysis.model.scenarios.iter().find(|s| &s.id == id))
            .map(|s| s.file_stem())
            .unwrap_or_default();
        doc.push(heading(3, &anchor(id), vec![Inline::Code(id.clone())]));
        doc.push(Block::Figure {
            stem,
            alt: format!("{id}: throughput vs threads, one panel per machine"),
        });
        let rows = threads_of(machines, id)
            .into_iter()
            .map(|t| {
                let mut r = vec![t.to_string()];
                r.extend(machines.iter().map(|m| cell_text(m.cell(id, t))));
                cells(r)
            })
            .collect();
        doc.push(table(&["threads"], machines, &[], &["threads"], rows));
    }
    if !warnings.is_empty() {
        doc.push(heading(2, "notes", rich("Notes")));
        doc.push(Block::List(warnings.iter().map(|w| rich(w)).collect()));
    }
    doc
}

fn data(machines: &[Machine], scenarios: &[String]) -> Value {
    let ms: Vec<Value> = machines
        .iter()
        .map(|m| {
            json!({
                "label": m.label,
                "input": m.input.display().to_string(),
                "usable_cpus": m.analysis.cpus,
                "fingerprint": m.fingerprint,
            })
        })
        .collect();
    let mut cells = Vec::new();
    for id in scenarios {
        for t in threads_of(machines, id) {
            let per: Vec<Value> = machines
                .iter()
                .map(|m| match m.cell(id, t) {
                    None => Value::Null,
                    Some((v, margin)) => json!({"verdict": v, "margin": margin}),
                })
                .collect();
            let found: Vec<_> = machines.iter().filter_map(|m| m.cell(id, t)).collect();
            cells.push(json!({
                "scenario": id,
                "threads": t,
                "machines": per,
                "disagree": disagree(found.iter().map(|(v, _)| *v)),
            }));
        }
    }
    let robust: Vec<Value> = situations_of(machines)
        .into_iter()
        .filter_map(|(id, text)| {
            let r = robust_over(machines, id, false)?;
            Some(json!({"situation": id, "text": text, "robust": r}))
        })
        .collect();
    json!({ "machines": ms, "cells": cells, "robust": robust })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(v: &[&str]) -> Answer {
        Answer::AnyOf(v.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn ties_agree_whoever_is_in_them_and_winners_by_name() {
        let w = |s: &str| Answer::Winner(s.to_string());
        let (a, b) = (any(&["x", "y", "z"]), any(&["y", "q"]));
        assert_eq!(across(&[&a, &b]), "no clear winner anywhere");
        assert_eq!(across(&[&w("x"), &w("x")]), "same everywhere");
        assert_eq!(across(&[&w("x"), &w("y")]), "**depends on the machine**");
        assert_eq!(across(&[&w("x"), &a]), "**depends on the machine**");
        assert_eq!(across(&[&a]), "measured on one machine");
        let fam =
            |m: &[&str]| Answer::Family("atomic".into(), m.iter().map(|s| s.to_string()).collect());
        assert_eq!(
            across(&[&fam(&["a"]), &fam(&["a", "b"])]),
            "same everywhere"
        );
        assert_eq!(
            across(&[&fam(&["a"]), &w("a")]),
            "**depends on the machine**"
        );
    }

    #[test]
    fn a_rule_changes_by_its_word_among_machines_with_data() {
        use Verdict::{Confirmed, Contradicted, NoData};
        let ex = Some("except x at 1 thread");
        assert_eq!(
            rule_change(&[(Confirmed, None), (Contradicted, None)]),
            Some(RuleChange::Verdict)
        );
        assert_eq!(
            rule_change(&[(Contradicted, ex), (Contradicted, None)]),
            Some(RuleChange::Condition)
        );
        assert_eq!(rule_change(&[(Confirmed, ex), (Confirmed, ex)]), None);
        // No data on one machine is no disagreement, nor is one machine alone.
        assert_eq!(rule_change(&[(NoData, None), (Confirmed, None)]), None);
        assert_eq!(
            rule_change(&[(NoData, None), (Confirmed, None), (Confirmed, ex)]),
            Some(RuleChange::Condition)
        );
    }
}
