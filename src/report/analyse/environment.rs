//! `machine.json`: the run fingerprints the benches wrote, merged.
//!
//! Every bench target stamps its run (`syncbench/run-<workload>.json`). The
//! report expects one machine and toolchain across them and warns when they
//! differ; without any stamp it fingerprints the current machine, with a
//! warning (the numbers may come from elsewhere).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::harness::fingerprint::{Fingerprint, utc_now};
use crate::report::analyse::model::Model;
use crate::report::log::Log;

/// One bench run's stamp.
#[derive(Clone, Debug, Serialize)]
pub struct Run {
    /// Bench target.
    pub workload: String,
    /// When it ran.
    pub date: String,
    /// Its profile.
    pub profile: String,
    /// Fingerprint fields that differ from the first run's.
    pub differs: Vec<&'static str>,
}

/// The report's `machine.json`.
#[derive(Clone, Debug, Serialize)]
pub struct MachineReport {
    /// The machine: the first run's fingerprint, with `date` the latest
    /// run's and `profile` every profile seen.
    #[serde(flatten)]
    pub fingerprint: Fingerprint,
    /// Where the fingerprint comes from.
    pub source: String,
    /// Every run stamp.
    pub runs: Vec<Run>,
    /// `go version` of the Go side's run (`go/bench.txt`), when the run has
    /// one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub go: Option<String>,
    /// When the report was generated.
    pub report_generated: String,
}

/// Merges the runs' fingerprints (falls back to this machine, with a warning).
pub fn merge(
    runs: &BTreeMap<String, Fingerprint>,
    model: &Model,
    log: &mut Log<'_>,
) -> MachineReport {
    let workloads: BTreeSet<&str> = model
        .scenarios
        .iter()
        .map(|s| s.workload.as_str())
        .collect();
    let sidecar_profiles: BTreeSet<&str> = model
        .points()
        .filter_map(|p| p.sidecar.as_ref().map(|s| s.profile.as_str()))
        .collect();
    let Some((first_name, first)) = runs.iter().next() else {
        log.warn(
            "no run fingerprint (syncbench/run-<workload>.json) in the input: machine.json \
             describes the machine generating the report, which may not be the one that ran \
             the benches",
        );
        let profile = if sidecar_profiles.is_empty() {
            "unknown".to_string()
        } else {
            sidecar_profiles.into_iter().collect::<Vec<_>>().join(", ")
        };
        return MachineReport {
            fingerprint: Fingerprint::collect(&profile),
            source: "the current machine (no run fingerprint found)".into(),
            runs: Vec::new(),
            go: None,
            report_generated: utc_now(),
        };
    };
    let mut fingerprint = first.clone();
    let mut out = Vec::new();
    let mut profiles = BTreeSet::new();
    for (workload, f) in runs {
        let differs = f.differences(first);
        if !differs.is_empty() {
            log.warn(format!(
                "run-{workload}.json and run-{first_name}.json were taken on different machines \
                 or toolchains ({}): results may not be comparable",
                differs.join(", ")
            ));
        }
        if f.date > fingerprint.date {
            fingerprint.date = f.date.clone();
        }
        profiles.insert(f.profile.clone());
        out.push(Run {
            workload: workload.clone(),
            date: f.date.clone(),
            profile: f.profile.clone(),
            differs,
        });
    }
    if profiles.len() > 1 {
        log.warn(format!(
            "runs used different profiles ({}): precision differs between workloads",
            profiles.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    fingerprint.profile = profiles.into_iter().collect::<Vec<_>>().join(", ");
    let unstamped: Vec<&str> = workloads
        .iter()
        .copied()
        .filter(|w| !runs.contains_key(*w))
        .collect();
    if !unstamped.is_empty() {
        log.warn(format!(
            "no run fingerprint for {} results: assuming the same machine as {}",
            unstamped.join(", "),
            first_name
        ));
    }
    MachineReport {
        fingerprint,
        source: format!(
            "bench runs ({})",
            runs.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
        runs: out,
        go: None,
        report_generated: utc_now(),
    }
}
