//! What following one run's answers costs on another: the **regret** of a
//! strategy in a cell of run B is B's best throughput there over that
//! strategy's (1.0 when it is B's best), on the point estimates.
//!
//! `report diff A B` follows A's answers on B three ways:
//! - **first pick**: each cell's first-named strategy in A (the winner, or
//!   the best of a group);
//! - **any member** of each group A names, the worst member per cell: of
//!   its "no practical difference" groups (which promise that any of them
//!   will do), and apart from them of its unclear ties, families and floor
//!   groups;
//! - **robust picks**: each situation's pick over the situation's cells,
//!   its worst regret on B beside the worst regret A states; a situation
//!   whose answer has two parts (a strategy where it applies, the pick
//!   elsewhere) is followed part by part, each over its own cells.
//!
//! A strategy that B did not measure in a cell is not counted there.

use std::fmt::Write;

use crate::report::analyse::advice::robust::{At, Robust};
use crate::report::analyse::decide::{CellVerdict, fmt_ratio};
use crate::report::compare::diff::ResultSet;

/// A cell: scenario id and thread count.
pub type Cell = (String, usize);

/// Regrets over cells, summarised.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Each counted cell's regret.
    pub cells: Vec<(Cell, f64)>,
}

impl Summary {
    fn sorted(&self) -> Vec<f64> {
        let mut v: Vec<f64> = self.cells.iter().map(|(_, r)| *r).collect();
        v.sort_by(f64::total_cmp);
        v
    }

    /// The `q` quantile (nearest rank), `None` without cells.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let v = self.sorted();
        if v.is_empty() {
            return None;
        }
        let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
        Some(v[rank - 1])
    }

    /// The largest regret, `None` without cells.
    pub fn worst(&self) -> Option<f64> {
        self.sorted().last().copied()
    }

    /// The `n` cells with the largest regret, largest first.
    pub fn worst_cells(&self, n: usize) -> Vec<&(Cell, f64)> {
        let mut v: Vec<&(Cell, f64)> = self.cells.iter().collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v.truncate(n);
        v
    }

    /// Cells with a regret above `bar`.
    pub fn above(&self, bar: f64) -> usize {
        self.cells.iter().filter(|(_, r)| *r > bar).count()
    }
}

/// One situation's robust pick followed on B.
#[derive(Clone, Debug, PartialEq)]
pub struct RobustFollow {
    /// The situation's text.
    pub situation: String,
    /// A's pick.
    pub strategy: String,
    /// Which part of a two-part answer: `where it applies (6 of 9 cells)`
    /// or `elsewhere`; empty for a single pick.
    pub part: String,
    /// The worst regret A states.
    pub stated: f64,
    /// Its worst regret on B over A's cells, `None` when B measured it in
    /// none of them.
    pub on_b: Option<f64>,
    /// Where that worst is on B.
    pub on_b_at: Option<Cell>,
}

/// Following A on B.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Regret {
    /// The first-named pick per cell.
    pub first: Summary,
    /// The worst member of A's "no practical difference" groups per cell.
    pub equivalent: Summary,
    /// The worst member of A's unclear ties per cell.
    pub unclear: Summary,
    /// The worst member of A's winning families and floor groups per cell.
    pub groups: Summary,
    /// Each situation's robust pick.
    pub robust: Vec<RobustFollow>,
}

/// B's regret of `name` in `cell`, `None` when B did not measure it there.
fn regret_on(b: &ResultSet, cell: &Cell, name: &str) -> Option<f64> {
    let ops = b.ops.get(cell)?;
    let best = ops.iter().map(|(_, x)| *x).fold(0.0, f64::max);
    let mine = ops.iter().find(|(n, _)| n == name)?.1;
    Some(best / mine)
}

/// Follows A's answers on B (see the module docs).
pub fn follow(a: &ResultSet, b: &ResultSet) -> Regret {
    let mut r = Regret::default();
    for (cell, (verdict, _)) in &a.cells {
        let members: &[String] = match verdict {
            CellVerdict::Winner { strategy } => std::slice::from_ref(strategy),
            CellVerdict::Tie { strategies }
            | CellVerdict::Equivalent { strategies }
            | CellVerdict::Family { strategies, .. }
            | CellVerdict::Floor { strategies, .. } => strategies,
            CellVerdict::None => continue,
        };
        if let Some(x) = members.first().and_then(|m| regret_on(b, cell, m)) {
            r.first.cells.push((cell.clone(), x));
        }
        let worst = members
            .iter()
            .filter_map(|m| regret_on(b, cell, m))
            .fold(None, |acc: Option<f64>, x| {
                Some(acc.map_or(x, |a| a.max(x)))
            });
        let into = match verdict {
            CellVerdict::Equivalent { .. } => &mut r.equivalent,
            CellVerdict::Tie { .. } => &mut r.unclear,
            CellVerdict::Family { .. } | CellVerdict::Floor { .. } => &mut r.groups,
            _ => continue,
        };
        if let Some(x) = worst {
            into.cells.push((cell.clone(), x));
        }
    }
    for p in &a.robust {
        // A situation measured at both map sizes is answered per size.
        let picks: Vec<(&str, &Robust)> = if p.sizes.is_empty() {
            vec![("", &p.robust)]
        } else {
            p.sizes
                .iter()
                .map(|z| (z.size.label(), &z.robust))
                .collect()
        };
        let parts: Vec<(String, &str, f64, &[At])> = picks
            .into_iter()
            .flat_map(|(size, x)| {
                let name = |part: String| match (size.is_empty(), part.is_empty()) {
                    (true, _) => part,
                    (false, true) => size.to_string(),
                    (false, false) => format!("{size}, {part}"),
                };
                match &x.applies {
                    None => vec![(
                        name(String::new()),
                        x.strategy.as_str(),
                        x.worst,
                        &x.cells[..],
                    )],
                    Some(w) => vec![
                        (
                            name(format!(
                                "where it applies ({} of {} cells)",
                                w.cells.len(),
                                x.of
                            )),
                            w.strategy.as_str(),
                            w.worst,
                            &w.cells[..],
                        ),
                        (
                            name("elsewhere".to_string()),
                            x.strategy.as_str(),
                            x.worst,
                            &x.cells[..],
                        ),
                    ],
                }
            })
            .collect();
        for (part, strategy, stated, cells) in parts {
            let mut on_b: Option<(f64, Cell)> = None;
            for at in cells {
                let cell = (at.scenario.clone(), at.threads);
                if let Some(x) = regret_on(b, &cell, strategy)
                    && on_b.as_ref().is_none_or(|(w, _)| x > *w)
                {
                    on_b = Some((x, cell));
                }
            }
            r.robust.push(RobustFollow {
                situation: p.text.clone(),
                strategy: strategy.to_string(),
                part,
                stated,
                on_b_at: on_b.as_ref().map(|(_, c)| c.clone()),
                on_b: on_b.map(|(x, _)| x),
            });
        }
    }
    r
}

fn cell_name(c: &Cell) -> String {
    format!("`{}` @ {}", c.0, c.1)
}

fn summary_line(s: &mut String, what: &str, x: &Summary) {
    let f = |v: Option<f64>| v.map_or("-".to_string(), fmt_ratio);
    let worst: Vec<String> = x
        .worst_cells(3)
        .iter()
        .map(|(c, r)| format!("{} {}", cell_name(c), fmt_ratio(*r)))
        .collect();
    let _ = writeln!(
        s,
        "| {what} | {} | {} | {} | {} | {} | {} |",
        x.cells.len(),
        f(x.quantile(0.5)),
        f(x.quantile(0.9)),
        f(x.worst()),
        x.above(crate::report::analyse::stats::PRACTICAL_MARGIN),
        if worst.is_empty() {
            "-".to_string()
        } else {
            worst.join(", ")
        }
    );
}

/// The regret section of `report diff` as Markdown.
pub fn render(r: &Regret, s: &mut String) {
    let _ = writeln!(
        s,
        "\n## Following A's answers on B\n\nThe regret of a strategy in a cell of B is B's best \
         throughput there over the strategy's (1.00x: it is B's best). A strategy B did not \
         measure in a cell is not counted.\n\n| following A's | cells | median | 90th \
         percentile | worst | cells over {} | worst cells |\n|---|---|---|---|---|---|---|",
        fmt_ratio(crate::report::analyse::stats::PRACTICAL_MARGIN)
    );
    summary_line(s, "first pick per cell", &r.first);
    summary_line(
        s,
        "any member of a \"no practical difference\" group",
        &r.equivalent,
    );
    summary_line(s, "any member of an unclear tie", &r.unclear);
    summary_line(s, "any member of a family or floor group", &r.groups);
    if r.robust.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "\n| situation | A's robust pick | worst regret A states | worst regret on B | B / A \
         | where on B |\n|---|---|---|---|---|---|"
    );
    for f in &r.robust {
        let _ = writeln!(
            s,
            "| {} | `{}`{} | {} | {} | {} | {} |",
            f.situation,
            f.strategy,
            if f.part.is_empty() {
                String::new()
            } else {
                format!(" {}", f.part)
            },
            fmt_ratio(f.stated),
            f.on_b.map_or("not measured".to_string(), fmt_ratio),
            f.on_b
                .map_or("-".to_string(), |x| format!("{:.2}", x / f.stated)),
            f.on_b_at.as_ref().map_or("-".to_string(), cell_name)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(cells: &[(&str, usize, CellVerdict)], ops: &[(&str, usize, &str, f64)]) -> ResultSet {
        let mut s = ResultSet::default();
        for (id, t, v) in cells {
            s.cells.insert((id.to_string(), *t), (v.clone(), None));
        }
        for (id, t, n, x) in ops {
            s.ops
                .entry((id.to_string(), *t))
                .or_default()
                .push((n.to_string(), *x));
        }
        s
    }

    #[test]
    fn follows_first_picks_and_every_member_of_a_group() {
        let eq = CellVerdict::Equivalent {
            strategies: vec!["a".into(), "b".into()],
        };
        let a = set(
            &[
                ("g", 1, eq),
                (
                    "g",
                    2,
                    CellVerdict::Winner {
                        strategy: "c".into(),
                    },
                ),
            ],
            &[],
        );
        let b = set(
            &[],
            &[
                ("g", 1, "a", 10.0),
                ("g", 1, "b", 5.0),
                ("g", 2, "a", 10.0),
                ("g", 2, "c", 8.0),
            ],
        );
        let r = follow(&a, &b);
        // First picks: `a` is B's best at 1 thread, `c` 1.25x behind at 2.
        assert_eq!(r.first.cells.len(), 2);
        assert_eq!(r.first.worst(), Some(1.25));
        // Any member of the group: `b` is 2x behind.
        assert_eq!(r.equivalent.worst(), Some(2.0));
        assert_eq!(r.equivalent.above(1.3), 1);
        assert!(r.unclear.cells.is_empty());
    }

    #[test]
    fn a_two_part_pick_is_followed_part_by_part() {
        use crate::report::analyse::advice::robust::{Applies, Robust};
        use crate::report::render::data::SituationPick;
        let at = |id: &str, t: usize| At {
            machine: String::new(),
            scenario: id.into(),
            label: id.into(),
            threads: t,
        };
        let mut a = set(&[], &[]);
        a.robust.push(SituationPick {
            situation: "read-mostly".into(),
            text: "A counter read far more often than written".into(),
            robust: Robust {
                strategy: "seqlock".into(),
                worst: 1.0,
                worst_at: at("struct", 1),
                cells: vec![at("struct", 1)],
                of: 2,
                exceptions: Vec::new(),
                applies: Some(Applies {
                    strategy: "atomic".into(),
                    worst: 1.0,
                    worst_at: at("counter", 1),
                    cells: vec![at("counter", 1)],
                }),
                machines: 0,
            },
            sizes: Vec::new(),
        });
        // On B, `atomic` is 1.5x behind on the counter; `seqlock` (not
        // measured there) keeps the struct.
        let b = set(
            &[],
            &[
                ("counter", 1, "atomic", 10.0),
                ("counter", 1, "mutex", 15.0),
                ("struct", 1, "seqlock", 20.0),
                ("struct", 1, "mutex", 10.0),
            ],
        );
        let r = follow(&a, &b);
        assert_eq!(r.robust.len(), 2);
        assert_eq!(
            (r.robust[0].strategy.as_str(), r.robust[0].part.as_str()),
            ("atomic", "where it applies (1 of 2 cells)")
        );
        assert_eq!(r.robust[0].on_b, Some(1.5));
        assert_eq!(
            (r.robust[1].strategy.as_str(), r.robust[1].part.as_str()),
            ("seqlock", "elsewhere")
        );
        assert_eq!(r.robust[1].on_b, Some(1.0));
        let mut text = String::new();
        render(&r, &mut text);
        assert!(
            text.contains("| `atomic` where it applies (1 of 2 cells) | 1.00x | 1.50x | 1.50 |"),
            "{text}"
        );
    }

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let s = Summary {
            cells: (1..=10).map(|i| (("g".to_string(), i), i as f64)).collect(),
        };
        assert_eq!(s.quantile(0.5), Some(5.0));
        assert_eq!(s.quantile(0.9), Some(9.0));
        assert_eq!(s.worst(), Some(10.0));
        assert_eq!(s.worst_cells(2)[0].1, 10.0);
        assert_eq!(Summary::default().quantile(0.5), None);
    }
}
