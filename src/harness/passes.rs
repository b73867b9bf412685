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
//! The script tells each bench process where it stands through four
//! environment variables; plain `cargo bench` sets none of them and is one
//! pass of its own run:
//!
//! | variable | meaning |
//! |---|---|
//! | `SYNCBENCH_RUN` | the run's id: its start, ms since the Unix epoch |
//! | `SYNCBENCH_PASS` | this pass, `1..=SYNCBENCH_PASSES` |
//! | `SYNCBENCH_PASSES` | passes in the run; also how many the script runs |
//! | `SYNCBENCH_SEED` | seed of the strategy orders (default: the run id) |
//! | `SYNCBENCH_REPAIR` | `0`, or the round of re-measuring strayed cells (below) |
//! | `SYNCBENCH_SKIP` | a file of benchmark ids this process leaves out (below) |
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

use std::fmt;

use super::profile::Profile;
use super::sidecar::now_ms;

/// The run id variable.
pub const RUN_VAR: &str = "SYNCBENCH_RUN";
/// The pass variable.
pub const PASS_VAR: &str = "SYNCBENCH_PASS";
/// The pass count variable.
pub const PASSES_VAR: &str = "SYNCBENCH_PASSES";
/// The order seed variable.
pub const SEED_VAR: &str = "SYNCBENCH_SEED";
/// The repair round variable (0: the pass itself).
pub const REPAIR_VAR: &str = "SYNCBENCH_REPAIR";

/// The skip-list variable: a file of `group/function/parameter` ids, one per
/// line, that this process does not measure.
pub const SKIP_VAR: &str = "SYNCBENCH_SKIP";

/// The ids listed in the file that [`SKIP_VAR`] names (none when it is unset
/// or empty). Blank lines and lines starting with `#` are ignored.
pub fn skip_from_env() -> Result<std::collections::HashSet<String>, PassError> {
    let Some(path) = std::env::var_os(SKIP_VAR).filter(|v| !v.is_empty()) else {
        return Ok(Default::default());
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        PassError::new(
            SKIP_VAR,
            &path.to_string_lossy(),
            &format!("cannot be read ({e})"),
        )
    })?;
    Ok(parse_skip(&text))
}

/// The ids of a skip list (see [`skip_from_env`]).
pub fn parse_skip(text: &str) -> std::collections::HashSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Most rounds of re-measuring strayed cells after the passes: the repair
/// rounds (`syncbench::report::analyse::repair::STRAY_ROUNDS`), then check rounds
/// for what is still far off. `scripts/bench.sh` repeats both numbers (a
/// test checks that they agree).
pub const REPAIR_ROUNDS: u32 = 3;

/// Most passes one run may ask for.
pub const MAX_PASSES: u32 = 50;

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
    pub fn from_env() -> Result<PassInfo, PassError> {
        Self::from_lookup(|k| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned()))
    }

    /// [`PassInfo::from_env`] over any variable lookup (for tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<PassInfo, PassError> {
        let num = |var: &'static str| -> Result<Option<u64>, PassError> {
            match get(var) {
                None => Ok(None),
                Some(v) if v.trim().is_empty() => Ok(None),
                Some(v) => v
                    .trim()
                    .parse::<u64>()
                    .map(Some)
                    .map_err(|_| PassError::new(var, &v, "is not a whole number")),
            }
        };
        let pass = num(PASS_VAR)?;
        let passes = num(PASSES_VAR)?;
        let run = num(RUN_VAR)?;
        let seed = num(SEED_VAR)?;
        let repair = num(REPAIR_VAR)?.unwrap_or(0);
        if repair > u64::from(REPAIR_ROUNDS) {
            return Err(PassError::new(
                REPAIR_VAR,
                &repair.to_string(),
                &format!("is not between 0 and {REPAIR_ROUNDS}"),
            ));
        }
        let scripted = pass.is_some();
        let passes = passes.unwrap_or(1);
        if passes == 0 || passes > u64::from(MAX_PASSES) {
            return Err(PassError::new(
                PASSES_VAR,
                &passes.to_string(),
                &format!("is not between 1 and {MAX_PASSES}"),
            ));
        }
        let pass = pass.unwrap_or(1);
        if pass == 0 || pass > passes {
            return Err(PassError::new(
                PASS_VAR,
                &pass.to_string(),
                &format!("is not between 1 and {PASSES_VAR} ({passes})"),
            ));
        }
        let run = run.unwrap_or_else(now_ms);
        Ok(PassInfo {
            run,
            pass: pass as u32,
            passes: passes as u32,
            seed: seed.unwrap_or(run),
            scripted,
            repair: repair as u32,
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

/// Passes the main job runs per profile unless `SYNCBENCH_PASSES` says
/// otherwise: 5 in `full`, 2 in `quick`. `scripts/bench.sh` repeats these
/// numbers (a test checks that they agree).
pub fn default_passes(profile: Profile) -> u32 {
    match profile {
        Profile::Quick => 2,
        Profile::Full => 5,
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

/// A bad pass variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassError(String);

impl PassError {
    fn new(var: &str, value: &str, why: &str) -> PassError {
        PassError(format!("{var}: `{}` {why}", value.trim()))
    }
}

impl fmt::Display for PassError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PassError {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn info(vars: &[(&str, &str)]) -> Result<PassInfo, PassError> {
        let m: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        PassInfo::from_lookup(|k| m.get(k).cloned())
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
    fn bench_script_uses_the_same_default_passes() {
        let script = include_str!("../../scripts/bench.sh");
        for (profile, case) in [
            (Profile::Quick, "quick) default_passes="),
            (Profile::Full, "*) default_passes="),
        ] {
            let want = format!("{case}{}", default_passes(profile));
            assert!(script.contains(&want), "scripts/bench.sh lacks `{want}`");
        }
        let want = format!("repair_rounds={REPAIR_ROUNDS}");
        assert!(script.contains(&want), "scripts/bench.sh lacks `{want}`");
        let want = format!(
            "stray_rounds={}",
            crate::report::analyse::repair::STRAY_ROUNDS
        );
        assert!(script.contains(&want), "scripts/bench.sh lacks `{want}`");
        let want = format!("screen_after={}", crate::report::analyse::screen::AFTER);
        assert!(script.contains(&want), "scripts/bench.sh lacks `{want}`");
    }

    #[test]
    fn skip_lists_ignore_blank_and_comment_lines() {
        let s =
            parse_skip("# screened\nmap/read-heavy/99-1/zipf/actor-crossbeam/2\n\n  a/b/c/1  \n");
        assert_eq!(s.len(), 2);
        assert!(s.contains("map/read-heavy/99-1/zipf/actor-crossbeam/2"));
        assert!(s.contains("a/b/c/1"));
        assert!(parse_skip("").is_empty());
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
