//! Replicated passes: which pass of which run a bench process is, and the
//! order in which it measures a group's strategies.
//!
//! A VM's slow phases last longer than one benchmark id's measurement window
//! (about half a second), so one window per id lets a slow phase land on one
//! strategy and not on its neighbour, and criterion's interval never sees
//! it. The main job (`scripts/bench.sh`) therefore measures every id in `R`
//! independent passes: pass 1 of every bench target, then pass 2 of every
//! target, and so on, so the passes of one id lie minutes apart. Each pass
//! measures the strategies of a group, at each thread count, in its own
//! seeded order. The report then names a winner only when it leads in every
//! pass (see `syncbench::report::analyse::stats`).
//!
//! The script tells each bench process where it stands through environment
//! variables (`SYNCBENCH_RUN`, `SYNCBENCH_PASS`, `SYNCBENCH_PASSES`,
//! `SYNCBENCH_SEED`, `SYNCBENCH_REPAIR`, `SYNCBENCH_SKIP`; their defaults
//! and accepted values are in [`super::settings`]); plain `cargo bench` sets
//! none of them and is one pass of its own run.
//!
//! **Screening.** After the first passes, the script asks the report which
//! ids ran far behind their cell's best in every one of them (`report
//! screen`, see `syncbench::report::analyse::screen`) and hands the list to the later
//! passes and the repairs, which skip those ids: a strategy 8x behind decides
//! nothing, and every id costs the same window whatever its speed.
//!
//! **Repairs.** On a VM, a phase of the host (the vCPUs moved to other cores,
//! a neighbour's burst) can make one pass of a cell two or three times
//! slower for some of its strategies and not for others. After the passes,
//! the script asks the report which cells strayed in which pass
//! (`report repairs`, see `syncbench::report::analyse::repair`) and measures exactly
//! those cells of those passes again, all their strategies together, in a
//! fresh order, in one round; then up to two check rounds measure
//! again what is still more than 2x off (a repair can land in a phase of
//! its own), [`REPAIR_ROUNDS`] in all. The new measurement replaces the old
//! one (same baseline `pass-<k>`); its sidecar records the round.
//!
//! Criterion saves each pass as a baseline of its own (`pass-<k>`, next to
//! its `new/`), and the sidecar of each pass records the run, the pass, the
//! seed and the strategy's position in that pass's order.

use super::settings::{SettingError, Vars};
use super::sidecar::now_ms;

pub use super::settings::{
    MAX_PASSES, PASS_VAR, PASSES_VAR, REPAIR_ROUNDS, REPAIR_VAR, RUN_VAR, SEED_VAR, SKIP_VAR,
    default_passes, parse_skip,
};

/// Where this bench process stands in its run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PassInfo {
    /// The run id (ms since the Unix epoch when the run started).
    pub run: u64,
    /// This pass, from 1.
    pub pass: u32,
    /// Passes in the run.
    pub passes: u32,
    /// Seed of the strategy orders.
    pub seed: u64,
    /// Whether the script set the pass (false: plain `cargo bench`).
    pub scripted: bool,
    /// 0 for the pass itself; `n` when this process re-measures cells that
    /// strayed, in repair round `n` (see the module docs).
    pub repair: u32,
}

impl PassInfo {
    /// Reads the pass variables; with none set, this process is pass 1 of 1
    /// of a run that starts now.
    pub fn from_env() -> Result<PassInfo, SettingError> {
        Self::from_vars(&Vars::env())
    }

    /// [`PassInfo::from_env`] over any [`Vars`] (for tests).
    pub fn from_vars(vars: &Vars) -> Result<PassInfo, SettingError> {
        let passes = vars.passes()?;
        let pass = vars.pass(passes.unwrap_or(1))?;
        let run = vars.run()?.unwrap_or_else(now_ms);
        Ok(PassInfo {
            run,
            pass: pass.unwrap_or(1),
            passes: passes.unwrap_or(1),
            seed: vars.seed()?.unwrap_or(run),
            scripted: pass.is_some(),
            repair: vars.repair()?,
        })
    }

    /// The criterion baseline this pass is saved as (`pass-2`), or `None`
    /// for plain `cargo bench`, which leaves criterion's baselines alone.
    pub fn baseline(&self) -> Option<String> {
        self.scripted.then(|| format!("pass-{}", self.pass))
    }

    /// The order in which this pass measures `n` strategies of `group` at
    /// `threads`: a permutation of `0..n`, seeded by the run's seed, the
    /// pass, the repair round, the group and the thread count.
    pub fn order(&self, group: &str, threads: usize, n: usize) -> Vec<usize> {
        let seed = self.seed ^ u64::from(self.repair).wrapping_mul(0xd1b5_4a32_d192_ed03);
        order(seed, self.pass, group, threads, n)
    }
}

/// A seeded permutation of `0..n` (Fisher-Yates over SplitMix64).
pub fn order(seed: u64, pass: u32, group: &str, threads: usize, n: usize) -> Vec<usize> {
    let mut state = seed ^ u64::from(pass).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for b in group.bytes() {
        state = (state ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    state ^= (threads as u64).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut v: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(vars: &[(&str, &str)]) -> Result<PassInfo, SettingError> {
        PassInfo::from_vars(&Vars::from_pairs(vars.iter().copied()))
    }

    #[test]
    fn plain_cargo_bench_is_one_pass_without_a_baseline() {
        let p = info(&[]).unwrap();
        assert_eq!((p.pass, p.passes, p.scripted), (1, 1, false));
        assert_eq!(p.baseline(), None);
        assert_eq!(p.seed, p.run);
    }

    #[test]
    fn scripted_passes_name_their_baseline() {
        let p = info(&[
            (PASS_VAR, "2"),
            (PASSES_VAR, "3"),
            (RUN_VAR, "1700000000000"),
            (SEED_VAR, "7"),
        ])
        .unwrap();
        assert_eq!(
            (p.pass, p.passes, p.run, p.seed),
            (2, 3, 1_700_000_000_000, 7)
        );
        assert_eq!(p.baseline().as_deref(), Some("pass-2"));
        assert_eq!(p.repair, 0);
    }

    #[test]
    fn a_repair_round_keeps_its_pass_and_measures_in_a_fresh_order() {
        let vars = [(PASS_VAR, "2"), (PASSES_VAR, "3"), (SEED_VAR, "7")];
        let pass = info(&vars).unwrap();
        let mut with = vars.to_vec();
        with.push((REPAIR_VAR, "1"));
        let repair = info(&with).unwrap();
        assert_eq!((repair.pass, repair.repair), (2, 1));
        assert_eq!(repair.baseline().as_deref(), Some("pass-2"));
        assert_ne!(
            pass.order("map/read-heavy/99-1/zipf", 2, 9),
            repair.order("map/read-heavy/99-1/zipf", 2, 9)
        );
        with.pop();
        with.push((REPAIR_VAR, "9"));
        let e = info(&with).unwrap_err().to_string();
        assert!(e.contains(REPAIR_VAR) && e.contains("`9`"), "{e}");
    }

    #[test]
    fn bad_values_name_the_variable_and_token() {
        let e = info(&[(PASS_VAR, "two")]).unwrap_err().to_string();
        assert!(e.contains(PASS_VAR) && e.contains("`two`"), "{e}");
        let e = info(&[(PASS_VAR, "4"), (PASSES_VAR, "3")])
            .unwrap_err()
            .to_string();
        assert!(e.contains(PASS_VAR) && e.contains("`4`"), "{e}");
        let e = info(&[(PASSES_VAR, "0")]).unwrap_err().to_string();
        assert!(e.contains(PASSES_VAR), "{e}");
    }

    #[test]
    fn orders_are_permutations_that_differ_between_passes() {
        let a = order(42, 1, "counter/increment/hot", 4, 13);
        let b = order(42, 2, "counter/increment/hot", 4, 13);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..13).collect::<Vec<_>>());
        assert_ne!(a, b);
        assert_eq!(a, order(42, 1, "counter/increment/hot", 4, 13), "seeded");
        assert_eq!(order(1, 1, "g", 1, 0), Vec::<usize>::new());
    }
}
