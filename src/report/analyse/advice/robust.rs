//! One robust pick per situation: the strategy that is never far from the
//! best over every cell of the situation (every variant, every thread
//! count, and in the machines report every machine), with how far at worst
//! and where, and the exceptions worth acting on.
//!
//! - A strategy's **regret** in a cell is the cell's best throughput over
//!   its own (1.0 when it is the best), on the point estimates (the
//!   geometric mean over passes). A cell is one machine's: its regret is
//!   relative to that machine's best there.
//! - The **robust pick** is the contender whose worst regret over the
//!   situation's cells is smallest (then the smallest geometric mean of its
//!   regrets, then the name). Only strategies measured in the most cells
//!   compete: a strategy missing from a cell cannot be followed there.
//! - **Where it applies.** When that worst regret is at least the practical
//!   margin ([`stats::PRACTICAL_MARGIN`]), a strategy measured in fewer
//!   cells may lead where it was measured: one whose worst regret over its
//!   own cells is below the pick's worst regret over the same cells. The
//!   other cells then get their own pick by the same rule ("elsewhere"), and
//!   the split is kept only when it lowers the situation's worst regret (the
//!   larger of the two parts'); of several such strategies, the one giving
//!   the smallest worst (then the most cells, then its own smallest worst,
//!   then the name).
//! - An **exception** is a cell whose best beats the pick that applies there
//!   by the practical margin and beyond the interval
//!   ([`crate::report::analyse::stats::Comparison::a_ahead`]): the cells
//!   where following the answer leaves a difference worth acting on.
//! - **By map size.** A situation measured with maps that fit in the caches
//!   and with maps past them (ids with a `large` component) also gets one
//!   pick per size ([`Sized`]), made the same way over that size's cells:
//!   where the two differ, the size changes the answer.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use crate::report::analyse::decide::compare;
use crate::report::analyse::model::{Point, Scenario, ranked};
use crate::report::analyse::stats;

/// The map-size axis of a scenario, read from its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MapSize {
    /// The benches' default key space: the map sits in the caches.
    Small,
    /// Past the last-level cache: an id with a `large` component.
    Large,
}

impl MapSize {
    /// Both sizes, small first.
    pub const ALL: [MapSize; 2] = [MapSize::Small, MapSize::Large];

    /// How the report names it: `small maps`, `past the cache`.
    pub fn label(self) -> &'static str {
        match self {
            MapSize::Small => "small maps",
            MapSize::Large => "past the cache",
        }
    }

    /// The size scenario `id` measures.
    pub fn of(id: &str) -> MapSize {
        if id.split('/').any(|c| c == crate::map::size::LARGE) {
            MapSize::Large
        } else {
            MapSize::Small
        }
    }
}

/// The robust pick over one map size's cells.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sized {
    /// Which size.
    pub size: MapSize,
    /// The pick over its cells.
    pub robust: Robust,
}

/// One cell of a situation.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct At {
    /// The machine's label, in the machines report; empty on one machine.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub machine: String,
    /// Scenario id.
    pub scenario: String,
    /// The scenario's short label inside the situation (`warm`, `99-1`).
    pub label: String,
    /// Thread count.
    pub threads: usize,
}

/// A cell where another strategy beats the pick that applies there by the
/// practical margin.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Exception {
    /// Where.
    pub at: At,
    /// The cell's best.
    pub strategy: String,
    /// Its throughput over the pick's (point).
    pub ratio: f64,
}

/// A strategy measured in only some cells, leading where it applies.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Applies {
    /// The strategy.
    pub strategy: String,
    /// Its worst regret over its cells.
    pub worst: f64,
    /// Where that worst regret occurs.
    pub worst_at: At,
    /// The cells it was measured in, where it leads.
    pub cells: Vec<At>,
}

/// A situation's robust pick.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Robust {
    /// The strategy: the pick over every cell, or with `applies` the pick
    /// over the other cells.
    pub strategy: String,
    /// Its worst regret over `cells` (best over it).
    pub worst: f64,
    /// Where that worst regret occurs.
    pub worst_at: At,
    /// The cells it is followed in: those it was measured in (with
    /// `applies`: of the cells outside `applies`). Its regret is taken over
    /// these.
    pub cells: Vec<At>,
    /// The situation's cells with at least one contender.
    pub of: usize,
    /// The cells where another strategy beats the pick that applies there
    /// by the practical margin, largest ratio first.
    pub exceptions: Vec<Exception>,
    /// A strategy measured in fewer cells that leads where it applies
    /// (`strategy` covers the other cells); `None` when one pick covers
    /// them all (absent in results written before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies: Option<Applies>,
    /// How many machines the cells span (the machines report); 0 on one
    /// machine (absent in results written before).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub machines: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A contender of a cell: its name, throughput (ops/s) and point.
type Contender<'a> = (String, f64, &'a Point);

/// One strategy's regrets: (cell index, regret), in cell order.
type Regrets = Vec<(usize, f64)>;

/// A cell of one machine: the machine's label (empty on one machine), the
/// scenario, its label inside the situation, the thread count.
pub type Cell<'a> = (&'a str, &'a Scenario, &'a str, usize);

/// The robust pick over `cells` of one machine (scenario, its label, thread
/// count); `None` when no cell has a contender.
pub fn pick(cells: &[(&Scenario, &str, usize)]) -> Option<Robust> {
    pick_on(
        &cells
            .iter()
            .map(|&(s, label, threads)| ("", s, label, threads))
            .collect::<Vec<_>>(),
    )
}

/// The largest regret of `v` (1.0 at least) and the index of its cell.
fn worst_of(v: &[(usize, f64)]) -> (usize, f64) {
    v.iter()
        .copied()
        .fold((v.first().map_or(0, |x| x.0), 1.0), |acc, (i, r)| {
            if r > acc.1 { (i, r) } else { acc }
        })
}

/// The strategy whose worst regret is smallest (then the smallest
/// geometric mean of its regrets, then the name) among those measured in
/// the most cells, over the cells of `within` (every cell with `None`),
/// with its regrets there; `None` without a strategy measured there.
fn best_of<'a>(
    regrets: &'a [(String, Regrets)],
    within: Option<&BTreeSet<usize>>,
) -> Option<(&'a String, Regrets)> {
    let here: Vec<(&String, Regrets)> = regrets
        .iter()
        .map(|(n, v)| {
            let v: Regrets = v
                .iter()
                .copied()
                .filter(|(i, _)| within.is_none_or(|w| w.contains(i)))
                .collect();
            (n, v)
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let most = here.iter().map(|(_, v)| v.len()).max()?;
    let score = |v: &[(usize, f64)]| {
        let mean = (v.iter().map(|&(_, r)| r.ln()).sum::<f64>() / v.len() as f64).exp();
        (worst_of(v).1, mean)
    };
    here.into_iter()
        .filter(|(_, v)| v.len() == most)
        .min_by(|(na, a), (nb, b)| {
            let (wa, ma) = score(a);
            let (wb, mb) = score(b);
            wa.total_cmp(&wb)
                .then(ma.total_cmp(&mb))
                .then_with(|| na.cmp(nb))
        })
}

/// The robust pick over `cells`, each labelled with its machine (see the
/// module docs); `None` when no cell has a contender.
pub fn pick_on(cells: &[Cell<'_>]) -> Option<Robust> {
    // Per cell: the contenders best first, with their throughput and point.
    let measured: Vec<(At, Vec<Contender<'_>>)> = cells
        .iter()
        .map(|&(machine, s, label, threads)| {
            let at = At {
                machine: machine.to_string(),
                scenario: s.id.clone(),
                label: label.to_string(),
                threads,
            };
            let r: Vec<Contender<'_>> = ranked(s, threads)
                .iter()
                .map(|&(x, p)| (x.strategy.clone(), p.throughput.point, p))
                .filter(|(_, ops, _)| ops.is_finite() && *ops > 0.0)
                .collect();
            (at, r)
        })
        .filter(|(_, r)| !r.is_empty())
        .collect();
    let of = measured.len();
    let machines = measured
        .iter()
        .map(|(at, _)| at.machine.as_str())
        .filter(|m| !m.is_empty())
        .collect::<BTreeSet<_>>()
        .len();
    // Regrets per strategy, in cell order.
    let mut regrets: Vec<(String, Regrets)> = Vec::new();
    for (i, (_, r)) in measured.iter().enumerate() {
        let best = r[0].1;
        for (name, ops, _) in r {
            let regret = best / ops;
            match regrets.iter_mut().find(|(n, _)| n == name) {
                Some((_, v)) => v.push((i, regret)),
                None => regrets.push((name.clone(), vec![(i, regret)])),
            }
        }
    }
    let (name, v) = best_of(&regrets, None)?;
    let all_worst = worst_of(&v).1;
    // Where it applies: the best split of the cells, if any.
    struct Split<'a> {
        /// The situation's worst regret with it (the larger part's).
        worst: f64,
        /// The strategy that applies, its worst and regrets.
        name: &'a String,
        own: f64,
        regrets: &'a Regrets,
        /// The pick over the other cells and its regrets there.
        elsewhere: (&'a String, Regrets),
    }
    let mut split: Option<Split<'_>> = None;
    if all_worst >= stats::PRACTICAL_MARGIN {
        for (n, p) in regrets.iter().filter(|(_, p)| p.len() < v.len()) {
            let cells: BTreeSet<usize> = p.iter().map(|&(i, _)| i).collect();
            let there: Regrets = v
                .iter()
                .copied()
                .filter(|(i, _)| cells.contains(i))
                .collect();
            let own = worst_of(p).1;
            if there.is_empty() || own >= worst_of(&there).1 {
                continue;
            }
            // The other cells are never empty (`p` has fewer cells than
            // `v`), and each has a contender.
            let rest: BTreeSet<usize> = (0..of).filter(|i| !cells.contains(i)).collect();
            let Some(elsewhere) = best_of(&regrets, Some(&rest)) else {
                continue;
            };
            let worst = own.max(worst_of(&elsewhere.1).1);
            // The smallest worst, then the most cells, then its own
            // smallest worst, then the name.
            let better = |b: &Split<'_>| {
                worst
                    .total_cmp(&b.worst)
                    .then(b.regrets.len().cmp(&p.len()))
                    .then(own.total_cmp(&b.own))
                    .then_with(|| n.cmp(b.name))
                    == Ordering::Less
            };
            if worst < all_worst && split.as_ref().is_none_or(better) {
                split = Some(Split {
                    worst,
                    name: n,
                    own,
                    regrets: p,
                    elsewhere,
                });
            }
        }
    }
    // The pick over the cells it covers, and the part where another
    // applies.
    let (name, main, part): (&String, Regrets, Option<(&String, &Regrets)>) = match split {
        Some(x) => (x.elsewhere.0, x.elsewhere.1, Some((x.name, x.regrets))),
        None => (name, v, None),
    };
    let mut exceptions: Vec<Exception> = Vec::new();
    for (name, v) in std::iter::once((name, &main)).chain(part) {
        for &(i, regret) in v {
            let (at, r) = &measured[i];
            let (best, _, bp) = &r[0];
            if best == name || regret < stats::PRACTICAL_MARGIN {
                continue;
            }
            if let Some((_, _, pp)) = r.iter().find(|(n, _, _)| n == name)
                && compare(bp, pp).a_ahead()
            {
                exceptions.push(Exception {
                    at: at.clone(),
                    strategy: best.clone(),
                    ratio: regret,
                });
            }
        }
    }
    exceptions.sort_by(|a, b| b.ratio.total_cmp(&a.ratio));
    let cells_of = |v: &Regrets| v.iter().map(|&(i, _)| measured[i].0.clone()).collect();
    let (worst_i, worst) = worst_of(&main);
    Some(Robust {
        strategy: name.clone(),
        worst,
        worst_at: measured[worst_i].0.clone(),
        cells: cells_of(&main),
        of,
        exceptions,
        applies: part.map(|(n, p)| {
            let (i, worst) = worst_of(p);
            Applies {
                strategy: n.clone(),
                worst,
                worst_at: measured[i].0.clone(),
                cells: cells_of(p),
            }
        }),
        machines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::Family::{Atomic, Mutex, RwLock};
    use crate::report::analyse::decide::tests::{scenario, series};

    #[test]
    fn the_pick_minimises_the_worst_regret_and_names_the_exceptions() {
        // `m` is never best but never more than 1.25x behind; `a` wins
        // two cells and is 4x behind in the third; `r` is 1.6x behind.
        let s = scenario(
            "w/s",
            vec![
                series("a", Some(Atomic), &[(1, 10.0), (2, 10.0), (4, 1.0)]),
                series("m", Some(Mutex), &[(1, 8.0), (2, 9.0), (4, 4.0)]),
                series("r", Some(RwLock), &[(1, 6.25), (2, 2.0), (4, 2.5)]),
            ],
        );
        let cells: Vec<(&Scenario, &str, usize)> =
            [1, 2, 4].iter().map(|&t| (&s, "s", t)).collect();
        let r = pick(&cells).unwrap();
        assert_eq!(r.strategy, "m");
        assert!((r.worst - 1.25).abs() < 1e-9, "{r:?}");
        assert_eq!(r.worst_at.threads, 1);
        assert_eq!((r.cells.len(), r.of), (3, 3));
        // 1.25x and 1.11x behind are no exception; nothing else beats it.
        assert!(r.exceptions.is_empty(), "{r:?}");
    }

    #[test]
    fn a_cell_beating_the_pick_by_the_margin_is_an_exception() {
        let s = scenario(
            "w/s",
            vec![
                series("a", Some(Atomic), &[(1, 35.0), (2, 1.0), (4, 1.0)]),
                series("m", Some(Mutex), &[(1, 10.0), (2, 10.0), (4, 10.0)]),
            ],
        );
        let cells: Vec<(&Scenario, &str, usize)> =
            [1, 2, 4].iter().map(|&t| (&s, "s", t)).collect();
        let r = pick(&cells).unwrap();
        assert_eq!(r.strategy, "m");
        assert!((r.worst - 3.5).abs() < 1e-9);
        assert_eq!(r.exceptions.len(), 1);
        assert_eq!(r.exceptions[0].strategy, "a");
        assert_eq!(r.exceptions[0].at.threads, 1);
    }

    #[test]
    fn only_strategies_measured_in_the_most_cells_compete() {
        // `x` is best where measured but missing at 4 threads, and `m` is
        // within the margin of it: one pick, `m`, everywhere.
        let s = scenario(
            "w/s",
            vec![
                series("x", Some(Atomic), &[(1, 12.0), (2, 12.0)]),
                series("m", Some(Mutex), &[(1, 10.0), (2, 10.0), (4, 10.0)]),
            ],
        );
        let cells: Vec<(&Scenario, &str, usize)> =
            [1, 2, 4].iter().map(|&t| (&s, "s", t)).collect();
        let r = pick(&cells).unwrap();
        assert_eq!(r.strategy, "m");
        assert!((r.worst - 1.2).abs() < 1e-9);
        assert_eq!(r.applies, None);
        assert!(r.exceptions.is_empty());
        assert!(pick(&[]).is_none());
    }

    #[test]
    fn a_strategy_far_ahead_where_measured_leads_where_it_applies() {
        // `x` is 10x ahead of `m` at 1 and 2 threads and missing at 4,
        // where `m` is the best: `x` where it applies, `m` elsewhere.
        let s = scenario(
            "w/s",
            vec![
                series("x", Some(Atomic), &[(1, 100.0), (2, 100.0)]),
                series("m", Some(Mutex), &[(1, 10.0), (2, 10.0), (4, 10.0)]),
                series("r", Some(RwLock), &[(4, 5.0)]),
            ],
        );
        let cells: Vec<(&Scenario, &str, usize)> =
            [1, 2, 4].iter().map(|&t| (&s, "s", t)).collect();
        let r = pick(&cells).unwrap();
        let a = r.applies.as_ref().expect("two parts");
        assert_eq!((a.strategy.as_str(), a.worst), ("x", 1.0));
        assert_eq!(
            a.cells.iter().map(|c| c.threads).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!((r.strategy.as_str(), r.worst), ("m", 1.0));
        assert_eq!(r.cells.len(), 1);
        assert_eq!(r.cells[0].threads, 4);
        assert_eq!(r.of, 3);
        // Against the pick that applies in each cell, nothing is ahead.
        assert!(r.exceptions.is_empty(), "{r:?}");
    }

    #[test]
    fn cells_of_several_machines_are_each_against_their_machines_best() {
        // On machine A `m` is the best; on B it is 1.5x behind `a`, which
        // is far behind on A: `m`, worst 1.5x on B.
        let on = |a: f64, m: f64| {
            scenario(
                "w/s",
                vec![
                    series("a", Some(Atomic), &[(1, a), (2, a)]),
                    series("m", Some(Mutex), &[(1, m), (2, m)]),
                ],
            )
        };
        let (sa, sb) = (on(1.0, 10.0), on(15.0, 10.0));
        let cells: Vec<Cell<'_>> = [("A", &sa), ("B", &sb)]
            .iter()
            .flat_map(|&(m, s)| [1, 2].map(|t| (m, s, "s", t)))
            .collect();
        let r = pick_on(&cells).unwrap();
        assert_eq!(r.strategy, "m");
        assert!((r.worst - 1.5).abs() < 1e-9);
        assert_eq!(r.worst_at.machine, "B");
        assert_eq!((r.of, r.machines), (4, 2));
        assert_eq!(r.exceptions.len(), 2);
        assert!(r.exceptions.iter().all(|e| e.at.machine == "B"));
    }

    #[test]
    fn results_written_before_the_two_parts_still_read() {
        let old = r#"{"strategy":"m","worst":1.2,"worst_at":{"scenario":"w/s","label":"s",
            "threads":4},"cells":[],"of":3,"exceptions":[]}"#;
        let r: Robust = serde_json::from_str(old).unwrap();
        assert_eq!(
            (r.applies, r.machines, r.worst_at.machine),
            (None, 0, String::new())
        );
    }
}
