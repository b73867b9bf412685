//! One chart per scenario: throughput vs threads on log-log axes, one line
//! per strategy with its confidence band, reference lines dashed (the
//! no-sharing limit in black), axis titles and a legend beside the plot.
//!
//! The same drawing code runs on plotters' SVG and bitmap backends; the
//! bitmap is encoded to PNG in memory. Text is laid out and (in the PNG)
//! rasterised with the embedded DejaVu Sans ([`crate::register_fonts`]), so
//! no system font is needed.

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{KeyPointHint, ValueFormatter};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::model::{Scenario, Series};
use super::fmt_si;

/// Chart width in pixels.
pub const WIDTH: u32 = 1000;
/// Chart height in pixels.
pub const HEIGHT: u32 = 560;
/// Width of the legend column on the right.
const LEGEND: u32 = 280;
const FONT: &str = "sans-serif";

/// Distinct line colours (black is kept for the no-sharing limit).
const PALETTE: [RGBColor; 16] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
    RGBColor(0, 0, 139),
    RGBColor(139, 0, 0),
    RGBColor(0, 110, 0),
    RGBColor(128, 0, 128),
    RGBColor(205, 150, 0),
    RGBColor(0, 128, 128),
    RGBColor(255, 0, 255),
];
/// The no-sharing limit.
const LIMIT: RGBColor = RGBColor(0, 0, 0);

/// How one strategy is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Style {
    /// The strategy.
    pub strategy: String,
    /// The legend text.
    pub label: String,
    /// Line, marker and band colour.
    pub color: (u8, u8, u8),
    /// Dashed (reference lines).
    pub dashed: bool,
}

/// A rendered chart.
#[derive(Clone, Debug)]
pub struct Chart {
    /// SVG markup.
    pub svg: String,
    /// PNG bytes.
    pub png: Vec<u8>,
    /// The series drawn, in legend order.
    pub styles: Vec<Style>,
}

/// The style of every series of `s`, in its order.
pub fn styles(s: &Scenario) -> Vec<Style> {
    let mut next = 0;
    s.series
        .iter()
        .map(|x: &Series| {
            let (color, label) = if x.is_limit() {
                (LIMIT, format!("{} (limit)", x.strategy))
            } else {
                let c = PALETTE[next % PALETTE.len()];
                next += 1;
                (c, format!("{} ({})", x.strategy, x.family_name()))
            };
            Style {
                strategy: x.strategy.clone(),
                label,
                color: (color.0, color.1, color.2),
                dashed: x.is_reference(),
            }
        })
        .collect()
}

/// Draws `s` as SVG and PNG.
pub fn render(s: &Scenario) -> Result<Chart> {
    let styles = styles(s);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, s, &styles).map_err(|e| anyhow!("SVG: {e}"))?;
        root.present().map_err(|e| anyhow!("SVG: {e}"))?;
    }
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, s, &styles).map_err(|e| anyhow!("bitmap: {e}"))?;
        root.present().map_err(|e| anyhow!("bitmap: {e}"))?;
    }
    Ok(Chart {
        svg,
        png: encode_png(&rgb, WIDTH, HEIGHT)?,
        styles,
    })
}

/// Axis labels: `1G`, `200M`, `5k` (tick values are round numbers).
fn compact_si(x: f64) -> String {
    let (v, unit) = super::si_split(x);
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

/// The throughput axis: log10, ticks on the 1-2-5 sequence (thinned to
/// powers of ten over wide ranges), light grid lines at 1..9 per decade.
struct RateAxis {
    lo: f64,
    hi: f64,
}

/// The widest throughput range an axis spans: 1e-300..1e300 operations/s.
/// Anything outside (infinite, NaN, absurd estimates) is clamped into it, so
/// every loop over decades below is bounded (at most 601 decades).
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

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Scenario,
    styles: &[Style],
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(err)?;
    let (plot, legend) = root.split_horizontally(WIDTH - LEGEND);

    // Only finite, positive values count towards the range; the axis clamps
    // what is left to 1e-300..1e300 (an infinite or absurd throughput from a
    // hostile estimate must not make the tick loops run forever).
    let usable = |x: f64| x.is_finite() && x > 0.0;
    let bounds = s
        .series
        .iter()
        .flat_map(|x| x.points.values())
        .flat_map(|p| [p.throughput.lo, p.throughput.point, p.throughput.hi])
        .filter(|&x| usable(x))
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
    let (y0, y1) = if bounds.0.is_finite() && bounds.1 >= bounds.0 {
        (bounds.0 / 1.6, bounds.1 * 1.6)
    } else {
        (1.0, 10.0)
    };

    let mut chart = ChartBuilder::on(&plot)
        .caption(format!("{}: throughput vs threads", s.id), (FONT, 22))
        .margin(14)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(ThreadAxis::new(&s.threads), RateAxis::new(y0, y1))
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("threads (log scale)")
        .y_desc("throughput, operations/s (log scale)")
        .x_label_formatter(&|v| format!("{}", v.round()))
        .y_label_formatter(&|v| compact_si(*v))
        .y_labels(10)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .bold_line_style(RGBColor(220, 220, 220))
        .light_line_style(RGBColor(242, 242, 242))
        .draw()
        .map_err(err)?;

    for (x, style) in s.series.iter().zip(styles) {
        let c = RGBColor(style.color.0, style.color.1, style.color.2);
        let pts: Vec<(f64, f64, f64, f64)> = x
            .points
            .values()
            .map(|p| {
                (
                    p.threads as f64,
                    p.throughput.point,
                    p.throughput.lo,
                    p.throughput.hi,
                )
            })
            .collect();
        if pts.len() >= 2 {
            let band: Vec<(f64, f64)> = pts
                .iter()
                .map(|p| (p.0, p.3))
                .chain(pts.iter().rev().map(|p| (p.0, p.2)))
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(band, c.mix(0.14).filled())))
                .map_err(err)?;
        } else {
            chart
                .draw_series(
                    pts.iter()
                        .map(|p| PathElement::new(vec![(p.0, p.2), (p.0, p.3)], c.stroke_width(2))),
                )
                .map_err(err)?;
        }
        let line = pts.iter().map(|p| (p.0, p.1));
        if style.dashed {
            chart
                .draw_series(DashedLineSeries::new(line, 10, 6, c.stroke_width(2)))
                .map_err(err)?;
        } else {
            chart
                .draw_series(LineSeries::new(line, c.stroke_width(2)))
                .map_err(err)?;
        }
        chart
            .draw_series(pts.iter().map(|p| Circle::new((p.0, p.1), 4, c.filled())))
            .map_err(err)?;
    }

    // Legend: one row per series, in the scenario's order (fastest first).
    let n = styles.len().max(1) as i32;
    let top = 54;
    let row = ((HEIGHT as i32 - top - 10) / n).clamp(10, 24);
    // Shrink the text until the longest label fits the column (DejaVu Sans
    // averages about 0.5 em per character).
    let longest = styles
        .iter()
        .map(|s| s.label.chars().count())
        .max()
        .unwrap_or(1) as f64;
    let fit = ((f64::from(LEGEND) - 56.0) / (0.5 * longest)).floor() as i32;
    let size = (row - 8).min(fit).clamp(9, 15);
    legend
        .draw(&Text::new(
            "strategy (family)",
            (8, top - 26),
            (FONT, 15).into_font().style(FontStyle::Bold),
        ))
        .map_err(err)?;
    for (i, style) in styles.iter().enumerate() {
        let c = RGBColor(style.color.0, style.color.1, style.color.2);
        let y = top + i as i32 * row + row / 2;
        if style.dashed {
            legend
                .draw(&DashedPathElement::new(
                    vec![(8, y), (40, y)],
                    8,
                    5,
                    c.stroke_width(2),
                ))
                .map_err(err)?;
        } else {
            legend
                .draw(&PathElement::new(vec![(8, y), (40, y)], c.stroke_width(2)))
                .map_err(err)?;
        }
        legend
            .draw(&Circle::new((24, y), 4, c.filled()))
            .map_err(err)?;
        legend
            .draw(&Text::new(
                style.label.clone(),
                (48, y),
                (FONT, size)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::Family;
    use crate::report::decide::tests::{scenario, series};

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
        ];
        for s in &cases {
            let c = render(s).unwrap();
            assert!(c.svg.starts_with("<svg"));
            assert_eq!(&c.png[1..4], b"PNG");
            assert_eq!(c.styles.len(), s.series.len());
        }
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
