//! How each strategy is drawn: its family's colour from the palette
//! ([`MUTED`], [`family_look`]), then a dash pattern and a marker unique in
//! its chart ([`styles`]), assigned in legend order ([`legend_order`]: by
//! the value at the last thread count).

use std::cmp::Ordering;
use std::collections::HashSet;

use crate::harness::Family;
use crate::report::analyse::model::{Scenario, Series};
use crate::report::render::chart::{Kind, kind};

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
/// A strategy of family `other` (one from another crate that fits no
/// family): a colour of its own, outside the muted palette, so that it
/// stands out beside the built-in field.
const OTHER: (u8, u8, u8) = (0xE0, 0x7B, 0x00);

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
        Some(Family::Other) => (OTHER, Dash::Solid),
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
pub(super) fn order_by(s: &Scenario, value: impl Fn(&Series, usize) -> Option<f64>) -> Vec<usize> {
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

pub(super) fn throughput_at(x: &Series, t: usize) -> Option<f64> {
    x.points.get(&t).map(|p| p.throughput.point)
}

pub(super) fn cost_at(x: &Series, t: usize) -> Option<f64> {
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
pub(super) fn assign(s: &Scenario) -> Vec<Option<Style>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::analyse::decide::tests::{scenario, series};
    use crate::report::render::chart::render;

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
}
