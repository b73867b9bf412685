//! The rules-of-thumb section: each rule's verdict with its evidence.

use crate::report::analyse::Analysis;
use crate::report::analyse::decide::fmt_ratio;
use crate::report::analyse::model::anchor;
use crate::report::analyse::rules::{Judgement, Outcome};
use crate::report::fmt::fmt_si;
use crate::report::render::doc::{Block, Inline, code, rich, text};

/// The anchor of rule `id` in the rules section.
pub fn rule_anchor(id: u32) -> String {
    format!("rule-{id}")
}

fn verdict_inline(j: &Judgement) -> Inline {
    Inline::Strong(j.verdict.as_str().to_string())
}

/// Appends the section to `out`.
pub fn section(r: &Analysis, out: &mut Vec<Block>) {
    out.push(Block::Heading {
        level: 2,
        id: Some("rules".into()),
        text: vec![text("Rules of thumb")],
    });
    let rows = r
        .verdicts
        .iter()
        .map(|j| {
            let mut verdict = vec![verdict_inline(j)];
            if let Some(c) = &j.condition {
                verdict.push(text(format!(": {c}")));
            }
            let mut faster: Vec<&str> = Vec::new();
            for (p, _) in j.cells.iter().filter_map(|c| c.elsewhere.as_ref()) {
                if !faster.contains(&p.strategy.as_str()) {
                    faster.push(&p.strategy);
                }
            }
            if !faster.is_empty() {
                verdict.push(text("; faster than both sides: "));
                for (i, f) in faster.iter().enumerate() {
                    if i > 0 {
                        verdict.push(text(", "));
                    }
                    verdict.push(code(*f));
                }
            }
            vec![
                vec![text(j.id.to_string())],
                vec![Inline::Link(
                    j.text.to_string(),
                    format!("#{}", rule_anchor(j.id)),
                )],
                verdict,
            ]
        })
        .collect();
    out.push(Block::Table {
        head: vec!["#".into(), "rule".into(), "verdict".into()],
        right: vec![true, false, false],
        rows,
    });
    for j in &r.verdicts {
        out.push(Block::Heading {
            level: 3,
            id: Some(rule_anchor(j.id)),
            text: vec![text(format!("{}. {}: ", j.id, j.text)), verdict_inline(j)],
        });
        let mut para = Vec::new();
        if let Some(c) = &j.condition {
            para.push(Inline::Strong(format!("Condition: {c}.")));
            para.push(text(" "));
        }
        para.extend(rich(&j.summary));
        if let Some(e) = &j.elsewhere {
            para.push(text(" "));
            para.extend(rich(e));
        }
        out.push(Block::Para(para));
        if !j.rests_on.is_empty() {
            let mut line = vec![text("Rests on ")];
            for (i, id) in j.rests_on.iter().enumerate() {
                if i > 0 {
                    line.push(text(", "));
                }
                line.push(Inline::Link(
                    format!("rule {id}"),
                    format!("#{}", rule_anchor(*id)),
                ));
            }
            line.push(text("."));
            out.push(Block::Para(line));
        }
        let cites = j.citations();
        if !cites.is_empty() {
            let mut line = vec![text("Rows: ")];
            for (i, (scenario, threads)) in cites.iter().enumerate() {
                if i > 0 {
                    line.push(text("; "));
                }
                line.push(Inline::Link(
                    scenario.clone(),
                    format!("#{}", anchor(scenario)),
                ));
                let ts: Vec<String> = threads.iter().map(usize::to_string).collect();
                line.push(text(format!(
                    " at {} thread{}",
                    ts.join(", "),
                    if threads == &[1] { "" } else { "s" }
                )));
            }
            line.push(text("."));
            out.push(Block::Para(line));
            out.push(evidence(j));
        }
    }
}

fn evidence(j: &Judgement) -> Block {
    let rows = j
        .cells
        .iter()
        .map(|c| {
            let outcome = match c.outcome {
                Outcome::Supports => "supports",
                Outcome::Contradicts => "contradicts",
                Outcome::Tie => "tie",
            };
            vec![
                vec![Inline::Link(
                    c.scenario.clone(),
                    format!("#{}", anchor(&c.scenario)),
                )],
                vec![text(c.threads.to_string())],
                vec![
                    code(&c.best_a.strategy),
                    text(format!(" {}", fmt_si(c.best_a.throughput.point))),
                ],
                vec![
                    code(&c.best_b.strategy),
                    text(format!(" {}", fmt_si(c.best_b.throughput.point))),
                ],
                vec![text(if c.ratio.point >= 1.0 {
                    format!("recommended {}", c.ratio.with_range())
                } else {
                    format!("alternative {}", c.ratio.inverse().with_range())
                })],
                vec![text(outcome)],
                match &c.elsewhere {
                    Some((p, _)) if c.elsewhere_at_floor => {
                        vec![code(&p.strategy), text(" faster (at the harness floor)")]
                    }
                    Some((p, ratio)) => vec![
                        code(&p.strategy),
                        text(format!(" {} faster", fmt_ratio(ratio.point))),
                    ],
                    None => vec![text("-")],
                },
            ]
        })
        .collect();
    Block::Details {
        summary: format!("Evidence: {} cells", j.cells.len()),
        body: vec![Block::Table {
            head: vec![
                "scenario".into(),
                "threads".into(),
                "best recommended (ops/s)".into(),
                "best alternative (ops/s)".into(),
                "ahead by".into(),
                "cell".into(),
                "neither side".into(),
            ],
            right: vec![false, true, false, false, false, false, false],
            rows,
        }],
    }
}
