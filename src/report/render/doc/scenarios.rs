//! The scenarios section: per scenario its decision table, the full
//! matrix, latency tails and the chart.

use crate::report::analyse::Analysis;
use crate::report::analyse::applicable::Absent;
use crate::report::analyse::decide::{AVOID_RATIO, Decision, Row, fmt_ratio};
use crate::report::analyse::model::Scenario;
use crate::report::fmt::{fmt_num, fmt_si};
use crate::report::render::doc::{Block, Inline, Line, code, rich, text};

/// Appends the section to `out`.
pub fn section(r: &Analysis, out: &mut Vec<Block>) {
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
        winner.push(text(match r.within {
            Some(_) => "no practical difference: ",
            None => "unclear: ",
        }));
        winner.push(code(&w.strategy));
        for t in &r.tied_with {
            winner.push(text(" ~ "));
            winner.push(code(t));
        }
    } else {
        winner.push(Inline::Strong(w.strategy.clone()));
    }
    if let Some(within) = r.within {
        winner.push(text(format!(
            " (within {}, proven here)",
            fmt_ratio(within)
        )));
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
