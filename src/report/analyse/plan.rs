//! The main job's plan: what it will measure and how long that takes, here
//! before it starts (`report plan --ids ...`, printed by `scripts/bench.sh`)
//! or on a machine of `N` CPUs from a finished run (`report plan --cpus N`).
//!
//! **The model.** Criterion measures every benchmark id for a fixed window,
//! so a pass costs about its id count times the cost of one id: the
//! profile's warm-up and measurement time plus the harness's own overhead
//! (criterion's analysis, the instrumented round, the checks, a map's
//! prefill), taken from this machine's last finished job when
//! `scripts/bench.sh` has one (`syncbench-job.last/steps.tsv`, seconds per
//! step and ids per step), else per bench target as measured on the
//! reference VM ([`reference_per_id_s`]). With adaptive passes (see
//! `crate::report::analyse::settle`) the later passes measure only the ids
//! of open cells: the plan takes the share of ids each pass measured in the
//! run it is given, else [`open_share`], measured on the reference VM. The
//! repairs, in a profile that has them (`full`, see
//! `crate::harness::settings::repair_rounds`), are [`REPAIR_SHARE`] of the
//! passes; each Go version takes [`GO_S`] (full) or [`GO_QUICK_S`] (quick).
//!
//! **On `N` CPUs** the thread axis is the default one of `N`: 1, 2, 4, ...
//! up to `N`, `N` itself, and `2N` (see
//! `crate::harness::settings::default_axis`). A scenario measured at every
//! thread count of its run's axis gets one id per strategy per thread count
//! of the new axis; a scenario with fixed thread counts (ping-pong, always
//! two threads) keeps its ids. The cost of one id stays what it is here: a
//! window does not grow with threads, although the setup of a pool does.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::harness::profile::Settings;
use crate::harness::settings::{Profile, default_axis, repair_rounds};
use crate::report::analyse::model::Model;
use crate::report::analyse::settle::target_of;

/// The harness's cost per id beyond warm-up and measurement, seconds, for a
/// bench target [`reference_per_id_s`] does not know, on the reference VM:
/// 0.021 s in `quick` (70-71 s for a pass of 874 ids with 0.06 s windows:
/// runs AD, AE) and 0.035 s in `full` (its 15 samples and longer
/// instrumented round: 0.02-0.07 s by bench target in runs AB, AC); more for
/// `map`, whose checks compare the whole map after every sample, and about
/// 0.9 s for an id of a map past the cache, whose prefill is the cost.
pub fn overhead_s(profile: Profile) -> f64 {
    match profile {
        Profile::Quick => 0.021,
        Profile::Full => 0.035,
    }
}

/// The share of ids each pass measures under adaptive passes in `full`,
/// pass 1 first: pass 3 leaves out what screening found far behind after
/// pass 2, and every later pass what the looks settled. Measured on the
/// reference VM in runs AI and AJ (916 ids, every one of 14 passes run: 731
/// and 732 in pass 3, 661 and 680 in pass 4, 384 and 409 in pass 7, 242 and
/// 245 in pass 14); the 7-pass runs AG and AH measured the same shares.
pub const FULL_OPEN_SHARE: [f64; 14] = [
    1.0, 1.0, 0.80, 0.73, 0.60, 0.49, 0.43, 0.40, 0.36, 0.33, 0.31, 0.29, 0.28, 0.27,
];

/// [`FULL_OPEN_SHARE`] in `quick` (runs AD and AE: 874 ids, 699-700 in pass
/// 3, 612-615 in pass 4).
pub const QUICK_OPEN_SHARE: [f64; 4] = [1.0, 1.0, 0.80, 0.70];

/// The share of ids each pass measures in `profile` before a run says
/// otherwise; a pass past the list measures the last share.
pub fn open_share(profile: Profile) -> &'static [f64] {
    match profile {
        Profile::Quick => &QUICK_OPEN_SHARE,
        Profile::Full => &FULL_OPEN_SHARE,
    }
}

/// Seconds per id per pass of each bench target on the reference VM, its
/// window included, in `full` and in `quick`: the first passes of runs AC,
/// AF, AG, AH, AI and AJ (`full`; `map` is 0.20-0.23 s an id because each of
/// its maps past the cache takes about 1 s to fill) and AD, AE (`quick`,
/// which leaves those maps out).
pub const REFERENCE_PER_ID_S: [(&str, f64, f64); 7] = [
    ("counter", 0.108, 0.078),
    ("map", 0.21, 0.067),
    ("handoff", 0.12, 0.085),
    ("pipeline", 0.11, 0.083),
    ("signal", 0.17, 0.14),
    ("lifecycle", 0.16, 0.116),
    ("tasks", 0.098, 0.068),
];

/// Seconds per id per pass of bench target `target` under `profile` on the
/// reference VM ([`REFERENCE_PER_ID_S`]); a target it does not know costs
/// [`per_id_s`].
pub fn reference_per_id_s(profile: Profile, target: &str) -> f64 {
    REFERENCE_PER_ID_S
        .iter()
        .find(|(t, _, _)| *t == target)
        .map(|&(_, full, quick)| match profile {
            Profile::Full => full,
            Profile::Quick => quick,
        })
        .unwrap_or_else(|| per_id_s(profile))
}

/// The repairs' time as a share of the passes' (the reference runs:
/// 258-362 s after 1344-1376 s of passes; 196 s and 259 s after 1093 s and
/// 1072 s in runs AI, AJ). `scripts/bench.sh` takes it from `report plan
/// --shell` (`repair_pct`) for its ETA and for the time it keeps back.
pub const REPAIR_SHARE: f64 = 0.2;

/// One Go version's benchmarks in `full`, seconds (68-79 s measured).
pub const GO_S: f64 = 80.0;

/// One Go version's benchmarks in `quick`, seconds (13-16 s measured: one
/// replicate of 50 ms).
pub const GO_QUICK_S: f64 = 16.0;

/// One bench target in the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// The bench target.
    pub name: String,
    /// Its benchmark ids.
    pub ids: usize,
    /// Seconds per id per pass.
    pub per_id_s: f64,
}

/// The plan of a main job.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// CPUs planned for.
    pub cpus: usize,
    /// The thread axis.
    pub axis: Vec<usize>,
    /// The profile.
    pub profile: Profile,
    /// Most passes an id gets.
    pub passes: u32,
    /// The bench targets, in run order.
    pub targets: Vec<Target>,
    /// Share of the ids measured in each pass, pass 1 first.
    pub share: Vec<f64>,
    /// Whether `share` was measured on the run given (else [`open_share`]).
    pub share_measured: bool,
    /// Go versions to measure.
    pub go_versions: usize,
    /// The time budget, seconds (`None`: no budget).
    pub budget_s: Option<f64>,
}

impl Plan {
    /// Ids over every target.
    pub fn ids(&self) -> usize {
        self.targets.iter().map(|t| t.ids).sum()
    }

    /// Seconds of pass `k` (from 1).
    pub fn pass_s(&self, k: u32) -> f64 {
        let share = self
            .share
            .get(k as usize - 1)
            .copied()
            .unwrap_or_else(|| self.share.last().copied().unwrap_or(1.0));
        self.targets
            .iter()
            .map(|t| t.ids as f64 * t.per_id_s * share)
            .sum()
    }

    /// Seconds of the Go side.
    pub fn go_s(&self) -> f64 {
        let each = match self.profile {
            Profile::Quick => GO_QUICK_S,
            Profile::Full => GO_S,
        };
        each * self.go_versions as f64
    }

    /// Seconds of the repairs after `n` passes of `passes` seconds: none in
    /// a profile without repairs or with fewer than three passes.
    pub fn repairs_s(&self, n: u32, passes: f64) -> f64 {
        if n >= 3 && repair_rounds(self.profile) > 0 {
            passes * REPAIR_SHARE
        } else {
            0.0
        }
    }

    /// The passes that fit the budget with the repairs and the Go side (at
    /// least the first three, or all when fewer are planned), and the
    /// seconds of the whole job with them.
    pub fn fitted(&self) -> (u32, f64) {
        let total = |n: u32| {
            let passes: f64 = (1..=n).map(|k| self.pass_s(k)).sum();
            passes + self.repairs_s(n, passes) + self.go_s()
        };
        let min = self.passes.min(3);
        let mut n = min;
        while n < self.passes && self.budget_s.is_none_or(|b| total(n + 1) <= b) {
            n += 1;
        }
        (n, total(n))
    }

    /// `name=value` lines for `scripts/bench.sh`: `planned` (the passes
    /// that fit, [`Plan::fitted`]), `go_est` (seconds of the Go side),
    /// `repair_pct` ([`REPAIR_SHARE`] in percent: the repairs' time over
    /// the passes'), `fallback_ms` (milliseconds an id of a target the plan does not
    /// know) and `target_ms` (`target=milliseconds` an id of each target, as
    /// planned: measured here, else [`reference_per_id_s`]).
    pub fn shell(&self) -> String {
        let target_ms: Vec<String> = self
            .targets
            .iter()
            .map(|t| format!("{}={:.0}", t.name, t.per_id_s * 1000.0))
            .collect();
        format!(
            "planned={}\ngo_est={:.0}\nrepair_pct={:.0}\nfallback_ms={:.0}\ntarget_ms='{}'\n",
            self.fitted().0,
            self.go_s(),
            REPAIR_SHARE * 100.0,
            per_id_s(self.profile) * 1000.0,
            target_ms.join(" ")
        )
    }

    /// The plan as the terminal shows it.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let min = |s: f64| s / 60.0;
        let _ = writeln!(
            out,
            "plan: {} CPUs, threads {}, profile {}, {} benchmark ids in {} bench targets",
            self.cpus,
            self.axis
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(","),
            self.profile.as_str(),
            self.ids(),
            self.targets.len()
        );
        for t in &self.targets {
            let _ = writeln!(
                out,
                "  {:<10} {:>5} ids  {:>5.1} min a full pass ({:.2} s an id)",
                t.name,
                t.ids,
                min(t.ids as f64 * t.per_id_s),
                t.per_id_s
            );
        }
        let (n, total) = self.fitted();
        let shares: Vec<String> = (1..=self.passes)
            .map(|k| {
                format!(
                    "{:.0} %",
                    100.0
                        * self
                            .share
                            .get(k as usize - 1)
                            .copied()
                            .unwrap_or(self.share.last().copied().unwrap_or(1.0))
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "  passes: up to {}; from pass 3 on only the ids of open cells ({} of the ids in \
             passes 1-{}, {})",
            self.passes,
            shares.join(", "),
            self.passes,
            if self.share_measured {
                "as in the run given"
            } else {
                "as measured on the reference VM"
            }
        );
        let passes: f64 = (1..=n).map(|k| self.pass_s(k)).sum();
        let _ = writeln!(
            out,
            "  expected: passes 1-{n} {:.1} min, repairs {:.1} min, Go side {:.1} min ({} \
             version{}): {:.1} min{}",
            min(passes),
            min(self.repairs_s(n, passes)),
            min(self.go_s()),
            self.go_versions,
            if self.go_versions == 1 { "" } else { "s" },
            min(total),
            match self.budget_s {
                Some(b) if total > b => format!(
                    " (over the budget of {:.0} min: the passes every id gets take longer; \
                     SYNCBENCH_BUDGET sets it)",
                    min(b)
                ),
                Some(b) if n < self.passes => format!(
                    " (the budget of {:.0} min stops the passes after pass {n})",
                    min(b)
                ),
                Some(b) => format!(" (budget {:.0} min)", min(b)),
                None => String::new(),
            }
        );
        out
    }
}

/// Seconds per id per pass under `profile`, before any measurement.
pub fn per_id_s(profile: Profile) -> f64 {
    let s = Settings::new(profile);
    (s.warm_up + s.measurement).as_secs_f64() + overhead_s(profile)
}

/// Each pass's share of the ids of `model`, pass 1 first, when it is a run
/// of adaptive passes (some cell stopped short of the planned passes after
/// three or more); `None` otherwise.
pub fn measured_share(model: &Model) -> Option<Vec<f64>> {
    let points: Vec<&crate::report::analyse::model::Point> = model
        .scenarios
        .iter()
        .flat_map(|s| s.series.iter().flat_map(|x| x.points.values()))
        .filter(|p| !p.stale)
        .collect();
    // Adaptive: some cell stopped on a look, short of the planned passes.
    let adaptive = model.scenarios.iter().any(|s| {
        s.threads.iter().any(|&t| {
            let most = s.at(t).map(|(_, p)| p.pass_count()).max().unwrap_or(0);
            s.at(t).any(|(_, p)| p.is_settled_early(most))
        })
    });
    let counts: Vec<usize> = points.iter().map(|p| p.pass_count()).collect();
    let most = *counts.iter().max()?;
    if most <= 3 || !adaptive {
        return None;
    }
    let n = counts.len() as f64;
    Some(
        (1..=most)
            .map(|k| counts.iter().filter(|&&c| c >= k).count() as f64 / n)
            .collect(),
    )
}

/// The ids of `model` per bench target on a machine whose thread axis is
/// `axis`, `here` being the axis of the run (see the module docs).
pub fn ids_on(model: &Model, here: &[usize], axis: &[usize]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for s in &model.scenarios {
        let ids: usize = if s.threads == here {
            let strategies = s
                .series
                .iter()
                .filter(|x| x.points.values().any(|p| !p.stale))
                .count();
            strategies * axis.len()
        } else {
            s.series
                .iter()
                .map(|x| x.points.values().filter(|p| !p.stale).count())
                .sum()
        };
        let t = target_of(&s.id);
        match out.iter_mut().find(|(name, _)| name == t) {
            Some((_, n)) => *n += ids,
            None => out.push((t.to_string(), ids)),
        }
    }
    out
}

/// The axis of a run of `model`: the thread counts of its widest scenario.
pub fn axis_of(model: &Model) -> Vec<usize> {
    model
        .scenarios
        .iter()
        .map(|s| &s.threads)
        .max_by_key(|t| t.len())
        .cloned()
        .unwrap_or_default()
}

/// `counter=204,map=267`: ids per bench target, in the order given (a
/// target may repeat: its counts add up).
pub fn parse_ids(list: &str) -> anyhow::Result<Vec<(String, usize)>> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, n)) = part.split_once('=') else {
            anyhow::bail!("--ids: `{part}` is not target=count");
        };
        let n: usize = n
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("--ids: `{part}`: the count is not a whole number"))?;
        match out.iter_mut().find(|(t, _)| t == name.trim()) {
            Some((_, m)) => *m += n,
            None => out.push((name.trim().to_string(), n)),
        }
    }
    if out.is_empty() {
        anyhow::bail!("--ids: no target=count given");
    }
    Ok(out)
}

/// Seconds per id of each bench target from a step log
/// (`kind<TAB>pass<TAB>target<TAB>ids<TAB>seconds` lines; the `pass`
/// steps count): the target's seconds over its ids. Lines that do not
/// parse are skipped.
pub fn per_id_measured(steps: &str) -> BTreeMap<String, f64> {
    let mut sums: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for line in steps.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let [kind, _, target, ids, secs] = f[..] else {
            continue;
        };
        let (Ok(ids), Ok(secs)) = (ids.parse::<f64>(), secs.parse::<f64>()) else {
            continue;
        };
        if kind == "pass" && ids > 0.0 {
            let e = sums.entry(target.to_string()).or_default();
            e.0 += secs;
            e.1 += ids;
        }
    }
    sums.into_iter()
        .filter(|(_, (_, ids))| *ids >= 20.0)
        .map(|(t, (s, n))| (t, s / n))
        .collect()
}

/// `cpus`' default axis.
pub fn axis_for(cpus: usize) -> Vec<usize> {
    default_axis(cpus)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(budget: Option<f64>) -> Plan {
        Plan {
            cpus: 2,
            axis: vec![1, 2, 4],
            profile: Profile::Full,
            passes: 7,
            targets: vec![
                Target {
                    name: "counter".into(),
                    ids: 200,
                    per_id_s: 0.3,
                },
                Target {
                    name: "map".into(),
                    ids: 100,
                    per_id_s: 0.6,
                },
            ],
            share: FULL_OPEN_SHARE.to_vec(),
            share_measured: false,
            go_versions: 2,
            budget_s: budget,
        }
    }

    #[test]
    fn a_pass_costs_its_open_ids_and_the_budget_cuts_the_later_passes() {
        let p = plan(None);
        assert!((p.pass_s(1) - 120.0).abs() < 1e-9);
        assert!((p.pass_s(3) - 120.0 * 0.80).abs() < 1e-9);
        assert!((p.pass_s(9) - 120.0 * 0.36).abs() < 1e-9);
        assert!((p.pass_s(20) - 120.0 * 0.27).abs() < 1e-9, "past the list");
        let (n, total) = p.fitted();
        assert_eq!(n, 7);
        let passes: f64 = (1..=7).map(|k| p.pass_s(k)).sum();
        assert!((total - (passes * 1.2 + 160.0)).abs() < 1e-6);
        // A budget that holds four passes with their repairs and Go.
        let four: f64 = (1..=4).map(|k| p.pass_s(k)).sum::<f64>() * 1.2 + 160.0;
        let (n, t) = plan(Some(four + 1.0)).fitted();
        assert_eq!((n, (t - four).abs() < 1e-6), (4, true));
        // The first three passes run whatever the budget, and the plan says
        // it is over.
        assert_eq!(plan(Some(1.0)).fitted().0, 3);
        assert!(plan(Some(1.0)).text().contains("over the budget of 0 min"));
        let text = plan(Some(four + 1.0)).text();
        assert!(
            text.contains("300 benchmark ids in 2 bench targets"),
            "{text}"
        );
        assert!(text.contains("stops the passes after pass 4"), "{text}");
        assert_eq!(
            plan(Some(four + 1.0)).shell(),
            format!(
                "planned=4\ngo_est=160\nrepair_pct=20\nfallback_ms={:.0}\ntarget_ms='counter=300 map=600'\n",
                per_id_s(Profile::Full) * 1000.0
            )
        );
    }

    #[test]
    fn a_first_run_costs_each_target_as_the_reference_vm_measured_it() {
        // The maps past the cache make a map id dearer than a counter id in
        // `full`; `quick` leaves them out.
        let full = |t| reference_per_id_s(Profile::Full, t);
        let quick = |t| reference_per_id_s(Profile::Quick, t);
        assert!(full("map") > full("counter") * 1.5);
        assert!(quick("map") < quick("counter"));
        for &t in crate::harness::settings::BENCH_TARGETS {
            // Every bench target is known, and never under the profile's
            // own window.
            assert!(
                REFERENCE_PER_ID_S.iter().any(|(name, _, _)| *name == t),
                "{t}"
            );
            assert!(full(t) > per_id_s(Profile::Full) - overhead_s(Profile::Full));
            assert!(quick(t) > per_id_s(Profile::Quick) - overhead_s(Profile::Quick));
        }
        assert_eq!(full("elsewhere"), per_id_s(Profile::Full));
        assert_eq!(open_share(Profile::Quick).len(), 4);
        assert_eq!(open_share(Profile::Full)[..2], [1.0, 1.0]);
    }

    #[test]
    fn a_profile_without_repairs_plans_none() {
        let quick = Plan {
            profile: Profile::Quick,
            passes: 4,
            ..plan(None)
        };
        let passes: f64 = (1..=4).map(|k| quick.pass_s(k)).sum();
        let (n, total) = quick.fitted();
        assert_eq!(n, 4);
        assert!((total - (passes + 2.0 * GO_QUICK_S)).abs() < 1e-6);
        assert!(quick.text().contains("repairs 0.0 min"), "{}", quick.text());
        assert!(plan(None).repairs_s(3, 100.0) > 0.0);
        assert_eq!(plan(None).repairs_s(2, 100.0), 0.0);
    }

    #[test]
    fn the_axis_of_more_cpus_multiplies_the_scaling_scenarios_only() {
        use crate::report::analyse::decide::tests::{scenario, series};
        let scaling = scenario(
            "counter/increment/hot",
            vec![
                series("a", None, &[(1, 1.0), (2, 1.0), (4, 1.0)]),
                series("b", None, &[(1, 1.0), (2, 1.0), (4, 1.0)]),
            ],
        );
        let fixed = scenario("signal/ping-pong/x", vec![series("c", None, &[(2, 1.0)])]);
        let model = Model {
            scenarios: vec![scaling, fixed],
        };
        assert_eq!(axis_of(&model), vec![1, 2, 4]);
        let ids = ids_on(&model, &[1, 2, 4], &axis_for(64));
        assert_eq!(axis_for(64), vec![1, 2, 4, 8, 16, 32, 64, 128]);
        assert_eq!(
            ids,
            [("counter".to_string(), 16), ("signal".to_string(), 1)]
        );
        assert!(measured_share(&model).is_none());
    }

    #[test]
    fn ids_and_step_logs_parse() {
        assert_eq!(
            parse_ids("counter=204, map=267,counter=1").unwrap(),
            [("counter".to_string(), 205), ("map".to_string(), 267)]
        );
        assert!(parse_ids("counter").is_err());
        assert!(parse_ids("counter=x").is_err());
        assert!(parse_ids("").is_err());
        let log = "pass\t1\tcounter\t200\t66\npass\t2\tcounter\t100\t34\n\
                   repair\t1\tcounter\t10\t9\nbad line\npass\t1\tsignal\t5\t3\n";
        let m = per_id_measured(log);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!((m["counter"] - 100.0 / 300.0).abs() < 1e-9);
    }
}
