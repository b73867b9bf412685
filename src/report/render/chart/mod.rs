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
//!
//! **Code.** This module holds what both kinds share: the chart of a
//! scenario as entries in legend order, the entry points, the hover
//! targets and PNG encoding. Submodules: `style` (palette, dashes, markers,
//! legend order), `axis` (one log axis for threads and values, and the row
//! axis of bars), `marks` (dashed lines, markers), `line` and `bar` (the
//! two kinds of chart).

mod axis;
mod bar;
mod line;
mod marks;
mod style;

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::report::analyse::model::{Scenario, Series};
use crate::report::fmt::{fmt_num, fmt_si};
use crate::report::render::chart::bar::draw_bars;
use crate::report::render::chart::line::draw_lines;
pub use crate::report::render::chart::style::{
    Dash, MUTED, Marker, Style, family_look, legend_order, styles,
};
use crate::report::render::chart::style::{assign, cost_at, order_by, throughput_at};

/// Chart width in pixels.
pub const WIDTH: u32 = 1000;
/// Chart height in pixels.
pub const HEIGHT: u32 = 560;
const FONT: &str = "sans-serif";

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::Family;
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
}
