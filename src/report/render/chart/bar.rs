//! The bar chart of a scenario measured at one thread count: one horizontal
//! bar per strategy on a log axis, fastest on top, with whiskers over the
//! interval and the value printed at the end; reference strategies are
//! hatched.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::analyse::model::Scenario;
use crate::report::fmt::{fmt_num, fmt_si};
use crate::report::render::chart::axis::{
    AXIS_MAX, AXIS_MIN, LogAxis, RowAxis, bounds, compact_si,
};
use crate::report::render::chart::marks::rgb;
use crate::report::render::chart::{
    Entry, FONT, HEIGHT, Hover, HoverShape, Measure, WIDTH, hatch, threads_word, value_axis_title,
    value_tip,
};

/// Draws the bar chart of `entries`, top to bottom; returns the hover
/// targets of its bars.
pub(super) fn draw_bars<DB: DrawingBackend>(
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
    let (lo, hi) = (lo.max(AXIS_MIN), hi.min(AXIS_MAX));
    let (a, b) = (lo.log10(), hi.log10());
    let span = (b - a).max(0.5);
    let plot_w = (f64::from(WIDTH) - f64::from(label_area) - 28.0).max(100.0);
    let room = (80.0 / plot_w).min(0.5);
    let x0 = 10f64.powf(a - span * 0.25);
    let x1 = 10f64.powf(b + (span * 1.25) * room / (1.0 - room));
    let axis = LogAxis::values(x0, x1);
    let left = axis.range().start;

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
    use crate::harness::Family;
    use crate::report::analyse::decide::tests::{scenario, series};
    use crate::report::render::chart::{Kind, render, render_cost};

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
}
