//! The "what to use" table (one line per situation: the robust pick, its
//! worst ratio to the best, the exceptions), then the same cell by cell:
//! each situation's answer per part of the thread axis, what to avoid, the
//! guide's verdict on its cells.

use crate::report::analyse::Analysis;
use crate::report::analyse::advice::Regime;
use crate::report::analyse::decide::{AVOID_RATIO, fmt_ratio};
use crate::report::analyse::model::anchor;
use crate::report::analyse::stats::PRACTICAL_MARGIN;
use crate::report::render::advice_text::{sized_exceptions_text, sized_text};
use crate::report::render::doc::{Block, Inline, Line, rich, rich_strong, text};

/// The "what to use" table: one row per situation with data.
/// Appends the section to `out`.
pub fn section(r: &Analysis, out: &mut Vec<Block>) {
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
            "One pick per situation, on this machine ({cpus} usable CPU{}): the strategy \
             whose worst ratio to the best over the situation's cells is smallest (\"where it \
             applies\": a pick for part of the cells, ",
            if cpus == 1 { "" } else { "s" },
        )),
        Inline::Link("how".to_string(), "#notes".to_string()),
        text(format!(
            "), then the cells where another beats it by {} or more.",
            fmt_ratio(PRACTICAL_MARGIN)
        )),
    ]));
    out.push(Block::Table {
        head: vec![
            "situation".to_string(),
            "use".to_string(),
            format!(
                "unless (beats it by {} or more)",
                fmt_ratio(PRACTICAL_MARGIN)
            ),
        ],
        right: vec![false; 3],
        rows: rows
            .iter()
            .map(|a| {
                let sized = sized_text(&a.sizes).zip(sized_exceptions_text(&a.sizes));
                let (pick, unless) = match (&a.robust, sized) {
                    (_, Some((pick, unless))) => (rich_strong(&pick), rich(&unless)),
                    (Some(r), None) => (rich_strong(&r.text()), rich(&r.exceptions_text())),
                    (None, None) => (vec![text("-")], vec![text("-")]),
                };
                vec![vec![text(a.situation.text)], pick, unless]
            })
            .collect(),
    });
    out.push(Block::Para(vec![
        text("Cell by cell, by part of the thread axis: "),
        Inline::Link(
            "what to use, cell by cell".into(),
            "#what-to-use-by-cell".into(),
        ),
        text("; the verdicts and how the pick is made: "),
        Inline::Link("notes".into(), "#notes".into()),
        text("."),
    ]));
}

/// "What to use, cell by cell": one row per situation with its answer per
/// part of the thread axis, what to avoid, the guide's verdict on its cells
/// and the evidence. Appends the section to `out` (nothing without a
/// situation).
pub fn by_cell(r: &Analysis, out: &mut Vec<Block>) {
    let cpus = r.floor.cpus;
    let rows = &r.advice;
    if rows.is_empty() {
        return;
    }
    out.push(Block::Heading {
        level: 2,
        id: Some("what-to-use-by-cell".into()),
        text: vec![text("What to use, cell by cell")],
    });
    out.push(Block::Para(vec![
        text(format!(
            "The measured winner per situation, on this machine ({cpus} usable CPU{}), for \
             one thread, up to the CPUs and oversubscribed; with its margin over the \
             runner-up and over what the guide recommends. \"Any of\" where there is no practical \
             difference (proven within the practical margin), \"unclear\" where this machine \
             cannot tell the best apart from the others named. \
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
                    format!("#{}", crate::report::render::doc::rules::rule_anchor(n.id)),
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
