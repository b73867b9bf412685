//! The statistics behind every "winner", "tie" and margin, in plain words.
//!
//! **Passes.** The main job measures every benchmark id in `R` independent
//! passes, minutes apart, each with its own order of strategies. A pass's
//! estimate is criterion's (slope or mean), with criterion's 95 % interval,
//! which only covers the noise inside that pass's half-second window.
//!
//! **One strategy's figure** is the geometric mean of its passes, and its
//! interval is the envelope of every pass's interval: from the lowest lower
//! bound to the highest upper bound. The band therefore covers the drift
//! between passes as well as the noise inside each.
//!
//! **Comparing two strategies** pairs their passes: in pass `k` both were
//! measured within seconds of each other, so their ratio `r_k` is far more
//! stable than either figure. The margin is the geometric mean of the `r_k`,
//! and its interval is a Student-t interval on `ln r_k` with `R - 1` degrees
//! of freedom. The spread it uses is the larger of the spread between the
//! passes and the noise criterion saw inside them, so three passes that agree
//! by luck do not make a narrow interval.
//!
//! **The drift between runs.** The passes of one run lie minutes apart, yet
//! a whole run drifts too, and the passes cannot see it. Measured on the
//! reference VM over five pairs of default runs of one commit (about 370
//! strategy pairs within 2x of their cell's best in each pair), the change
//! of a ratio from one run to the next fell outside the 95 % band of the
//! two runs' own standard errors in 9.7-14.7 % of the pairs, not 5 %: one
//! run's interval did not cover the next run. With [`RUN_DRIFT`], a
//! standard deviation of 0.04 on `ln r` (4 %) from run to run added to the
//! standard error of every paired interval, 2.7-5.7 % fell outside. So a
//! steady 1.25x over seven passes is not proven within the practical
//! margin, and a group is "no practical difference" only when it stays
//! within the margin in the next run too.
//!
//! **A winner** leads the runner-up (the second best by its figure) in every
//! pass, and its margin over every other contender is at least
//! [`PRACTICAL_MARGIN`] (1.30x), with the lower end of the margin's interval
//! at [`INTERVAL_MARGIN`] (1.05x) or more. Anything less is a tie.
//!
//! **One wild pass.** The t interval is only as good as its assumption that
//! the passes scatter evenly. On this kind of machine a pass now and then
//! lands in a mode of its own: a rendezvous channel that is 18x behind in
//! one pass and 1200x in the next, or a winner that is 10x ahead in one pass
//! and 1.2-1.8x in the four others. Such a pass widens the t interval until
//! it reaches below 1, although the winner was ahead in every pass. So with
//! [`ORDER_PASSES`] or more passes a second interval counts too: the lower
//! end is also the smallest ratio of any pass, less the drift between runs
//! ([`RUN_DRIFT_Z`] times [`RUN_DRIFT`], 8 %). It rests on no assumption of
//! shape: if the winner's typical lead were below that smallest ratio, each
//! pass would fall above it with probability one half, all five with
//! probability 1 in 32 (a one-sided 97 % bound, like the t interval's
//! 97.5 %). A contender behind in every pass by at least
//! [`INTERVAL_MARGIN`] is therefore clearly behind on that count, whatever
//! its spread. A contender screened out after the first passes (at least 8x
//! behind its cell's best in each, see `screen`) ties with nobody.
//!
//! Only the runner-up must trail in every single pass: requiring it of
//! a dozen contenders further back would let one lucky pass of any of them
//! turn a clear lead into a tie, and their intervals already say whether
//! the winner is ahead of them.
//!
//! **A family** wins a tie when every strategy tied with the best is of the
//! best's family (two spinlocks, two lock-free queues), all of them rank
//! ahead of every other family's contenders, and the best beats those
//! contenders as a winner beats its rivals: the best of them in every pass,
//! all of them by [`PRACTICAL_MARGIN`] with the interval from
//! [`INTERVAL_MARGIN`]. The suite asks which kind of
//! primitive to use; that answer holds even when two crates' versions of it
//! cannot be told apart.
//!
//! Why 1.30 on the margin and not just "above 1": the passes of one run
//! lie minutes apart, but a run as a whole also drifts (the host places the
//! VM's vCPUs differently for tens of minutes), and the interval, built
//! from one run's passes, cannot see that. The margin itself is what a
//! second run reproduces best: in pairs of default runs of one commit on
//! the reference VM, cells that were a winner in one run and a tie in the
//! other had nearly the same margin in both (1.28x and 1.31x, 1.23x and
//! 1.22x), and the verdict turned on whether one pass or the interval's
//! lower end happened to clear a bar. So the bar is on the margin, 1.30x,
//! where a second run's margin stays clear of 1 by more than its drift, and
//! the interval only has to stay above 1.05x. Chosen on three pairs of
//! default runs of the reference VM (C/D, E/F, G/H): with a lower end of
//! 1.10x alone, 79-89 % of the cells had the same verdict in both runs of a
//! pair and 41-52 % were decided; with this rule, 91-92 % and 38-49 %. A
//! lead under 30 % is also rarely a reason to pick one primitive over
//! another. With one
//! pass (plain `cargo bench`) there is nothing to pair: the winner's interval
//! must clear every other's, a weaker test the report flags.
//!
//! **The harness floor.** A strategy that does no shared work per operation
//! (private counts, batches) runs at the speed of the harness's own loop, a
//! fraction of a nanosecond like the no-op. Differences there reflect code
//! generation, not synchronization: within [`FLOOR_FACTOR`] of the no-op,
//! strategies never win against each other, cause a crossover or get a
//! margin among themselves; they may still be shown to beat the rest. When
//! the best is at the floor, a contender that does no shared work per
//! operation either (a batch, a fold) and is within [`NEAR_FLOOR_FACTOR`]
//! (2.6x) of the best joins it there: a lead over it could not clear the
//! practical margin beyond the floor's own band (a batched counter 2.1x
//! behind a rayon fold at the floor was a winner in one run and a tie in
//! the next, and whether it sat within 2x of the no-op turned on the
//! no-op's own drift, 0.41-0.50 ns between runs). A floor group that beats every other contender as a
//! winner would names what to use ("keep it private"): it counts as
//! decided.

use crate::report::input::criterion::Interval;

/// A strategy within this factor of the no-op's time per operation is "at
/// the harness floor".
pub const FLOOR_FACTOR: f64 = 2.0;

/// Beside a best strategy at the floor, a contender that does no shared
/// work per operation (`Family::is_private`) within this factor of the best ([`FLOOR_FACTOR`] times [`PRACTICAL_MARGIN`], 2.6x) joins it
/// there: a lead over it could not clear the practical margin beyond the
/// floor's own band, so it would rank code generation, not
/// synchronization.
pub const NEAR_FLOOR_FACTOR: f64 = FLOOR_FACTOR * PRACTICAL_MARGIN;

/// A winner's margin must reach this: a lead under 30 % is a tie however
/// consistent it is inside one run (the drift between runs, see the module
/// docs).
pub const PRACTICAL_MARGIN: f64 = 1.30;

/// The lower end of a winner's margin interval must reach this.
pub const INTERVAL_MARGIN: f64 = 1.05;

/// From this many paired passes, the smallest per-pass ratio is a lower
/// bound of the margin too (see the module docs): all of them above the
/// typical ratio happens with probability `2^-n`, 1 in 32 at five.
pub const ORDER_PASSES: usize = 5;

/// The drift of a ratio between runs that one run's passes cannot see: the
/// standard deviation of its logarithm from run to run beyond the passes'
/// own spread, measured on the reference VM (see the module docs). Every
/// paired interval adds it to its standard error; the order bound widens by
/// [`RUN_DRIFT_Z`] of it.
pub const RUN_DRIFT: f64 = 0.04;

/// The normal quantile the order bound widens by: `RUN_DRIFT_Z` times
/// [`RUN_DRIFT`] on the log scale, 8 % at 0.04.
pub const RUN_DRIFT_Z: f64 = 1.96;

/// The no-op's time per operation at one thread when the run did not measure
/// it (`counter/overhead`), ns; the reference VM measures 0.28.
pub const DEFAULT_NOOP_NS: f64 = 0.5;

/// One pass's estimate of a strategy's time per operation, ns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PassEstimate {
    /// The pass, from 1.
    pub pass: u32,
    /// Time per operation with criterion's interval, ns.
    pub ns: Interval,
}

/// Geometric mean of the passes' points, and the envelope of their
/// intervals. `None` for no passes.
pub fn combine(passes: &[PassEstimate]) -> Option<Interval> {
    if passes.is_empty() {
        return None;
    }
    let n = passes.len() as f64;
    let point = (passes.iter().map(|p| p.ns.point.ln()).sum::<f64>() / n).exp();
    let lo = passes.iter().map(|p| p.ns.lo).fold(f64::INFINITY, f64::min);
    let hi = passes.iter().map(|p| p.ns.hi).fold(0.0, f64::max);
    Some(Interval {
        point,
        lo: lo.min(point),
        hi: hi.max(point),
    })
}

/// How two strategies compare: `a`'s throughput over `b`'s.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Comparison {
    /// Point ratio with its interval (throughput of `a` / throughput of `b`).
    pub point: f64,
    /// Lower end of the ratio's interval.
    pub lo: f64,
    /// Upper end of the ratio's interval.
    pub hi: f64,
    /// Passes paired (1: single pass, unpaired envelope comparison).
    pub passes: usize,
    /// `a` was faster in every pass.
    pub a_leads_all: bool,
    /// `b` was faster in every pass.
    pub b_leads_all: bool,
    /// The smallest per-pass ratio (the point with one pass).
    pub min: f64,
    /// The largest per-pass ratio (the point with one pass).
    pub max: f64,
    /// Whether the order bound counts ([`Level::Final`]; see
    /// [`Comparison::lower`]).
    #[serde(skip)]
    pub order_bound: bool,
}

impl Comparison {
    /// `a` is faster, the difference is beyond noise and drift, and it is
    /// at least [`PRACTICAL_MARGIN`].
    pub fn a_wins(&self) -> bool {
        self.a_leads_all && self.a_ahead()
    }

    /// `b` is faster, beyond noise and drift, by at least
    /// [`PRACTICAL_MARGIN`].
    pub fn b_wins(&self) -> bool {
        self.b_leads_all
            && self.point <= 1.0 / PRACTICAL_MARGIN
            && self.upper() <= 1.0 / INTERVAL_MARGIN
    }

    /// `a` is faster beyond noise and drift by at least
    /// [`PRACTICAL_MARGIN`], without leading in every pass: how a winner
    /// must stand over the contenders behind the runner-up (see the module
    /// docs).
    pub fn a_ahead(&self) -> bool {
        self.point >= PRACTICAL_MARGIN && self.lower() >= INTERVAL_MARGIN
    }

    /// The lower end of the ratio: the t interval's, or with
    /// [`ORDER_PASSES`] or more passes the smallest pass's ratio if that is
    /// higher (see the module docs).
    pub fn lower(&self) -> f64 {
        if self.order_bound && self.passes >= ORDER_PASSES {
            self.lo.max(self.min / drift_band())
        } else {
            self.lo
        }
    }

    /// The upper end, mirroring [`Comparison::lower`].
    pub fn upper(&self) -> f64 {
        if self.order_bound && self.passes >= ORDER_PASSES {
            self.hi.min(self.max * drift_band())
        } else {
            self.hi
        }
    }

    /// Neither is clearly faster.
    pub fn is_tie(&self) -> bool {
        !self.a_wins() && !self.b_wins()
    }
}

/// How strict a comparison is: the verdict of a finished cell, or a look
/// at a cell whose passes may go on (see [`Level::Interim`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Level {
    /// The report's verdict on the passes a cell has: Student's t at
    /// 97.5 % one-sided ([`t975`]), and from [`ORDER_PASSES`] passes the
    /// order bound too.
    #[default]
    Final,
    /// A look after a pass, deciding whether a cell may stop getting passes
    /// (`report screen`, see `syncbench::report::analyse::settle`): t at
    /// 99.9 % one-sided ([`t999`]) and no order bound. A cell stopped on a
    /// look keeps the verdict this stricter rule gave it, so each look
    /// before the last pass spends a twenty-fifth of the final look's
    /// error rate.
    Interim,
}

impl Level {
    /// The t quantile of this level with `df` degrees of freedom.
    pub fn t(self, df: usize) -> f64 {
        match self {
            Level::Final => t975(df),
            Level::Interim => t999(df),
        }
    }
}

/// The one-sided 99.9 % quantile of Student's t with `df` degrees of
/// freedom.
pub fn t999(df: usize) -> f64 {
    const T: [f64; 30] = [
        318.309, 22.327, 10.215, 7.173, 5.893, 5.208, 4.785, 4.501, 4.297, 4.144, 4.025, 3.930,
        3.852, 3.787, 3.733, 3.686, 3.646, 3.610, 3.579, 3.552, 3.527, 3.505, 3.485, 3.467, 3.450,
        3.435, 3.421, 3.408, 3.396, 3.385,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => T[df - 1],
        _ => 3.090 + 9.0 / df as f64,
    }
}

/// The two-sided 97.5 % quantile of Student's t with `df` degrees of freedom.
pub fn t975(df: usize) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => T[df - 1],
        _ => 1.96 + 2.4 / df as f64,
    }
}

/// The factor the order bound widens by for the drift between runs:
/// `exp(RUN_DRIFT_Z * RUN_DRIFT)`.
fn drift_band() -> f64 {
    (RUN_DRIFT_Z * RUN_DRIFT).exp()
}

/// The standard deviation of `ln x` implied by a 95 % interval.
fn log_sd(i: &Interval) -> f64 {
    ((i.hi / i.lo).ln() / (2.0 * 1.96)).max(0.0)
}

/// Compares strategy `a` with `b` from their passes' times per operation
/// (see the module docs). Passes are paired by pass number; with fewer than
/// two pairs, the single-pass envelope rule applies.
pub fn compare(a: &[PassEstimate], b: &[PassEstimate]) -> Comparison {
    compare_at(a, b, Level::Final)
}

/// [`compare`] at `level`: [`Level::Interim`] uses the stricter t quantile
/// and no order bound.
pub fn compare_at(a: &[PassEstimate], b: &[PassEstimate], level: Level) -> Comparison {
    let pairs: Vec<(&PassEstimate, &PassEstimate)> = a
        .iter()
        .filter_map(|x| b.iter().find(|y| y.pass == x.pass).map(|y| (x, y)))
        .collect();
    if pairs.len() < 2 {
        let (Some(ia), Some(ib)) = (combine(a), combine(b)) else {
            return Comparison {
                point: f64::NAN,
                lo: f64::NAN,
                hi: f64::NAN,
                passes: 0,
                a_leads_all: false,
                b_leads_all: false,
                min: f64::NAN,
                max: f64::NAN,
                order_bound: level == Level::Final,
            };
        };
        // Throughput ratio a/b = time b / time a.
        let point = ib.point / ia.point;
        let lo = ib.lo / ia.hi;
        let hi = ib.hi / ia.lo;
        return Comparison {
            point,
            lo,
            hi,
            passes: 1,
            a_leads_all: point > 1.0,
            b_leads_all: point < 1.0,
            min: point,
            max: point,
            order_bound: level == Level::Final,
        };
    }
    let d: Vec<f64> = pairs
        .iter()
        .map(|(x, y)| (y.ns.point / x.ns.point).ln())
        .collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let between = d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let within = pairs
        .iter()
        .map(|(x, y)| log_sd(&x.ns).powi(2) + log_sd(&y.ns).powi(2))
        .sum::<f64>()
        / n;
    let se = (between.max(within) / n + RUN_DRIFT.powi(2)).sqrt();
    let half = level.t(d.len() - 1) * se;
    Comparison {
        point: mean.exp(),
        lo: (mean - half).exp(),
        hi: (mean + half).exp(),
        passes: d.len(),
        a_leads_all: d.iter().all(|&v| v > 0.0),
        b_leads_all: d.iter().all(|&v| v < 0.0),
        min: d.iter().copied().fold(f64::INFINITY, f64::min).exp(),
        max: d.iter().copied().fold(f64::NEG_INFINITY, f64::max).exp(),
        order_bound: level == Level::Final,
    }
}

/// The harness floor: the no-op's time per operation, spread over the
/// machine's cores.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Floor {
    /// The no-op's time per operation at one thread, ns.
    pub noop_ns: f64,
    /// Whether `noop_ns` was measured in this run (else [`DEFAULT_NOOP_NS`]).
    pub measured: bool,
    /// CPUs the run could use (affinity and cgroup limits applied; 1 when
    /// unknown).
    pub cpus: usize,
}

impl Default for Floor {
    fn default() -> Self {
        Floor {
            noop_ns: DEFAULT_NOOP_NS,
            measured: false,
            cpus: 1,
        }
    }
}

impl Floor {
    /// The floor's time per operation of the whole system at `threads`: the
    /// no-op's, divided among the threads that can run at once.
    pub fn ns_at(&self, threads: usize) -> f64 {
        self.noop_ns / threads.clamp(1, self.cpus.max(1)) as f64
    }

    /// Whether `ns_per_op` at `threads` is within [`FLOOR_FACTOR`] of the floor.
    pub fn holds(&self, ns_per_op: f64, threads: usize) -> bool {
        ns_per_op <= FLOOR_FACTOR * self.ns_at(threads)
    }
}

/// A side measurement (CPU time, a latency percentile) across passes: the
/// median, with the range.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Spread {
    /// The median over passes.
    pub median: f64,
    /// The smallest pass value.
    pub min: f64,
    /// The largest pass value.
    pub max: f64,
    /// Passes with a value.
    pub n: usize,
}

impl Spread {
    /// The spread of `values` (non-finite ones dropped); `None` when empty.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Spread> {
        let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        };
        Some(Spread {
            median,
            min: v[0],
            max: v[n - 1],
            n,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(pass: u32, ns: f64, spread: f64) -> PassEstimate {
        PassEstimate {
            pass,
            ns: Interval {
                point: ns,
                lo: ns * (1.0 - spread),
                hi: ns * (1.0 + spread),
            },
        }
    }

    #[test]
    fn leading_in_two_of_three_passes_is_a_tie() {
        // a is much faster in passes 1 and 2, slower in pass 3.
        let a = [est(1, 10.0, 0.01), est(2, 10.0, 0.01), est(3, 13.0, 0.01)];
        let b = [est(1, 20.0, 0.01), est(2, 20.0, 0.01), est(3, 12.0, 0.01)];
        let c = compare(&a, &b);
        assert!(!c.a_leads_all && !c.b_leads_all);
        assert!(c.is_tie(), "{c:?}");
    }

    #[test]
    fn leading_in_every_pass_with_a_clear_ratio_wins() {
        let a = [est(1, 10.0, 0.02), est(2, 11.0, 0.02), est(3, 10.5, 0.02)];
        let b = [est(1, 20.0, 0.02), est(2, 23.0, 0.02), est(3, 20.0, 0.02)];
        let c = compare(&a, &b);
        assert!(c.a_wins(), "{c:?}");
        assert!(c.lo > 1.0 && c.point > 1.8 && c.point < 2.2, "{c:?}");
        let r = compare(&b, &a);
        assert!(r.b_wins() && !r.a_wins());
    }

    #[test]
    fn leading_every_pass_by_too_little_is_a_tie() {
        // Ahead in all three passes by 1-2 %, inside criterion's 5 % noise.
        let a = [est(1, 10.0, 0.05), est(2, 10.0, 0.05), est(3, 10.0, 0.05)];
        let b = [est(1, 10.1, 0.05), est(2, 10.2, 0.05), est(3, 10.15, 0.05)];
        let c = compare(&a, &b);
        assert!(c.a_leads_all);
        assert!(c.is_tie(), "within-pass noise widens the interval: {c:?}");
    }

    #[test]
    fn a_consistent_lead_under_the_practical_margin_is_a_tie() {
        // Ahead by 3 % in all six passes, with almost no noise: sure inside
        // this run, but not beyond the drift between runs.
        let a: Vec<_> = (1..=6).map(|k| est(k, 10.0, 0.001)).collect();
        let b: Vec<_> = (1..=6)
            .map(|k| est(k, 10.3 + 0.01 * f64::from(k), 0.001))
            .collect();
        let c = compare(&a, &b);
        assert!(c.a_leads_all && c.min > 1.0 && c.lo < 1.0, "{c:?}");
        assert!(c.is_tie(), "{c:?}");
        // A sure lead of 20 % is one beyond the drift too, still a tie; at
        // 35 % it names a winner, both ways round.
        let b: Vec<_> = (1..=6)
            .map(|k| est(k, 12.0 + 0.01 * f64::from(k), 0.001))
            .collect();
        let c = compare(&a, &b);
        assert!(c.lower() > INTERVAL_MARGIN && c.is_tie(), "{c:?}");
        let b: Vec<_> = (1..=6)
            .map(|k| est(k, 13.5 + 0.01 * f64::from(k), 0.001))
            .collect();
        assert!(compare(&a, &b).a_wins());
        assert!(compare(&b, &a).b_wins());
    }

    #[test]
    fn a_large_margin_needs_its_interval_above_the_interval_bar() {
        // Ahead 1.5x on the mean of three passes, each pass ahead, but so
        // scattered (1.02x to 2.2x) that the interval reaches below 1.05.
        let a: Vec<_> = (1..=3).map(|k| est(k, 10.0, 0.01)).collect();
        let b = [est(1, 10.2, 0.01), est(2, 15.0, 0.01), est(3, 22.0, 0.01)];
        let c = compare(&a, &b);
        assert!(c.point >= PRACTICAL_MARGIN && c.a_leads_all, "{c:?}");
        assert!(c.lower() < INTERVAL_MARGIN && c.is_tie(), "{c:?}");
    }

    #[test]
    fn one_wild_pass_in_the_winners_favour_does_not_make_a_tie() {
        // Ahead 1.15-1.83x in four passes and 10x in one (run E's
        // handoff/mpsc/vec64 at 1 thread): the t interval reaches below 1,
        // the smallest pass does not.
        let a: Vec<_> = (1..=5).map(|k| est(k, 10.0, 0.02)).collect();
        let b: Vec<_> = [11.5, 14.4, 17.2, 102.7, 18.3]
            .iter()
            .zip(1..)
            .map(|(&ns, k)| est(k, ns, 0.02))
            .collect();
        let c = compare(&a, &b);
        assert!(c.lo < 1.0, "the t interval alone: {c:?}");
        assert!((c.min - 1.15).abs() < 1e-9, "{c:?}");
        assert!((c.lower() - 1.15 / drift_band()).abs() < 1e-9, "{c:?}");
        assert!(c.a_wins(), "{c:?}");
        assert!(compare(&b, &a).b_wins());
        // One pass under the interval bar keeps the t interval's verdict.
        let b: Vec<_> = [10.3, 14.4, 17.2, 102.7, 18.3]
            .iter()
            .zip(1..)
            .map(|(&ns, k)| est(k, ns, 0.02))
            .collect();
        assert!(compare(&a, &b).is_tie());
        // With fewer than five passes the smallest pass is no bound.
        let c = compare(&a[..4], &b[..4]);
        assert!((c.lower() - c.lo).abs() < 1e-12, "{c:?}");
        let b4: Vec<_> = [11.5, 14.4, 17.2, 102.7]
            .iter()
            .zip(1..)
            .map(|(&ns, k)| est(k, ns, 0.02))
            .collect();
        assert!(compare(&a[..4], &b4).is_tie(), "four passes: t only");
    }

    #[test]
    fn passes_pair_by_number_and_one_pass_uses_envelopes() {
        let a = [est(1, 10.0, 0.02), est(3, 10.0, 0.02)];
        let b = [est(2, 20.0, 0.02), est(3, 20.0, 0.02)];
        let c = compare(&a, &b);
        assert_eq!(c.passes, 1, "only pass 3 pairs");
        assert!(c.a_wins(), "{c:?}");
        let overlap = compare(&[est(1, 10.0, 0.2)], &[est(1, 11.0, 0.2)]);
        assert!(overlap.is_tie());
    }

    #[test]
    fn passes_that_agree_exactly_still_carry_the_drift_between_runs() {
        // Seven passes, each 1.25x apart with no noise: the passes see no
        // spread at all, yet a second run may land elsewhere.
        let a: Vec<PassEstimate> = (1..=7).map(|k| est(k, 10.0, 0.0)).collect();
        let b: Vec<PassEstimate> = (1..=7).map(|k| est(k, 12.5, 0.0)).collect();
        let c = compare(&a, &b);
        assert!((c.point - 1.25).abs() < 1e-9, "{c:?}");
        let band = (t975(6) * RUN_DRIFT).exp();
        assert!((c.hi / c.point - band).abs() < 1e-9, "{c:?}");
        // The order bound widens by the drift too, so it cannot undo it.
        assert!((c.upper() - 1.25 * drift_band()).abs() < 1e-9, "{c:?}");
        assert!(
            c.upper() >= PRACTICAL_MARGIN,
            "1.25x is not proven within 1.30x: {c:?}"
        );
        // Closer than that, it is.
        let b: Vec<PassEstimate> = (1..=7).map(|k| est(k, 10.5, 0.0)).collect();
        assert!(compare(&a, &b).upper() < PRACTICAL_MARGIN);
    }

    #[test]
    fn combined_interval_covers_every_pass() {
        let i = combine(&[est(1, 10.0, 0.1), est(2, 40.0, 0.1)]).unwrap();
        assert!((i.point - 20.0).abs() < 1e-9);
        assert!((i.lo - 9.0).abs() < 1e-9 && (i.hi - 44.0).abs() < 1e-9);
        assert!(combine(&[]).is_none());
    }

    #[test]
    fn floor_scales_with_usable_cores() {
        let f = Floor {
            noop_ns: 0.3,
            measured: true,
            cpus: 2,
        };
        assert!(f.holds(0.55, 1));
        assert!(!f.holds(0.7, 1));
        assert!(f.holds(0.3, 4), "4 threads on 2 cores: floor 0.15 ns");
        assert!(!f.holds(0.31, 8));
    }

    #[test]
    fn spread_is_median_and_range() {
        let s = Spread::of([3.0, 1.0, 2.0, f64::NAN]).unwrap();
        assert_eq!((s.median, s.min, s.max, s.n), (2.0, 1.0, 3.0, 3));
        assert_eq!(Spread::of([1.0, 3.0]).unwrap().median, 2.0);
        assert!(Spread::of(std::iter::empty()).is_none());
    }

    #[test]
    fn t_quantiles() {
        assert!((t975(2) - 4.303).abs() < 1e-9);
        assert!(t975(0).is_infinite());
        assert!(t975(1000) > 1.96 && t975(1000) < 1.97);
    }
}
