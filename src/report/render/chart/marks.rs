//! The marks both kinds of chart draw, in pixels: dashed polylines
//! ([`draw_path`], cut by [`dashes`]) and point markers ([`draw_marker`]).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::report::render::chart::style::{Dash, Marker};

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

pub(super) fn rgb(c: (u8, u8, u8)) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

pub(super) type Drawn = Result<(), String>;

/// A polyline in pixels with `dash`.
pub(super) fn draw_path<DB: DrawingBackend>(
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
pub(super) fn draw_marker<DB: DrawingBackend>(
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
