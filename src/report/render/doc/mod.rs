//! The report's content as a small document tree, rendered to Markdown by
//! [`crate::report::render::markdown`] and to HTML by [`crate::report::render::html`].
//!
//! Order: the "what to use" table (one row per situation, see
//! [`crate::report::analyse::advice`]), a table of contents, machine and method, the
//! winner maps ([`crate::report::render::winner_map`]), rule-verdict summary, one section
//! per rule, one section per scenario (decision table, crossover line,
//! chart, full matrix, latency tails where sidecars carry them), notes.

pub mod notes;
pub mod rules;
pub mod scenarios;
pub mod what_to_use;

use crate::report::analyse::Analysis;
use crate::report::analyse::stats::FLOOR_FACTOR;

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

/// Plain text.
pub fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

/// A code span.
pub fn code(s: impl Into<String>) -> Inline {
    Inline::Code(s.into())
}

/// Builds the whole document.
pub fn build(r: &Analysis) -> Vec<Block> {
    let mut out = vec![Block::Heading {
        level: 1,
        id: None,
        text: vec![text("syncbench: mutex, RwLock, atomic or channel?")],
    }];
    crate::report::render::doc::what_to_use::section(r, &mut out);
    contents(r, &mut out);
    crate::report::render::doc::what_to_use::by_cell(r, &mut out);
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
    crate::report::render::doc::rules::section(r, &mut out);
    crate::report::render::doc::scenarios::section(r, &mut out);
    crate::report::render::doc::notes::section(r, &mut out);
    out
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
        vec![Inline::Link(
            "What to use, cell by cell".into(),
            "#what-to-use-by-cell".into(),
        )],
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
pub fn passes_phrase(r: &Analysis) -> String {
    // Screened results (far behind after the first passes) keep those
    // passes only; the phrase is about the rest.
    let counts = &r.pass_counts;
    let screened = r.screened;
    let tail = if screened > 0 {
        format!(
            " ({screened} results far behind, or out of contention, have fewer: left out early)"
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
