//! Two charts per scenario: throughput, and CPU time per operation (the
//! cost chart, `<stem>-cpu`, drawn when any result carries CPU time).
//!
//! **Kinds.** A scenario measured at several thread counts is a line chart
//! against threads on log-log axes: one line per strategy with its band (the
//! envelope of every pass's interval; for CPU time, the min-max over passes).
//! A scenario measured at one thread count is a chart of horizontal bars
//! instead, one per strategy, sorted by throughput (fastest on top) on a log
//! axis, with whiskers over the interval and the value printed at the end;
//! reference strategies (baselines, the no-sharing limit) are hatched and
//! labelled "reference". The cost chart of a bar scenario keeps the
//! throughput chart's row order, so the two read side by side.
//!
//! **Styles.** Colour carries meaning: it is the strategy's family, from
//! Paul Tol's colour-blind-safe qualitative palette "muted" (P. Tol,
//! *Colour Schemes*, SRON/EPS/TN/09-002, <https://personal.sron.nl/~pault/>);
//! the reference families are black (the limit) and dark grey (baselines).
//! Fourteen families need more colours than the palette's nine, so three
//! families that never share a workload reuse a colour with a dashed line
//! (see [`family_look`]). Members of one family differ by marker shape, then
//! by line style, so no two series of a chart share (colour, line style,
//! marker) and a chart still reads in greyscale. A strategy has the same
//! style in its scenario's throughput and cost charts. Legends list
//! strategies top-down the way the lines end: by the value at the last
//! thread count.
//!
//! The same drawing code runs on plotters' SVG and bitmap backends; the
//! bitmap is encoded to PNG in memory. Text is laid out and (in the PNG)
//! rasterised with the embedded DejaVu Sans ([`crate::register_fonts`]), so
//! no system font is needed. Every coordinate goes through axes that clamp
//! infinite or absurd values, so drawing stays bounded whatever the input.

use std::cmp::Ordering;
use std::collections::HashSet;

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{KeyPointHint, ValueFormatter};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::harness::Family;
use crate::report::analyse::model::{Scenario, Series};
use crate::report::fmt::{fmt_num, fmt_si};

/// Chart width in pixels.
pub const WIDTH: u32 = 1000;
/// Chart height in pixels.
pub const HEIGHT: u32 = 560;
/// Width of the legend column on the right (line charts).
const LEGEND: u32 = 280;
const FONT: &str = "sans-serif";

/// Paul Tol's "muted" qualitative palette, colour-blind safe: indigo, cyan,
/// teal, green, olive, sand, rose, wine, purple.
pub const MUTED: [(u8, u8, u8); 9] = [
    (0x33, 0x22, 0x88),
    (0x88, 0xCC, 0xEE),
    (0x44, 0xAA, 0x99),
    (0x11, 0x77, 0x33),
    (0x99, 0x99, 0x33),
    (0xDD, 0xCC, 0x77),
    (0xCC, 0x66, 0x77),
    (0x88, 0x22, 0x55),
    (0xAA, 0x44, 0x99),
];
const INDIGO: (u8, u8, u8) = MUTED[0];
const CYAN: (u8, u8, u8) = MUTED[1];
const TEAL: (u8, u8, u8) = MUTED[2];
const GREEN: (u8, u8, u8) = MUTED[3];
const OLIVE: (u8, u8, u8) = MUTED[4];
const SAND: (u8, u8, u8) = MUTED[5];
const ROSE: (u8, u8, u8) = MUTED[6];
const WINE: (u8, u8, u8) = MUTED[7];
const PURPLE: (u8, u8, u8) = MUTED[8];
/// The no-sharing limit.
const LIMIT: (u8, u8, u8) = (0, 0, 0);
/// Baselines (no-op, hand-written loops).
const BASELINE: (u8, u8, u8) = (0x55, 0x55, 0x55);
/// Results without a sidecar (family unknown).
const UNKNOWN: (u8, u8, u8) = (0x99, 0x99, 0x99);

/// A line's dash pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dash {
    /// Unbroken.
    Solid,
    /// 10 px on, 6 off.
    Dashed,
    /// 2 px on, 4 off.
    Dotted,
    /// 10 on, 4 off, 2 on, 4 off.
    DashDot,
}

impl Dash {
    /// Every pattern, in the order members of a family step through them.
    pub const ALL: [Dash; 4] = [Dash::Solid, Dash::Dashed, Dash::Dotted, Dash::DashDot];

    /// On and off lengths in pixels (empty: solid).
    pub fn pattern(self) -> &'static [f64] {
        match self {
            Dash::Solid => &[],
            Dash::Dashed => &[10.0, 6.0],
            Dash::Dotted => &[2.0, 4.0],
            Dash::DashDot => &[10.0, 4.0, 2.0, 4.0],
        }
    }

    fn index(self) -> usize {
        Dash::ALL.iter().position(|&d| d == self).unwrap_or(0)
    }
}

/// A point marker's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Marker {
    /// Filled circle.
    Circle,
    /// Filled square.
    Square,
    /// Filled triangle, point up.
    Triangle,
    /// Filled diamond.
    Diamond,
    /// Filled triangle, point down.
    TriangleDown,
    /// Diagonal cross (strokes).
    Cross,
    /// Upright cross (strokes).
    Plus,
}

impl Marker {
    /// Every shape, in the order members of a family step through them.
    pub const ALL: [Marker; 7] = [
        Marker::Circle,
        Marker::Square,
        Marker::Triangle,
        Marker::Diamond,
        Marker::TriangleDown,
        Marker::Cross,
        Marker::Plus,
    ];
}

/// A family's colour and the dash pattern its first member gets. Colours
/// are unique per family except four reuses between families that never
/// share a workload (park and data-parallel; barrier and sharded; spin, in
/// counter and map, and lock-free, in hand-off only; rw-lock, in counter
/// and map, and async-lock, in tasks only), which differ by dash instead.
pub fn family_look(f: Option<Family>) -> ((u8, u8, u8), Dash) {
    match f {
        Some(Family::Mutex) => (ROSE, Dash::Solid),
        Some(Family::RwLock) => (WINE, Dash::Solid),
        Some(Family::AsyncLock) => (WINE, Dash::Dashed),
        Some(Family::Spin) => (SAND, Dash::Dashed),
        Some(Family::Atomic) => (INDIGO, Dash::Solid),
        Some(Family::Sharded) => (TEAL, Dash::Solid),
        Some(Family::Batched) => (OLIVE, Dash::Solid),
        Some(Family::Channel) => (GREEN, Dash::Solid),
        Some(Family::LockFree) => (SAND, Dash::Solid),
        Some(Family::Snapshot) => (CYAN, Dash::Solid),
        Some(Family::DataParallel) => (PURPLE, Dash::Solid),
        Some(Family::Park) => (PURPLE, Dash::Dashed),
        Some(Family::Barrier) => (TEAL, Dash::Dashed),
        Some(Family::NoSharing) => (LIMIT, Dash::Dashed),
        Some(Family::Baseline) => (BASELINE, Dash::Dotted),
        None => (UNKNOWN, Dash::DashDot),
    }
}

/// How one strategy is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Style {
    /// The strategy.
    pub strategy: String,
    /// The legend text (bar charts: the bar's label).
    pub label: String,
    /// The strategy's family.
    pub family: Option<Family>,
    /// Line, marker, band and bar colour: the family's.
    pub color: (u8, u8, u8),
    /// The line's dash pattern.
    pub dash: Dash,
    /// The marker at every point.
    pub marker: Marker,
    /// A reference strategy (baseline or limit): never a winner.
    pub reference: bool,
}

impl Style {
    /// What makes two series tell apart: no two in one chart share it.
    pub fn key(&self) -> ((u8, u8, u8), Dash, Marker) {
        (self.color, self.dash, self.marker)
    }
}

/// How a scenario is charted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Lines against threads (several thread counts).
    Lines,
    /// Horizontal bars (one thread count).
    Bars,
}

/// What a chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    Throughput,
    Cost,
}

/// A rendered chart.
#[derive(Clone, Debug)]
pub struct Chart {
    /// SVG markup.
    pub svg: String,
    /// PNG bytes.
    pub png: Vec<u8>,
    /// Lines or bars.
    pub kind: Kind,
    /// The series in the legend, in its order (bars: top to bottom).
    pub styles: Vec<Style>,
    /// Per legend entry, the value it is ordered by: at the scenario's last
    /// thread count (bars: the bar's length); `None` where it has none.
    pub values: Vec<Option<f64>>,
}

/// The shape of a hover target, in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HoverShape {
    /// A circle around a point.
    Circle {
        /// Centre x.
        x: i32,
        /// Centre y.
        y: i32,
        /// Radius.
        r: i32,
    },
    /// A rectangle (a bar, a map cell).
    Rect {
        /// Left.
        x: i32,
        /// Top.
        y: i32,
        /// Width.
        w: i32,
        /// Height.
        h: i32,
    },
}

/// An invisible target over a drawn value whose `<title>` the browser
/// shows on hover.
#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    /// Where.
    pub shape: HoverShape,
    /// The tooltip.
    pub text: String,
}

fn xml_escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `svg` with a group of hover targets (`<g class="hover">`, transparent
/// shapes each holding a `<title>`) drawn last, on top of everything.
pub fn with_titles(svg: &str, hovers: &[Hover]) -> String {
    if hovers.is_empty() {
        return svg.to_string();
    }
    let mut g = String::from("<g class=\"hover\" fill=\"#000\" fill-opacity=\"0\">\n");
    for h in hovers {
        let shape = match h.shape {
            HoverShape::Circle { x, y, r } => format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"{r}\">"),
            HoverShape::Rect { x, y, w, h } => format!(
                "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\">",
                w.max(1),
                h.max(1)
            ),
        };
        let end = match h.shape {
            HoverShape::Circle { .. } => "</circle>",
            HoverShape::Rect { .. } => "</rect>",
        };
        g.push_str(&format!(
            "{shape}<title>{}</title>{end}\n",
            xml_escape(&h.text)
        ));
    }
    g.push_str("</g>\n");
    match svg.rfind("</svg>") {
        Some(at) => format!("{}{g}{}", &svg[..at], &svg[at..]),
        None => svg.to_string(),
    }
}

/// How `s` is charted: bars for a single thread count, else lines.
pub fn kind(s: &Scenario) -> Kind {
    if s.threads.len() <= 1 {
        Kind::Bars
    } else {
        Kind::Lines
    }
}

/// Whether any result of `s` carries CPU time, i.e. whether it has a cost
/// chart.
pub fn has_cost(s: &Scenario) -> bool {
    s.series
        .iter()
        .flat_map(|x| x.points.values())
        .any(|p| p.cpu().is_some())
}

/// The cost chart's file stem for a scenario's chart stem.
pub fn cost_stem(stem: &str) -> String {
    format!("{stem}-cpu")
}

/// Descending, with NaN last.
fn descending(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => b.partial_cmp(&a).unwrap_or(Ordering::Equal),
    }
}

/// Indices of `s.series` sorted by `value` at the scenario's last thread
/// count, largest first; series without a value there follow, by their own
/// last value; then by name.
fn order_by(s: &Scenario, value: impl Fn(&Series, usize) -> Option<f64>) -> Vec<usize> {
    let last = s.threads.last().copied();
    let key = |x: &Series| -> (bool, f64) {
        if let Some(v) = last.and_then(|t| value(x, t)) {
            return (true, v);
        }
        let own = x.points.keys().rev().find_map(|&t| value(x, t));
        (false, own.unwrap_or(f64::NAN))
    };
    let keys: Vec<(bool, f64)> = s.series.iter().map(key).collect();
    let mut idx: Vec<usize> = (0..s.series.len()).collect();
    idx.sort_by(|&a, &b| {
        keys[b].0.cmp(&keys[a].0).then_with(|| {
            descending(keys[a].1, keys[b].1)
                .then_with(|| s.series[a].strategy.cmp(&s.series[b].strategy))
        })
    });
    idx
}

fn throughput_at(x: &Series, t: usize) -> Option<f64> {
    x.points.get(&t).map(|p| p.throughput.point)
}

fn cost_at(x: &Series, t: usize) -> Option<f64> {
    x.points.get(&t).and_then(|p| p.cpu()).map(|c| c.median)
}

/// Indices of `s.series` in legend order: by throughput at the last thread
/// count, fastest first (top-down, the way the lines end).
pub fn legend_order(s: &Scenario) -> Vec<usize> {
    order_by(s, throughput_at)
}

/// The legend text of `x`: `name (family)`, `name (limit)`; bars add
/// `reference` to reference strategies.
fn label(x: &Series, bars: bool) -> String {
    let role = if x.is_limit() {
        "limit"
    } else {
        x.family_name()
    };
    if bars && x.is_reference() {
        format!("{} ({role}, reference)", x.strategy)
    } else {
        format!("{} ({role})", x.strategy)
    }
}

/// The style of every series of `s`, indexed like `s.series`. Assigned in
/// legend order: each takes its family's colour and the first (dash,
/// marker) not yet taken in this chart with that colour, starting from the
/// family's dash; a family with more members than 28 moves on to other
/// palette colours, so styles stay unique.
fn assign(s: &Scenario) -> Vec<Option<Style>> {
    let bars = kind(s) == Kind::Bars;
    let mut used: HashSet<((u8, u8, u8), Dash, Marker)> = HashSet::new();
    let mut out: Vec<Option<Style>> = vec![None; s.series.len()];
    for i in legend_order(s) {
        let x = &s.series[i];
        let (color, base) = family_look(x.family);
        let colours = std::iter::once((color, base)).chain(
            MUTED
                .into_iter()
                .chain([LIMIT, BASELINE, UNKNOWN])
                .map(|c| (c, Dash::Solid)),
        );
        let mut pick = None;
        'search: for (c, first) in colours {
            for d in 0..Dash::ALL.len() {
                let dash = Dash::ALL[(first.index() + d) % Dash::ALL.len()];
                for marker in Marker::ALL {
                    if !used.contains(&(c, dash, marker)) {
                        pick = Some((c, dash, marker));
                        break 'search;
                    }
                }
            }
        }
        // Beyond every combination (hundreds of series): reuse the family's.
        let (c, dash, marker) = pick.unwrap_or((color, base, Marker::Circle));
        used.insert((c, dash, marker));
        out[i] = Some(Style {
            strategy: x.strategy.clone(),
            label: label(x, bars),
            family: x.family,
            color: c,
            dash,
            marker,
            reference: x.is_reference(),
        });
    }
    out
}

/// The style of every series of `s`, in legend order.
pub fn styles(s: &Scenario) -> Vec<Style> {
    let mut all = assign(s);
    legend_order(s)
        .into_iter()
        .filter_map(|i| all[i].take())
        .collect()
}

/// One drawn value: at `t` threads, `v` within `lo..hi`.
#[derive(Clone, Copy, Debug)]
struct Pt {
    t: f64,
    v: f64,
    lo: f64,
    hi: f64,
}

/// One legend entry (a line, or a bar's row).
struct Entry {
    style: Style,
    pts: Vec<Pt>,
    /// The value the entry is ordered by.
    value: Option<f64>,
}

fn points(x: &Series, m: Measure) -> Vec<Pt> {
    x.points
        .values()
        .filter_map(|p| match m {
            Measure::Throughput => Some(Pt {
                t: p.threads as f64,
                v: p.throughput.point,
                lo: p.throughput.lo,
                hi: p.throughput.hi,
            }),
            Measure::Cost => p.cpu().map(|c| Pt {
                t: p.threads as f64,
                v: c.median,
                lo: c.min,
                hi: c.max,
            }),
        })
        .collect()
}

/// The entries of `s`'s chart of `m`, in legend (or row) order. Cost lines
/// leave out series without CPU time and are ordered by cost at the last
/// thread count; cost bars keep every row, in throughput order.
fn entries(s: &Scenario, m: Measure) -> Vec<Entry> {
    let mut styles = assign(s);
    let last = s.threads.last().copied().unwrap_or(0);
    let order = match (m, kind(s)) {
        (Measure::Cost, Kind::Lines) => order_by(s, cost_at),
        _ => legend_order(s),
    };
    order
        .into_iter()
        .filter_map(|i| {
            let x = &s.series[i];
            let pts = points(x, m);
            if m == Measure::Cost && kind(s) == Kind::Lines && pts.is_empty() {
                return None;
            }
            let value = match m {
                Measure::Throughput => throughput_at(x, last),
                Measure::Cost => cost_at(x, last),
            };
            Some(Entry {
                style: styles[i].take()?,
                pts,
                value,
            })
        })
        .collect()
}

/// Draws `s`'s throughput chart as SVG and PNG.
pub fn render(s: &Scenario) -> Result<Chart> {
    render_measure(s, Measure::Throughput)
}

/// Draws `s`'s cost chart (CPU time per operation) as SVG and PNG; `None`
/// when no result carries CPU time.
pub fn render_cost(s: &Scenario) -> Result<Option<Chart>> {
    if !has_cost(s) {
        return Ok(None);
    }
    render_measure(s, Measure::Cost).map(Some)
}

/// Draws `s`'s throughput chart as SVG only (no PNG), for the merged
/// report's panels ([`crate::report::compare::merged`]).
pub fn render_svg(s: &Scenario) -> Result<String> {
    let m = Measure::Throughput;
    let entries = entries(s, m);
    let mut svg = String::new();
    let hovers = {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let h = draw(&root, s, m, kind(s), &entries).map_err(|e| anyhow!("SVG: {e}"))?;
        root.present().map_err(|e| anyhow!("SVG: {e}"))?;
        h
    };
    Ok(with_titles(&svg, &hovers))
}

fn render_measure(s: &Scenario, m: Measure) -> Result<Chart> {
    let entries = entries(s, m);
    let kind = kind(s);
    let mut svg = String::new();
    let hovers = {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let h = draw(&root, s, m, kind, &entries).map_err(|e| anyhow!("SVG: {e}"))?;
        root.present().map_err(|e| anyhow!("SVG: {e}"))?;
        h
    };
    let svg = with_titles(&svg, &hovers);
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, s, m, kind, &entries).map_err(|e| anyhow!("bitmap: {e}"))?;
        root.present().map_err(|e| anyhow!("bitmap: {e}"))?;
    }
    Ok(Chart {
        svg,
        png: encode_png(&rgb, WIDTH, HEIGHT)?,
        kind,
        values: entries.iter().map(|e| e.value).collect(),
        styles: entries.into_iter().map(|e| e.style).collect(),
    })
}

/// Axis labels: `1G`, `200M`, `5k` (tick values are round numbers).
fn compact_si(x: f64) -> String {
    let (v, unit) = crate::report::fmt::si_split(x);
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}{unit}")
}

/// Encodes 8-bit RGB pixels as PNG.
pub fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(rgb.len() / 8);
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let mut w = enc.write_header()?;
        w.write_image_data(rgb)?;
        w.finish()?;
    }
    Ok(out)
}

/// The thread axis: log2-spaced, ticks exactly at the measured thread
/// counts (plotters' own log axis would tick at powers of ten).
struct ThreadAxis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl ThreadAxis {
    fn new(threads: &[usize]) -> ThreadAxis {
        let ticks: Vec<f64> = threads.iter().map(|&t| t.max(1) as f64).collect();
        let (a, b) = match (ticks.first(), ticks.last()) {
            (Some(&a), Some(&b)) => (a.log2(), b.log2()),
            _ => (0.0, 0.0),
        };
        let pad = if b > a { 0.2 } else { 0.5 };
        ThreadAxis {
            lo: (a - pad).exp2(),
            hi: (b + pad).exp2(),
            ticks,
        }
    }
}

impl Ranged for ThreadAxis {
    type FormatOption = plotters::coord::ranged1d::NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let (lo, hi) = (self.lo.log2(), self.hi.log2());
        to_pixel(
            (value.max(f64::MIN_POSITIVE).log2() - lo) / (hi - lo),
            limit,
        )
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() || self.ticks.is_empty() {
            return Vec::new();
        }
        // Thin out evenly when there are more ticks than room.
        let step = self.ticks.len().div_ceil(hint.max_num_points().max(1));
        self.ticks.iter().copied().step_by(step.max(1)).collect()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// The value axis (throughput or CPU time): log10, ticks on the 1-2-5
/// sequence (thinned to powers of ten over wide ranges), light grid lines
/// at 1..9 per decade.
struct RateAxis {
    lo: f64,
    hi: f64,
}

/// The widest range an axis spans: 1e-300..1e300. Anything outside
/// (infinite, NaN, absurd estimates) is clamped into it, so every loop over
/// decades below is bounded (at most 601 decades).
const RATE_MIN: f64 = 1e-300;
const RATE_MAX: f64 = 1e300;
/// The most tick candidates an axis computes, whatever its range.
const MAX_CANDIDATES: usize = 10_000;

impl RateAxis {
    /// An axis over `lo..hi`, clamped to finite, positive, non-empty bounds.
    fn new(lo: f64, hi: f64) -> RateAxis {
        let clamp = |x: f64, fallback: f64| {
            if x.is_nan() {
                fallback
            } else {
                x.clamp(RATE_MIN, RATE_MAX)
            }
        };
        let (lo, hi) = (clamp(lo, 1.0), clamp(hi, 10.0));
        if lo < hi {
            RateAxis { lo, hi }
        } else {
            // Empty or inverted: one decade around `lo`.
            let lo = lo.min(RATE_MAX / 10.0);
            RateAxis { lo, hi: lo * 10.0 }
        }
    }

    fn candidates(&self, mantissas: &[f64]) -> Vec<f64> {
        // Exponents bounded by the clamped range: never more than ~602 steps,
        // even if the fields were set to infinities or NaN directly.
        let exp = |x: f64| {
            let e = x.log10();
            if e.is_nan() {
                0
            } else {
                e.clamp(-310.0, 310.0) as i32
            }
        };
        let (a, b) = (exp(self.lo) - 1, exp(self.hi) + 1);
        let mut out = Vec::new();
        for e in a..=b {
            for m in mantissas {
                let v = m * 10f64.powi(e);
                if v.is_finite() && v >= self.lo && v <= self.hi {
                    out.push(v);
                    if out.len() >= MAX_CANDIDATES {
                        return out;
                    }
                }
            }
        }
        out
    }
}

/// `r` (0..1 over the plot) mapped to pixels, clamped to a band around the
/// plot so infinite or absurd values give finite, bounded coordinates.
fn to_pixel(r: f64, limit: (i32, i32)) -> i32 {
    let r = if r.is_nan() { 0.0 } else { r.clamp(-1.0, 2.0) };
    limit.0 + (r * f64::from(limit.1 - limit.0)).round() as i32
}

impl Ranged for RateAxis {
    type FormatOption = plotters::coord::ranged1d::NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let (lo, hi) = (self.lo.log10(), self.hi.log10());
        to_pixel(
            (value.max(f64::MIN_POSITIVE).log10() - lo) / (hi - lo),
            limit,
        )
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let max = hint.max_num_points().max(2);
        if hint.weight().allow_light_points() {
            let light = self.candidates(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
            return if light.len() <= max * 2 {
                light
            } else {
                Vec::new()
            };
        }
        for m in [&[1.0, 2.0, 5.0][..], &[1.0, 3.0], &[1.0]] {
            let v = self.candidates(m);
            if v.len() <= max {
                return v;
            }
        }
        let v = self.candidates(&[1.0]);
        let step = v.len().div_ceil(max);
        v.into_iter().step_by(step.max(1)).collect()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// The row axis of a bar chart: `0..n`, row `i` (from the top) spanning
/// `n - i - 1 .. n - i`; no ticks (rows are labelled by hand).
struct RowAxis {
    n: f64,
}

impl Ranged for RowAxis {
    type FormatOption = plotters::coord::ranged1d::NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        to_pixel(value / self.n.max(1.0), limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, _: Hint) -> Vec<f64> {
        Vec::new()
    }

    fn range(&self) -> std::ops::Range<f64> {
        0.0..self.n
    }
}

impl ValueFormatter<f64> for RateAxis {
    fn format(value: &f64) -> String {
        fmt_si(*value)
    }
}

impl ValueFormatter<f64> for ThreadAxis {
    fn format(value: &f64) -> String {
        format!("{}", value.round())
    }
}

impl ValueFormatter<f64> for RowAxis {
    fn format(_: &f64) -> String {
        String::new()
    }
}

/// The smallest and largest finite, positive values, if any.
fn bounds(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .filter(|x| x.is_finite() && *x > 0.0)
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
    (lo.is_finite() && hi >= lo).then_some((lo, hi))
}

/// Splits a polyline (pixels) into the dashes of `pattern` (on, off, on,
/// off... lengths in pixels); an empty pattern gives the whole line. At
/// most [`MAX_DASHES`] dashes; the rest of the line is then drawn whole.
fn dashes(points: &[(i32, i32)], pattern: &[f64]) -> Vec<Vec<(i32, i32)>> {
    if points.len() < 2 || pattern.is_empty() || pattern.iter().any(|&p| p.is_nan() || p <= 0.0) {
        return vec![points.to_vec()];
    }
    let f = |p: (i32, i32)| (f64::from(p.0), f64::from(p.1));
    let i = |p: (f64, f64)| (p.0.round() as i32, p.1.round() as i32);
    let mut out: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut k = 0; // index into the pattern: even = on
    let mut left = pattern[0];
    let mut cur: Vec<(i32, i32)> = vec![points[0]];
    for w in points.windows(2) {
        let (mut a, b) = (f(w[0]), f(w[1]));
        loop {
            let d = (b.0 - a.0).hypot(b.1 - a.1);
            if out.len() >= MAX_DASHES {
                // Bounded: draw what is left in one piece.
                let rest_from = if k % 2 == 0 { cur.clone() } else { vec![i(a)] };
                let at = points
                    .iter()
                    .position(|&p| p == w[1])
                    .unwrap_or(points.len() - 1);
                let mut rest = rest_from;
                rest.extend_from_slice(&points[at..]);
                if rest.len() >= 2 {
                    out.push(rest);
                }
                return out;
            }
            if d <= left {
                left -= d;
                if k % 2 == 0 {
                    cur.push(i(b));
                }
                break;
            }
            let t = left / d;
            a = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            if k % 2 == 0 {
                cur.push(i(a));
                out.push(std::mem::take(&mut cur));
            } else {
                cur = vec![i(a)];
            }
            k = (k + 1) % pattern.len();
            left = pattern[k];
        }
    }
    if k % 2 == 0 && cur.len() >= 2 {
        out.push(cur);
    }
    out
}

/// The most dashes one line is cut into.
const MAX_DASHES: usize = 5_000;

fn rgb(c: (u8, u8, u8)) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

type Drawn = Result<(), String>;

/// A polyline in pixels with `dash`.
fn draw_path<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[(i32, i32)],
    dash: Dash,
    style: ShapeStyle,
) -> Drawn {
    for piece in dashes(points, dash.pattern()) {
        if piece.len() >= 2 {
            area.draw(&PathElement::new(piece, style))
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// A marker of radius about `r` pixels centred on `at`.
fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    m: Marker,
    c: RGBColor,
    r: i32,
) -> Drawn {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (x, y) = at;
    match m {
        Marker::Circle => area.draw(&Circle::new(at, r, c.filled())).map_err(err),
        Marker::Square => {
            let h = r - 1;
            area.draw(&Rectangle::new(
                [(x - h, y - h), (x + h, y + h)],
                c.filled(),
            ))
            .map_err(err)
        }
        Marker::Triangle => area
            .draw(&Polygon::new(
                vec![
                    (x, y - r - 1),
                    (x + r + 1, y + r - 1),
                    (x - r - 1, y + r - 1),
                ],
                c.filled(),
            ))
            .map_err(err),
        Marker::TriangleDown => area
            .draw(&Polygon::new(
                vec![
                    (x, y + r + 1),
                    (x + r + 1, y - r + 1),
                    (x - r - 1, y - r + 1),
                ],
                c.filled(),
            ))
            .map_err(err),
        Marker::Diamond => area
            .draw(&Polygon::new(
                vec![
                    (x, y - r - 1),
                    (x + r + 1, y),
                    (x, y + r + 1),
                    (x - r - 1, y),
                ],
                c.filled(),
            ))
            .map_err(err),
        Marker::Cross => {
            area.draw(&PathElement::new(
                vec![(x - r, y - r), (x + r, y + r)],
                c.stroke_width(3),
            ))
            .map_err(err)?;
            area.draw(&PathElement::new(
                vec![(x - r, y + r), (x + r, y - r)],
                c.stroke_width(3),
            ))
            .map_err(err)
        }
        Marker::Plus => {
            area.draw(&PathElement::new(
                vec![(x - r - 1, y), (x + r + 1, y)],
                c.stroke_width(3),
            ))
            .map_err(err)?;
            area.draw(&PathElement::new(
                vec![(x, y - r - 1), (x, y + r + 1)],
                c.stroke_width(3),
            ))
            .map_err(err)
        }
    }
}

/// Draws the chart; returns the hover targets of its values.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Scenario,
    m: Measure,
    kind: Kind,
    entries: &[Entry],
) -> Result<Vec<Hover>, String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    match kind {
        Kind::Lines => draw_lines(root, s, m, entries),
        Kind::Bars => draw_bars(root, s, m, entries),
    }
}

fn value_axis_title(m: Measure) -> &'static str {
    match m {
        Measure::Throughput => "throughput, operations/s (log scale)",
        Measure::Cost => "CPU time per operation, ns, all threads (log scale)",
    }
}

/// A value with its interval, for a tooltip: `12.3M ops/s (11.0M-13.5M)`.
fn value_tip(m: Measure, p: &Pt) -> String {
    match m {
        Measure::Throughput => format!("{} ops/s ({}-{})", fmt_si(p.v), fmt_si(p.lo), fmt_si(p.hi)),
        Measure::Cost => format!(
            "{} ns CPU per operation (passes {}-{})",
            fmt_num(p.v),
            fmt_num(p.lo),
            fmt_num(p.hi)
        ),
    }
}

fn threads_word(t: f64) -> &'static str {
    if t == 1.0 { "thread" } else { "threads" }
}

fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Scenario,
    m: Measure,
    entries: &[Entry],
) -> Result<Vec<Hover>, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (plot, legend) = root.split_horizontally(WIDTH - LEGEND);

    // Only finite, positive values count towards the range; the axis clamps
    // what is left to 1e-300..1e300 (an infinite or absurd value from a
    // hostile estimate must not make the tick loops run forever).
    let (y0, y1) = bounds(
        entries
            .iter()
            .flat_map(|e| &e.pts)
            .flat_map(|p| [p.lo, p.v, p.hi]),
    )
    .map_or((1.0, 10.0), |(lo, hi)| (lo / 1.6, hi * 1.6));
    let caption = match m {
        Measure::Throughput => format!("{}: throughput vs threads", s.id),
        Measure::Cost => format!("{}: CPU time per operation vs threads", s.id),
    };
    let mut chart = ChartBuilder::on(&plot)
        .caption(caption, (FONT, 22))
        .margin(14)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(ThreadAxis::new(&s.threads), RateAxis::new(y0, y1))
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("threads (log scale)")
        .y_desc(value_axis_title(m))
        .x_label_formatter(&|v| format!("{}", v.round()))
        .y_label_formatter(&|v| compact_si(*v))
        .y_labels(10)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .bold_line_style(RGBColor(220, 220, 220))
        .light_line_style(RGBColor(242, 242, 242))
        .draw()
        .map_err(err)?;

    let px = |t: f64, v: f64| chart.backend_coord(&(t, v));
    // Bands first, then lines, then markers, so no band hides a marker.
    for e in entries {
        let c = rgb(e.style.color);
        if e.pts.len() >= 2 {
            let band: Vec<(i32, i32)> = e
                .pts
                .iter()
                .map(|p| px(p.t, p.hi))
                .chain(e.pts.iter().rev().map(|p| px(p.t, p.lo)))
                .collect();
            root.draw(&Polygon::new(band, c.mix(0.13).filled()))
                .map_err(err)?;
        } else {
            for p in &e.pts {
                root.draw(&PathElement::new(
                    vec![px(p.t, p.lo), px(p.t, p.hi)],
                    c.mix(0.6).stroke_width(2),
                ))
                .map_err(err)?;
            }
        }
    }
    for e in entries {
        let line: Vec<(i32, i32)> = e.pts.iter().map(|p| px(p.t, p.v)).collect();
        draw_path(
            root,
            &line,
            e.style.dash,
            rgb(e.style.color).stroke_width(2),
        )?;
    }
    let mut hovers = Vec::new();
    for e in entries {
        for p in &e.pts {
            let at = px(p.t, p.v);
            draw_marker(root, at, e.style.marker, rgb(e.style.color), 5)?;
            hovers.push(Hover {
                shape: HoverShape::Circle {
                    x: at.0,
                    y: at.1,
                    r: 7,
                },
                text: format!(
                    "{}, {} {}: {}",
                    e.style.label,
                    p.t,
                    threads_word(p.t),
                    value_tip(m, p)
                ),
            });
        }
    }

    // Legend: one row per entry, top-down the way the lines end.
    let n = entries.len().max(1) as i32;
    let top = 54;
    let row = ((HEIGHT as i32 - top - 10) / n).clamp(10, 24);
    // Shrink the text until the longest label fits the column (DejaVu Sans
    // averages about 0.55 em per character).
    let longest = entries
        .iter()
        .map(|e| e.style.label.chars().count())
        .max()
        .unwrap_or(1) as f64;
    let fit = ((f64::from(LEGEND) - 62.0) / (0.55 * longest)).floor() as i32;
    let size = (row - 8).min(fit).clamp(9, 15);
    let heading = match m {
        Measure::Throughput => "strategy (family)",
        Measure::Cost => "strategy (family), by cost",
    };
    legend
        .draw(&Text::new(
            heading,
            (8, top - 26),
            (FONT, 15).into_font().style(FontStyle::Bold),
        ))
        .map_err(err)?;
    for (i, e) in entries.iter().enumerate() {
        let c = rgb(e.style.color);
        let y = top + i as i32 * row + row / 2;
        draw_path(&legend, &[(6, y), (46, y)], e.style.dash, c.stroke_width(2))?;
        draw_marker(&legend, (26, y), e.style.marker, c, 4)?;
        legend
            .draw(&Text::new(
                e.style.label.clone(),
                (54, y),
                (FONT, size)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(err)?;
    }
    Ok(hovers)
}

/// Diagonal hatching inside the pixel rectangle `x0..x1` × `y0..y1`.
pub(super) fn hatch(x0: i32, y0: i32, x1: i32, y1: i32, step: i32) -> Vec<[(i32, i32); 2]> {
    let (x0, x1) = (x0.min(x1), x0.max(x1));
    let (y0, y1) = (y0.min(y1), y0.max(y1));
    let h = y1 - y0;
    if h <= 0 || x1 <= x0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    // Lines from (k, y1) up to (k + h, y0), clipped to x0..x1.
    let mut k = x0 - h;
    while k < x1 {
        let a = (x0 - k).max(0);
        let b = (x1 - k).min(h);
        if a < b {
            out.push([(k + a, y1 - a), (k + b, y1 - b)]);
        }
        k += step.max(1);
    }
    out
}

fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Scenario,
    m: Measure,
    entries: &[Entry],
) -> Result<Vec<Hover>, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let n = entries.len().max(1);
    let threads = s.threads.first().copied().unwrap_or(1);
    let per = if threads == 1 { "thread" } else { "threads" };
    let caption = match m {
        Measure::Throughput => format!("{}: throughput at {threads} {per}", s.id),
        Measure::Cost => format!("{}: CPU time per operation at {threads} {per}", s.id),
    };

    // Row labels on the left: as large as the rows allow, shrunk until the
    // longest fits 40% of the width (about 0.55 em per character).
    let (top, bottom) = (54.0, 100.0);
    let row_px = (f64::from(HEIGHT) - top - bottom) / n as f64;
    let longest = entries
        .iter()
        .map(|e| e.style.label.chars().count())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let max_label = f64::from(WIDTH) * 0.4;
    let size = (row_px * 0.62)
        .min(14.0)
        .min(max_label / (0.55 * longest))
        .max(8.0)
        .floor() as i32;
    let label_area =
        ((0.55 * longest * f64::from(size)) + 18.0).clamp(90.0, max_label + 18.0) as u32;

    // The value axis: the smallest bar keeps a visible length, and the
    // right end leaves room for the printed values.
    let (lo, hi) = bounds(
        entries
            .iter()
            .flat_map(|e| &e.pts)
            .flat_map(|p| [p.lo, p.v, p.hi]),
    )
    .unwrap_or((1.0, 10.0));
    let (lo, hi) = (lo.max(RATE_MIN), hi.min(RATE_MAX));
    let (a, b) = (lo.log10(), hi.log10());
    let span = (b - a).max(0.5);
    let plot_w = (f64::from(WIDTH) - f64::from(label_area) - 28.0).max(100.0);
    let room = (80.0 / plot_w).min(0.5);
    let x0 = 10f64.powf(a - span * 0.25);
    let x1 = 10f64.powf(b + (span * 1.25) * room / (1.0 - room));
    let axis = RateAxis::new(x0, x1);
    let left = axis.lo;

    let mut chart = ChartBuilder::on(root)
        .caption(caption, (FONT, 22))
        .margin(14)
        .margin_bottom(30)
        .x_label_area_size(50)
        .y_label_area_size(label_area)
        .build_cartesian_2d(axis, RowAxis { n: n as f64 })
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(value_axis_title(m))
        .x_label_formatter(&|v| compact_si(*v))
        .x_labels(10)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .bold_line_style(RGBColor(220, 220, 220))
        .light_line_style(RGBColor(242, 242, 242))
        .draw()
        .map_err(err)?;

    let px = |v: f64, y: f64| chart.backend_coord(&(v, y));
    let ink = RGBColor(40, 40, 40);
    let mut hovers = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let c = rgb(e.style.color);
        let top_y = (n - i) as f64;
        let yt = px(left, top_y).1;
        let yb = px(left, top_y - 1.0).1;
        let cy = (yt + yb) / 2;
        let hh = ((f64::from(yb - yt) * 0.3).round() as i32).max(2);
        let xl = px(left, 0.0).0;
        root.draw(&Text::new(
            e.style.label.clone(),
            (xl - 8, cy),
            (FONT, size)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(err)?;
        let Some(p) = e.pts.first() else {
            root.draw(&Text::new(
                match m {
                    Measure::Throughput => "no result",
                    Measure::Cost => "no CPU data",
                },
                (xl + 6, cy),
                (FONT, 12)
                    .into_font()
                    .color(&RGBColor(120, 120, 120))
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(err)?;
            continue;
        };
        let xv = px(p.v, 0.0).0.max(xl);
        let rect = [(xl, cy - hh), (xv, cy + hh)];
        if e.style.reference {
            for seg in hatch(xl, cy - hh, xv, cy + hh, 6) {
                root.draw(&PathElement::new(seg.to_vec(), c.stroke_width(1)))
                    .map_err(err)?;
            }
            root.draw(&Rectangle::new(rect, c.stroke_width(2)))
                .map_err(err)?;
        } else {
            root.draw(&Rectangle::new(rect, c.mix(0.55).filled()))
                .map_err(err)?;
            root.draw(&Rectangle::new(rect, c.stroke_width(1)))
                .map_err(err)?;
        }
        // Whisker over the interval, with caps.
        let (xa, xb) = (px(p.lo.min(p.v), 0.0).0, px(p.hi.max(p.v), 0.0).0);
        if xb > xa {
            let cap = (hh * 2 / 3).max(2);
            for seg in [
                vec![(xa, cy), (xb, cy)],
                vec![(xa, cy - cap), (xa, cy + cap)],
                vec![(xb, cy - cap), (xb, cy + cap)],
            ] {
                root.draw(&PathElement::new(seg, ink.stroke_width(2)))
                    .map_err(err)?;
            }
        }
        let value = match m {
            Measure::Throughput => fmt_si(p.v),
            Measure::Cost => format!("{} ns", fmt_num(p.v)),
        };
        hovers.push(Hover {
            shape: HoverShape::Rect {
                x: xl,
                y: cy - hh,
                w: xb.max(xv) - xl,
                h: 2 * hh,
            },
            text: format!(
                "{}, {} {}: {}",
                e.style.label,
                p.t,
                threads_word(p.t),
                value_tip(m, p)
            ),
        });
        root.draw(&Text::new(
            value,
            (xb.max(xv) + 6, cy),
            (FONT, size.clamp(9, 13))
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(err)?;
    }
    let key = match m {
        Measure::Throughput => {
            "colour: family · hatched: reference, never a winner · whiskers: every pass's interval"
        }
        Measure::Cost => {
            "CPU time of every thread per operation, median over passes · whiskers: min-max · \
             rows in throughput order"
        }
    };
    root.draw(&Text::new(
        key,
        (14, HEIGHT as i32 - 10),
        (FONT, 12)
            .into_font()
            .color(&RGBColor(90, 90, 90))
            .pos(Pos::new(HPos::Left, VPos::Bottom)),
    ))
    .map_err(err)?;
    Ok(hovers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::analyse::decide::tests::{scenario, series};

    #[test]
    fn degenerate_scenarios_still_draw() {
        crate::register_fonts();
        let cases = [
            // One thread count, one strategy.
            scenario("w/one", vec![series("a", Some(Family::Mutex), &[(4, 1.0)])]),
            // Ten decades apart, uneven thread counts, identical values.
            scenario(
                "w/wide",
                vec![
                    series("fast", None, &[(1, 1e4), (3, 1e4), (96, 1e4)]),
                    series("slow", Some(Family::Channel), &[(1, 1e-6), (96, 1e-6)]),
                    series("limit", Some(Family::NoSharing), &[(3, 5e3)]),
                ],
            ),
            // One thread count, values ten decades apart.
            scenario(
                "w/bars",
                vec![
                    series("fast", None, &[(1, 1e4)]),
                    series("slow", Some(Family::Channel), &[(1, 1e-6)]),
                    series("limit", Some(Family::NoSharing), &[(1, 5e3)]),
                ],
            ),
            // Nothing at all.
            scenario("w/empty", vec![]),
        ];
        for s in &cases {
            let c = render(s).unwrap();
            assert!(c.svg.starts_with("<svg"));
            assert_eq!(&c.png[1..4], b"PNG");
            assert_eq!(c.styles.len(), s.series.len());
            let cost = render_cost(s).unwrap();
            assert_eq!(cost.is_some(), s.series.iter().any(|x| x.family.is_some()));
            if let Some(c) = cost {
                assert!(c.svg.starts_with("<svg"));
                assert_eq!(&c.png[1..4], b"PNG");
            }
        }
    }

    #[test]
    fn absurd_values_draw_bars_and_lines_quickly() {
        crate::register_fonts();
        for v in [
            f64::INFINITY,
            f64::NAN,
            0.0,
            -1.0,
            1e300,
            1e-300,
            f64::MIN_POSITIVE,
        ] {
            for threads in [&[1usize][..], &[1, 2][..]] {
                let pts: Vec<(usize, f64)> = threads.iter().map(|&t| (t, 1.0)).collect();
                let mut a = series("a", Some(Family::Mutex), &pts);
                let b = series("b", Some(Family::Atomic), &pts);
                for p in a.points.values_mut() {
                    p.throughput.point = v;
                    p.throughput.lo = v;
                    p.throughput.hi = v;
                    if let Some(sc) = p.sidecar.as_mut() {
                        sc.cpu_ns_per_op = Some(v);
                    }
                }
                let s = scenario("w/absurd", vec![a, b]);
                let t = std::time::Instant::now();
                let c = render(&s).unwrap();
                assert!(c.svg.trim_end().ends_with("</svg>"));
                if let Some(c) = render_cost(&s).unwrap() {
                    assert!(c.svg.trim_end().ends_with("</svg>"));
                }
                assert!(t.elapsed().as_secs() < 10, "{v}: {:?}", t.elapsed());
            }
        }
    }

    #[test]
    fn colour_is_the_family_and_styles_never_repeat() {
        // Every family, and one family with more members than markers and
        // dashes can tell apart.
        let families = Family::ALL;
        let mut all = Vec::new();
        for (i, f) in families.iter().enumerate() {
            for k in 0..3 {
                let v = 1.0 + (i * 3 + k) as f64;
                all.push(series(&format!("{f:?}-{k}"), Some(*f), &[(1, v), (2, v)]));
            }
        }
        for k in 0..40 {
            all.push(series(
                &format!("ch-{k}"),
                Some(Family::Channel),
                &[(1, 0.5), (2, 0.5)],
            ));
            all.push(series(&format!("x-{k}"), None, &[(1, 0.5), (2, 0.5)]));
        }
        let s = scenario("w/all", all);
        let styles = styles(&s);
        assert_eq!(styles.len(), s.series.len());
        let keys: HashSet<_> = styles.iter().map(Style::key).collect();
        assert_eq!(keys.len(), styles.len(), "a style is shared");
        // The first 28 members of a family wear its colour.
        for st in styles
            .iter()
            .filter(|st| !st.strategy.starts_with("ch-") && !st.strategy.starts_with("x-"))
        {
            assert_eq!(st.color, family_look(st.family).0, "{}", st.strategy);
        }
        let channel = styles
            .iter()
            .filter(|st| st.family == Some(Family::Channel))
            .filter(|st| st.color == family_look(Some(Family::Channel)).0)
            .count();
        assert_eq!(channel, 28);
        // Families' colours: unique but for the four documented reuses,
        // which differ by dash.
        let mut looks = HashSet::new();
        for f in families {
            assert!(looks.insert(family_look(Some(f))), "{f:?}");
        }
        let colours: HashSet<_> = families.iter().map(|&f| family_look(Some(f)).0).collect();
        assert_eq!(colours.len(), families.len() - 4);
        assert_eq!(
            family_look(Some(Family::RwLock)).0,
            family_look(Some(Family::AsyncLock)).0
        );
        assert_eq!(
            family_look(Some(Family::Park)).0,
            family_look(Some(Family::DataParallel)).0
        );
        assert_eq!(
            family_look(Some(Family::Barrier)).0,
            family_look(Some(Family::Sharded)).0
        );
        assert_eq!(
            family_look(Some(Family::Spin)).0,
            family_look(Some(Family::LockFree)).0
        );
        // Reference strategies are marked as such.
        assert!(
            styles
                .iter()
                .filter(|st| st.reference)
                .all(|st| matches!(st.family, Some(Family::NoSharing | Family::Baseline)))
        );
    }

    #[test]
    fn legend_follows_the_last_thread_count() {
        crate::register_fonts();
        let s = scenario(
            "w/order",
            vec![
                // Fastest at 1 thread, slowest at 4.
                series("a", Some(Family::Mutex), &[(1, 100.0), (4, 1.0)]),
                series("b", Some(Family::Mutex), &[(1, 10.0), (4, 50.0)]),
                // No result at 4 threads: after those that have one.
                series("c", Some(Family::Atomic), &[(1, 1000.0)]),
                series("d", Some(Family::NoSharing), &[(1, 5.0), (4, 20.0)]),
            ],
        );
        let names: Vec<String> = styles(&s).into_iter().map(|x| x.strategy).collect();
        assert_eq!(names, ["b", "d", "a", "c"]);
        let c = render(&s).unwrap();
        assert_eq!(c.kind, Kind::Lines);
        assert_eq!(c.values, [Some(50e6), Some(20e6), Some(1e6), None]);
        // Same family, same colour; told apart by marker.
        assert_eq!(c.styles[0].color, c.styles[2].color);
        assert_ne!(c.styles[0].marker, c.styles[2].marker);
        assert_eq!(c.styles[1].label, "d (limit)");
    }

    #[test]
    fn single_thread_scenarios_are_sorted_bars() {
        crate::register_fonts();
        let s = scenario(
            "w/bars",
            vec![
                series("slow", Some(Family::Mutex), &[(1, 2.0)]),
                series("noop", Some(Family::Baseline), &[(1, 900.0)]),
                series("fast", Some(Family::Atomic), &[(1, 50.0)]),
            ],
        );
        let c = render(&s).unwrap();
        assert_eq!(c.kind, Kind::Bars);
        let labels: Vec<&str> = c.styles.iter().map(|x| x.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "noop (baseline, reference)",
                "fast (atomic)",
                "slow (mutex)"
            ]
        );
        assert_eq!(c.values, [Some(900e6), Some(50e6), Some(2e6)]);
        for l in labels {
            assert!(c.svg.contains(&format!(">\n{l}\n</text>")), "{l}");
        }
        for v in ["900M", "50.0M", "2.00M"] {
            assert!(c.svg.contains(&format!(">\n{v}\n</text>")), "{v}");
        }
        // The cost chart keeps the rows (test sidecars: CPU = wall x threads).
        let cost = render_cost(&s).unwrap().unwrap();
        assert_eq!(cost.kind, Kind::Bars);
        assert_eq!(cost.styles, c.styles);
        assert!(cost.svg.contains("CPU time per operation at 1 thread"));
        assert!(cost.svg.contains(">\n1.11 ns\n</text>"), "{}", cost.svg);
    }

    #[test]
    fn cost_lines_leave_out_series_without_cpu_time() {
        crate::register_fonts();
        let mut a = series("a", Some(Family::Mutex), &[(1, 10.0), (2, 5.0)]);
        let b = series("b", Some(Family::Atomic), &[(1, 1.0), (2, 2.0)]);
        for p in a.points.values_mut() {
            p.sidecar.as_mut().unwrap().cpu_ns_per_op = None;
        }
        let s = scenario("w/cost", vec![a, b]);
        assert!(has_cost(&s));
        let c = render_cost(&s).unwrap().unwrap();
        let names: Vec<&str> = c.styles.iter().map(|x| x.strategy.as_str()).collect();
        assert_eq!(names, ["b"]);
        // CPU ns = wall ns x threads: 1000 ns at 2 threads.
        assert_eq!(c.values, [Some(1000.0)]);
        let thr = render(&s).unwrap();
        let b_style = thr.styles.iter().find(|x| x.strategy == "b").unwrap();
        assert_eq!(&c.styles[0], b_style, "same style in both charts");
    }

    #[test]
    fn dashes_follow_the_pattern() {
        let d = dashes(&[(0, 0), (32, 0)], Dash::Dashed.pattern());
        assert_eq!(d, vec![vec![(0, 0), (10, 0)], vec![(16, 0), (26, 0)]]);
        // Dashes continue around corners.
        let d = dashes(&[(0, 0), (5, 0), (5, 20)], &[10.0, 6.0]);
        assert_eq!(d[0], vec![(0, 0), (5, 0), (5, 5)]);
        assert_eq!(d[1], vec![(5, 11), (5, 20)]);
        assert_eq!(dashes(&[(0, 0), (9, 9)], &[]), vec![vec![(0, 0), (9, 9)]]);
        // Bounded however long the line.
        let d = dashes(&[(0, 0), (1_000_000, 0)], Dash::Dotted.pattern());
        assert!(d.len() <= MAX_DASHES + 1, "{}", d.len());
        assert_eq!(d.last().unwrap().last(), Some(&(1_000_000, 0)));
    }

    #[test]
    fn hatching_stays_inside_the_bar() {
        let lines = hatch(10, 0, 40, 10, 6);
        assert!(!lines.is_empty());
        for [a, b] in lines {
            for p in [a, b] {
                assert!((10..=40).contains(&p.0) && (0..=10).contains(&p.1), "{p:?}");
            }
        }
        assert!(hatch(10, 0, 10, 10, 6).is_empty());
    }

    #[test]
    fn rate_axis_ticks_are_round_numbers() {
        let a = RateAxis { lo: 15e6, hi: 6e9 };
        let ticks = a.candidates(&[1.0, 2.0, 5.0]);
        assert_eq!(ticks.first(), Some(&20e6));
        assert_eq!(ticks.last(), Some(&5e9));
        assert_eq!(compact_si(2e8), "200M");
        assert_eq!(compact_si(1e9), "1G");
        assert_eq!(compact_si(5e3), "5k");
    }

    #[test]
    fn rate_axis_loops_are_bounded_for_any_range() {
        for (lo, hi) in [
            (1.0, f64::INFINITY),
            (f64::NAN, f64::NAN),
            (0.0, f64::MAX),
            (f64::NEG_INFINITY, 5.0),
            (1e308, 1e308),
        ] {
            for a in [RateAxis::new(lo, hi), RateAxis { lo, hi }] {
                let v = a.candidates(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
                assert!(v.len() <= 9 * 700, "{lo}..{hi}: {}", v.len());
                assert!(v.iter().all(|x| x.is_finite()), "{lo}..{hi}");
            }
            let a = RateAxis::new(lo, hi);
            assert!(
                a.lo.is_finite() && a.hi.is_finite() && a.lo < a.hi,
                "{lo}..{hi}"
            );
            for x in [f64::INFINITY, f64::NAN, 0.0, -1.0, 1e308] {
                let px = a.map(&x, (0, 500));
                assert!((-500..=1000).contains(&px), "{x} -> {px}");
            }
        }
    }
}
