//! Winner maps drawn: each grid of [`crate::report::analyse::grid`] (one
//! per question and split, who wins each scenario × thread count) as SVG and
//! PNG.
//!
//! **Cells.** Each cell is a scenario's row at one thread count
//! ([`crate::report::analyse::grid::MapCell`]): a clear winner fills it with its
//! family's chart colour ([`crate::report::render::chart::family_look`]) and names it with
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

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::analyse::decide::fmt_ratio;
use crate::report::analyse::grid::{CellKind, Grid, MapCell};
use crate::report::render::chart::{Hover, HoverShape, encode_png, family_look, with_titles};

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

/// The drawn lines of every cell ([row][cell], as in the grid), abbreviated
/// to fit, and the abbreviations they use (listed under the map).
struct Labels {
    lines: Vec<Vec<Vec<String>>>,
    abbreviations: Vec<(&'static str, &'static str)>,
}

impl Labels {
    fn of(g: &Grid) -> Labels {
        let mut used = Vec::new();
        let lines = g
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| cell_lines(c, &mut used)).collect())
            .collect();
        used.sort_unstable();
        used.dedup();
        Labels {
            lines,
            abbreviations: used,
        }
    }

    fn all(&self) -> impl Iterator<Item = &Vec<String>> {
        self.lines.iter().flatten()
    }
}

/// A cell's lines: the winner (or `any <family>`) and its margin; `tie` or
/// `floor` and the first names; `-` when empty.
fn cell_lines(c: &MapCell, used: &mut Vec<(&'static str, &'static str)>) -> Vec<String> {
    match c.kind {
        CellKind::Winner | CellKind::Family => vec![
            fit(c.names.first().map_or("", String::as_str), used),
            c.margin.map(fmt_ratio).unwrap_or_default(),
        ],
        CellKind::Tie => names_lines("tie", &c.names, used),
        CellKind::Floor => names_lines("floor", &c.names, used),
        CellKind::Empty => vec!["-".into()],
    }
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

fn legend_items(g: &Grid, labels: &Labels) -> Vec<LegendItem> {
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
    for (short, long) in &labels.abbreviations {
        items.push(item(None, false, format!("{short} = {long}")));
    }
    items
}

fn layout(g: &Grid, labels: &Labels) -> Layout {
    let lines = labels.all().map(Vec::len).max().unwrap_or(1).max(2) as i32;
    let widest = labels
        .all()
        .flatten()
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
    for mut it in legend_items(g, labels) {
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
    let labels = Labels::of(g);
    let l = layout(g, &labels);
    let mut svg = String::new();
    let hovers = {
        let root = SVGBackend::with_string(&mut svg, (l.width, l.height)).into_drawing_area();
        let h = draw(&root, g, &labels, &l).map_err(|e| anyhow!("SVG: {e}"))?;
        root.present().map_err(|e| anyhow!("SVG: {e}"))?;
        h
    };
    let svg = with_titles(&svg, &hovers);
    let mut rgb = vec![0u8; (l.width * l.height * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (l.width, l.height)).into_drawing_area();
        draw(&root, g, &labels, &l).map_err(|e| anyhow!("bitmap: {e}"))?;
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
    labels: &Labels,
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
                for seg in crate::report::render::chart::hatch(
                    rect[0].0, rect[0].1, rect[1].0, rect[1].1, 8,
                ) {
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
            let lines = &labels.lines[i][j];
            let k = lines.len() as i32;
            let top = y + l.cell_h / 2 - (k * LINE_H) / 2 + LINE_H / 2;
            for (m, line) in lines.iter().enumerate() {
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
                for seg in crate::report::render::chart::hatch(r[0].0, r[0].1, r[1].0, r[1].1, 5) {
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
    use crate::harness::Family::{Atomic, Channel, Mutex, Sharded};
    use crate::report::analyse::decide::tests::{scenario, series};
    use crate::report::analyse::grid::tests::grids_of;

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
        for lines in Labels::of(g).all() {
            for l in lines {
                assert!(text_width(l, LABEL_PX) <= MAX_LABEL, "{l}");
            }
        }
    }
}
