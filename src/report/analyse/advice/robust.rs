//! One robust pick per situation: the strategy that is never far from the
//! best over every cell of the situation (every variant, every thread
//! count), with how far at worst and where, and the exceptions worth acting
//! on.
//!
//! - A strategy's **regret** in a cell is the cell's best throughput over
//!   its own (1.0 when it is the best), on the point estimates (the
//!   geometric mean over passes).
//! - The **robust pick** is the contender whose worst regret over the
//!   situation's cells is smallest (then the smallest geometric mean of its
//!   regrets, then the name). Only strategies measured in the most cells
//!   compete: a strategy missing from a cell cannot be followed there.
//! - An **exception** is a cell whose best beats the robust pick by the
//!   practical margin ([`stats::PRACTICAL_MARGIN`]) and beyond the interval
//!   ([`crate::report::analyse::stats::Comparison::a_ahead`]): the cells
//!   where following the pick leaves a difference worth acting on.

use crate::report::analyse::decide::compare;
use crate::report::analyse::model::{Point, Scenario, ranked};
use crate::report::analyse::stats;

/// One cell of a situation.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct At {
    /// Scenario id.
    pub scenario: String,
    /// The scenario's short label inside the situation (`warm`, `99-1`).
    pub label: String,
    /// Thread count.
    pub threads: usize,
}

/// A cell where another strategy beats the robust pick by the practical
/// margin.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Exception {
    /// Where.
    pub at: At,
    /// The cell's best.
    pub strategy: String,
    /// Its throughput over the robust pick's (point).
    pub ratio: f64,
}

/// A situation's robust pick.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Robust {
    /// The strategy.
    pub strategy: String,
    /// Its worst regret over the cells it was measured in (best over it).
    pub worst: f64,
    /// Where that worst regret occurs.
    pub worst_at: At,
    /// The cells it was measured in (its regret is taken over these).
    pub cells: Vec<At>,
    /// The situation's cells with at least one contender.
    pub of: usize,
    /// The cells where another strategy beats it by the practical margin,
    /// largest ratio first.
    pub exceptions: Vec<Exception>,
}

/// A contender of a cell: its name, throughput (ops/s) and point.
type Contender<'a> = (String, f64, &'a Point);

/// The robust pick over `cells` (scenario, its label, thread count);
/// `None` when no cell has a contender.
pub fn pick(cells: &[(&Scenario, &str, usize)]) -> Option<Robust> {
    // Per cell: the contenders best first, with their throughput and point.
    let measured: Vec<(At, Vec<Contender<'_>>)> = cells
        .iter()
        .map(|&(s, label, threads)| {
            let at = At {
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
    // Regrets per strategy, in cell order.
    let mut regrets: Vec<(String, Vec<(usize, f64)>)> = Vec::new();
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
    let most = regrets.iter().map(|(_, v)| v.len()).max()?;
    let score = |v: &[(usize, f64)]| {
        let worst = v.iter().map(|&(_, r)| r).fold(1.0, f64::max);
        let mean = (v.iter().map(|&(_, r)| r.ln()).sum::<f64>() / v.len() as f64).exp();
        (worst, mean)
    };
    let (name, v) =
        regrets
            .iter()
            .filter(|(_, v)| v.len() == most)
            .min_by(|(na, a), (nb, b)| {
                let (wa, ma) = score(a);
                let (wb, mb) = score(b);
                wa.total_cmp(&wb)
                    .then(ma.total_cmp(&mb))
                    .then_with(|| na.cmp(nb))
            })?;
    let (worst_i, worst) =
        v.iter().copied().fold(
            (v[0].0, 1.0),
            |acc, (i, r)| if r > acc.1 { (i, r) } else { acc },
        );
    let mut exceptions: Vec<Exception> = Vec::new();
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
    exceptions.sort_by(|a, b| b.ratio.total_cmp(&a.ratio));
    Some(Robust {
        strategy: name.clone(),
        worst,
        worst_at: measured[worst_i].0.clone(),
        cells: v.iter().map(|&(i, _)| measured[i].0.clone()).collect(),
        of,
        exceptions,
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
        // `x` is best where measured but missing at 4 threads.
        let s = scenario(
            "w/s",
            vec![
                series("x", Some(Atomic), &[(1, 100.0), (2, 100.0)]),
                series("m", Some(Mutex), &[(1, 10.0), (2, 10.0), (4, 10.0)]),
            ],
        );
        let cells: Vec<(&Scenario, &str, usize)> =
            [1, 2, 4].iter().map(|&t| (&s, "s", t)).collect();
        let r = pick(&cells).unwrap();
        assert_eq!(r.strategy, "m");
        assert!((r.worst - 10.0).abs() < 1e-9);
        assert_eq!(r.exceptions.len(), 2);
        assert!(pick(&[]).is_none());
    }
}
