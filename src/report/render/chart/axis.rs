//! The axes: one log axis for threads and values alike ([`LogAxis`], its
//! base and ticks as parameters) and the row axis of bar charts
//! ([`RowAxis`]). Every coordinate goes through [`to_pixel`], which clamps
//! infinite or absurd values, so drawing stays bounded whatever the input.

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};

use crate::report::fmt::fmt_si;

/// The widest range a value axis spans: 1e-300..1e300. Anything outside
/// (infinite, NaN, absurd estimates) is clamped into it, so every loop over
/// decades below is bounded (at most 601 decades).
pub(super) const AXIS_MIN: f64 = 1e-300;
/// See [`AXIS_MIN`].
pub(super) const AXIS_MAX: f64 = 1e300;
/// The most tick candidates an axis computes, whatever its range.
const MAX_CANDIDATES: usize = 10_000;

/// The logarithm an axis is spaced by. Each base calls its own `f64`
/// method (`log2`, `log10`), never `ln(x) / ln(base)`, which rounds
/// differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Base {
    Two,
    Ten,
}

impl Base {
    fn log(self, x: f64) -> f64 {
        match self {
            Base::Two => x.log2(),
            Base::Ten => x.log10(),
        }
    }
}

/// Where a [`LogAxis`] puts its ticks.
#[derive(Clone, Debug, PartialEq)]
enum Ticks {
    /// Exactly at these values (thinned out evenly when there are more
    /// than room); no light grid lines.
    At(Vec<f64>),
    /// Round numbers: the 1-2-5 sequence per decade (thinned to 1-3, then
    /// to powers of ten, over wide ranges); light grid lines at 1..9 per
    /// decade.
    Decades,
}

/// A log-scaled axis over `lo..hi`, spaced by the logarithm of `base`,
/// ticked by `ticks`. Two are built: the thread axis
/// ([`LogAxis::threads`]) and the value axis ([`LogAxis::values`]).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct LogAxis {
    lo: f64,
    hi: f64,
    base: Base,
    ticks: Ticks,
}

impl LogAxis {
    /// The thread axis: log2-spaced, ticks exactly at the measured thread
    /// counts (plotters' own log axis would tick at powers of ten).
    pub(super) fn threads(threads: &[usize]) -> LogAxis {
        let ticks: Vec<f64> = threads.iter().map(|&t| t.max(1) as f64).collect();
        let (a, b) = match (ticks.first(), ticks.last()) {
            (Some(&a), Some(&b)) => (a.log2(), b.log2()),
            _ => (0.0, 0.0),
        };
        let pad = if b > a { 0.2 } else { 0.5 };
        LogAxis {
            lo: (a - pad).exp2(),
            hi: (b + pad).exp2(),
            base: Base::Two,
            ticks: Ticks::At(ticks),
        }
    }

    /// The value axis (throughput or CPU time) over `lo..hi`: log10, ticks
    /// on round numbers ([`Ticks::Decades`]); clamped to finite, positive,
    /// non-empty bounds.
    pub(super) fn values(lo: f64, hi: f64) -> LogAxis {
        let clamp = |x: f64, fallback: f64| {
            if x.is_nan() {
                fallback
            } else {
                x.clamp(AXIS_MIN, AXIS_MAX)
            }
        };
        let (lo, hi) = (clamp(lo, 1.0), clamp(hi, 10.0));
        let (lo, hi) = if lo < hi {
            (lo, hi)
        } else {
            // Empty or inverted: one decade around `lo`.
            let lo = lo.min(AXIS_MAX / 10.0);
            (lo, lo * 10.0)
        };
        LogAxis {
            lo,
            hi,
            base: Base::Ten,
            ticks: Ticks::Decades,
        }
    }

    /// Every `mantissa × 10^e` within `lo..hi`.
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

    /// Round-number ticks ([`Ticks::Decades`]).
    fn decade_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
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
}

/// Ticks exactly at `ticks` ([`Ticks::At`]).
fn points_at<Hint: KeyPointHint>(ticks: &[f64], hint: Hint) -> Vec<f64> {
    if hint.weight().allow_light_points() || ticks.is_empty() {
        return Vec::new();
    }
    // Thin out evenly when there are more ticks than room.
    let step = ticks.len().div_ceil(hint.max_num_points().max(1));
    ticks.iter().copied().step_by(step.max(1)).collect()
}

/// Axis labels: `1G`, `200M`, `5k` (tick values are round numbers).
pub(super) fn compact_si(x: f64) -> String {
    let (v, unit) = crate::report::fmt::si_split(x);
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}{unit}")
}

/// `r` (0..1 over the plot) mapped to pixels, clamped to a band around the
/// plot so infinite or absurd values give finite, bounded coordinates.
fn to_pixel(r: f64, limit: (i32, i32)) -> i32 {
    let r = if r.is_nan() { 0.0 } else { r.clamp(-1.0, 2.0) };
    limit.0 + (r * f64::from(limit.1 - limit.0)).round() as i32
}

impl Ranged for LogAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let (lo, hi) = (self.base.log(self.lo), self.base.log(self.hi));
        to_pixel(
            (self.base.log(value.max(f64::MIN_POSITIVE)) - lo) / (hi - lo),
            limit,
        )
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        match &self.ticks {
            Ticks::At(ticks) => points_at(ticks, hint),
            Ticks::Decades => self.decade_points(hint),
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for LogAxis {
    /// A value's label without its axis: `fmt_si`.
    fn format(value: &f64) -> String {
        fmt_si(*value)
    }

    /// Thread counts as integers, values with `fmt_si`.
    fn format_ext(&self, value: &f64) -> String {
        match self.ticks {
            Ticks::At(_) => format!("{}", value.round()),
            Ticks::Decades => Self::format(value),
        }
    }
}

/// The row axis of a bar chart: `0..n`, row `i` (from the top) spanning
/// `n - i - 1 .. n - i`; no ticks (rows are labelled by hand).
pub(super) struct RowAxis {
    /// The number of rows.
    pub(super) n: f64,
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

impl ValueFormatter<f64> for RowAxis {
    fn format(_: &f64) -> String {
        String::new()
    }
}

/// The smallest and largest finite, positive values, if any.
pub(super) fn bounds(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .filter(|x| x.is_finite() && *x > 0.0)
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
    (lo.is_finite() && hi >= lo).then_some((lo, hi))
}

#[cfg(test)]
mod tests {
    use plotters::coord::ranged1d::BoldPoints;

    use super::*;

    /// A value axis over `lo..hi` as given, unclamped.
    fn raw(lo: f64, hi: f64) -> LogAxis {
        LogAxis {
            lo,
            hi,
            base: Base::Ten,
            ticks: Ticks::Decades,
        }
    }

    #[test]
    fn value_axis_ticks_are_round_numbers() {
        let a = raw(15e6, 6e9);
        let ticks = a.candidates(&[1.0, 2.0, 5.0]);
        assert_eq!(ticks.first(), Some(&20e6));
        assert_eq!(ticks.last(), Some(&5e9));
        assert_eq!(compact_si(2e8), "200M");
        assert_eq!(compact_si(1e9), "1G");
        assert_eq!(compact_si(5e3), "5k");
    }

    #[test]
    fn value_axis_loops_are_bounded_for_any_range() {
        for (lo, hi) in [
            (1.0, f64::INFINITY),
            (f64::NAN, f64::NAN),
            (0.0, f64::MAX),
            (f64::NEG_INFINITY, 5.0),
            (1e308, 1e308),
        ] {
            for a in [LogAxis::values(lo, hi), raw(lo, hi)] {
                let v = a.candidates(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
                assert!(v.len() <= 9 * 700, "{lo}..{hi}: {}", v.len());
                assert!(v.iter().all(|x| x.is_finite()), "{lo}..{hi}");
            }
            let a = LogAxis::values(lo, hi);
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

    #[test]
    fn thread_axis_ticks_at_the_thread_counts_by_doublings() {
        let a = LogAxis::threads(&[1, 2, 4, 8]);
        assert_eq!(a.key_points(BoldPoints(10)), [1.0, 2.0, 4.0, 8.0]);
        assert_eq!(a.key_points(BoldPoints(2)), [1.0, 4.0]);
        // No light grid lines.
        assert!(a.key_points(10usize).is_empty());
        // Evenly spaced by doublings: 1, 2, 4, 8 are 100 px apart.
        let px: Vec<i32> = [1.0, 2.0, 4.0, 8.0]
            .iter()
            .map(|t| a.map(t, (0, 340)))
            .collect();
        assert_eq!(px, [20, 120, 220, 320]);
        assert_eq!(a.format_ext(&4.0), "4");
        assert_eq!(LogAxis::values(1.0, 10.0).format_ext(&4e6), fmt_si(4e6));
    }
}
