//! Winner-map grids: for each question of [`QUESTIONS`], who wins each
//! cell, threads across, contention up (drawn by
//! `crate::report::render::winner_map`).
//!
//! **Axes.** x is every thread count measured in the question's scenarios.
//! y is the contention the scenarios vary, read from their ids:
//! - [`Axis::Contention`]: the private work between shared operations, from
//!   the variant (`hot`, `warm`, `1us`, `10us`): the names of
//!   [`CONTENTION`] first, then a number with a unit (`ns`, `us`, `µs`,
//!   `ms`, `s`), then anything else in natural order; least private work
//!   (most contention) at the bottom;
//! - [`Axis::ReadShare`]: the share of reads, from the `R-W` mix component
//!   (`99-1`: 99 % reads); the variant's other components (the key
//!   distribution, `uniform` or `zipf`) each get their own map.
//!
//! **Cells.** Each cell is a scenario's row at one thread count
//! ([`crate::report::analyse::decide::Row`]): a clear winner, a family's
//! win, a tie, strategies together at the harness floor, or no contender,
//! with the names it shows and its full text (the hover title).

use std::collections::BTreeMap;

use crate::harness::Family;
use crate::report::analyse::decide::{CellVerdict, Decision, fmt_ratio};
use crate::report::analyse::model::{Model, Scenario, natural_cmp};
use crate::report::analyse::scope::matches;
use crate::report::fmt::fmt_si;

/// One winner map to draw.
#[derive(Debug)]
pub struct Question {
    /// Stable id, part of the file name.
    pub id: &'static str,
    /// The map's title.
    pub title: &'static str,
    /// Scenario-group prefixes (see [`crate::report::analyse::scope::matches()`]).
    pub scopes: &'static [&'static str],
    /// What the y axis reads from the scenario ids.
    pub axis: Axis,
}

/// The y axis of a winner map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// Private work between shared operations, from the variant.
    Contention,
    /// Share of reads, from the `R-W` mix component.
    ReadShare,
}

/// The questions, one winner map each (the map per key distribution).
pub static QUESTIONS: &[Question] = &[
    Question {
        id: "counter-increment",
        title: "counter/increment: the winner by threads and contention",
        scopes: &["counter/increment/"],
        axis: Axis::Contention,
    },
    Question {
        id: "counter-read-mostly",
        title: "counter/read-mostly: the winner by threads and read share",
        scopes: &["counter/read-mostly/", "counter/read-mostly-*"],
        axis: Axis::ReadShare,
    },
    Question {
        id: "map",
        title: "map: the winner by threads and read share",
        scopes: &["map/"],
        axis: Axis::ReadShare,
    },
];

/// Named contention levels and their private work per operation, ns.
pub const CONTENTION: &[(&str, f64)] = &[("hot", 0.0), ("warm", 100.0)];

/// Private work per operation (ns) of a contention variant: a name of
/// [`CONTENTION`], or a number with a unit (`1us`, `2.5 ms`).
pub fn contention_ns(variant: &str) -> Option<f64> {
    if let Some((_, ns)) = CONTENTION.iter().find(|(n, _)| *n == variant) {
        return Some(*ns);
    }
    let v = variant.trim();
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (num, unit) = v.split_at(split);
    let x: f64 = num.parse().ok()?;
    let scale = match unit.trim() {
        "ns" => 1.0,
        "us" | "µs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        _ => return None,
    };
    Some(x * scale)
}

/// The read share (percent) of a mix component `R-W` (`99-1` -> 99).
pub fn read_share(component: &str) -> Option<f64> {
    let (r, w) = component.split_once('-')?;
    let (r, w): (u32, u32) = (r.parse().ok()?, w.parse().ok()?);
    let total = f64::from(r) + f64::from(w);
    (total > 0.0).then(|| 100.0 * f64::from(r) / total)
}

/// What a cell says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellKind {
    /// A clear winner.
    Winner,
    /// A family's win: its members tie, and beat every other family.
    Family,
    /// A tie.
    Tie,
    /// Strategies together at the harness floor.
    Floor,
    /// No contender measured here.
    Empty,
}

/// One cell of a map.
#[derive(Clone, Debug, PartialEq)]
pub struct MapCell {
    /// What it says.
    pub kind: CellKind,
    /// The winner's family (winners only).
    pub family: Option<Family>,
    /// The names it shows: the winner, `any <family>`, or the strategies
    /// tied or at the floor (best first); none when empty.
    pub names: Vec<String>,
    /// The margin over the runner-up (winners and families).
    pub margin: Option<f64>,
    /// The full text (the SVG's hover title).
    pub tip: String,
}

/// One row (a y value) of a map.
#[derive(Clone, Debug, PartialEq)]
pub struct GridRow {
    /// The y label (`hot (0 ns)`, `99% reads`).
    pub label: String,
    /// The scenario behind it.
    pub scenario: String,
    /// One cell per thread count of the map.
    pub cells: Vec<MapCell>,
}

/// A winner map's content, before drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// The chart file stem (`winner-map_map-zipf`).
    pub stem: String,
    /// The title.
    pub title: String,
    /// The y axis title.
    pub y_title: &'static str,
    /// The thread counts, ascending (x).
    pub threads: Vec<usize>,
    /// The rows, bottom (least contention... see [`Axis`]) to top.
    pub rows: Vec<GridRow>,
}

impl Grid {
    /// The families of the winners, in [`Family::ALL`] order.
    pub fn families(&self) -> Vec<Family> {
        Family::ALL
            .into_iter()
            .filter(|f| {
                self.rows
                    .iter()
                    .flat_map(|r| &r.cells)
                    .any(|c| c.family == Some(*f))
            })
            .collect()
    }

    /// Whether any cell is of `kind`.
    pub fn has(&self, kind: CellKind) -> bool {
        self.rows
            .iter()
            .flat_map(|r| &r.cells)
            .any(|c| c.kind == kind)
    }
}

/// Where a scenario goes in a question's maps: the split (map) and the row.
fn place(q: &Question, s: &Scenario) -> Option<(String, RowKey, String)> {
    match q.axis {
        Axis::Contention => {
            let v = s.variant.as_str();
            match contention_ns(v) {
                Some(ns) => {
                    let label = if CONTENTION.iter().any(|(n, _)| *n == v) {
                        format!(
                            "{v} ({} ns)",
                            if ns == 0.0 {
                                "0".into()
                            } else {
                                format!("~{ns:.0}")
                            }
                        )
                    } else {
                        v.to_string()
                    };
                    Some((String::new(), (0, ns), label))
                }
                None => Some((String::new(), (1, 0.0), v.to_string())),
            }
        }
        Axis::ReadShare => {
            let parts: Vec<&str> = s.variant.split('/').collect();
            let (k, share) = parts
                .iter()
                .enumerate()
                .find_map(|(k, p)| read_share(p).map(|r| (k, r)))?;
            let split: Vec<&str> = parts
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != k)
                .map(|(_, p)| *p)
                .collect();
            Some((split.join("/"), (0, share), format!("{share:.0}% reads")))
        }
    }
}

/// A split's words in a title: `uniform/large` reads `uniform keys, maps
/// past the cache`; components without words of their own stay as they are.
fn split_title(split: &str) -> String {
    split
        .split('/')
        .map(|c| match c {
            "uniform" => "uniform keys".to_string(),
            "zipf" => "zipf keys".to_string(),
            c if c == crate::map::size::LARGE => "maps past the cache".to_string(),
            c => c.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A file-name-safe piece: ASCII alphanumerics, `-` and `.` kept, the rest `-`.
fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// A scenario's row in a map: sort key, label, the scenario.
type Placed<'a> = (RowKey, String, &'a Scenario);

/// Rows sort by this: (0, value) for a known y value, (1, 0) for unknown.
type RowKey = (u8, f64);

/// Every map the data allows: one per question and split with at least one
/// scenario, in [`QUESTIONS`] order, splits in natural order.
pub fn grids(model: &Model, decisions: &[Decision]) -> Vec<Grid> {
    let mut out = Vec::new();
    for q in QUESTIONS {
        // split -> rows (key, label, scenario)
        let mut splits: BTreeMap<String, Vec<Placed>> = BTreeMap::new();
        for s in &model.scenarios {
            if !q.scopes.iter().any(|p| matches(p, &s.id)) {
                continue;
            }
            if let Some((split, key, label)) = place(q, s) {
                splits.entry(split).or_default().push((key, label, s));
            }
        }
        let mut names: Vec<String> = splits.keys().cloned().collect();
        names.sort_by(|a, b| natural_cmp(a, b));
        for split in names {
            let mut rows = splits.remove(&split).unwrap_or_default();
            rows.sort_by(|a, b| {
                a.0.0
                    .cmp(&b.0.0)
                    .then(a.0.1.total_cmp(&b.0.1))
                    .then_with(|| natural_cmp(&a.2.id, &b.2.id))
            });
            // Two scenarios on one row label: name them apart.
            let mut count: BTreeMap<&str, usize> = BTreeMap::new();
            for (_, l, _) in &rows {
                *count.entry(l.as_str()).or_default() += 1;
            }
            let labels: Vec<String> = rows
                .iter()
                .map(|(_, l, s)| {
                    if count[l.as_str()] > 1 {
                        format!("{l} ({})", s.name)
                    } else {
                        l.clone()
                    }
                })
                .collect();
            let mut threads: Vec<usize> = rows
                .iter()
                .flat_map(|(_, _, s)| s.threads.iter().copied())
                .collect();
            threads.sort_unstable();
            threads.dedup();
            let grid_rows = rows
                .iter()
                .zip(labels)
                .map(|((_, _, s), label)| {
                    let d = decisions.iter().find(|d| d.scenario == s.id);
                    GridRow {
                        label,
                        scenario: s.id.clone(),
                        cells: threads.iter().map(|&t| cell(s, d, t)).collect(),
                    }
                })
                .collect();
            let stem = if split.is_empty() {
                format!("winner-map_{}", q.id)
            } else {
                format!("winner-map_{}-{}", q.id, safe(&split))
            };
            let title = if split.is_empty() {
                q.title.to_string()
            } else {
                format!("{} ({})", q.title, split_title(&split))
            };
            out.push(Grid {
                stem,
                title,
                y_title: match q.axis {
                    Axis::Contention => "private work between operations (less = more contention)",
                    Axis::ReadShare => "share of reads (fewer = more writers contending)",
                },
                threads,
                rows: grid_rows,
            });
        }
    }
    out
}
fn cell(s: &Scenario, d: Option<&Decision>, threads: usize) -> MapCell {
    let empty = |tip: String| MapCell {
        kind: CellKind::Empty,
        family: None,
        names: Vec::new(),
        margin: None,
        tip,
    };
    let at = format!(
        "{} at {threads} thread{}",
        s.id,
        if threads == 1 { "" } else { "s" }
    );
    let Some(row) = d.and_then(|d| d.rows.iter().find(|r| r.threads == threads)) else {
        return empty(format!("{at}: not measured"));
    };
    let margin = row.margin.map(|m| m.with_range());
    let over = match (&row.runner_up, &margin) {
        (Some(r), Some(m)) => format!(", {m} over {}", r.strategy),
        _ => String::new(),
    };
    match &row.verdict {
        CellVerdict::Winner { strategy } => {
            let family = s
                .series
                .iter()
                .find(|x| &x.strategy == strategy)
                .and_then(|x| x.family);
            let ops = row
                .winner
                .as_ref()
                .map(|w| format!(", {} ops/s", fmt_si(w.throughput.point)))
                .unwrap_or_default();
            MapCell {
                kind: CellKind::Winner,
                family,
                names: vec![strategy.clone()],
                margin: row.margin.map(|m| m.point),
                tip: format!("{at}: winner {strategy}{ops}{over}"),
            }
        }
        CellVerdict::Family { family, strategies } => MapCell {
            kind: CellKind::Family,
            family: s
                .series
                .iter()
                .find(|x| strategies.contains(&x.strategy))
                .and_then(|x| x.family),
            names: vec![format!("any {family}")],
            margin: row.margin.map(|m| m.point),
            tip: format!(
                "{at}: family {family} wins ({}){over}",
                strategies.join(" ~ ")
            ),
        },
        CellVerdict::Tie { strategies } => MapCell {
            kind: CellKind::Tie,
            family: None,
            names: strategies.clone(),
            margin: None,
            tip: format!("{at}: tie, {}", strategies.join(" ~ ")),
        },
        CellVerdict::Equivalent { strategies } => MapCell {
            kind: CellKind::Tie,
            family: None,
            names: strategies.clone(),
            margin: None,
            tip: format!(
                "{at}: no practical difference, {}{}",
                strategies.join(" ~ "),
                row.within
                    .map(|w| format!(" (within {})", fmt_ratio(w)))
                    .unwrap_or_default()
            ),
        },
        CellVerdict::Floor { strategies, .. } => MapCell {
            kind: CellKind::Floor,
            family: None,
            names: strategies.clone(),
            margin: None,
            tip: format!(
                "{at}: at the harness floor, {}{}",
                strategies.join(", "),
                margin
                    .map(|m| format!(" (at least {m} over the best off it)"))
                    .unwrap_or_default()
            ),
        },
        CellVerdict::None => empty(format!("{at}: no contender")),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::analyse::decide::decide_all;
    use crate::report::analyse::decide::tests::{scenario, series};
    use crate::report::analyse::stats::Floor;
    use Family::{Atomic, Mutex, RwLock};

    /// The grids of `scenarios`, decided at the default floor (also the
    /// winner-map drawing tests' input).
    pub(crate) fn grids_of(scenarios: Vec<Scenario>) -> Vec<Grid> {
        let model = Model { scenarios };
        let decisions = decide_all(&model, &Floor::default());
        grids(&model, &decisions)
    }

    #[test]
    fn contention_and_read_share_parse() {
        assert_eq!(contention_ns("hot"), Some(0.0));
        assert_eq!(contention_ns("warm"), Some(100.0));
        assert_eq!(contention_ns("1us"), Some(1e3));
        assert_eq!(contention_ns("10us"), Some(1e4));
        assert_eq!(contention_ns("2.5ms"), Some(2.5e6));
        assert_eq!(contention_ns("lukewarm"), None);
        assert_eq!(read_share("99-1"), Some(99.0));
        assert_eq!(read_share("10-90"), Some(10.0));
        assert_eq!(read_share("0-100"), Some(0.0));
        assert_eq!(read_share("uniform"), None);
    }

    #[test]
    fn rows_follow_contention_and_unknown_variants_come_last() {
        let s = |v: &str| {
            scenario(
                &format!("counter/increment/{v}"),
                vec![series("a", Some(Atomic), &[(1, 10.0)])],
            )
        };
        let g = grids_of(vec![
            s("10us"),
            s("zeta"),
            s("warm"),
            s("1us"),
            s("hot"),
            s("alpha"),
        ]);
        assert_eq!(g.len(), 1);
        let labels: Vec<&str> = g[0].rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "hot (0 ns)",
                "warm (~100 ns)",
                "1us",
                "10us",
                "alpha",
                "zeta"
            ]
        );
        assert_eq!(g[0].stem, "winner-map_counter-increment");
    }

    #[test]
    fn maps_split_by_key_distribution_and_order_by_read_share() {
        let s = |id: &str| {
            scenario(
                id,
                vec![
                    series("mu", Some(Mutex), &[(1, 100.0), (2, 10.0)]),
                    series("rw", Some(RwLock), &[(1, 99.0), (2, 50.0)]),
                ],
            )
        };
        let g = grids_of(vec![
            s("map/read-heavy/99-1/zipf"),
            s("map/write-heavy/10-90/uniform"),
            s("map/read-heavy/99-1/uniform"),
            s("map/write-heavy/50-50/uniform"),
        ]);
        let stems: Vec<&str> = g.iter().map(|g| g.stem.as_str()).collect();
        assert_eq!(stems, ["winner-map_map-uniform", "winner-map_map-zipf"]);
        let labels: Vec<&str> = g[0].rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["10% reads", "50% reads", "99% reads"]);
        assert_eq!(g[0].threads, [1, 2]);
        // At 1 thread a tie, at 2 the rw-lock with its margin.
        let c = &g[0].rows[0].cells;
        assert_eq!(c[0].kind, CellKind::Tie);
        assert_eq!(c[0].names, ["mu", "rw"]);
        assert_eq!(c[1].kind, CellKind::Winner);
        assert_eq!(c[1].family, Some(RwLock));
        assert_eq!(c[1].names, ["rw"]);
        assert!((c[1].margin.unwrap() - 5.0).abs() < 1e-9);
    }
}
