//! The line chart of a scenario measured at several thread counts: one line
//! per strategy against threads on log-log axes, with its band, and the
//! legend in a column on the right.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::analyse::model::Scenario;
use crate::report::render::chart::axis::{LogAxis, bounds, compact_si};
use crate::report::render::chart::marks::{draw_marker, draw_path, rgb};
use crate::report::render::chart::{
    Entry, FONT, HEIGHT, Hover, HoverShape, Measure, WIDTH, threads_word, value_axis_title,
    value_tip,
};

/// Width of the legend column on the right (line charts).
const LEGEND: u32 = 280;

/// Draws the line chart of `entries`; returns the hover targets of its
/// points.
pub(super) fn draw_lines<DB: DrawingBackend>(
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
        .build_cartesian_2d(LogAxis::threads(&s.threads), LogAxis::values(y0, y1))
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
