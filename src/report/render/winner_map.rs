//! Winner maps: for each question of [`QUESTIONS`], a grid of who wins,
//! threads across, contention up.
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
//! ([`super::super::decide::Row`]): a clear winner fills it with its
//! family's chart colour ([`super::chart::family_look`]) and names it with
//! its margin over the runner-up; a tie is grey and says `tie` with the
//! tied strategies; strategies together at the harness floor are hatched
//! light grey and say `floor`; a cell without a contender stays white.
//! Cells are sized from their longest label (measured in the embedded
//! DejaVu Sans), so labels never overlap; a name longer than
//! [`MAX_LABEL`] pixels is abbreviated ([`ABBREVIATIONS`], listed under the
//! map) and, if still too long, cut with `…`. The SVG carries every cell's
//! full text as a `<title>`, shown on hover.
//!
//! Drawn with the same backends and font as the charts, to
//! `charts/winner-map_<question>[-<split>].{svg,png}`.

use std::collections::BTreeMap;

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::advice::matches;
use super::super::decide::{CellVerdict, Decision, fmt_ratio};
use super::super::model::{Model, Scenario, natural_cmp};
use super::chart::{Hover, HoverShape, encode_png, family_look, with_titles};
use super::fmt_si;
use crate::harness::Family;

/// One winner map to draw.
#[derive(Debug)]
pub struct Question {
    /// Stable id, part of the file name.
    pub id: &'static str,
    /// The map's title.
    pub title: &'static str,
    /// Scenario-group prefixes (see [`matches`]).
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

/// Name prefixes shortened when a name does not fit [`MAX_LABEL`].
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("parking_lot-", "pl-"),
    ("crossbeam-", "cb-"),
    ("std-sync_channel", "std-sch"),
    ("thread-local-", "tl-"),
    ("mutex-condvar-", "mcv-"),
];

/// The widest a label line may be, pixels.
pub const MAX_LABEL: u32 = 230;

/// Tie and floor cells name at most this many strategies, then `+N more`.
const MAX_NAMES: usize = 3;
const FONT: &str = "sans-serif";
const LABEL_PX: u32 = 13;
const LINE_H: i32 = 17;
const PAD: i32 = 16;

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
    /// The drawn lines, abbreviated to fit.
    pub lines: Vec<String>,
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
    /// Abbreviations used in the cells: (short, full).
    pub abbreviations: Vec<(&'static str, &'static str)>,
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

    fn has(&self, kind: CellKind) -> bool {
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
            let mut abbreviations = Vec::new();
            let grid_rows = rows
                .iter()
                .zip(labels)
                .map(|((_, _, s), label)| {
                    let d = decisions.iter().find(|d| d.scenario == s.id);
                    GridRow {
                        label,
                        scenario: s.id.clone(),
                        cells: threads
                            .iter()
                            .map(|&t| cell(s, d, t, &mut abbreviations))
                            .collect(),
                    }
                })
                .collect();
            abbreviations.sort_unstable();
            abbreviations.dedup();
            let stem = if split.is_empty() {
                format!("winner-map_{}", q.id)
            } else {
                format!("winner-map_{}-{}", q.id, safe(&split))
            };
            let title = if split.is_empty() {
                q.title.to_string()
            } else {
                format!("{} ({split})", q.title)
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
                abbreviations,
            });
        }
    }
    out
}

/// `name` shortened to [`MAX_LABEL`] pixels: abbreviations first (noted in
/// `used`), then cut with `…`.
fn fit(name: &str, used: &mut Vec<(&'static str, &'static str)>) -> String {
    if text_width(name, LABEL_PX) <= MAX_LABEL {
        return name.to_string();
    }
    let mut s = name.to_string();
    for (long, short) in ABBREVIATIONS {
        if s.contains(long) {
            s = s.replace(long, short);
            used.push((short, long));
        }
    }
    let mut chars: Vec<char> = s.chars().collect();
    while chars.len() > 1 && text_width(&s, LABEL_PX) > MAX_LABEL {
        chars.pop();
        s = chars.iter().collect::<String>() + "…";
    }
    s
}

fn names_lines(
    head: &str,
    names: &[String],
    used: &mut Vec<(&'static str, &'static str)>,
) -> Vec<String> {
    let mut lines = vec![head.to_string()];
    lines.extend(names.iter().take(MAX_NAMES).map(|n| fit(n, used)));
    if names.len() > MAX_NAMES {
        lines.push(format!("+{} more", names.len() - MAX_NAMES));
    }
    lines
}

fn cell(
    s: &Scenario,
    d: Option<&Decision>,
    threads: usize,
    used: &mut Vec<(&'static str, &'static str)>,
) -> MapCell {
    let empty = |tip: String| MapCell {
        kind: CellKind::Empty,
        family: None,
        lines: vec!["-".into()],
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
                lines: vec![
                    fit(strategy, used),
                    row.margin.map(|m| fmt_ratio(m.point)).unwrap_or_default(),
                ],
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
            lines: vec![
                fit(&format!("any {family}"), used),
                row.margin.map(|m| fmt_ratio(m.point)).unwrap_or_default(),
            ],
            tip: format!(
                "{at}: family {family} wins ({}){over}",
                strategies.join(" ~ ")
            ),
        },
        CellVerdict::Tie { strategies } => MapCell {
            kind: CellKind::Tie,
            family: None,
            lines: names_lines("tie", strategies, used),
            tip: format!("{at}: tie, {}", strategies.join(" ~ ")),
        },
        CellVerdict::Floor { strategies, .. } => MapCell {
            kind: CellKind::Floor,
            family: None,
            lines: names_lines("floor", strategies, used),
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

/// Tie cells' fill.
pub const TIE: (u8, u8, u8) = (0xBB, 0xBB, 0xBB);
/// Floor cells' fill (hatched over it in [`FLOOR_HATCH`]).
pub const FLOOR: (u8, u8, u8) = (0xF0, 0xF0, 0xF0);
/// Floor cells' hatching.
pub const FLOOR_HATCH: (u8, u8, u8) = (0xC4, 0xC4, 0xC4);
/// Empty cells' fill.
pub const EMPTY: (u8, u8, u8) = (0xFF, 0xFF, 0xFF);

/// The fill of a cell.
pub fn fill(c: &MapCell) -> (u8, u8, u8) {
    match c.kind {
        CellKind::Winner | CellKind::Family => family_look(c.family).0,
        CellKind::Tie => TIE,
        CellKind::Floor => FLOOR,
        CellKind::Empty => EMPTY,
    }
}

/// Black or white, whichever reads better on `bg`.
fn ink(bg: (u8, u8, u8)) -> RGBColor {
    let l = 0.299 * f64::from(bg.0) + 0.587 * f64::from(bg.1) + 0.114 * f64::from(bg.2);
    if l < 140.0 {
        WHITE
    } else {
        RGBColor(20, 20, 20)
    }
}

/// The width of `text` at `size` px in the embedded font (about 0.6 em per
/// character when the font cannot measure it).
fn text_width(text: &str, size: u32) -> u32 {
    (FONT, size)
        .into_font()
        .box_size(text)
        .map(|(w, _)| w)
        .unwrap_or_else(|_| (text.chars().count() as f64 * 0.6 * f64::from(size)) as u32)
}

/// Pixel geometry of a map.
struct Layout {
    width: u32,
    height: u32,
    label_w: i32,
    cell_w: i32,
    cell_h: i32,
    grid_top: i32,
    legend: Vec<LegendItem>,
}

/// One legend entry: an optional swatch (hatched for the floor), its text
/// and where it goes.
struct LegendItem {
    swatch: Option<(u8, u8, u8)>,
    hatched: bool,
    text: String,
    x: i32,
    y: i32,
}

fn legend_items(g: &Grid) -> Vec<LegendItem> {
    let item = |swatch: Option<(u8, u8, u8)>, hatched: bool, text: String| LegendItem {
        swatch,
        hatched,
        text,
        x: 0,
        y: 0,
    };
    let mut items: Vec<LegendItem> = g
        .families()
        .into_iter()
        .map(|f| item(Some(family_look(Some(f)).0), false, f.as_str().to_string()))
        .collect();
    if g.has(CellKind::Family) {
        items.push(item(
            None,
            false,
            "any <family>: its members tie, and beat every other family".into(),
        ));
    }
    if g.has(CellKind::Tie) {
        items.push(item(Some(TIE), false, "tie (no clear winner)".into()));
    }
    if g.has(CellKind::Floor) {
        items.push(item(Some(FLOOR), true, "at the harness floor".into()));
    }
    if g.has(CellKind::Empty) {
        items.push(item(Some(EMPTY), false, "no contender".into()));
    }
    items.push(item(
        None,
        false,
        "label: winner, margin over the runner-up".into(),
    ));
    for (short, long) in &g.abbreviations {
        items.push(item(None, false, format!("{short} = {long}")));
    }
    items
}

fn layout(g: &Grid) -> Layout {
    let lines = g
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .map(|c| c.lines.len())
        .max()
        .unwrap_or(1)
        .max(2) as i32;
    let widest = g
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .flat_map(|c| &c.lines)
        .map(|l| text_width(l, LABEL_PX))
        .max()
        .unwrap_or(0) as i32;
    let cell_w = (widest + 16).clamp(96, MAX_LABEL as i32 + 16);
    let cell_h = lines * LINE_H + 14;
    let label_w = g
        .rows
        .iter()
        .map(|r| text_width(&r.label, LABEL_PX) as i32)
        .max()
        .unwrap_or(40)
        + 14;
    let grid_w = label_w + cell_w * g.threads.len().max(1) as i32;
    let title_w = text_width(&g.title, 18) as i32;
    let y_title_w = text_width(g.y_title, 13) as i32;
    let width = (2 * PAD + grid_w.max(title_w).max(y_title_w)).max(560);
    let grid_top = PAD + 30 + 22;
    let grid_bottom = grid_top + cell_h * g.rows.len().max(1) as i32;
    let legend_top = grid_bottom + 24 + 26;
    // Legend items flow left to right, wrapping at the width.
    let mut legend = Vec::new();
    let (mut x, mut y) = (PAD, legend_top);
    for mut it in legend_items(g) {
        let w = text_width(&it.text, 12) as i32 + if it.swatch.is_some() { 22 } else { 0 } + 18;
        if x > PAD && x + w > width - PAD {
            x = PAD;
            y += 20;
        }
        (it.x, it.y) = (x, y);
        legend.push(it);
        x += w;
    }
    Layout {
        width: width as u32,
        height: (y + 20 + PAD) as u32,
        label_w,
        cell_w,
        cell_h,
        grid_top,
        legend,
    }
}

/// A drawn winner map.
#[derive(Clone, Debug)]
pub struct WinnerMap {
    /// What it shows.
    pub grid: Grid,
    /// SVG markup, with a hover `<title>` per cell.
    pub svg: String,
    /// PNG bytes.
    pub png: Vec<u8>,
    /// Size in pixels.
    pub size: (u32, u32),
}

/// Draws `g` as SVG and PNG.
pub fn render(g: &Grid) -> Result<WinnerMap> {
    let l = layout(g);
    let mut svg = String::new();
    let hovers = {
        let root = SVGBackend::with_string(&mut svg, (l.width, l.height)).into_drawing_area();
        let h = draw(&root, g, &l).map_err(|e| anyhow!("SVG: {e}"))?;
        root.present().map_err(|e| anyhow!("SVG: {e}"))?;
        h
    };
    let svg = with_titles(&svg, &hovers);
    let mut rgb = vec![0u8; (l.width * l.height * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (l.width, l.height)).into_drawing_area();
        draw(&root, g, &l).map_err(|e| anyhow!("bitmap: {e}"))?;
        root.present().map_err(|e| anyhow!("bitmap: {e}"))?;
    }
    Ok(WinnerMap {
        grid: g.clone(),
        svg,
        png: encode_png(&rgb, l.width, l.height)?,
        size: (l.width, l.height),
    })
}

fn rgb(c: (u8, u8, u8)) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    g: &Grid,
    l: &Layout,
) -> Result<Vec<Hover>, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let text = |s: &str, at: (i32, i32), size: u32, color: RGBColor, pos: Pos| {
        Text::new(
            s.to_string(),
            at,
            (FONT, size).into_font().color(&color).pos(pos),
        )
    };
    let dark = RGBColor(40, 40, 40);
    let left = Pos::new(HPos::Left, VPos::Center);
    let center = Pos::new(HPos::Center, VPos::Center);
    root.fill(&WHITE).map_err(err)?;
    root.draw(&text(&g.title, (PAD, PAD + 10), 18, BLACK, left))
        .map_err(err)?;
    root.draw(&text(
        g.y_title,
        (PAD, l.grid_top - 12),
        13,
        RGBColor(90, 90, 90),
        left,
    ))
    .map_err(err)?;
    let x0 = PAD + l.label_w;
    let n = g.rows.len() as i32;
    let mut hovers = Vec::new();
    for (i, row) in g.rows.iter().enumerate() {
        // Bottom to top.
        let y = l.grid_top + (n - 1 - i as i32) * l.cell_h;
        root.draw(&text(
            &row.label,
            (PAD, y + l.cell_h / 2),
            LABEL_PX,
            dark,
            left,
        ))
        .map_err(err)?;
        for (j, c) in row.cells.iter().enumerate() {
            let x = x0 + j as i32 * l.cell_w;
            let bg = fill(c);
            let rect = [(x + 1, y + 1), (x + l.cell_w - 1, y + l.cell_h - 1)];
            root.draw(&Rectangle::new(rect, rgb(bg).filled()))
                .map_err(err)?;
            if c.kind == CellKind::Floor {
                for seg in super::chart::hatch(rect[0].0, rect[0].1, rect[1].0, rect[1].1, 8) {
                    root.draw(&PathElement::new(
                        seg.to_vec(),
                        rgb(FLOOR_HATCH).stroke_width(1),
                    ))
                    .map_err(err)?;
                }
            }
            if c.kind == CellKind::Empty {
                root.draw(&Rectangle::new(
                    rect,
                    RGBColor(220, 220, 220).stroke_width(1),
                ))
                .map_err(err)?;
            }
            let k = c.lines.len() as i32;
            let top = y + l.cell_h / 2 - (k * LINE_H) / 2 + LINE_H / 2;
            for (m, line) in c.lines.iter().enumerate() {
                let size = if m == 0 || matches!(c.kind, CellKind::Winner | CellKind::Family) {
                    LABEL_PX
                } else {
                    12
                };
                root.draw(&text(
                    line,
                    (x + l.cell_w / 2, top + m as i32 * LINE_H),
                    size,
                    ink(if c.kind == CellKind::Floor { FLOOR } else { bg }),
                    center,
                ))
                .map_err(err)?;
            }
            hovers.push(Hover {
                shape: HoverShape::Rect {
                    x: rect[0].0,
                    y: rect[0].1,
                    w: l.cell_w - 2,
                    h: l.cell_h - 2,
                },
                text: c.tip.clone(),
            });
        }
    }
    // The thread axis under the grid.
    let below = l.grid_top + n.max(1) * l.cell_h;
    for (j, t) in g.threads.iter().enumerate() {
        root.draw(&text(
            &t.to_string(),
            (x0 + j as i32 * l.cell_w + l.cell_w / 2, below + 12),
            LABEL_PX,
            dark,
            center,
        ))
        .map_err(err)?;
    }
    let grid_mid = x0 + l.cell_w * g.threads.len() as i32 / 2;
    root.draw(&text(
        "threads",
        (grid_mid, below + 34),
        13,
        RGBColor(90, 90, 90),
        center,
    ))
    .map_err(err)?;
    for it in &l.legend {
        let (x, y) = (it.x, it.y);
        let mut tx = x;
        if let Some(c) = it.swatch {
            let r = [(x, y - 7), (x + 14, y + 7)];
            root.draw(&Rectangle::new(r, rgb(c).filled()))
                .map_err(err)?;
            if it.hatched {
                for seg in super::chart::hatch(r[0].0, r[0].1, r[1].0, r[1].1, 5) {
                    root.draw(&PathElement::new(
                        seg.to_vec(),
                        rgb(FLOOR_HATCH).stroke_width(1),
                    ))
                    .map_err(err)?;
                }
            }
            root.draw(&Rectangle::new(r, RGBColor(120, 120, 120).stroke_width(1)))
                .map_err(err)?;
            tx += 22;
        }
        root.draw(&text(&it.text, (tx, y), 12, dark, left))
            .map_err(err)?;
    }
    Ok(hovers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::decide::decide_all;
    use crate::report::decide::tests::{scenario, series};
    use crate::report::stats::Floor;
    use Family::{Atomic, Channel, Mutex, RwLock, Sharded};

    fn grids_of(scenarios: Vec<Scenario>) -> Vec<Grid> {
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
        // At 1 thread a tie (grey), at 2 the rw-lock (its family's colour).
        let c = &g[0].rows[0].cells;
        assert_eq!(c[0].kind, CellKind::Tie);
        assert_eq!(fill(&c[0]), TIE);
        assert_eq!(c[0].lines, ["tie", "mu", "rw"]);
        assert_eq!(c[1].kind, CellKind::Winner);
        assert_eq!(fill(&c[1]), family_look(Some(RwLock)).0);
        assert_eq!(c[1].lines, ["rw", "5.0x"]);
    }

    #[test]
    fn cells_are_coloured_by_family_ties_grey_and_drawn_with_titles() {
        crate::register_fonts();
        let g = grids_of(vec![
            scenario(
                "counter/increment/hot",
                vec![
                    series("atomic", Some(Atomic), &[(1, 400.0), (2, 100.0)]),
                    series(
                        "sharded-with-a-very-long-name-indeed-yes",
                        Some(Sharded),
                        &[(1, 10.0), (2, 99.0)],
                    ),
                    series("actor", Some(Channel), &[(1, 1.0), (2, 1.0)]),
                ],
            ),
            scenario(
                "counter/increment/warm",
                vec![
                    series("atomic", Some(Atomic), &[(1, 10.0), (2, 10.0)]),
                    series("parking_lot-mutex", Some(Mutex), &[(1, 100.0), (2, 100.0)]),
                ],
            ),
        ]);
        let g = &g[0];
        assert_eq!(g.rows.len(), 2, "two contention levels");
        let hot = &g.rows[0].cells;
        assert_eq!(fill(&hot[0]), family_look(Some(Atomic)).0);
        assert_eq!(hot[1].kind, CellKind::Tie);
        assert_eq!(fill(&hot[1]), TIE);
        let warm = &g.rows[1].cells;
        assert_eq!(fill(&warm[0]), family_look(Some(Mutex)).0);
        assert_ne!(fill(&warm[0]), fill(&hot[0]));
        assert_eq!(g.families(), [Mutex, Atomic]);
        let m = render(g).unwrap();
        assert_eq!(&m.png[1..4], b"PNG");
        let doc = roxmltree::Document::parse(&m.svg).unwrap();
        let titles: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(titles.len(), 4, "one per cell");
        assert!(
            titles
                .iter()
                .any(|t| t.contains("tie, atomic ~ sharded-with")),
            "{titles:?}"
        );
        let texts: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .map(|t| t.trim().to_string())
            .collect();
        for want in [
            "tie",
            "atomic",
            "parking_lot-mutex",
            "10x",
            "hot (0 ns)",
            "mutex",
            "tie (no clear winner)",
        ] {
            assert!(texts.iter().any(|t| t == want), "{want} in {texts:?}");
        }
        // The long name is cut to fit; labels fit their cells.
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("sharded-with") && t.ends_with('…')),
            "{texts:?}"
        );
        for c in g.rows.iter().flat_map(|r| &r.cells) {
            for l in &c.lines {
                assert!(text_width(l, LABEL_PX) <= MAX_LABEL, "{l}");
            }
        }
    }
}
