//! Stage 2 of the report: everything computed from what was loaded, once.
//!
//! [`analyse`] turns a [`Loaded`] run into one [`Analysis`]: the model
//! (scenario × strategy × threads, passes joined), the harness floor, every
//! cell's verdict ([`decide`]), every rule's verdict ([`rules`]), the "what
//! to use" rows ([`advice`]), the winner-map grids ([`grid`]), the strategies
//! that are not applicable in a scenario ([`applicable`]), the Go side's
//! cells and verdicts ([`go`]) and `machine.json` ([`environment`]). The
//! render stage formats an `Analysis` and computes nothing; `report diff`,
//! the merged report of several machines, `report screen` and `report
//! repairs` all start from one too.
//!
//! Inside the stage the files form a one-way chain as well: [`stats`] (pure
//! statistics) ← [`model`] ← [`screen`] ← [`decide`] ← [`rules`] ←
//! [`advice`], [`go`], [`grid`]; [`repair`] and [`applicable`] sit beside
//! [`decide`].

pub mod advice;
pub mod applicable;
pub mod decide;
pub mod environment;
pub mod go;
pub mod grid;
pub mod model;
pub mod plan;
pub mod repair;
pub mod rules;
pub mod scope;
pub mod screen;
pub mod settle;
pub mod stats;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Result;

use crate::harness::fingerprint::Fingerprint;
use crate::report::input::bundle::Bundle;
use crate::report::input::criterion::Loaded;
use crate::report::input::gotext::{self, GoRun};
use crate::report::log::Log;

/// One run, analysed: what every later stage reads.
pub struct Analysis {
    /// The measurements, joined over passes.
    pub model: model::Model,
    /// Every bench target's run fingerprint, by workload.
    pub runs: BTreeMap<String, Fingerprint>,
    /// The CPUs the run could use ([`cpus_of`]).
    pub cpus: usize,
    /// The harness floor the verdicts use.
    pub floor: stats::Floor,
    /// One decision table per scenario, in model order.
    pub decisions: Vec<decide::Decision>,
    /// One verdict per registered rule.
    pub verdicts: Vec<rules::Judgement>,
    /// The "what to use" rows, one per situation with data.
    pub advice: Vec<advice::Advice>,
    /// Every winner map the data allows.
    pub grids: Vec<grid::Grid>,
    /// Per scenario (model order): strategies left out as not applicable.
    pub absent: Vec<Vec<applicable::Absent>>,
    /// How many passes the results have, screened results left out.
    pub pass_counts: BTreeSet<usize>,
    /// Results left out of their cell's later passes (screened far behind,
    /// or out of contention on a look).
    pub screened: usize,
    /// Results whose cell stopped getting passes on a look, settled.
    pub settled: usize,
    /// Cells (scenario × thread count) that stopped on a look, settled.
    pub settled_cells: usize,
    /// `(cell-passes measured, cell-passes measured again by a repair)`.
    pub repairs: (usize, usize),
    /// The Go side: one per Go version the run measured (the main job's
    /// first, its current Go, leads), none without Go output.
    pub go: Vec<GoAnalysis>,
    /// `machine.json`: the runs' fingerprints merged.
    pub environment: environment::MachineReport,
    /// Every warning raised while loading and analysing.
    pub warnings: Vec<String>,
}

/// The Go side of a run, judged.
pub struct GoAnalysis {
    /// The parsed Go output.
    pub run: GoRun,
    /// Every Go cell's verdict.
    pub cells: Vec<go::GoCell>,
    /// Every rule judged on the Go side.
    pub verdicts: Vec<go::GoJudgement>,
    /// Both, as `results.json` records them.
    pub summary: go::GoSummary,
}

/// The most CPUs any run of `runs` could use (its affinity mask and cgroup
/// limits applied: `available_parallelism`, 1 under `taskset -c 0` on any
/// machine), 1 when none says. Regimes and the harness floor reason about
/// these, not the machine's total.
pub fn cpus_of(runs: &BTreeMap<String, Fingerprint>) -> usize {
    runs.values()
        .map(|f| f.available_parallelism.max(1))
        .max()
        .unwrap_or(1)
}

/// Analyses a loaded run: everything the report shows, computed once.
/// Warnings go to `log` and are kept in [`Analysis::warnings`] (with those
/// `log` already held).
pub fn analyse(loaded: Loaded, log: &mut Log<'_>) -> Analysis {
    let model = model::Model::build(loaded.measurements, loaded.sidecars, log);
    let cpus = cpus_of(&loaded.runs);
    let floor = decide::floor_of(&model, cpus);
    let decisions = decide::decide_all(&model, &floor);
    let verdicts = rules::judge_all(rules::RULES, &model, &floor);
    let advice = advice::advise(advice::SITUATIONS, &model, &decisions, &verdicts, cpus);
    let grids = grid::grids(&model, &decisions);
    let absent = model
        .scenarios
        .iter()
        .map(|s| applicable::absent(&model, s))
        .collect();
    let pass_counts = screen::results(&model)
        .filter(|&(_, screened)| !screened)
        .map(|(p, _)| p.pass_count())
        .collect();
    let screened = screen::count(&model);
    let short = settle::short_of_plan(&model, &floor);
    if short.settled > 0 {
        log.progress(&format!(
            "report: {} results in {} cells stopped getting passes on a look, their verdict \
             settled",
            short.settled, short.settled_cells
        ));
    }
    if !short.open.is_empty() {
        let shown: Vec<&str> = short.open.iter().take(5).map(String::as_str).collect();
        log.warn(format!(
            "{} results have fewer passes than their run planned and their cell was not settled \
             (the time budget stopped the passes, or the run was interrupted), decided on the \
             passes they have (e.g. {}{})",
            short.open.len(),
            shown.join(", "),
            if short.open.len() > shown.len() {
                ", ..."
            } else {
                ""
            }
        ));
    }
    let (settled, settled_cells) = (short.settled, short.settled_cells);
    let repairs = repair::measured_again(&model);
    let go: Vec<GoAnalysis> = loaded
        .go
        .as_deref()
        .map(gotext::parse_all)
        .unwrap_or_default()
        .into_iter()
        .map(|run| GoAnalysis {
            cells: go::cells(&run),
            verdicts: go::judge_all(&run),
            summary: go::summary(&run),
            run,
        })
        .collect();
    let mut environment = environment::merge(&loaded.runs, &model, log);
    environment.go = go.first().and_then(|g| g.run.version.clone());
    Analysis {
        model,
        runs: loaded.runs,
        cpus,
        floor,
        decisions,
        verdicts,
        advice,
        grids,
        absent,
        pass_counts,
        screened,
        settled,
        settled_cells,
        repairs,
        go,
        environment,
        warnings: log.warnings().to_vec(),
    }
}

/// Reads `input` (criterion tree, bundle or report directory) and analyses
/// it: the one way every command gets its [`Analysis`].
pub fn load(input: &Path, log: &mut Log<'_>) -> Result<Analysis> {
    let loaded = crate::report::input::load(input, log)?;
    Ok(analyse(loaded, log))
}

/// [`load`], with the run packed as a bundle beside its analysis (what a
/// report directory carries, see [`crate::report::input::RUN_BUNDLE`]).
pub fn load_run(input: &Path, log: &mut Log<'_>) -> Result<(Analysis, Bundle)> {
    let loaded = crate::report::input::load(input, log)?;
    let run = crate::report::input::bundle::pack(input, &loaded)?;
    Ok((analyse(loaded, log), run))
}

impl Analysis {
    /// The Go runs that have results (a Go file with none is no Go side).
    pub fn go_with_results(&self) -> Vec<&GoAnalysis> {
        self.go
            .iter()
            .filter(|g| !g.run.results.is_empty())
            .collect()
    }
}
