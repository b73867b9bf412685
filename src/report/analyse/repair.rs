//! Which cells strayed in which pass, so that the main job can measure them
//! again (`report repairs`).
//!
//! On a VM, the host's phases (the vCPUs placed on other cores, a
//! neighbour's burst) last seconds to tens of seconds. One can land on part
//! of a cell's pass: in the reference run before repairs, every strategy of
//! `map/write-heavy/10-90/uniform` at 2 threads ran 2.6-2.9x slower in two
//! passes of six, except `sharded-rwlock`, measured just outside the phase.
//! Pairing by pass cannot undo that, and one such pass turns a clear winner
//! into a tie ("leads in every pass" fails), so two runs disagree.
//!
//! **The rule.** A cell is one scenario at one thread count. Its leaders are
//! its [`LEADERS`] fastest contenders by their median over passes (no
//! reference lines, nothing at the harness floor, nothing from an older
//! run): the ones a verdict turns on. The median, not the geometric mean
//! the verdicts use: one wild pass (a queue 10 000x slower for one window)
//! must not push a fast strategy out of the leaders and so out of repair. The cell *strayed* in pass `k` when a
//! leader's time in pass `k` is more than [`STRAY`] times above or below its
//! median over the passes. It needs at least [`MIN_PASSES`] passes: with two
//! there is no telling which one strayed.
//!
//! **The repair.** The script measures every strategy of each strayed cell
//! again, in the same pass (criterion baseline `pass-<k>`), in a fresh order,
//! and the new measurement replaces the old one. A strayed cell's whole
//! pass is measured again, never one strategy alone, so the strategies of a
//! pass stay measured side by side, and the rule looks at deviations in both
//! directions, so it favours no strategy. At most [`MAX_SHARE`] of the
//! cell-passes are measured again per round (the most strayed first) and at
//! most [`STRAY_ROUNDS`] rounds run, so a machine that is noisy everywhere
//! costs bounded time.
//!
//! **The checks.** A repair can land in a phase of its own, and the last
//! round's measurement is the one kept: in one run a repair of the second
//! round (there were two then) measured a spinning signal at 7.5 ms per
//! operation instead of 0.4 µs, and a queue at 540 µs instead of 25 ns;
//! after its repairs, 31 of its 615 cell-passes were still more than 2x
//! off. A second round of every stray costs minutes (a fifth of the
//! cell-passes); a check of the far ones, seconds. So after
//! [`STRAY_ROUNDS`] round(s) come up to `REPAIR_ROUNDS - STRAY_ROUNDS`
//! *check* rounds that measure again only the cell-passes whose leaders are
//! more than [`SEVERE`] times off their median ([`Mode::Severe`]), the most
//! strayed first, under the same cap: tens of cells, not hundreds. Cells
//! still strayed after that are decided on what they have: their passes
//! disagree, and the verdict says tie.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::report::analyse::model::Model;
use crate::report::analyse::stats::Floor;

/// A leader strays when its pass is more than this factor off its median.
pub const STRAY: f64 = 1.25;

/// In a check round, only cell-passes whose leaders are more than this
/// factor off their median are measured again.
pub const SEVERE: f64 = 2.0;

/// Rounds that repair every stray (beyond [`STRAY`], under the cap); the
/// rounds after them, up to `REPAIR_ROUNDS`, are check rounds (beyond
/// [`SEVERE`]).
pub const STRAY_ROUNDS: u32 = crate::harness::settings::STRAY_REPAIR_ROUNDS;

/// Which strays a round measures again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Beyond [`STRAY`]: the repair rounds.
    Stray,
    /// Beyond [`SEVERE`]: the check rounds.
    Severe,
}

impl Mode {
    /// The factor off the median beyond which a leader strayed.
    pub fn factor(self) -> f64 {
        match self {
            Mode::Stray => STRAY,
            Mode::Severe => SEVERE,
        }
    }
}

/// How many of a cell's fastest contenders are watched.
pub const LEADERS: usize = 3;

/// Fewest passes that can tell a strayed pass from the others.
pub const MIN_PASSES: usize = 3;

/// At most this share of all cell-passes is measured again in one round.
/// A fifth: on the 2-core reference VM a repaired cell-pass costs about 2 s,
/// and a noisy run (run I: 166 and 148 of 615 strayed in its two rounds)
/// spent 680 s on repairs with a quarter, taking the default run to 35.8
/// min; a fifth bounds them at about 250 cell-passes, some 560 s.
pub const MAX_SHARE: f64 = 0.20;

/// One cell in one pass whose leaders strayed.
#[derive(Clone, Debug, PartialEq)]
pub struct Strayed {
    /// The bench target that measures it (the scenario's workload).
    pub target: String,
    /// The pass, from 1.
    pub pass: u32,
    /// The scenario (criterion group).
    pub scenario: String,
    /// The thread count (criterion parameter).
    pub threads: usize,
    /// The leader that strayed most, and by what factor (≥ [`STRAY`]).
    pub worst: (String, f64),
}

/// What [`strayed`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Findings {
    /// The cell-passes to measure again this round, most strayed first.
    pub repair: Vec<Strayed>,
    /// Cell-passes that strayed beyond the round's share (left as they are).
    pub left: usize,
    /// Cell-passes looked at (cells with at least [`MIN_PASSES`] passes).
    pub looked_at: usize,
}

/// The cell-passes of `model` whose leaders strayed beyond `mode`'s factor
/// (see the module docs).
pub fn strayed(model: &Model, floor: &Floor, mode: Mode) -> Findings {
    let mut found = Vec::new();
    let mut looked_at = 0;
    for scenario in &model.scenarios {
        for &t in &scenario.threads {
            let mut leaders: Vec<_> = crate::report::analyse::model::ranked(scenario, t)
                .into_iter()
                .filter(|(_, p)| !floor.holds(p.ns_per_op.point, t))
                .map(|(s, p)| (s, p, median(p)))
                .collect();
            leaders.sort_by(|a, b| a.2.total_cmp(&b.2));
            leaders.truncate(LEADERS);
            if leaders.len() < 2 {
                continue;
            }
            let passes: Vec<u32> = leaders[0].1.passes.iter().map(|p| p.pass).collect();
            if passes.len() < MIN_PASSES {
                continue;
            }
            looked_at += passes.len();
            for &k in &passes {
                let mut worst: Option<(String, f64)> = None;
                for &(series, point, median) in &leaders {
                    let Some(this) = point.passes.iter().find(|p| p.pass == k) else {
                        continue;
                    };
                    let off = (this.ns_per_op.point / median).max(median / this.ns_per_op.point);
                    if off > mode.factor() && worst.as_ref().is_none_or(|w| off > w.1) {
                        worst = Some((series.strategy.clone(), off));
                    }
                }
                if let Some(worst) = worst {
                    found.push(Strayed {
                        target: scenario.workload.clone(),
                        pass: k,
                        scenario: scenario.id.clone(),
                        threads: t,
                        worst,
                    });
                }
            }
        }
    }
    found.sort_by(|a, b| b.worst.1.total_cmp(&a.worst.1));
    let cap = ((looked_at as f64 * MAX_SHARE).ceil() as usize).max(1);
    let left = found.len().saturating_sub(cap);
    found.truncate(cap);
    Findings {
        repair: found,
        left,
        looked_at,
    }
}

/// A point's median over its passes (its figure without passes).
fn median(point: &crate::report::analyse::model::Point) -> f64 {
    let mut ns: Vec<f64> = point.passes.iter().map(|p| p.ns_per_op.point).collect();
    if ns.is_empty() {
        return point.ns_per_op.point;
    }
    ns.sort_by(f64::total_cmp);
    ns[ns.len() / 2]
}

/// A criterion filter (a regex over `group/function/parameter`) that selects
/// every strategy of the given cells and nothing else.
pub fn filter<'a>(cells: impl IntoIterator<Item = (&'a str, usize)>) -> String {
    let alternatives: Vec<String> = cells
        .into_iter()
        .map(|(group, threads)| format!("{}/[^/]+/{threads}", escape(group)))
        .collect();
    format!("^(?:{})$", alternatives.join("|"))
}

/// `s` with every regex metacharacter escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The script's work list: one line per bench target and pass, tab-separated
/// `target`, `pass`, criterion filter, and the number of cells.
pub fn work_list(findings: &Findings) -> String {
    let mut by: std::collections::BTreeMap<(&str, u32), Vec<(&str, usize)>> =
        std::collections::BTreeMap::new();
    for s in &findings.repair {
        by.entry((&s.target, s.pass))
            .or_default()
            .push((&s.scenario, s.threads));
    }
    let mut out = String::new();
    for ((target, pass), cells) in by {
        let n = cells.len();
        let _ = writeln!(out, "{target}\t{pass}\t{}\t{n}", filter(cells));
    }
    out
}

/// How many cell-passes (a scenario at one thread count in one pass) the
/// model has, and how many of them a repair measured again:
/// `(measured, measured again)`.
pub fn measured_again(model: &Model) -> (usize, usize) {
    let mut cell_passes: BTreeSet<(&str, usize, u32)> = BTreeSet::new();
    let mut repaired: BTreeSet<(&str, usize, u32)> = BTreeSet::new();
    for s in &model.scenarios {
        for series in &s.series {
            for (t, p) in &series.points {
                for pp in &p.passes {
                    cell_passes.insert((&s.id, *t, pp.pass));
                    if pp.sidecar.as_ref().is_some_and(|c| c.repair.is_some()) {
                        repaired.insert((&s.id, *t, pp.pass));
                    }
                }
            }
        }
    }
    (cell_passes.len(), repaired.len())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::analyse::model::{PassPoint, Point, Scenario};
    use crate::report::input::criterion::Interval;

    pub(crate) fn point(threads: usize, passes: &[f64]) -> Point {
        let mut p = crate::report::analyse::decide::tests::pt(threads, 1.0, 0.01);
        p.passes = passes
            .iter()
            .enumerate()
            .map(|(i, &ns)| PassPoint {
                pass: i as u32 + 1,
                ns_per_op: Interval {
                    point: ns,
                    lo: ns * 0.99,
                    hi: ns * 1.01,
                },
                sidecar: None,
            })
            .collect();
        let g = (passes.iter().map(|x| x.ln()).sum::<f64>() / passes.len() as f64).exp();
        p.ns_per_op = Interval {
            point: g,
            lo: g * 0.99,
            hi: g * 1.01,
        };
        p.throughput = Interval {
            point: 1e9 / g,
            lo: 1e9 / g / 1.01,
            hi: 1e9 / g * 1.01,
        };
        p
    }

    pub(crate) fn scenario(id: &str, cells: &[(&str, usize, &[f64])]) -> Scenario {
        let mut names: Vec<&str> = cells.iter().map(|c| c.0).collect();
        // Each strategy once, in the order of its first cell.
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| seen.insert(*n));
        let series = names
            .into_iter()
            .map(|name| {
                let mut s = crate::report::analyse::decide::tests::series(name, None, &[]);
                for &(n, t, passes) in cells {
                    if n == name {
                        s.points.insert(t, point(t, passes));
                    }
                }
                s
            })
            .collect();
        crate::report::analyse::decide::tests::scenario(id, series)
    }

    pub(crate) fn floor() -> Floor {
        Floor {
            noop_ns: 0.3,
            measured: true,
            cpus: 2,
        }
    }

    #[test]
    fn a_pass_where_a_leader_ran_slow_is_found_and_nothing_else() {
        let s = scenario(
            "map/write-heavy/10-90/uniform",
            &[
                ("dashmap", 2, &[25.0, 84.0, 25.3, 25.5, 25.1]),
                ("sharded-rwlock", 2, &[26.5, 26.8, 26.9, 26.7, 26.8]),
                ("std-mutex", 2, &[60.0, 137.0, 61.0, 58.0, 63.0]),
                // Not a leader: its own wild pass does not count.
                ("actor-crossbeam", 2, &[369.0, 1294.0, 1916.0, 444.0, 436.0]),
                ("dashmap", 1, &[30.0, 30.2, 29.9, 30.1, 30.0]),
                ("sharded-rwlock", 1, &[33.0, 33.1, 33.2, 32.9, 33.0]),
            ],
        );
        let model = Model { scenarios: vec![s] };
        let f = strayed(&model, &floor(), Mode::Stray);
        assert_eq!(f.looked_at, 10);
        assert_eq!(f.left, 0);
        assert_eq!(f.repair.len(), 1, "{f:?}");
        let r = &f.repair[0];
        assert_eq!((r.target.as_str(), r.pass, r.threads), ("map", 2, 2));
        assert_eq!(r.worst.0, "dashmap");
        assert!(r.worst.1 > 3.0);
        let list = work_list(&f);
        assert_eq!(
            list,
            "map\t2\t^(?:map/write\\-heavy/10\\-90/uniform/[^/]+/2)$\t1\n"
        );
    }

    #[test]
    fn fast_strays_count_too_and_two_passes_are_not_enough() {
        let s = scenario(
            "signal/one-to-many",
            &[
                ("spin", 1, &[90.0, 67.0, 79.0, 30.0]),
                ("crossbeam-bounded-1", 1, &[291.0, 332.0, 343.0, 321.0]),
                ("spin", 2, &[90.0, 20.0]),
                ("crossbeam-bounded-1", 2, &[291.0, 332.0]),
            ],
        );
        let model = Model { scenarios: vec![s] };
        let f = strayed(&model, &floor(), Mode::Stray);
        assert_eq!(f.looked_at, 4, "the two-pass cell is not looked at");
        assert_eq!(f.repair.len(), 1);
        assert_eq!((f.repair[0].pass, f.repair[0].threads), (4, 1));
    }

    #[test]
    fn a_leader_with_one_wild_pass_stays_a_leader() {
        // The queue is the fastest in four passes and 10 000x slower in the
        // fifth: by its geometric mean it would rank behind three others and
        // go unrepaired; by its median it leads.
        let s = scenario(
            "handoff/mpmc/u64",
            &[
                ("arrayqueue", 1, &[25.0, 45.0, 23.0, 21.0, 540_000.0]),
                ("segqueue", 1, &[55.0, 52.0, 51.0, 50.0, 53.0]),
                ("unbounded", 1, &[60.0, 58.0, 61.0, 59.0, 60.0]),
                ("flume", 1, &[220.0, 210.0, 215.0, 205.0, 212.0]),
            ],
        );
        let model = Model { scenarios: vec![s] };
        let f = strayed(&model, &floor(), Mode::Stray);
        let wild = f.repair.iter().find(|r| r.pass == 5).expect("pass 5 found");
        assert_eq!(wild.worst.0, "arrayqueue");
        assert_eq!(f.repair[0].pass, 5, "the most strayed first: {f:?}");
    }

    #[test]
    fn a_check_round_measures_only_what_is_more_than_twice_off() {
        let s = scenario(
            "signal/one-to-many",
            &[
                ("spin", 1, &[400.0, 390.0, 600.0, 410.0, 7_459_000.0]),
                ("bounded", 1, &[9000.0, 9100.0, 8900.0, 9050.0, 9000.0]),
            ],
        );
        let model = Model { scenarios: vec![s] };
        // A repair round sees both (1.5x and 18 000x off; a fifth of the 5
        // cell-passes is one, the worst), a check round only the second.
        let stray = strayed(&model, &floor(), Mode::Stray);
        assert_eq!((stray.repair.len(), stray.left), (1, 1), "{stray:?}");
        assert_eq!(stray.repair[0].pass, 5);
        let check = strayed(&model, &floor(), Mode::Severe);
        assert_eq!((check.repair.len(), check.left), (1, 0), "{check:?}");
        assert_eq!(check.repair[0].pass, 5);
    }

    #[test]
    fn each_round_repairs_at_most_its_share_most_strayed_first() {
        // Two cells of four passes; the leader strays in three of each.
        let scenarios = ["counter/x", "counter/y"]
            .iter()
            .zip([40.0, 80.0])
            .map(|(id, worst)| {
                scenario(
                    id,
                    &[
                        ("a", 1, &[20.0, 10.0, 10.0, worst][..]),
                        ("b", 1, &[50.0, 50.0, 50.0, 50.0][..]),
                    ],
                )
            })
            .collect();
        let model = Model { scenarios };
        let f = strayed(&model, &floor(), Mode::Stray);
        assert_eq!(f.looked_at, 8);
        assert_eq!(f.repair.len(), 2, "a fifth of 8, rounded up: {f:?}");
        assert_eq!(f.left, 4);
        assert_eq!(
            (f.repair[0].scenario.as_str(), f.repair[0].pass),
            ("counter/y", 4),
            "most strayed first"
        );
    }

    #[test]
    fn the_filter_selects_the_cells_and_escapes_their_names() {
        let re = filter([("map/read-heavy/99-1/zipf", 2), ("a.b+c", 16)]);
        assert_eq!(
            re,
            "^(?:map/read\\-heavy/99\\-1/zipf/[^/]+/2|a\\.b\\+c/[^/]+/16)$"
        );
    }
}
