//! The report: measured runs in, a decision table and charts out.
//!
//! A one-way pipeline of four stages, each a folder that uses only the
//! stages before it (`tests/architecture.rs` fails on an import that runs
//! backwards):
//!
//! 1. [`input`]: find and read a run, whatever form it comes in: a
//!    criterion tree (`target/criterion`: criterion's estimates, the
//!    harness's sidecars and run fingerprints, Go's `go/bench.txt`), a result
//!    bundle (one run in one portable file) or a report directory (the bundle
//!    it was rendered from). Anything invalid is skipped with a warning
//!    naming the file.
//! 2. [`analyse`]: everything computed, once, into one
//!    [`analyse::Analysis`]: the model (scenario × strategy × threads, with
//!    every pass), each cell's verdict, each rule's verdict, the "what to
//!    use" rows, the winner-map grids, the Go side, `machine.json`.
//! 3. [`render`]: formats an `Analysis` (it computes nothing):
//!    `DECISIONS.md`, `index.html`, `results.{json,csv}`, `machine.json`,
//!    the run's bundle and `charts/*.{svg,png}`, built in memory and then
//!    written as a whole ([`render::output`]), so a failure never leaves a
//!    half-written report.
//! 4. [`compare`]: several result sets side by side: `report diff A B`, and
//!    the merged report of several machines (one column per machine).
//!
//! This file only chains the stages: [`load`] + [`analyse::analyse`] is the
//! one way every command (`report`, `diff`, `merge`, `screen`, `repairs`)
//! gets its [`analyse::Analysis`]. "CPUs" are always those the run could use
//! (see [`analyse::cpus_of`]).
//!
//! Nothing here knows a workload by name: a new workload's scenarios appear
//! as soon as its results exist; only its rule of thumb needs an entry in
//! [`analyse::rules::RULES`], its row of "what to use" one in
//! [`analyse::advice::SITUATIONS`], and a winner map one in
//! [`analyse::grid::QUESTIONS`].

pub mod analyse;
pub mod compare;
pub mod fmt;
pub mod input;
pub mod log;
pub mod render;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use analyse::{repair, screen};

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
    /// The answer in one plain line per situation (what to use, within
    /// how much of the best, the exceptions): `(situation, answer)`, for
    /// the terminal; for a merged report, over every machine's cells.
    pub answer: Vec<(String, String)>,
}

pub use log::Log;

pub use analyse::load;

/// Loads `input` and finds the cells whose leaders strayed in some pass
/// beyond `mode`'s factor (see [`analyse::repair`]), for the main job to
/// measure again, leaving out the cells all of whose ids `skip` lists.
pub fn repairs(
    input: &Path,
    mode: repair::Mode,
    skip: &std::collections::HashSet<String>,
    log: &mut Log<'_>,
) -> Result<repair::Findings> {
    let a = load(input, log)?;
    let mut found = repair::strayed(&a.model, &a.floor, mode);
    // A cell whose every id the passes left out (settled on a look) is not
    // measured again.
    found.repair.retain(|s| {
        a.model
            .scenarios
            .iter()
            .filter(|x| x.id == s.scenario)
            .flat_map(|x| x.at(s.threads))
            .any(|(x, p)| {
                !p.stale && !skip.contains(&format!("{}/{}/{}", s.scenario, x.strategy, s.threads))
            })
    });
    Ok(found)
}

/// Loads `input` and lists the benchmark ids the run's later passes may
/// skip (see [`analyse::screen`]).
pub fn screen(input: &Path, log: &mut Log<'_>) -> Result<Vec<screen::Screened>> {
    let a = load(input, log)?;
    Ok(screen::screened(&a.model, &a.floor))
}

/// Loads `input` and takes a look after a pass (see [`analyse::settle`]):
/// the ids the next passes leave out, `kept` (the list so far) included,
/// and each bench target's open cells.
pub fn settle(
    input: &Path,
    kept: &std::collections::HashSet<String>,
    log: &mut Log<'_>,
) -> Result<analyse::settle::Look> {
    let a = load(input, log)?;
    Ok(analyse::settle::look(&a.model, &a.floor, kept))
}

/// The whole pipeline: load and analyse `opts.input`, render and write the
/// report into `opts.out`.
pub fn run(opts: &Options, log: &mut Log<'_>) -> Result<Summary> {
    let start = Instant::now();
    let (analysis, run) = analyse::load_run(&opts.input, log)?;
    log.progress(&format!(
        "report: {} results ({} scenarios, {} decision tables, {} rule verdicts), {} run \
         fingerprints from {}",
        run.results.len(),
        analysis.model.scenarios.len(),
        analysis.decisions.len(),
        analysis.verdicts.len(),
        analysis.runs.len(),
        opts.input.display()
    ));
    log.progress(&match analysis.go.as_slice() {
        [] => format!(
            "report: Go results absent ({} not found)",
            opts.input.join(input::gotext::BENCH_FILE).display()
        ),
        gs => format!(
            "report: Go results: {}",
            gs.iter()
                .map(|g| format!("{} ({} results)", g.run.label(), g.run.results.len()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    });
    let files = render::render_all(&analysis, Some(&run))?;
    log.progress(&format!("report: rendered {} files", files.len()));
    let written = render::output::write_report(&opts.out, files)?;
    log.progress(&format!(
        "report: wrote {} ({} files) in {:.0} ms",
        opts.out.join("DECISIONS.md").display(),
        written.len(),
        start.elapsed().as_secs_f64() * 1e3
    ));
    Ok(Summary {
        warnings: log.warnings().to_vec(),
        results: analysis.model.results(),
        scenarios: analysis.model.scenarios.len(),
        files: written,
        answer: analysis
            .advice
            .iter()
            .filter_map(|a| {
                let r = a.robust.as_ref()?;
                let line = crate::report::render::advice_text::sized_terminal_line(&a.sizes)
                    .unwrap_or_else(|| r.terminal_line());
                Some((a.situation.text.to_string(), line))
            })
            .collect(),
    })
}

/// `report --input A --input B ...`: loads and analyses every input, one
/// machine each, and writes the merged report into `out`.
pub fn run_merged(inputs: &[PathBuf], out: &Path, log: &mut Log<'_>) -> Result<Summary> {
    let start = Instant::now();
    let machines = compare::merge::machines(inputs, log)?;
    log.progress(&format!(
        "report: merging {} machines: {}",
        machines.len(),
        machines
            .iter()
            .map(|m| m.label.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    let files = compare::merged::render(&machines, log.warnings())?;
    let written = render::output::write_report(out, files)?;
    log.progress(&format!(
        "report: wrote {} ({} files) in {:.0} ms",
        out.join("DECISIONS.md").display(),
        written.len(),
        start.elapsed().as_secs_f64() * 1e3
    ));
    let scenarios: std::collections::BTreeSet<&str> = machines
        .iter()
        .flat_map(|m| m.analysis.model.scenarios.iter().map(|s| s.id.as_str()))
        .collect();
    Ok(Summary {
        warnings: log.warnings().to_vec(),
        results: machines.iter().map(|m| m.analysis.model.results()).sum(),
        scenarios: scenarios.len(),
        files: written,
        answer: compare::merged::answer(&machines),
    })
}

/// `report bundle`: loads `input` (any input, see [`input::load`]) and writes its bundle
/// to `out` atomically. Returns the bundle's size in bytes. `out` must be a
/// regular file or absent (a device node is never replaced); temporary
/// files of killed runs beside `out`, and staging directories of killed
/// report runs beside `input`, are removed first.
pub fn bundle(input: &Path, out: &Path, log: &mut Log<'_>) -> Result<u64> {
    match std::fs::metadata(out) {
        Ok(m) if !m.is_file() => bail!(
            "--out {} is not a regular file (a directory, device, FIFO or socket): a bundle \
             replaces only a regular file or is written where nothing is",
            out.display()
        ),
        _ => {}
    }
    crate::io::remove_dead_siblings(out, "tmp");
    crate::io::remove_dead_siblings(input, "staging");
    let loaded = input::load(input, log)?;
    let bundle = input::bundle::pack(input, &loaded)?;
    let bytes = serde_json::to_vec(&bundle)?;
    crate::io::write_atomic(out, &bytes)
        .with_context(|| format!("cannot write the bundle {}", out.display()))?;
    log.progress(&format!(
        "report: bundled {} results, {} sidecars, {} run fingerprints into {} ({} bytes)",
        bundle.results.len(),
        bundle.sidecars.len(),
        bundle.runs.len(),
        out.display(),
        bytes.len()
    ));
    Ok(bytes.len() as u64)
}
