//! Merging result sets of several machines into one report.
//!
//! `report --input A --input B ...` with two or more inputs (criterion trees,
//! bundles or report directories) groups them by machine: every input is
//! decided on its own, with its own harness floor and thread regimes (1
//! thread / up to the CPUs the run could use / oversubscribed), and the
//! report ([`crate::report::compare::merged`]) shows one column per machine.
//!
//! A machine is its fingerprint without date and profile
//! ([`Fingerprint::differences`]), and the CPUs a run could use are part of
//! it: the same host run under `taskset -c 0` and unrestricted is two
//! machines, named `<CPU model>, 1 of 2 CPUs` and `<CPU model>, 2 CPUs`.
//!
//! Refused, with the reason: an input without a run fingerprint (its machine
//! is unknown), one machine given twice (two runs of one machine are
//! compared by `report diff A B`, not merged into two columns of the same
//! name), and inputs without a scenario in common. Scenarios only some
//! machines have are kept, with a warning, and shown blank elsewhere.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::harness::fingerprint::Fingerprint;
use crate::report::analyse::Analysis;
use crate::report::analyse::decide::CellVerdict;
use crate::report::log::Log;

/// One machine's results, analysed.
pub struct Machine {
    /// The column header: CPU model and usable CPUs.
    pub label: String,
    /// The input it was read from.
    pub input: PathBuf,
    /// Its fingerprint (the first bench target's).
    pub fingerprint: Fingerprint,
    /// Its analysis.
    pub analysis: Analysis,
}

impl Machine {
    /// The verdict and margin of a cell, if measured here.
    pub fn cell(&self, scenario: &str, threads: usize) -> Option<(&CellVerdict, Option<f64>)> {
        let d = self
            .analysis
            .decisions
            .iter()
            .find(|d| d.scenario == scenario)?;
        let r = d.rows.iter().find(|r| r.threads == threads)?;
        Some((&r.verdict, r.margin.map(|m| m.point)))
    }
}

/// The column header of a machine: `AMD EPYC, 2 CPUs`, or
/// `AMD EPYC, 1 of 2 CPUs` when the run could use fewer than the machine has.
pub fn label_of(f: &Fingerprint) -> String {
    let n = f.available_parallelism.max(1);
    let plural = |k: usize| if k == 1 { "CPU" } else { "CPUs" };
    if n < f.logical_cores {
        format!("{}, {n} of {} {}", f.cpu_model, f.logical_cores, plural(2))
    } else {
        format!("{}, {n} {}", f.cpu_model, plural(n))
    }
}

/// Loads and decides every input, one machine each, in input order.
pub fn machines(inputs: &[PathBuf], log: &mut Log<'_>) -> Result<Vec<Machine>> {
    let mut out: Vec<Machine> = Vec::new();
    for input in inputs {
        let analysis = crate::report::analyse::load(input, log)?;
        let loaded = &analysis;
        let Some(first) = loaded.runs.values().next().cloned() else {
            bail!(
                "{} has no run fingerprint (syncbench/run-<workload>.json), so its machine is \
                 unknown: merging groups inputs by machine and cannot place it; render it alone \
                 (`report --input {}`)",
                input.display(),
                input.display()
            );
        };
        for (w, f) in &loaded.runs {
            let d = f.differences(&first);
            if !d.is_empty() {
                log.warn(format!(
                    "{}: bench target {w} ran on another machine or toolchain than the rest \
                     ({}); the input is counted as one machine",
                    input.display(),
                    d.join(", ")
                ));
            }
        }
        if let Some(same) = out
            .iter()
            .find(|m| m.fingerprint.differences(&first).is_empty())
        {
            bail!(
                "{} and {} were measured on the same machine ({}, same CPUs usable, same \
                 toolchain): a merge shows one column per machine, so it refuses one machine \
                 given twice. To see where the two runs disagree, use `report diff {} {}`; to \
                 combine them, measure more passes into one criterion tree (scripts/bench.sh)",
                same.input.display(),
                input.display(),
                same.label,
                same.input.display(),
                input.display()
            );
        }
        let mut label = label_of(&first);
        if out.iter().any(|m| m.label == label) {
            let d = out
                .iter()
                .find(|m| m.label == label)
                .map(|m| m.fingerprint.differences(&first))
                .unwrap_or_default();
            label = format!("{label} ({} differs, #{})", d.join(", "), out.len() + 1);
        }
        out.push(Machine {
            label,
            input: input.clone(),
            fingerprint: first,
            analysis,
        });
    }
    let sets: Vec<BTreeSet<&str>> = out
        .iter()
        .map(|m| {
            m.analysis
                .model
                .scenarios
                .iter()
                .map(|s| s.id.as_str())
                .collect()
        })
        .collect();
    let common: BTreeSet<&str> = sets
        .iter()
        .skip(1)
        .fold(sets.first().cloned().unwrap_or_default(), |acc, s| {
            acc.intersection(s).copied().collect()
        });
    if out.len() > 1 && common.is_empty() {
        let listed = out
            .iter()
            .zip(&sets)
            .map(|(m, s)| {
                let mut names: Vec<&str> = s.iter().copied().take(3).collect();
                if s.len() > 3 {
                    names.push("...");
                }
                format!("{} has {}", m.input.display(), names.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ");
        bail!(
            "the inputs have no scenario in common ({listed}): there is nothing to compare \
             across machines; render each alone, or bench the same workloads on each machine"
        );
    }
    let all: BTreeSet<&str> = sets.iter().flatten().copied().collect();
    let partial: Vec<&str> = all.difference(&common).copied().collect();
    if !partial.is_empty() {
        log.warn(format!(
            "{} scenarios were measured on some machines only (shown blank elsewhere): {}",
            partial.len(),
            partial.join(", ")
        ));
    }
    Ok(out)
}
