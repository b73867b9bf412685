//! The bench glue, as a library: what every bench target of this crate uses,
//! and what another crate's `benches/` file calls to measure its own
//! primitive beside the built-in ones.
//!
//! One place for criterion settings (from `SYNCBENCH_PROFILE`), the thread
//! axis (from `SYNCBENCH_THREADS`), and the bridge from a
//! [`System`] to criterion's `iter_custom`. Every
//! variable is read and checked through [`crate::harness::settings`].
//!
//! Each benchmark id gets its system (worker threads, prefilled structure)
//! built lazily on criterion's first call, so ids skipped by a filter cost
//! nothing; the system then lives for all of that id's samples. When
//! benchmarking (not `--test`/`--list`), one instrumented round afterwards
//! writes the sidecar with CPU time and per-thread finish times.
//!
//! A group's ids are queued as the bench target declares them and measured
//! when the group finishes: thread count by thread count, in the order the
//! declarations came, and within one thread count in this pass's seeded
//! order ([`crate::harness::passes`]). `scripts/bench.sh` runs every
//! target once per pass; each pass is saved as criterion baseline `pass-<k>`.
//!
//! # Bring your own primitive
//!
//! A crate that depends on syncbench implements a workload's strategy trait
//! for its type ([`crate::handoff::Queue`] for a queue or channel,
//! [`crate::counter::Counter`] for a lock or counter, [`crate::map::Map`] for
//! a concurrent map, [`crate::signal::PingPong`] and
//! [`crate::signal::Broadcast`] for a wake-up signal), declares its family
//! through [`crate::harness::Strategy::FAMILY`] (or
//! [`Queue::FAMILY`](crate::handoff::Queue::FAMILY); [`Family::Other`] when
//! none fits), and calls one function from a `benches/` file with
//! `harness = false`:
//!
//! ```no_run
//! # use syncbench::bench::{self, Builtins, Context};
//! # type MyQueue = syncbench::handoff::mutex::MutexCondvar;
//! fn main() {
//!     let mut ctx = Context::new("handoff");
//!     // Every hand-off scenario, with `MyQueue` beside two built-ins.
//!     bench::handoff::run::<(MyQueue,)>(
//!         &mut ctx,
//!         Builtins::Only(&["crossbeam-bounded-64", "std-sync_channel-64"]),
//!     );
//!     ctx.finish();
//! }
//! ```
//!
//! The extra strategies are a tuple of types (`()` for none, up to four),
//! reached through generics like the built-in ones: no dynamic dispatch in
//! the timed region. They get the same ids (`<group>/<name>/<P>`), passes
//! and sidecars as the built-ins, and the same check of every round's
//! answer; [`handoff::check`], [`counter::check`], [`map::check`] and [`signal::check`] run the workload's
//! correctness body on them for a crate's own tests. The `report` binary
//! then reads `target/criterion` as it reads this crate's runs
//! (`report --input target/criterion`).

pub mod counter;
pub mod handoff;
pub mod map;
pub mod signal;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use crate::harness::settings::{SKIP_VAR, Vars};
use crate::harness::sidecar::{Sidecar, criterion_home};
use crate::harness::{Declare, Family, PassInfo, Profile, Settings, Spec, System, exit};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, Throughput};

/// Settings, thread axis and criterion for one bench target: made once in
/// the target's `main`, finished at its end.
pub struct Context {
    criterion: Criterion,
    profile: Profile,
    settings: Settings,
    threads: Vec<usize>,
    benchmarking: bool,
    pass: PassInfo,
    skip: Arc<HashSet<String>>,
}

impl Context {
    /// Reads the environment and command line for bench target `workload`;
    /// exits with a one-line message naming the variable on bad input.
    pub fn new(workload: &str) -> Context {
        // Every variable through `syncbench::harness::settings`.
        let vars = Vars::env();
        let profile = vars.profile().unwrap_or_else(|e| exit_with(&e));
        let threads = vars.threads().unwrap_or_else(|e| exit_with(&e));
        let pass = PassInfo::from_vars(&vars).unwrap_or_else(|e| exit_with(&e));
        let skip = Arc::new(vars.skip().unwrap_or_else(|e| exit_with(&e)));
        let settings = Settings::from_vars(profile, &vars).unwrap_or_else(|e| exit_with(&e));
        // Criterion's own plots draw text through plotters' ab_glyph backend.
        crate::register_fonts();
        let args: Vec<String> = std::env::args().collect();
        let has = |flag: &str| {
            args.iter()
                .any(|a| a == flag || a.starts_with(&format!("{flag}=")))
        };
        let mut criterion = Criterion::default()
            .warm_up_time(settings.warm_up)
            .measurement_time(settings.measurement)
            .sample_size(settings.sample_size)
            .nresamples(settings.nresamples);
        if !settings.criterion_plots {
            criterion = criterion.without_plots();
        }
        let mut criterion = criterion.configure_from_args();
        if let Some(baseline) = pass.baseline() {
            let own = [
                "--save-baseline",
                "--baseline",
                "--baseline-lenient",
                "--load-baseline",
                "--discard-baseline",
                "-s",
            ];
            if let Some(flag) = own.iter().find(|f| has(f)) {
                exit_with(&format!(
                    "{flag}: the main job saves each pass as criterion baseline `pass-<k>` \
                     itself; compare two runs with `report diff A B`, or run `cargo bench` \
                     directly to use criterion's baselines"
                ));
            }
            // After the command line: criterion's own default (`base`) would
            // otherwise replace it.
            criterion = criterion.save_baseline(baseline);
        }
        let benchmarking =
            has("--bench") && !has("--test") && !has("--list") && !has("--profile-time");
        if benchmarking {
            eprintln!(
                "syncbench {workload}: profile {} (warm-up {:?}, measurement {:?}, {} samples), \
                 threads {:?}, pass {} of {} (run {}, order seed {}){}",
                profile.as_str(),
                settings.warm_up,
                settings.measurement,
                settings.sample_size,
                threads,
                pass.pass,
                pass.passes,
                pass.run,
                pass.seed,
                if pass.scripted {
                    ""
                } else {
                    "; one pass gives weaker verdicts: `scripts/bench.sh` runs several"
                }
            );
            if !skip.is_empty() {
                eprintln!(
                    "syncbench {workload}: skipping the ids screened out after the first passes \
                     ({} listed in ${})",
                    skip.len(),
                    SKIP_VAR
                );
            }
            // Threads that live as long as the process, before any is counted.
            exit::start_shared_pools();
            // Stamp the run with its machine and toolchain (the report's machine.json).
            let stamp = crate::harness::fingerprint::Fingerprint::collect(profile.as_str());
            if let Err(e) = stamp.write_run(&criterion_home(), workload) {
                eprintln!("warning: run fingerprint not written: {e:#}");
            }
        }
        Context {
            criterion,
            profile,
            settings,
            threads,
            benchmarking,
            pass,
            skip,
        }
    }

    /// This run's profile.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The thread axis for this run.
    pub fn threads(&self) -> Vec<usize> {
        self.threads.clone()
    }

    /// Opens criterion group `name` (e.g. `counter/increment/hot`), reporting
    /// throughput in operations per second.
    pub fn group(&mut self, name: &str) -> Group<'_> {
        let mut inner = self.criterion.benchmark_group(name);
        inner.throughput(Throughput::Elements(1));
        Group {
            inner,
            name: name.to_string(),
            profile: self.profile,
            extras_round: self.settings.extras_round,
            benchmarking: self.benchmarking,
            pass: self.pass,
            pending: Vec::new(),
            skip: Arc::clone(&self.skip),
        }
    }

    /// Prints criterion's final summary.
    pub fn finish(self) {
        self.criterion.final_summary();
    }
}

/// One criterion group; see [`Context::group`].
pub struct Group<'a> {
    inner: BenchmarkGroup<'a, WallTime>,
    name: String,
    profile: Profile,
    extras_round: Duration,
    benchmarking: bool,
    pass: PassInfo,
    pending: Vec<Pending>,
    skip: Arc<HashSet<String>>,
}

/// A declared benchmark id, measured when its group finishes.
struct Pending {
    threads: usize,
    run: Measure,
}

/// Measures one queued id (dynamic dispatch once per id, outside any timing).
type Measure = Box<dyn FnOnce(&mut BenchmarkGroup<'_, WallTime>, &Ctx)>;

/// What a queued id needs from its group when it runs.
struct Ctx {
    name: String,
    profile: Profile,
    extras_round: Duration,
    benchmarking: bool,
    pass: PassInfo,
    position: u32,
}

/// A group takes a workload's strategy list (`counter::increment_strategies`
/// and the like): each declared system becomes a benchmark id, function =
/// the spec's strategy id, parameter = its parameter.
impl Declare for Group<'_> {
    fn declare<Sys: System + 'static, F: FnOnce() -> Sys + Send + 'static>(
        &mut self,
        spec: Spec<F>,
    ) {
        let (f, family, threads, make) = spec.into_parts();
        // Screened out after the first passes (see `harness::passes`).
        if !self.skip.is_empty() && self.skip.contains(&format!("{}/{f}/{threads}", self.name)) {
            return;
        }
        self.pending.push(Pending {
            threads,
            run: Box::new(move |inner, ctx| measure(inner, ctx, &f, family, threads, make)),
        });
    }
}

impl Group<'_> {
    /// Measures every declared id, thread count by thread count in the
    /// order they were declared, each thread count's strategies in this
    /// pass's order; then ends the group (criterion writes its summary).
    pub fn finish(mut self) {
        let mut params: Vec<usize> = Vec::new();
        for p in &self.pending {
            if !params.contains(&p.threads) {
                params.push(p.threads);
            }
        }
        let mut pending: Vec<Option<Pending>> = self.pending.drain(..).map(Some).collect();
        for t in params {
            let at: Vec<usize> = (0..pending.len())
                .filter(|&i| pending[i].as_ref().is_some_and(|p| p.threads == t))
                .collect();
            let order = self.pass.order(&self.name, t, at.len());
            for (position, &k) in order.iter().enumerate() {
                let p = pending[at[k]].take().expect("each id runs once");
                let ctx = Ctx {
                    name: self.name.clone(),
                    profile: self.profile,
                    extras_round: self.extras_round,
                    benchmarking: self.benchmarking,
                    pass: self.pass,
                    position: position as u32,
                };
                (p.run)(&mut self.inner, &ctx);
            }
        }
        self.inner.finish();
    }
}

/// Measures one id with criterion, then (when benchmarking) writes its
/// sidecar from an instrumented round.
fn measure<Sys: System>(
    inner: &mut BenchmarkGroup<'_, WallTime>,
    ctx: &Ctx,
    function: &str,
    family: Family,
    threads: usize,
    make: impl FnOnce() -> Sys,
) {
    let mut make = Some(make);
    let mut system: Option<Sys> = None;
    let parameter = threads.to_string();
    // Exit paths (rule 10): the process's threads before the system exists.
    let before = ctx.benchmarking.then(exit::thread_count).flatten();
    inner.bench_function(BenchmarkId::new(function, &parameter), |b| {
        let sys = system.get_or_insert_with(|| (make.take().expect("built once"))());
        b.iter_custom(|iters| sys.run(iters));
    });
    let stats = match (system.as_mut(), ctx.benchmarking) {
        (Some(sys), true) => Some(instrumented_round(sys, ctx.extras_round)),
        _ => None,
    };
    // The last check, after every round the id ran, benchmarking or not.
    if let Some(sys) = system.as_mut() {
        sys.finish();
    }
    if let (Some(sys), Some(stats)) = (system.as_mut(), stats) {
        let mut sidecar = Sidecar::from_stats(
            &ctx.name,
            function,
            &parameter,
            sys.worker_threads().unwrap_or(threads),
            family,
            ctx.profile.as_str(),
            &stats,
            sys.extras(),
        );
        sidecar.run_started_ms = Some(ctx.pass.run);
        sidecar.pass = ctx.pass.pass;
        sidecar.passes = ctx.pass.passes;
        sidecar.baseline = ctx.pass.baseline();
        sidecar.order_seed = Some(ctx.pass.seed);
        sidecar.position = Some(ctx.position);
        sidecar.repair = (ctx.pass.repair > 0).then_some(ctx.pass.repair);
        // Every thread the system started must be gone once it is dropped.
        drop(system.take());
        sidecar.threads_leaked = before.and_then(exit::leaked_since);
        if let Err(e) = sidecar.write(&criterion_home()) {
            eprintln!(
                "warning: {}/{function}/{parameter}: sidecar not written: {e:#}",
                ctx.name
            );
        }
    }
}

/// Fewest operations an instrumented round should cover, so that latency
/// histograms and per-op CPU time rest on more than a handful of samples.
const EXTRAS_MIN_OPS: u64 = 200;

/// Runs instrumented rounds of growing size until one lasts `target` and
/// covers [`EXTRAS_MIN_OPS`] operations, and returns that round's
/// measurements. Operations so slow that the minimum would take more than
/// 25 × `target` (a spinner on an oversubscribed machine) get the largest
/// round that fits in that bound instead.
fn instrumented_round<S: System>(sys: &mut S, target: Duration) -> crate::harness::RoundStats {
    let cap = target.saturating_mul(25);
    let mut ops: u64 = 1;
    loop {
        let stats = sys.run_instrumented(ops);
        let per_op = stats.wall.as_secs_f64().max(1e-9) / ops as f64;
        let wanted = if stats.wall < target {
            let ratio = target.as_secs_f64() / stats.wall.as_secs_f64().max(1e-9);
            (((ops as f64) * (ratio * 1.2).clamp(2.0, 64.0)).ceil() as u64)
                .max(EXTRAS_MIN_OPS.min(ops * 64))
        } else {
            EXTRAS_MIN_OPS
        };
        // The largest round that stays within the bound.
        let affordable = (cap.as_secs_f64() / per_op).floor() as u64;
        let next = wanted.min(affordable);
        if next <= ops || ops >= 1 << 40 {
            return stats;
        }
        ops = next;
    }
}

fn exit_with(e: &dyn std::fmt::Display) -> ! {
    eprintln!("error: {e}");
    std::process::exit(2)
}

/// Which built-in strategies a run keeps beside the extra ones: all of them
/// (this crate's own benches), a named set (a short run against the few that
/// matter to the caller), or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtins<'a> {
    /// Every built-in strategy of every scenario.
    All,
    /// Only the built-in strategies with these ids (e.g.
    /// `crossbeam-bounded-64`, `std-mutex`); a scenario that has none of
    /// them keeps only the extra strategies.
    Only(&'a [&'a str]),
    /// No built-in strategy: the extra strategies alone.
    None,
}

impl Builtins<'_> {
    /// Whether the built-in strategy `name` is kept.
    pub fn keeps(&self, name: &str) -> bool {
        match self {
            Builtins::All => true,
            Builtins::Only(names) => names.contains(&name),
            Builtins::None => false,
        }
    }
}

/// A [`Declare`] that passes on to `d` the built-in strategies `builtins`
/// keeps.
pub struct Keep<'a, D> {
    /// Where the kept strategies go.
    pub d: &'a mut D,
    /// Which built-ins are kept.
    pub builtins: Builtins<'a>,
}

impl<D: Declare> Declare for Keep<'_, D> {
    fn declare<Sys: System + 'static, F: FnOnce() -> Sys + Send + 'static>(
        &mut self,
        spec: Spec<F>,
    ) {
        if self.builtins.keeps(spec.name()) {
            self.d.declare(spec);
        }
    }
}

/// A [`Declare`] that runs the workload's correctness body on every system
/// declared to it, at once, on the calling thread (the system's own worker
/// threads contend): rounds of 0, 1, 7, `large` and `large + 13` operations,
/// each checked by the workload's driver, then an instrumented round. A
/// wrong answer, a worker's panic or a round that does not finish panics
/// with a message that names the strategy and its thread count, e.g.
/// `my-lock (threads=4): wrong answer after 400000 operations: …`.
#[derive(Debug)]
pub struct Check {
    /// Operations in the large rounds.
    pub large: u64,
    /// `<name>/<parameter>` of every system checked so far.
    pub checked: Vec<String>,
}

impl Check {
    /// A checker whose large rounds have `large` operations.
    pub fn new(large: u64) -> Check {
        Check {
            large,
            checked: Vec::new(),
        }
    }
}

impl Declare for Check {
    fn declare<Sys: System + 'static, F: FnOnce() -> Sys + Send + 'static>(
        &mut self,
        spec: Spec<F>,
    ) {
        let id = format!("{}/{}", spec.name(), spec.parameter());
        let mut system = spec.build();
        for ops in [0, 1, 7, self.large, self.large + 13] {
            system.run(ops);
        }
        let stats = system.run_instrumented(1_000);
        assert_eq!(stats.ops, 1_000, "{id}: instrumented round");
        system.finish();
        self.checked.push(id);
    }
}

/// Implements a workload's list-of-extras trait for `()` and for tuples of up
/// to four strategy types, each declared in tuple order after the built-ins.
macro_rules! extras_tuples {
    ($list:ident, $bound:path, $each:ident) => {
        impl $list for () {
            $each!();
        }
        impl<A: $bound> $list for (A,) {
            $each!(A);
        }
        impl<A: $bound, B: $bound> $list for (A, B) {
            $each!(A, B);
        }
        impl<A: $bound, B: $bound, C: $bound> $list for (A, B, C) {
            $each!(A, B, C);
        }
        impl<A: $bound, B: $bound, C: $bound, E: $bound> $list for (A, B, C, E) {
            $each!(A, B, C, E);
        }
    };
}
use extras_tuples;
