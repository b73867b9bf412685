//! The report's content as a small document tree, rendered to Markdown by
//! [`crate::report::render::markdown`] and to HTML by [`crate::report::render::html`].
//!
//! Order: the "what to use" table (one row per situation, see
//! [`crate::report::analyse::advice`]), a table of contents, machine and method, the
//! winner maps ([`crate::report::render::winner_map`]), rule-verdict summary, one section
//! per rule, one section per scenario (decision table, crossover line,
//! chart, full matrix, latency tails where sidecars carry them), notes.

use std::collections::BTreeMap;

use crate::report::analyse::Analysis;
use crate::report::analyse::advice::Regime;
use crate::report::analyse::applicable::Absent;
use crate::report::analyse::decide::{AVOID_RATIO, Decision, Row, fmt_ratio};
use crate::report::analyse::model::{Scenario, anchor};
use crate::report::analyse::rules::{Judgement, Outcome};
use crate::report::analyse::stats::FLOOR_FACTOR;
use crate::report::fmt::{fmt_num, fmt_si};
use crate::report::input::criterion::Estimator;

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
    /// A chart drawn as SVG only (`charts/<stem>.svg`), such as the merged
    /// report's panels side by side.
    Figure {
        /// The chart file stem.
        stem: String,
        /// Alternative text.
        alt: String,
    },
}

/// Splits text with `**strong**` and `code` spans into inlines.
pub fn rich_strong(s: &str) -> Line {
    let mut out = Vec::new();
    for (i, part) in s.split("**").enumerate() {
        if i % 2 == 1 && !part.is_empty() {
            out.push(Inline::Strong(part.to_string()));
        } else {
            out.extend(rich(part));
        }
    }
    out
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
pub fn build(r: &Analysis) -> Vec<Block> {
    let mut out = vec![Block::Heading {
        level: 1,
        id: None,
        text: vec![text("syncbench: mutex, RwLock, atomic or channel?")],
    }];
    what_to_use(r, &mut out);
    contents(r, &mut out);
    out.push(Block::Heading {
        level: 2,
        id: Some("measurement".into()),
        text: vec![text("Measurement")],
    });
    out.push(Block::Para(machine_line(r)));
    out.push(Block::Para(rich(&format!(
        "Each scenario below is a criterion group; each strategy was measured at every \
             thread count, in {}, throughput in operations per second. A winner is only named \
             when it leads the runner-up in every pass and its margin over every other strategy, \
             paired pass by pass, is at least {:.2}x with its interval from {:.2}x; otherwise the \
             row is a tie, and when the tied strategies are all of one family and together beat every \
             other family by the same test, the row names the family (\"any spin\"). Strategies at \
             the harness floor (within {FLOOR_FACTOR:.0}x of the no-op) are never ranked among \
             themselves. Reference lines (no-op, hand-written loops, the no-sharing limit) are \
             drawn and tabulated but never win. See the notes for the statistics.",
        passes_phrase(r),
        crate::report::analyse::stats::PRACTICAL_MARGIN,
        crate::report::analyse::stats::INTERVAL_MARGIN
    ))));
    winner_maps_section(r, &mut out);
    rules_section(r, &mut out);
    scenarios_section(r, &mut out);
    notes_section(r, &mut out);
    out
}

/// The "what to use" table: one row per situation with data.
fn what_to_use(r: &Analysis, out: &mut Vec<Block>) {
    let cpus = r.floor.cpus;
    out.push(Block::Heading {
        level: 2,
        id: Some("what-to-use".into()),
        text: vec![text("What to use")],
    });
    let rows = &r.advice;
    if rows.is_empty() {
        out.push(Block::Para(rich(
            "No situation of the guide has results yet (run `scripts/bench.sh`).",
        )));
        return;
    }
    out.push(Block::Para(vec![
        text(format!(
            "The measured winner per situation, on this machine ({cpus} usable CPU{}), for \
             one thread, up to the CPUs and oversubscribed; with its margin over the \
             runner-up and over what the guide recommends. \"Any of\" where strategies tie. \
             Every entry comes from the ",
            if cpus == 1 { "" } else { "s" }
        )),
        Inline::Link("scenario tables".into(), "#scenarios".into()),
        text("; how cells are combined: "),
        Inline::Link("notes".into(), "#notes".into()),
        text("."),
    ]));
    let mut head = vec!["situation".to_string()];
    head.extend(Regime::ALL.iter().map(|g| g.heading(cpus)));
    head.extend([
        format!("avoid (>= {AVOID_RATIO:.0}x slower)"),
        "the guide says".to_string(),
        "evidence".to_string(),
    ]);
    let table_rows = rows
        .iter()
        .map(|a| {
            let mut row = vec![vec![text(a.situation.text)]];
            row.extend(a.regimes.iter().map(|g| rich_strong(&g.text())));
            const SHOWN: usize = 4;
            let mut avoid: Line = Vec::new();
            for (i, x) in a.avoid.iter().take(SHOWN).enumerate() {
                if i > 0 {
                    avoid.push(text("; "));
                }
                avoid.extend(rich(&x.text()));
            }
            if a.avoid.len() > SHOWN {
                avoid.push(text(format!(" and {} more", a.avoid.len() - SHOWN)));
            }
            if avoid.is_empty() {
                avoid.push(text("-"));
            }
            row.push(avoid);
            let mut guide: Line = Vec::new();
            for (i, n) in a.rules.iter().enumerate() {
                if i > 0 {
                    guide.push(text("; "));
                }
                guide.push(Inline::Link(
                    n.text.to_string(),
                    format!("#{}", rule_anchor(n.id)),
                ));
                guide.push(text(": "));
                guide.extend(rich_strong(&n.text()));
            }
            if guide.is_empty() {
                guide.push(text("-"));
            }
            row.push(guide);
            let mut evidence: Line = Vec::new();
            for (i, (id, label)) in a.scenarios.iter().enumerate() {
                if i > 0 {
                    evidence.push(text(", "));
                }
                evidence.push(Inline::Link(label.clone(), format!("#{}", anchor(id))));
            }
            row.push(evidence);
            row
        })
        .collect();
    let n = head.len();
    out.push(Block::Table {
        head,
        right: vec![false; n],
        rows: table_rows,
    });
}

/// The table of contents.
fn contents(r: &Analysis, out: &mut Vec<Block>) {
    out.push(Block::Heading {
        level: 2,
        id: Some("contents".into()),
        text: vec![text("Contents")],
    });
    let mut items: Vec<Line> = vec![
        vec![Inline::Link("What to use".into(), "#what-to-use".into())],
        vec![Inline::Link("Measurement".into(), "#measurement".into())],
    ];
    let maps = &r.grids;
    if !maps.is_empty() {
        let mut l = vec![
            Inline::Link("Winner maps".into(), "#winner-maps".into()),
            text(": "),
        ];
        for (i, g) in maps.iter().enumerate() {
            if i > 0 {
                l.push(text(", "));
            }
            l.push(Inline::Link(
                g.stem.trim_start_matches("winner-map_").to_string(),
                format!("#{}", g.stem),
            ));
        }
        items.push(l);
    }
    items.push(vec![Inline::Link("Rules of thumb".into(), "#rules".into())]);
    let mut scenarios = vec![Inline::Link("Scenarios".into(), "#scenarios".into())];
    let mut workloads: Vec<&str> = Vec::new();
    for s in &r.model.scenarios {
        if !workloads.contains(&s.workload.as_str()) {
            workloads.push(&s.workload);
        }
    }
    for (i, w) in workloads.iter().enumerate() {
        scenarios.push(text(if i == 0 { ": " } else { ", " }));
        let first = r.model.scenarios.iter().find(|s| s.workload == *w);
        if let Some(s) = first {
            scenarios.push(Inline::Link(w.to_string(), format!("#{}", s.anchor())));
        }
    }
    items.push(scenarios);
    items.push(vec![Inline::Link("Notes".into(), "#notes".into())]);
    if !r.warnings.is_empty() {
        items.push(vec![Inline::Link(
            format!("Warnings ({})", r.warnings.len()),
            "#warnings".into(),
        )]);
    }
    out.push(Block::List(items));
}

/// One winner map per question and split the data has.
fn winner_maps_section(r: &Analysis, out: &mut Vec<Block>) {
    let maps = &r.grids;
    if maps.is_empty() {
        return;
    }
    out.push(Block::Heading {
        level: 2,
        id: Some("winner-maps".into()),
        text: vec![text("Winner maps")],
    });
    out.push(Block::Para(rich(
        "Who wins each cell (a scenario at a thread count): threads across, contention up. \
         Colour: the winner's family (the charts' palette); label: the winner and its margin \
         over the runner-up. Grey: a tie, naming the tied strategies; hatched: strategies \
         together at the harness floor; white: no contender. In the SVG, hovering a cell \
         shows its full names and margins.",
    )));
    for g in maps {
        out.push(Block::Heading {
            level: 3,
            id: Some(g.stem.clone()),
            text: vec![text(g.title.clone())],
        });
        out.push(Block::Chart {
            alt: format!("{}: winner map", g.title),
            stem: g.stem.clone(),
        });
    }
}

/// `3 independent passes` / `one pass (weaker verdicts)`.
fn passes_phrase(r: &Analysis) -> String {
    // Screened results (far behind after the first passes) keep those
    // passes only; the phrase is about the rest.
    let counts = &r.pass_counts;
    let screened = r.screened;
    let tail = if screened > 0 {
        format!(
            " ({screened} results far behind their cell's best only the first {}: screened)",
            crate::report::analyse::screen::AFTER
        )
    } else {
        String::new()
    };
    let phrase = match (counts.first(), counts.last()) {
        (Some(1), Some(1)) | (None, _) => {
            "one pass (plain `cargo bench`: weaker verdicts; `scripts/bench.sh` measures \
             several independent passes)"
                .to_string()
        }
        (Some(lo), Some(hi)) if lo == hi => format!("{lo} independent passes"),
        (Some(lo), Some(hi)) => format!("{lo} to {hi} independent passes"),
        _ => unreachable!("first and last of a non-empty set"),
    };
    format!("{phrase}{tail}")
}

fn machine_line(r: &Analysis) -> Line {
    let m = &r.environment.fingerprint;
    let cores = match m.physical_cores {
        Some(p) => format!("{} logical / {p} physical cores", m.logical_cores),
        None => format!("{} logical cores", m.logical_cores),
    };
    let cores = if m.available_parallelism < m.logical_cores {
        format!(
            "{cores}, of which the run could use {}",
            m.available_parallelism
        )
    } else {
        cores
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
            r.environment.source
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

fn rules_section(r: &Analysis, out: &mut Vec<Block>) {
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

fn scenarios_section(r: &Analysis, out: &mut Vec<Block>) {
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
    for ((s, d), absent) in r.model.scenarios.iter().zip(&r.decisions).zip(&r.absent) {
        scenario_section(s, d, absent, out);
    }
}

fn scenario_section(s: &Scenario, d: &Decision, absent: &[Absent], out: &mut Vec<Block>) {
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
    // Strategies that cannot run here (sync locks across .await): named,
    // not left as holes.
    let mut reasons: Vec<&str> = absent.iter().map(|a| a.reason).collect();
    reasons.dedup();
    for reason in reasons {
        let names: Vec<String> = absent
            .iter()
            .filter(|a| a.reason == reason)
            .map(|a| format!("`{}` ({})", a.strategy, a.family))
            .collect();
        out.push(Block::Para(rich(&format!(
            "{}: {}.",
            capitalise_first(reason),
            names.join(", ")
        ))));
    }
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
    if crate::report::render::chart::has_cost(s) {
        let cost = crate::report::render::chart::cost_stem(&s.file_stem());
        out.push(Block::Para(vec![
            text("Cost: "),
            Inline::Link(
                "CPU time per operation".into(),
                format!("charts/{cost}.png"),
            ),
            text(" ("),
            Inline::Link("SVG".into(), format!("charts/{cost}.svg")),
            text("), every thread's CPU time, median over passes."),
        ]));
    }
    out.push(matrix(s, absent));
    if let Some(t) = tails(s) {
        out.push(t);
    }
}

fn table_row(r: &Row) -> Vec<Line> {
    let dash = || vec![text("-")];
    let Some(w) = &r.winner else {
        let why = if r.older.is_empty() {
            "no contender (reference lines only)".to_string()
        } else {
            format!(
                "not compared: only results of an older run ({})",
                r.older.join(", ")
            )
        };
        return vec![
            vec![text(r.threads.to_string())],
            vec![text(why)],
            dash(),
            dash(),
            dash(),
            dash(),
            dash(),
            dash(),
        ];
    };
    let mut winner = Vec::new();
    if r.is_floor() {
        winner.push(text("at the harness floor: "));
        for (i, name) in r.floor.iter().enumerate() {
            if i > 0 {
                winner.push(text(", "));
            }
            winner.push(code(name));
        }
    } else if let Some(family) = r.family_winner() {
        winner.push(Inline::Strong(format!("any {family}")));
        winner.push(text(": "));
        winner.push(code(&w.strategy));
        for t in &r.tied_with {
            winner.push(text(" ~ "));
            winner.push(code(t));
        }
    } else if r.is_tie() {
        winner.push(text("tie: "));
        winner.push(code(&w.strategy));
        for t in &r.tied_with {
            winner.push(text(" ~ "));
            winner.push(code(t));
        }
    } else {
        winner.push(Inline::Strong(w.strategy.clone()));
    }
    if r.passes == 1 && r.contenders > 1 {
        winner.push(text(" (one pass)"));
    }
    if !r.older.is_empty() {
        winner.push(text(format!(
            " [not compared, older run: {}]",
            r.older.join(", ")
        )));
    }
    let runner = match (&r.runner_up, r.is_floor()) {
        (Some(p), true) => vec![text("best off the floor: "), code(&p.strategy)],
        (Some(p), false) if r.family_winner().is_some() => {
            vec![text("best of another family: "), code(&p.strategy)]
        }
        (Some(p), false) => vec![code(&p.strategy)],
        (None, true) => vec![text("- (all at the floor)")],
        (None, false) => vec![text("- (only contender)")],
    };
    let margin = match (&r.margin, r.is_floor()) {
        (Some(m), true) => vec![text(format!("all at least {}", m.with_range()))],
        (Some(m), false) => vec![text(m.with_range())],
        (None, _) => dash(),
    };
    let vs_mutex = match (&r.vs_mutex, &*w.family) {
        _ if r.is_floor() => dash(),
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
    let cpu = match &r.winner_cpu {
        _ if r.is_floor() => "-".to_string(),
        None => "-".to_string(),
        Some(c) if c.n > 1 && fmt_num(c.min) != fmt_num(c.max) => format!(
            "{} ({}-{})",
            fmt_num(c.median),
            fmt_num(c.min),
            fmt_num(c.max)
        ),
        Some(c) => fmt_num(c.median),
    };
    vec![
        vec![text(r.threads.to_string())],
        winner,
        vec![text(fmt_si(w.throughput.point))],
        runner,
        margin,
        vs_mutex,
        avoid,
        vec![text(cpu)],
    ]
}

fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn matrix(s: &Scenario, absent: &[Absent]) -> Block {
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
    let na_rows = absent.iter().map(|a| {
        let mut row = vec![vec![code(&a.strategy)], vec![text(a.family.clone())]];
        row.extend(s.threads.iter().map(|_| vec![text(a.reason)]));
        row
    });
    let rows = s
        .series
        .iter()
        .map(|x| {
            let mut row = vec![vec![code(&x.strategy)], vec![text(x.family_name())]];
            for t in &s.threads {
                row.push(vec![text(match x.points.get(t) {
                    Some(p) => format!(
                        "{} ({}-{}){}",
                        fmt_si(p.throughput.point),
                        fmt_si(p.throughput.lo),
                        fmt_si(p.throughput.hi),
                        if p.stale { " older run" } else { "" }
                    ),
                    None => "-".to_string(),
                })]);
            }
            row
        })
        .chain(na_rows)
        .collect();
    Block::Details {
        summary: format!(
            "Full matrix: operations/s (geometric mean over passes; range: every pass's {:.0}% \
             CI), every strategy",
            level * 100.0
        ),
        body: vec![Block::Table { head, right, rows }],
    }
}

/// Latency percentiles, for any scenario whose sidecars carry
/// `extra.latency_ns` (`count`, `p50`, `p90`, `p99`, `p999`, `max`): the
/// median over passes with the range, and a note where a percentile rests
/// on too few samples (fewer than 10 beyond it).
fn tails(s: &Scenario) -> Option<Block> {
    const KEYS: [(&str, f64); 5] = [
        ("p50", 0.5),
        ("p90", 0.9),
        ("p99", 0.99),
        ("p999", 0.999),
        ("max", 1.0),
    ];
    let mut rows = Vec::new();
    let mut thin = false;
    for x in &s.series {
        for (t, p) in &x.points {
            let lat = |key: &'static str| {
                p.side(move |sc| sc.extra.as_ref()?.get("latency_ns")?.get(key)?.as_f64())
            };
            let Some(count) = lat("count") else {
                continue;
            };
            let mut row = vec![vec![code(&x.strategy)], vec![text(t.to_string())]];
            row.push(vec![text(format!("{:.0} x {}", count.median, count.n))]);
            for (k, q) in KEYS {
                let cell = match lat(k) {
                    Some(v) => {
                        let few = q < 1.0 && count.min * (1.0 - q) < 10.0;
                        thin |= few;
                        let range = if v.n > 1 && v.max > v.min {
                            format!(" ({:.0}-{:.0})", v.min, v.max)
                        } else {
                            String::new()
                        };
                        format!("{:.0}{range}{}", v.median, if few { " (few)" } else { "" })
                    }
                    None => "-".to_string(),
                };
                row.push(vec![text(cell)]);
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
            "samples x passes",
            "p50 ns",
            "p90 ns",
            "p99 ns",
            "p99.9 ns",
            "max ns",
        ]
        .map(String::from),
    );
    let mut body = vec![Block::Table {
        head,
        right: vec![false, true, true, true, true, true, true, true],
        rows,
    }];
    if thin {
        body.push(Block::Para(rich(
            "(few): the percentile rests on fewer than 10 samples beyond it in at least one \
             pass; read it as a rough figure.",
        )));
    }
    Some(Block::Details {
        summary: "Latency tails (instrumented round of every pass: median over passes, range in \
                  brackets)"
            .into(),
        body,
    })
}

/// How many cell-passes the main job measured again, and why.
fn repairs_note(r: &Analysis) -> String {
    let (cell_passes, repaired) = r.repairs;
    format!(
        "Repairs: {} of {} cell-passes (a scenario at one thread count in one pass) were \
         measured again, all their strategies together in a fresh order, because one of \
         their {} fastest strategies ran more than {}x off its median over the passes there \
         (a phase of the host landing on part of a cell); at most {} rounds, the last {} of \
         them checks that measure again only what is still more than {}x off, and the new \
         measurement replaces the old. Only the main job repairs, with 3 or more passes.",
        repaired,
        cell_passes,
        crate::report::analyse::repair::LEADERS,
        crate::report::analyse::repair::STRAY,
        crate::harness::passes::REPAIR_ROUNDS,
        crate::harness::passes::REPAIR_ROUNDS - crate::report::analyse::repair::STRAY_ROUNDS,
        crate::report::analyse::repair::SEVERE,
    )
}

fn notes_section(r: &Analysis, out: &mut Vec<Block>) {
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
            "Passes: {}. The main job (`scripts/bench.sh`) measures every benchmark id in \
             several independent passes, minutes apart, each with its own seeded order of \
             strategies, because a VM's slow phases outlast one measurement window: criterion's \
             interval alone misses them. A strategy's figure is the geometric mean of its \
             passes; its range spans every pass's {} interval, so it covers the drift between \
             passes too.",
            passes_phrase(r),
            lv.join(", ")
        )),
        rich(&format!(
            "Screening: every id costs the same measurement window whatever its speed, so after \
             pass {after} of a run of more passes the main job leaves out of the later passes \
             (and the repairs) every strategy that ran at least {factor:.0}x slower than its \
             cell's best (off the harness floor) in each of passes 1-{after}: a rendezvous \
             channel next to a buffered one, an actor next to an atomic. Such a gap decides \
             nothing; those results rest on their {after} passes, measured side by side with \
             the rest of their cell. This run: {n} results screened.",
            after = crate::report::analyse::screen::AFTER,
            factor = crate::report::analyse::screen::FACTOR,
            n = r.screened
        )),
        rich(&format!(
            "Winner: it must lead the runner-up in every pass, and its margin over every other \
             contender, paired pass by pass (in one pass both ran seconds apart), must be at \
             least {:.2}x, with a Student-t interval of the per-pass ratios from {:.2}x (that \
             interval uses the larger of the spread between passes and the noise inside them). \
             Not just above 1: a whole run drifts as well, which no interval from one run's \
             passes can see. In pairs of default runs of one commit on the reference VM, the \
             cells that were a winner in one run and a tie in the other had about the same \
             margin in both, and the verdict turned on whether one pass or the interval's low \
             end cleared a bar; a bar on the margin itself is what a second run reproduces. \
             Otherwise: tie. With {} or more passes the smallest \
             per-pass ratio counts as a lower end too: one wild pass in the winner's favour \
             would otherwise stretch the t interval below 1 although the winner led every \
             time, and all five passes above the typical ratio happen 1 time in 32. A \
             contender screened out far behind after the first passes ties with nobody. With \
             one pass (plain `cargo bench`) the \
             winner's interval must clear every other's by as much, a weaker test, marked \
             \"(one pass)\". A tie among strategies of one family (two spinlocks, two \
             lock-free queues) is that family's win when its best member beats every other \
             family's contenders by the same test (the best of them in every pass): the row \
             reads \"any <family>\", and its runner-up and margin are the best contender of \
             another family. The question is which kind of primitive to use, and that answer \
             holds even when two crates' versions of it cannot be told apart.",
            crate::report::analyse::stats::PRACTICAL_MARGIN,
            crate::report::analyse::stats::INTERVAL_MARGIN,
            crate::report::analyse::stats::ORDER_PASSES
        )),
        rich(&repairs_note(r)),
        rich(&format!(
            "Margin = winner / runner-up, with its paired interval. Avoid = at least \
             {AVOID_RATIO:.0}x slower than the winner."
        )),
        rich(&format!(
            "Harness floor: the no-op costs {} ns per operation at one thread ({}); a \
             strategy within {FLOOR_FACTOR:.0}x of that, divided by min(threads, {} CPUs), is \
             at the floor. Its speed is the harness loop's code generation, not \
             synchronization, so floor strategies are named together, never ranked among \
             themselves, and only their margin over the best strategy off the floor is given.",
            fmt_num(r.floor.noop_ns),
            if r.floor.measured {
                "measured in `counter/overhead`"
            } else {
                "not measured in this run: an assumed value"
            },
            r.floor.cpus
        )),
        rich(&format!(
            "What to use: for each situation (a list of scenario groups, one table in code: \
             `report::analyse::advice::SITUATIONS`) and each part of the thread axis (1 thread; 2 to \
             the {cpus} CPUs the run could use; more than {cpus}, oversubscribed), the cells \
             are that situation's scenarios at those thread counts. A cell with a clear winner \
             counts for it, a tie for \"any of\" the strategies it names, strategies at the \
             harness floor for \"any of\" them \"at the harness floor\"; a cell without a \
             contender does not count. When every cell says the same, that is the answer, with \
             the range of its margins over the runner-up and over the best strategy of the \
             side the situation's first rule recommends (\"the guide's pick\" when the winner \
             is on that side); otherwise each answer is listed with where it holds (the \
             scenarios or thread counts it covers), largest first. A part of the axis without \
             a measured thread count shows \"-\". Avoid: every strategy at least \
             {AVOID_RATIO:.0}x slower than a cell's winner, with in how many of the cells \
             where it was measured. The guide's verdict is restated on the situation's cells; \
             many-to-one and many-to-many hand-off are separate rows, because consumers \
             contend only in the second.",
            cpus = r.floor.cpus
        )),
        rich(
            "Winner maps: per question (counter increment, counter read-mostly, map; one \
             table in code: `report::render::winner_map::QUESTIONS`), threads across and \
             contention up: private work between operations for counter/increment (hot = 0, \
             warm = ~100 ns, then by duration), the share of reads for the others, one map per \
             key distribution. A cell is its scenario's row at that thread count.",
        ),
        rich(
            "Winner CPU ns/op comes from the harness's instrumented round of every pass \
             (sidecars, median over passes): CPU time per operation of every thread the \
             strategy uses (pool workers, an actor's owner thread, rayon's pool, pipeline \
             stages), which exposes spinning that adds no throughput.",
        ),
        rich(
            "Rule verdicts compare the best strategy of the recommended families against the \
             best of the alternative families in every cell where both were measured; results \
             without a sidecar (which names the family) are left out of verdicts. Confirmed: \
             every decided cell supports the rule; contradicted: every one goes against it; \
             depends: both, with the condition. A verdict must survive leaving out any one \
             cell, so a single decided cell against two or more on the other side is named as \
             the exception (\"except ...\") and does not make the rule depend.",
        ),
        rich(
            "Charts: throughput vs threads on log-log axes, bands spanning every pass's \
             interval; a scenario measured at one thread count is drawn as horizontal bars \
             sorted by throughput (log axis, whiskers over the interval, reference strategies \
             hatched). Each has a cost chart beside it: CPU time per operation, median over \
             passes, band or whiskers from the lowest to the highest pass. PNG text is drawn \
             with the embedded DejaVu Sans; SVG text uses the viewer's sans-serif.",
        ),
        rich(
            "Chart colours: colour is the family, from Paul Tol's colour-blind-safe \"muted\" \
             palette (the no-sharing limit black, baselines dark grey; park and barrier reuse \
             the colours of data-parallel and sharded, which never share their workload, with \
             a dashed line); members of a family differ by marker shape and line style, so \
             every line is told apart in greyscale too.",
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
