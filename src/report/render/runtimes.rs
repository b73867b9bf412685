//! The runtime dimension: the Go benchmarks of `go/` beside the Rust
//! results, one column per runtime (a Go column per Go version the run
//! measured, then Rust threads).
//!
//! Three parts: the winner of every scenario × thread count on each side in
//! ns/op, every rule's verdict per runtime, and the cells and rules where
//! Go's answer and Rust's differ, with both margins. Without Go results
//! nothing here is added (see [`insert`]).

use crate::harness::Family;
use crate::report::analyse::Analysis;
use crate::report::analyse::GoAnalysis;
use crate::report::analyse::decide::{CellVerdict, Decision, Pick, Row, fmt_ratio};
use crate::report::analyse::go::{GoCell, GoJudgement};
use crate::report::analyse::model::anchor;
use crate::report::analyse::rules::{Judgement, Verdict};
use crate::report::fmt::fmt_num;
use crate::report::input::gotext::GoRun;
use crate::report::render::doc::{Block, Inline, Line, rich};

/// The section's fragment id.
pub const ID: &str = "runtimes";

/// Inserts the runtime section before the notes, and its link into the
/// table of contents; with `go` absent the document is left as it is.
pub fn insert(document: &mut Vec<Block>, r: &Analysis) {
    let gs = r.go_with_results();
    if gs.is_empty() {
        return;
    }
    let at = document
        .iter()
        .position(|b| matches!(b, Block::Heading { id: Some(id), .. } if id == "notes"))
        .unwrap_or(document.len());
    let blocks = section(r, &gs);
    document.splice(at..at, blocks);
    let contents = document
        .iter()
        .position(|b| matches!(b, Block::Heading { id: Some(id), .. } if id == "contents"));
    if let Some(Block::List(items)) = contents.and_then(|i| document.get_mut(i + 1)) {
        let notes = items
            .iter()
            .position(|l| matches!(l.first(), Some(Inline::Link(_, t)) if t == "#notes"))
            .unwrap_or(items.len());
        items.insert(
            notes,
            vec![Inline::Link(
                format!("Runtimes: Go beside Rust ({})", labels(&gs)),
                format!("#{ID}"),
            )],
        );
    }
}

fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

fn code(s: impl Into<String>) -> Inline {
    Inline::Code(s.into())
}

fn ns(x: f64) -> String {
    format!("{} ns/op", fmt_num(x))
}

fn family_name(f: Option<Family>) -> &'static str {
    f.map_or("unknown", Family::as_str)
}

/// The Go column's header: `Go goroutines (Go 1.19.8)`.
pub fn go_header(go: &GoRun) -> String {
    format!("Go goroutines ({})", go.label())
}

/// The Rust column's header.
pub const RUST_THREADS: &str = "Rust threads";

fn go_cell_line(c: &GoCell) -> Line {
    match (c.winner(), c.ranked.as_slice()) {
        (Some((s, _, t)), _) => {
            let mut l = vec![Inline::Strong(s.clone()), text(format!(" {}", ns(*t)))];
            if let Some(m) = c.margin {
                l.push(text(format!(" ({} over the runner-up)", fmt_ratio(m))));
            }
            l
        }
        (None, [a, b, ..]) => vec![
            text("tie: "),
            code(a.0.clone()),
            text(format!(" {}, ", ns(a.2))),
            code(b.0.clone()),
            text(format!(" {}", ns(b.2))),
        ],
        _ => vec![text("-")],
    }
}

fn rust_row<'a>(r: &'a Analysis, scenario: &str, threads: usize) -> Option<&'a Row> {
    let d: &Decision = r.decisions.iter().find(|d| d.scenario == scenario)?;
    d.rows.iter().find(|row| row.threads == threads)
}

/// `head` then the first three tied strategies and the best's time.
fn tied_line(mut head: Line, strategies: &[String], best: Option<&Pick>) -> Line {
    for (i, s) in strategies.iter().take(3).enumerate() {
        if i > 0 {
            head.push(text(" ~ "));
        }
        head.push(code(s.clone()));
    }
    if let Some(p) = best {
        head.push(text(format!(" (best {})", ns(1e9 / p.throughput.point))));
    }
    head
}

fn rust_cell_line(row: Option<&Row>) -> Line {
    let Some(row) = row else {
        return vec![text("not measured")];
    };
    let best = row.winner.as_ref();
    match (&row.verdict, best) {
        (CellVerdict::Winner { strategy }, Some(p)) => {
            let mut l = vec![
                Inline::Strong(strategy.clone()),
                text(format!(" {}", ns(1e9 / p.throughput.point))),
            ];
            if let Some(m) = &row.margin {
                l.push(text(format!(
                    " ({} over the runner-up)",
                    fmt_ratio(m.point)
                )));
            }
            l
        }
        (CellVerdict::Family { family, strategies }, _) => tied_line(
            vec![Inline::Strong(format!("any {family}")), text(": ")],
            strategies,
            best,
        ),
        (CellVerdict::Tie { strategies }, _) => tied_line(vec![text("tie: ")], strategies, best),
        (CellVerdict::Equivalent { strategies }, _) => {
            tied_line(vec![text("no practical difference: ")], strategies, best)
        }
        (CellVerdict::Floor { strategies, .. }, _) => {
            vec![text(format!("harness floor: {}", strategies.join(", ")))]
        }
        _ => vec![text("-")],
    }
}

fn verdict_line_rust(j: Option<&Judgement>) -> Line {
    match j {
        None => vec![text("-")],
        Some(j) => {
            let mut l = vec![Inline::Strong(j.verdict.as_str().to_string())];
            if let Some(c) = &j.condition {
                l.push(text(format!(": {c}")));
            }
            l
        }
    }
}

fn verdict_line_go(j: &GoJudgement) -> Line {
    let mut l = vec![Inline::Strong(j.verdict.as_str().to_string())];
    if !j.cells.is_empty() {
        let (s, c, t) = j.tally();
        l.push(text(format!(" ({s} for, {c} against, {t} tied)")));
    }
    if let Some(n) = &j.note {
        l.push(text("; "));
        l.extend(rich(n));
    }
    l
}

/// The labels of the Go runs: `Go 1.27.3 and Go 1.19.8`.
fn labels(gs: &[&GoAnalysis]) -> String {
    let v: Vec<String> = gs.iter().map(|g| g.run.label()).collect();
    v.join(" and ")
}

/// The whole section: the Go runs (the first one leads) beside Rust.
pub fn section(r: &Analysis, gs: &[&GoAnalysis]) -> Vec<Block> {
    let g = gs[0];
    let go = &g.run;
    let label = labels(gs);
    let gh = go_header(go);
    let mut out = vec![Block::Heading {
        level: 2,
        id: Some(ID.into()),
        text: vec![text(format!(
            "Runtimes: the same scenarios in Go ({label}) beside Rust"
        ))],
    }];
    let versions: Vec<&str> = gs
        .iter()
        .map(|g| {
            g.run
                .version
                .as_deref()
                .unwrap_or("go version not recorded")
        })
        .collect();
    let mut intro = rich(&format!(
        "The Go module `go/` measures the scenarios that have a Go idiom with Go's own \
         benchmarks (`{}`, {} replicate(s) of 100 ms each, from `{}` under the criterion \
         home): the same scenario ids, parameters and answer checks as the Rust benchmarks. \
         The parameter (threads, producers P, workers W) is the number of goroutines in each \
         role; GOMAXPROCS is the number of OS threads the Rust id runs. A Go figure is the \
         median ns/op over the replicates; a Go winner is named when it leads the runner-up by \
         at least {:.2}x and every replicate of it beat every replicate of the runner-up \
         (replicates run back to back: a weaker test than the Rust side's passes); otherwise \
         tie. ",
        versions.join("`; `"),
        gs.iter().map(|g| g.run.replicates()).max().unwrap_or(0),
        crate::report::input::gotext::BENCH_FILE,
        crate::report::analyse::stats::PRACTICAL_MARGIN,
    ));
    intro.extend(rich(&if gs.len() == 1 {
        format!(
            "Newer Go releases changed parts of `sync.Map` (Go 1.20 added `Swap` and \
             `CompareAndSwap`, Go 1.24 reimplemented it on a concurrent hash-trie), so its \
             figures describe {label} only."
        )
    } else {
        "Newer Go releases changed parts of `sync.Map` (Go 1.20 added `Swap` and \
         `CompareAndSwap`, Go 1.24 reimplemented it on a concurrent hash-trie), and Go 1.24 \
         made maps Swiss tables, so each Go column's figures (`sync.Map`'s above all) \
         describe its own version only; where the versions disagree is listed below."
            .to_string()
    }));
    out.push(Block::Para(intro));

    // Winners per cell, one column per runtime.
    out.push(Block::Heading {
        level: 3,
        id: Some(format!("{ID}-winners")),
        text: vec![text(format!(
            "Winner per scenario and thread count ({label} and Rust)"
        ))],
    });
    let keys = cell_keys(gs);
    let mut head = vec!["scenario".to_string(), "threads".to_string()];
    head.extend(gs.iter().map(|g| go_header(&g.run)));
    head.push(RUST_THREADS.to_string());
    let mut rows = Vec::new();
    for (group, threads) in &keys {
        let scenario = if r.decisions.iter().any(|d| d.scenario == *group) {
            vec![Inline::Link(group.clone(), format!("#{}", anchor(group)))]
        } else {
            vec![code(group.clone())]
        };
        let mut row = vec![scenario, vec![text(threads.to_string())]];
        row.extend(gs.iter().map(|g| match go_cell(g, group, *threads) {
            Some(c) => go_cell_line(c),
            None => vec![text("not measured")],
        }));
        row.push(rust_cell_line(rust_row(r, group, *threads)));
        rows.push(row);
    }
    let right = vec![false; head.len()];
    out.push(Block::Table { head, right, rows });
    let cells = &g.cells;

    // Rules per runtime.
    out.push(Block::Heading {
        level: 3,
        id: Some(format!("{ID}-rules")),
        text: vec![text(format!("Each rule per runtime ({label} and Rust)"))],
    });
    out.push(Block::Para(vec![text(
        "The Go verdicts use the same scopes and families as the Rust ones (Go strategies \
         mapped to the Rust families: sync.Mutex, sync.Cond and mutex-guarded queues are mutex, \
         RWMutex is rw-lock, sync/atomic is atomic, channels, close of a done channel, context \
         and owner goroutines are channel, sync.Map is snapshot, padded shards are sharded), \
         on the Go scenarios only; a rule whose strategies Go lacks (spinlocks) has no Go data.",
    )]));
    let go_verdicts = &g.verdicts;
    let mut rows = Vec::new();
    for j in go_verdicts {
        let rust = r.verdicts.iter().find(|x| x.id == j.id);
        let name = rust.map_or_else(
            || format!("rule {}", j.id),
            |x| format!("{}. {}", x.id, x.text),
        );
        let mut row = vec![
            vec![Inline::Link(name, format!("#rule-{}", j.id))],
            verdict_line_rust(rust),
        ];
        row.extend(gs.iter().map(|g| {
            g.verdicts
                .iter()
                .find(|x| x.id == j.id)
                .map_or_else(|| vec![text("-")], verdict_line_go)
        }));
        rows.push(row);
    }
    let mut head = vec!["rule".to_string(), RUST_THREADS.to_string()];
    head.extend(gs.iter().map(|g| go_header(&g.run)));
    out.push(Block::Table {
        right: vec![false; head.len()],
        head,
        rows,
    });
    if gs.len() > 1 {
        versions_differ(gs, &mut out);
    }

    // Where the answers differ.
    out.push(Block::Heading {
        level: 3,
        id: Some(format!("{ID}-differ")),
        text: vec![text(format!(
            "Where Go's answer ({}) and Rust's differ",
            go.label()
        ))],
    });
    let mut rows = Vec::new();
    for c in cells {
        let Some((gs, gf, gns)) = c.winner() else {
            continue;
        };
        let Some(row) = rust_row(r, &c.group, c.threads) else {
            continue;
        };
        let (CellVerdict::Winner { strategy }, Some(p)) = (&row.verdict, row.winner.as_ref())
        else {
            continue;
        };
        if p.family == family_name(*gf) {
            continue;
        }
        let counterpart = go
            .cell(&c.group, c.threads)
            .iter()
            .any(|x| x.family.map(Family::as_str) == Some(&*p.family));
        rows.push(vec![
            vec![Inline::Link(
                c.group.clone(),
                format!("#{}", anchor(&c.group)),
            )],
            vec![text(c.threads.to_string())],
            vec![
                Inline::Strong(gs.clone()),
                text(format!(
                    " ({}) {}, margin {}",
                    family_name(*gf),
                    ns(*gns),
                    c.margin.map_or("-".to_string(), fmt_ratio)
                )),
            ],
            vec![
                Inline::Strong(strategy.clone()),
                text(format!(
                    " ({}{}) {}, margin {}",
                    p.family,
                    if counterpart {
                        ""
                    } else {
                        "; no Go counterpart"
                    },
                    ns(1e9 / p.throughput.point),
                    row.margin
                        .as_ref()
                        .map_or("-".to_string(), |m| fmt_ratio(m.point))
                )),
            ],
        ]);
    }
    if rows.is_empty() {
        out.push(Block::Para(vec![text(
            "No cell where both sides name a clear winner has winners of different families.",
        )]));
    } else {
        out.push(Block::Para(vec![text(
            "Cells where both sides name a clear winner and the winners' families differ \
             (margin: winner over its own side's runner-up).",
        )]));
        out.push(Block::Table {
            head: vec![
                "scenario".into(),
                "threads".into(),
                format!("{gh}: winner (family), margin"),
                format!("{RUST_THREADS}: winner (family), margin"),
            ],
            right: vec![false; 4],
            rows,
        });
    }
    let mut items: Vec<Line> = Vec::new();
    for g in go_verdicts {
        let Some(rust) = r.verdicts.iter().find(|j| j.id == g.id) else {
            continue;
        };
        let comparable = |v: Verdict| !matches!(v, Verdict::NoData | Verdict::Enforced);
        if comparable(g.verdict) && comparable(rust.verdict) && g.verdict != rust.verdict {
            items.push(vec![
                Inline::Link(format!("Rule {}", g.id), format!("#rule-{}", g.id)),
                text(format!(
                    " ({}): Rust threads {}, {} {}",
                    rust.text,
                    rust.verdict.as_str(),
                    go.label(),
                    g.verdict.as_str()
                )),
            ]);
        }
    }
    if items.is_empty() {
        out.push(Block::Para(vec![text(
            "Every rule judged on both sides has the same verdict on both.",
        )]));
    } else {
        out.push(Block::Para(vec![text("Rules whose verdicts differ:")]));
        out.push(Block::List(items));
    }
    let rows = rule_cell_differences(r, go_verdicts);
    if !rows.is_empty() {
        out.push(Block::Para(vec![text(
            "Rule cells (scenario × thread count) that one runtime decides for the rule and the \
             other against it; margin: the recommended side's best over the other side's best \
             (above 1: the rule holds there).",
        )]));
        out.push(Block::Table {
            head: vec![
                "rule".into(),
                "scenario".into(),
                "threads".into(),
                format!("{gh}: recommended vs other, margin"),
                format!("{RUST_THREADS}: recommended vs other, margin"),
            ],
            right: vec![false; 5],
            rows,
        });
    }
    out
}

/// Every (group, threads) cell of the Go runs, first-seen order.
fn cell_keys(gs: &[&GoAnalysis]) -> Vec<(String, usize)> {
    let mut keys: Vec<(String, usize)> = Vec::new();
    for g in gs {
        for c in &g.cells {
            if !keys.iter().any(|(k, t)| *k == c.group && *t == c.threads) {
                keys.push((c.group.clone(), c.threads));
            }
        }
    }
    keys
}

fn go_cell<'a>(g: &'a GoAnalysis, group: &str, threads: usize) -> Option<&'a GoCell> {
    g.cells
        .iter()
        .find(|c| c.group == group && c.threads == threads)
}

/// A Go cell's verdict in a few words: `mutex 1.8x` or `tie (1.1x)`.
fn go_verdict_words(c: Option<&GoCell>) -> String {
    let margin = |c: &GoCell| c.margin.map_or("-".to_string(), fmt_ratio);
    match c {
        None => "not measured".to_string(),
        Some(c) => match c.winner() {
            Some((s, _, _)) => format!("{s}, {} over the runner-up", margin(c)),
            None => match c.ranked.first() {
                Some((s, _, _)) => format!("tie (best {s}, {} over the runner-up)", margin(c)),
                None => "-".to_string(),
            },
        },
    }
}

/// Where the Go versions disagree: cells whose clear winners differ (or a
/// winner in one, a tie in another), and rules whose verdicts differ.
fn versions_differ(gs: &[&GoAnalysis], out: &mut Vec<Block>) {
    out.push(Block::Heading {
        level: 3,
        id: Some(format!("{ID}-go-versions")),
        text: vec![text(format!(
            "Where the Go versions disagree ({})",
            labels(gs)
        ))],
    });
    let mut rows = Vec::new();
    for (group, threads) in cell_keys(gs) {
        let cells: Vec<Option<&GoCell>> = gs.iter().map(|g| go_cell(g, &group, threads)).collect();
        if cells.iter().any(Option::is_none) {
            continue;
        }
        let winners: Vec<Option<&str>> = cells
            .iter()
            .map(|c| c.and_then(GoCell::winner).map(|w| w.0.as_str()))
            .collect();
        if winners.iter().all(|w| *w == winners[0]) {
            continue;
        }
        let mut row = vec![vec![code(group.clone())], vec![text(threads.to_string())]];
        row.extend(cells.iter().map(|c| vec![text(go_verdict_words(*c))]));
        rows.push(row);
    }
    if rows.is_empty() {
        out.push(Block::Para(vec![text(
            "Every cell measured by each Go version has the same verdict in each.",
        )]));
    } else {
        out.push(Block::Para(vec![text(format!(
            "{} cells measured by each version whose verdicts differ (a different clear \
             winner, or a winner in one and a tie in another), with each version's margin of \
             its fastest over its runner-up.",
            rows.len()
        ))]));
        let mut head = vec!["scenario".to_string(), "threads".to_string()];
        head.extend(gs.iter().map(|g| g.run.label()));
        out.push(Block::Table {
            right: vec![false; head.len()],
            head,
            rows,
        });
    }
    let mut items: Vec<Line> = Vec::new();
    for j in &gs[0].verdicts {
        let all: Vec<&GoJudgement> = gs
            .iter()
            .filter_map(|g| g.verdicts.iter().find(|x| x.id == j.id))
            .collect();
        if all.len() < gs.len() || all.iter().all(|x| x.verdict == j.verdict) {
            continue;
        }
        let mut l = vec![Inline::Link(
            format!("Rule {}", j.id),
            format!("#rule-{}", j.id),
        )];
        let said: Vec<String> = gs
            .iter()
            .zip(&all)
            .map(|(g, x)| {
                let (s, c, t) = x.tally();
                format!(
                    "{} {} ({s} for, {c} against, {t} tied)",
                    g.run.label(),
                    x.verdict.as_str()
                )
            })
            .collect();
        l.push(text(format!(": {}", said.join("; "))));
        items.push(l);
    }
    if items.is_empty() {
        out.push(Block::Para(vec![text(
            "Every rule has the same verdict on each Go version.",
        )]));
    } else {
        out.push(Block::Para(vec![text(
            "Rules whose Go verdicts differ by version:",
        )]));
        out.push(Block::List(items));
    }
}

/// The rule cells decided one way on the Go side and the other on the Rust side.
fn rule_cell_differences(r: &Analysis, go_verdicts: &[GoJudgement]) -> Vec<Vec<Line>> {
    use crate::report::analyse::rules::Outcome;
    let mut rows = Vec::new();
    for g in go_verdicts {
        let Some(rust) = r.verdicts.iter().find(|j| j.id == g.id) else {
            continue;
        };
        for gc in &g.cells {
            let Some(rc) = rust
                .cells
                .iter()
                .find(|c| c.scenario == gc.group && c.threads == gc.threads)
            else {
                continue;
            };
            let opposite = matches!(
                (gc.outcome, rc.outcome),
                (Outcome::Supports, Outcome::Contradicts)
                    | (Outcome::Contradicts, Outcome::Supports)
            );
            if !opposite {
                continue;
            }
            rows.push(vec![
                vec![Inline::Link(
                    format!("Rule {}", g.id),
                    format!("#rule-{}", g.id),
                )],
                vec![Inline::Link(
                    gc.group.clone(),
                    format!("#{}", anchor(&gc.group)),
                )],
                vec![text(gc.threads.to_string())],
                vec![
                    code(gc.a.0.clone()),
                    text(" vs "),
                    code(gc.b.0.clone()),
                    text(format!(" {}", fmt_ratio(gc.b.1 / gc.a.1))),
                ],
                vec![
                    code(rc.best_a.strategy.clone()),
                    text(" vs "),
                    code(rc.best_b.strategy.clone()),
                    text(format!(" {}", fmt_ratio(rc.ratio.point))),
                ],
            ]);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Vec<Block> {
        vec![
            Block::Heading {
                level: 2,
                id: Some("contents".into()),
                text: vec![text("Contents")],
            },
            Block::List(vec![
                vec![Inline::Link("Rules".into(), "#rules".into())],
                vec![Inline::Link("Notes".into(), "#notes".into())],
            ]),
            Block::Heading {
                level: 2,
                id: Some("notes".into()),
                text: vec![text("Notes")],
            },
        ]
    }

    fn analysis(go: Option<&str>) -> Analysis {
        let loaded = crate::report::input::Loaded {
            go: go.map(str::to_string),
            ..Default::default()
        };
        crate::report::analyse::analyse(loaded, &mut crate::report::log::Log::new(&mut |_| {}))
    }

    #[test]
    fn without_go_results_the_document_is_unchanged() {
        for go in [None, Some("")] {
            let mut d = doc();
            insert(&mut d, &analysis(go));
            assert_eq!(d, doc());
        }
    }

    #[test]
    fn go_results_add_a_section_before_the_notes_and_a_contents_link() {
        let r = &analysis(Some(include_str!(
            "../../../tests/fixtures/go/bench-1x.txt"
        )));
        {
            let mut d = doc();
            insert(&mut d, r);
            let Block::List(items) = &d[1] else {
                panic!("contents moved")
            };
            assert_eq!(items.len(), 3);
            assert!(
                matches!(&items[1][0], Inline::Link(t, l) if l == "#runtimes" && t.contains("Go 1.19.8"))
            );
            let at = d
                .iter()
                .position(|b| matches!(b, Block::Heading { id: Some(id), .. } if id == ID))
                .unwrap();
            assert!(matches!(d.last(), Some(Block::Heading { id: Some(id), .. }) if id == "notes"));
            assert_eq!(at, 2);
            // Every table names the Go version in a header.
            let tables: Vec<&Vec<String>> = d
                .iter()
                .filter_map(|b| match b {
                    Block::Table { head, .. } => Some(head),
                    _ => None,
                })
                .collect();
            assert!(tables.len() >= 2);
            for head in tables {
                assert!(head.iter().any(|h| h.contains("Go 1.19.8")), "{head:?}");
                assert!(head.iter().any(|h| h.contains(RUST_THREADS)), "{head:?}");
            }
            let md = crate::report::render::markdown::render(&d);
            assert!(md.contains("sync.Map"), "the sync.Map note is missing");
        }
    }

    #[test]
    fn two_go_versions_get_a_column_each_and_their_disagreements() {
        let run = |version: &str, mutex: f64, atomic: f64| {
            let mut t = format!("goversion: go version go{version} linux/amd64\n");
            for _ in 0..3 {
                t += &format!("BenchmarkCounter/increment/hot/mutex/threads=2 10 {mutex} ns/op\n");
                t +=
                    &format!("BenchmarkCounter/increment/hot/atomic/threads=2 10 {atomic} ns/op\n");
            }
            t
        };
        // Go 1.27: the atomic 5x ahead; Go 1.19: the mutex 4x ahead.
        let text = run("1.27.3", 10.0, 2.0) + &run("1.19.8", 2.0, 8.0);
        let r = analysis(Some(&text));
        assert_eq!(r.go.len(), 2);
        let mut d = doc();
        insert(&mut d, &r);
        let md = crate::report::render::markdown::render(&d);
        assert!(md.contains("Go 1.27.3 and Go 1.19.8"), "{md}");
        let tables: Vec<&Vec<String>> = d
            .iter()
            .filter_map(|b| match b {
                Block::Table { head, .. } => Some(head),
                _ => None,
            })
            .collect();
        // Winners and rules: a column per Go version and one for Rust.
        for head in &tables[..2] {
            assert!(head.iter().any(|h| h.contains("Go 1.27.3")), "{head:?}");
            assert!(head.iter().any(|h| h.contains("Go 1.19.8")), "{head:?}");
            assert!(head.iter().any(|h| h == RUST_THREADS), "{head:?}");
        }
        assert!(md.contains("Where the Go versions disagree"), "{md}");
        assert!(md.contains("| `counter/increment/hot` | 2 | atomic, 5.0x over the runner-up | mutex, 4.0x over the runner-up |"), "{md}");
        assert!(md.contains("Every rule has the same verdict on each Go version."));

        // The fixture run as two versions, the mutexes 50x slower in one: the
        // mutex rules' verdicts move.
        let fixture = include_str!("../../../tests/fixtures/go/bench-1x.txt");
        let slow: String = fixture
            .replace("go1.19.8", "go1.27.3")
            .lines()
            .map(|l| {
                let w: Vec<&str> = l.split_whitespace().collect();
                match w.as_slice() {
                    [name, n, ns, "ns/op", ..] if name.contains("/mutex/") => {
                        let ns: f64 = ns.parse().unwrap();
                        format!("{name} {n} {} ns/op\n", ns * 50.0)
                    }
                    _ => format!("{l}\n"),
                }
            })
            .collect();
        let r = analysis(Some(&format!("{slow}{fixture}")));
        let mut d = doc();
        insert(&mut d, &r);
        let md = crate::report::render::markdown::render(&d);
        assert!(
            md.contains("Rules whose Go verdicts differ by version:"),
            "{md}"
        );
        assert!(md.contains("Go 1.27.3 contradicted"), "{md}");
    }
}
