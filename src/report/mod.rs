//! The report: criterion's results in, a decision table and charts out.
//!
//! A pipeline of small stages, each testable on its own:
//!
//! 1. [`load`]: discover and parse criterion's `new/{benchmark,estimates}.json`
//!    files, the harness's sidecars and the run fingerprints under the input
//!    directory; anything invalid is skipped with a warning naming the file.
//! 2. [`model`]: per scenario (criterion group) × strategy × thread count, the
//!    throughput with its confidence interval.
//! 3. [`decide`]: per scenario and thread count the winner, runner-up,
//!    margin, ties and "avoid"; crossovers; and [`rules`]: a verdict for each
//!    rule of thumb in the registry; [`advice`]: the "what to use" table,
//!    one row per situation of [`advice::SITUATIONS`], each regime's answer
//!    aggregated from those decisions.
//! 4. [`render`]: `DECISIONS.md`, `index.html`, `results.{json,csv}`,
//!    `machine.json` and `charts/<scenario>.{svg,png}`, built in memory and
//!    then written as a whole ([`output`]), so a failure never leaves a
//!    half-written report.
//!
//! Inputs are criterion trees or result bundles ([`bundle`]: one run in one
//! portable file); several inputs make the merged report of several
//! machines ([`merge`], rendered by [`render::machines`]). "CPUs" are always
//! those the run could use (see [`cpus_of`]).
//!
//! Nothing here knows a workload by name: a new workload's scenarios appear
//! as soon as its results exist; only its rule of thumb needs an entry in
//! [`rules::RULES`], its row of "what to use" one in
//! [`advice::SITUATIONS`], and a winner map one in
//! [`render::winner_map::QUESTIONS`].

pub mod advice;
pub mod applicable;
pub mod bundle;
pub mod decide;
pub mod diff;
pub mod gobench;
pub mod load;
pub mod merge;
pub mod model;
pub mod output;
pub mod render;
pub mod repair;
pub mod rules;
pub mod screen;
pub mod stats;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;

/// Where to read and write.
#[derive(Clone, Debug)]
pub struct Options {
    /// Criterion's output directory (`target/criterion`).
    pub input: PathBuf,
    /// The report directory (`reports`).
    pub out: PathBuf,
}

/// What a report run produced.
#[derive(Debug)]
pub struct Summary {
    /// Every warning printed, in order.
    pub warnings: Vec<String>,
    /// Benchmark results that made it into the report.
    pub results: usize,
    /// Scenarios (criterion groups) in the report.
    pub scenarios: usize,
    /// Files written, relative to the out directory.
    pub files: Vec<PathBuf>,
}

/// Collects warnings and progress lines; the binary prints them as they
/// come, tests inspect them.
pub struct Log<'a> {
    sink: &'a mut dyn FnMut(&str),
    warnings: Vec<String>,
}

impl<'a> Log<'a> {
    /// A log that hands every line to `sink`.
    pub fn new(sink: &'a mut dyn FnMut(&str)) -> Log<'a> {
        Log {
            sink,
            warnings: Vec::new(),
        }
    }

    /// A progress line.
    pub fn progress(&mut self, line: &str) {
        (self.sink)(line);
    }

    /// A warning: printed and kept for the report's notes.
    pub fn warn(&mut self, message: impl Into<String>) {
        let message = message.into();
        (self.sink)(&format!("warning: {message}"));
        self.warnings.push(message);
    }

    /// Warnings so far.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// The most CPUs any run of `runs` could use (its affinity mask and cgroup
/// limits applied: `available_parallelism`, 1 under `taskset -c 0` on any
/// machine), 1 when none says. Regimes and the harness floor reason about
/// these, not the machine's total.
pub fn cpus_of(runs: &std::collections::BTreeMap<String, crate::harness::fingerprint::Fingerprint>) -> usize {
    runs.values()
        .map(|f| f.available_parallelism.max(1))
        .max()
        .unwrap_or(1)
}

/// The harness floor, every scenario's decision table and every rule's
/// verdict for `model`, measured on the machines of `runs`.
pub fn decide_model(
    model: &model::Model,
    runs: &std::collections::BTreeMap<String, crate::harness::fingerprint::Fingerprint>,
) -> (stats::Floor, Vec<decide::Decision>, Vec<rules::Judgement>) {
    let floor = decide::floor_of(model, cpus_of(runs));
    let decisions = decide::decide_all(model, &floor);
    let verdicts = rules::judge_all(rules::RULES, model, &floor);
    (floor, decisions, verdicts)
}

/// Loads `input` and finds the cells whose leaders strayed in some pass
/// beyond `mode`'s factor (see [`repair`]), for the main job to measure
/// again.
pub fn repairs(
    input: &std::path::Path,
    mode: repair::Mode,
    log: &mut Log<'_>,
) -> Result<repair::Findings> {
    let loaded = bundle::load_any(input, log)?;
    let model = model::Model::build(loaded.measurements, loaded.sidecars, log);
    let floor = decide::floor_of(&model, cpus_of(&loaded.runs));
    Ok(repair::strayed(&model, &floor, mode))
}

/// Loads `input` and lists the benchmark ids the run's later passes may
/// skip (see [`screen`]).
pub fn screen(input: &std::path::Path, log: &mut Log<'_>) -> Result<Vec<screen::Screened>> {
    let loaded = load::load(input, log)?;
    let model = model::Model::build(loaded.measurements, loaded.sidecars, log);
    let floor = decide::floor_of(&model, cpus_of(&loaded.runs));
    Ok(screen::screened(&model, &floor))
}

/// Runs the whole pipeline: load `opts.input`, decide, render and write the
/// report into `opts.out`.
pub fn run(opts: &Options, log: &mut Log<'_>) -> Result<Summary> {
    let start = Instant::now();
    let loaded = bundle::load_any(&opts.input, log)?;
    log.progress(&format!(
        "report: loaded {} results, {} sidecars, {} run fingerprints from {}",
        loaded.measurements.len(),
        loaded.sidecars.len(),
        loaded.runs.len(),
        opts.input.display()
    ));
    let model = model::Model::build(loaded.measurements, loaded.sidecars, log);
    log.progress(&format!(
        "report: modelled {} scenarios",
        model.scenarios.len()
    ));
    let (floor, decisions, verdicts) = decide_model(&model, &loaded.runs);
    log.progress(&format!(
        "report: decided {} scenario tables and {} rule verdicts",
        decisions.len(),
        verdicts.len()
    ));
    let go = loaded.go.as_deref().map(gobench::parse);
    match &go {
        Some(g) => log.progress(&format!(
            "report: {} Go results ({}) from {}",
            g.results.len(),
            g.label(),
            opts.input.join(gobench::BENCH_FILE).display()
        )),
        None => log.progress(&format!(
            "report: Go results absent ({} not found)",
            opts.input.join(gobench::BENCH_FILE).display()
        )),
    }
    let mut machine = render::machine::merge(&loaded.runs, &model, log);
    machine.go = go.as_ref().and_then(|g| g.version.clone());
    let report = render::Report {
        model: &model,
        decisions: &decisions,
        verdicts: &verdicts,
        machine: &machine,
        warnings: log.warnings(),
        floor: &floor,
    };
    let files = render::render_all_with_go(&report, go.as_ref())?;
    log.progress(&format!("report: rendered {} files", files.len()));
    let written = output::write_report(&opts.out, files)?;
    log.progress(&format!(
        "report: wrote {} ({} files) in {:.0} ms",
        opts.out.join("DECISIONS.md").display(),
        written.len(),
        start.elapsed().as_secs_f64() * 1e3
    ));
    Ok(Summary {
        warnings: log.warnings().to_vec(),
        results: model.results(),
        scenarios: model.scenarios.len(),
        files: written,
    })
}
