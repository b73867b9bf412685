//! The report's content as a small document tree, rendered to Markdown by
//! [`super::markdown`] and to HTML by [`super::html`].
//!
//! Order: machine, rule-verdict summary, one section per rule, one section
//! per scenario (decision table, crossover line, chart, full matrix, latency
//! tails where sidecars carry them), notes.

use std::collections::BTreeMap;

use super::super::decide::{AVOID_RATIO, Decision, Row, fmt_ratio};
use super::super::load::Estimator;
use super::super::model::{Scenario, anchor};
use super::super::rules::{Judgement, Outcome};
use super::{Report, fmt_num, fmt_si};

/// Inline content.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Code (strategy names, commands).
    Code(String),
    /// Emphasised text (verdicts, winners).
    Strong(String),
    /// A link: text and target (`#anchor` or a relative path).
    Link(String, String),
}

/// A run of inline content.
pub type Line = Vec<Inline>;

/// Block content.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A heading with an optional fragment id.
    Heading {
        /// 1 to 4.
        level: u8,
        /// Fragment id for links.
        id: Option<String>,
        /// The heading text.
        text: Line,
    },
    /// A paragraph.
    Para(Line),
    /// A bulleted list.
    List(Vec<Line>),
    /// A table: header cells, right-aligned columns, rows.
    Table {
        /// Column headers.
        head: Vec<String>,
        /// Per column: right-align (numbers).
        right: Vec<bool>,
        /// Rows of cells.
        rows: Vec<Vec<Line>>,
    },
    /// A collapsible section.
    Details {
        /// The always-visible summary.
        summary: String,
        /// The collapsed content.
        body: Vec<Block>,
    },
    /// A scenario's chart (`charts/<stem>.{svg,png}`).
    Chart {
        /// The chart file stem.
        stem: String,
        /// Alternative text.
        alt: String,
    },
}

/// Splits text with `code` spans into inlines.
pub fn rich(s: &str) -> Line {
    let mut out = Vec::new();
    for (i, part) in s.split('`').enumerate() {
        if part.is_empty() {
            continue;
        }
        out.push(if i % 2 == 1 {
            Inline::Code(part.to_string())
        } else {
            Inline::Text(part.to_string())
        });
    }
    out
}

fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

fn code(s: impl Into<String>) -> Inline {
    Inline::Code(s.into())
}

/// Builds the whole document.
pub fn build(r: &Report<'_>) -> Vec<Block> {
    let mut out = vec![Block::Heading {
        level: 1,
        id: None,
        text: vec![text("syncbench: mutex, RwLock, atomic or channel?")],
    }];
    out.push(Block::Para(machine_line(r)));
    out.push(Block::Para(rich(
        "Each scenario below is a criterion group; each strategy was measured at every thread \
         count, throughput in operations per second with criterion's confidence interval. A \
         winner is only named when its interval clears every other strategy's; otherwise the \
         row is a tie. Reference lines (no-op, hand-written loops, the no-sharing limit) are \
         drawn and tabulated but never win.",
    )));
    rules_section(r, &mut out);
    scenarios_section(r, &mut out);
    notes_section(r, &mut out);
    out
}

fn machine_line(r: &Report<'_>) -> Line {
    let m = &r.machine.fingerprint;
    let cores = match m.physical_cores {
        Some(p) => format!("{} logical / {p} physical cores", m.logical_cores),
        None => format!("{} logical cores", m.logical_cores),
    };
    let crates: Vec<String> = m.crates.iter().map(|(k, v)| format!("{k} {v}")).collect();
    vec![
        text("Measured on "),
        Inline::Strong(m.cpu_model.clone()),
        text(format!(
            " ({cores}), {}, kernel {}, {}; profile {}; {}. Crates under test: {}. Source: {} (",
            m.os,
            m.kernel,
            m.rustc,
            m.profile,
            m.date,
            if crates.is_empty() {
                "unknown".to_string()
            } else {
                crates.join(", ")
            },
            r.machine.source
        )),
        Inline::Link("machine.json".into(), "machine.json".into()),
        text(")."),
    ]
}

fn rule_anchor(id: u32) -> String {
    format!("rule-{id}")
}

fn verdict_inline(j: &Judgement) -> Inline {
    Inline::Strong(j.verdict.as_str().to_string())
}

fn rules_section(r: &Report<'_>, out: &mut Vec<Block>) {
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
    for j in r.verdicts {
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

fn scenarios_section(r: &Report<'_>, out: &mut Vec<Block>) {
    out.push(Block::Heading {
        level: 2,
        id: Some("scenarios".into()),
        text: vec![text("Scenarios")],
    });
    out.push(Block::List(
        r.model
            .scenarios
            .iter()
            .map(|s| vec![Inline::Link(s.id.clone(), format!("#{}", s.anchor()))])
            .collect(),
    ));
    for (s, d) in r.model.scenarios.iter().zip(r.decisions) {
        scenario_section(s, d, out);
    }
}

fn scenario_section(s: &Scenario, d: &Decision, out: &mut Vec<Block>) {
    out.push(Block::Heading {
        level: 3,
        id: Some(s.anchor()),
        text: vec![code(&s.id)],
    });
    let refs: Vec<String> = s
        .series
        .iter()
        .filter(|x| x.is_reference())
        .map(|x| {
            let role = if x.is_limit() { "limit" } else { "baseline" };
            format!("`{}` ({role})", x.strategy)
        })
        .collect();
    let mut intro = format!(
        "{} strategies at {} thread count{}",
        s.series.len(),
        s.threads.len(),
        if s.threads.len() == 1 { "" } else { "s" }
    );
    if !refs.is_empty() {
        intro += &format!("; reference lines: {}", refs.join(", "));
    }
    out.push(Block::Para(rich(&(intro + "."))));
    out.push(Block::Table {
        head: vec![
            "threads".into(),
            "winner".into(),
            "ops/s".into(),
            "runner-up".into(),
            "margin".into(),
            "vs best mutex".into(),
            format!("avoid (>= {AVOID_RATIO:.0}x slower)"),
            "winner CPU ns/op".into(),
        ],
        right: vec![true, false, true, false, false, false, false, true],
        rows: d.rows.iter().map(table_row).collect(),
    });
    out.push(Block::Para(rich(&d.crossover_text())));
    out.push(Block::Chart {
        stem: s.file_stem(),
        alt: format!("{}: throughput vs threads, log scale", s.id),
    });
    out.push(matrix(s));
    if let Some(t) = tails(s) {
        out.push(t);
    }
}

fn table_row(r: &Row) -> Vec<Line> {
    let dash = || vec![text("-")];
    let Some(w) = &r.winner else {
        return vec![
            vec![text(r.threads.to_string())],
            vec![text("no contender (reference lines only)")],
            dash(),
            dash(),
            dash(),
            dash(),
            dash(),
            dash(),
        ];
    };
    let mut winner = Vec::new();
    if r.is_tie() {
        winner.push(text("tie: "));
        winner.push(code(&w.strategy));
        for t in &r.tied_with {
            winner.push(text(" ~ "));
            winner.push(code(t));
        }
    } else {
        winner.push(Inline::Strong(w.strategy.clone()));
    }
    let runner = match &r.runner_up {
        Some(p) => vec![code(&p.strategy)],
        None => vec![text("- (only contender)")],
    };
    let margin = match &r.margin {
        Some(m) => vec![text(m.with_range())],
        None => dash(),
    };
    let vs_mutex = match (&r.vs_mutex, w.family) {
        (Some((name, ratio)), _) => vec![
            text(format!("{} faster than ", fmt_ratio(ratio.point))),
            code(name),
        ],
        (None, "mutex") => vec![text("winner is a mutex")],
        (None, _) => vec![text("no mutex measured")],
    };
    let avoid = if r.avoid.is_empty() {
        dash()
    } else {
        // Slowest first; the full list is in the matrix.
        const SHOWN: usize = 4;
        let mut l = Vec::new();
        for (i, (name, ratio)) in r.avoid.iter().rev().take(SHOWN).enumerate() {
            if i > 0 {
                l.push(text(", "));
            }
            l.push(code(name));
            l.push(text(format!(" ({})", fmt_ratio(*ratio))));
        }
        if r.avoid.len() > SHOWN {
            l.push(text(format!(" and {} more", r.avoid.len() - SHOWN)));
        }
        l
    };
    vec![
        vec![text(r.threads.to_string())],
        winner,
        vec![text(fmt_si(w.throughput.point))],
        runner,
        margin,
        vs_mutex,
        avoid,
        vec![text(r.winner_cpu_ns.map_or("-".to_string(), fmt_num))],
    ]
}

fn matrix(s: &Scenario) -> Block {
    let level = s
        .series
        .iter()
        .flat_map(|x| x.points.values())
        .map(|p| p.confidence_level)
        .next()
        .unwrap_or(0.95);
    let mut head = vec!["strategy".to_string(), "family".to_string()];
    head.extend(
        s.threads
            .iter()
            .map(|&t| format!("{t} thread{}", if t == 1 { "" } else { "s" })),
    );
    let mut right = vec![false, false];
    right.extend(s.threads.iter().map(|_| true));
    let rows = s
        .series
        .iter()
        .map(|x| {
            let mut row = vec![vec![code(&x.strategy)], vec![text(x.family_name())]];
            for t in &s.threads {
                row.push(vec![text(match x.points.get(t) {
                    Some(p) => format!(
                        "{} ({}-{})",
                        fmt_si(p.throughput.point),
                        fmt_si(p.throughput.lo),
                        fmt_si(p.throughput.hi)
                    ),
                    None => "-".to_string(),
                })]);
            }
            row
        })
        .collect();
    Block::Details {
        summary: format!(
            "Full matrix: operations/s ({:.0}% CI), every strategy",
            level * 100.0
        ),
        body: vec![Block::Table { head, right, rows }],
    }
}

/// Latency percentiles, for any scenario whose sidecars carry
/// `extra.latency_ns` (`count`, `p50`, `p90`, `p99`, `p999`, `max`).
fn tails(s: &Scenario) -> Option<Block> {
    const KEYS: [&str; 6] = ["count", "p50", "p90", "p99", "p999", "max"];
    let mut rows = Vec::new();
    for x in &s.series {
        for (t, p) in &x.points {
            let Some(lat) = p
                .sidecar
                .as_ref()
                .and_then(|sc| sc.extra.as_ref())
                .and_then(|e| e.get("latency_ns"))
                .filter(|l| l.is_object())
            else {
                continue;
            };
            let mut row = vec![vec![code(&x.strategy)], vec![text(t.to_string())]];
            for k in KEYS {
                row.push(vec![text(
                    // Counts and nanoseconds are whole numbers.
                    lat.get(k)
                        .and_then(serde_json::Value::as_f64)
                        .map_or("-".to_string(), |v| format!("{v:.0}")),
                )]);
            }
            rows.push(row);
        }
    }
    if rows.is_empty() {
        return None;
    }
    let mut head = vec!["strategy".to_string(), "threads".to_string()];
    head.extend(
        [
            "samples", "p50 ns", "p90 ns", "p99 ns", "p99.9 ns", "max ns",
        ]
        .map(String::from),
    );
    Some(Block::Details {
        summary: "Latency tails (from the harness's instrumented round)".into(),
        body: vec![Block::Table {
            head,
            right: vec![false, true, true, true, true, true, true, true],
            rows,
        }],
    })
}

fn notes_section(r: &Report<'_>, out: &mut Vec<Block>) {
    out.push(Block::Heading {
        level: 2,
        id: Some("notes".into()),
        text: vec![text("Notes")],
    });
    let mut by: BTreeMap<Estimator, usize> = BTreeMap::new();
    let mut levels: BTreeMap<String, usize> = BTreeMap::new();
    for p in r.model.points() {
        *by.entry(p.estimator).or_default() += 1;
        *levels
            .entry(format!("{:.0}%", p.confidence_level * 100.0))
            .or_default() += 1;
    }
    let est: Vec<String> = by
        .iter()
        .map(|(e, n)| format!("{} for {n}", e.as_str()))
        .collect();
    let lv: Vec<String> = levels.keys().cloned().collect();
    let mut notes: Vec<Line> = vec![
        rich(&format!(
            "Throughput = operations per iteration x 1e9 / criterion's time per iteration (ns); \
             the interval bounds are inverted the same way. The estimate is criterion's `slope` \
             (linear-sampling regression) where it has one, else its `mean`: {} of {} results.",
            est.join(", "),
            r.model.results()
        )),
        rich(&format!(
            "Confidence level: {}. Tie = the intervals overlap. Margin = winner / runner-up, \
             with the range the two intervals allow. Avoid = at least {AVOID_RATIO:.0}x slower \
             than the winner.",
            lv.join(", ")
        )),
        rich(
            "Winner CPU ns/op comes from the harness's instrumented round (sidecar): worker CPU \
             time per operation, which exposes spinning that adds no throughput.",
        ),
        rich(
            "Rule verdicts compare the best strategy of the recommended families against the \
             best of the alternative families in every cell where both were measured; results \
             without a sidecar (which names the family) are left out of verdicts.",
        ),
        rich(
            "Charts: throughput vs threads on log-log axes; bands are the confidence intervals; \
             dashed lines are reference lines (the no-sharing limit in black). PNG text is \
             drawn with the embedded DejaVu Sans; SVG text uses the viewer's sans-serif.",
        ),
        rich(
            "Regenerate: `cargo bench` (or `cargo bench --bench <workload>`), then \
             `cargo run --release --bin report`. Machine-readable results: ",
        ),
    ];
    if let Some(last) = notes.last_mut() {
        last.push(Inline::Link("results.json".into(), "results.json".into()));
        last.push(text(", "));
        last.push(Inline::Link("results.csv".into(), "results.csv".into()));
        last.push(text("."));
    }
    out.push(Block::List(notes));
    if !r.warnings.is_empty() {
        out.push(Block::Heading {
            level: 3,
            id: Some("warnings".into()),
            text: vec![text(format!("Warnings ({})", r.warnings.len()))],
        });
        out.push(Block::List(
            r.warnings.iter().map(|w| vec![text(w.clone())]).collect(),
        ));
    }
}
