//! `results.json` and `results.csv`: one row per scenario × strategy ×
//! threads with the estimate and its interval (JSON adds the decisions and
//! rule verdicts, and the Go side's verdicts when there is a Go run).

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::report::analyse::Analysis;
use crate::report::analyse::advice::robust::{Robust, Sized};
use crate::report::analyse::decide::Decision;
use crate::report::analyse::go::GoSummary;
use crate::report::analyse::model::Model;
use crate::report::analyse::rules::Judgement;

/// The version of `results.json` this build writes; a file without one is
/// version 1 (the same fields, written before files carried it).
pub const RESULTS_VERSION: u32 = 2;

/// `results.json`: one set of types, written by the report and read back by
/// `report diff` (a report directory's verdicts).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Results {
    /// [`RESULTS_VERSION`] of the writer.
    #[serde(default = "version_one")]
    pub format_version: u32,
    /// When the report was generated, UTC.
    pub generated: String,
    /// One row per scenario × strategy × threads.
    pub rows: Vec<ResultRow>,
    /// One decision table per scenario.
    pub decisions: Vec<Decision>,
    /// One verdict per rule.
    pub rules: Vec<Judgement>,
    /// The Go side's cell and rule verdicts, `null` without a Go run
    /// (absent in reports written before the Go side was recorded).
    #[serde(default)]
    pub go: Option<GoSummary>,
    /// The other Go versions the run measured, the same way (absent with
    /// one Go version).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub go_others: Vec<GoSummary>,
    /// Warnings raised while loading.
    pub warnings: Vec<String>,
    /// Each situation's robust pick (absent in reports written before
    /// they were recorded): what `report diff` follows on another run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub robust: Vec<SituationPick>,
}

/// A situation's robust pick, as `results.json` records it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SituationPick {
    /// The situation's id.
    pub situation: String,
    /// What the reader is building.
    pub text: String,
    /// The pick, its worst regret, its cells and exceptions.
    pub robust: Robust,
    /// One pick per map size, for a situation measured at both (absent
    /// otherwise, and in results written before).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sizes: Vec<Sized>,
}

fn version_one() -> u32 {
    1
}

/// One result row.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResultRow {
    /// Criterion group id.
    pub scenario: String,
    /// First id component.
    pub workload: String,
    /// Second id component.
    pub scenario_name: String,
    /// The rest of the id.
    pub variant: String,
    /// Strategy (criterion function id).
    pub strategy: String,
    /// Family from the sidecar, `unknown` without one.
    pub family: String,
    /// Reference line (never a winner).
    pub reference: bool,
    /// Thread count.
    pub threads: usize,
    /// `slope` or `mean`.
    pub estimator: String,
    /// Confidence level of the interval.
    pub confidence_level: f64,
    /// Operations per second.
    pub ops_per_s: f64,
    /// Lower bound.
    pub ops_per_s_lo: f64,
    /// Upper bound.
    pub ops_per_s_hi: f64,
    /// Time per operation, ns.
    pub ns_per_op: f64,
    /// Lower bound.
    pub ns_per_op_lo: f64,
    /// Upper bound.
    pub ns_per_op_hi: f64,
    /// CPU ns per operation of every thread the strategy uses (sidecars,
    /// median over passes).
    pub cpu_ns_per_op: Option<f64>,
    /// The smallest pass value of `cpu_ns_per_op`.
    pub cpu_ns_per_op_min: Option<f64>,
    /// The largest pass value of `cpu_ns_per_op`.
    pub cpu_ns_per_op_max: Option<f64>,
    /// Wall ns per operation in the instrumented round (sidecars, median).
    pub wall_ns_per_op: Option<f64>,
    /// Passes measured.
    pub passes: usize,
    /// Each pass's time per operation, ns, in pass order.
    pub pass_ns_per_op: Vec<f64>,
    /// The run (ms since the epoch when it started), where sidecars say.
    pub run: Option<u64>,
    /// From an older run than its scenario's newest: shown, not compared.
    pub older_run: bool,
}

/// Every row of the model, in scenario, strategy, thread order.
pub fn rows(model: &Model) -> Vec<ResultRow> {
    let mut out = Vec::with_capacity(model.results());
    for s in &model.scenarios {
        for x in &s.series {
            for p in x.points.values() {
                out.push(ResultRow {
                    scenario: s.id.clone(),
                    workload: s.workload.clone(),
                    scenario_name: s.name.clone(),
                    variant: s.variant.clone(),
                    strategy: x.strategy.clone(),
                    family: x.family_name().to_string(),
                    reference: x.is_reference(),
                    threads: p.threads,
                    estimator: p.estimator.as_str().to_string(),
                    confidence_level: p.confidence_level,
                    ops_per_s: p.throughput.point,
                    ops_per_s_lo: p.throughput.lo,
                    ops_per_s_hi: p.throughput.hi,
                    ns_per_op: p.ns_per_op.point,
                    ns_per_op_lo: p.ns_per_op.lo,
                    ns_per_op_hi: p.ns_per_op.hi,
                    cpu_ns_per_op: p.cpu().map(|c| c.median),
                    cpu_ns_per_op_min: p.cpu().map(|c| c.min),
                    cpu_ns_per_op_max: p.cpu().map(|c| c.max),
                    wall_ns_per_op: p.side(|s| Some(s.wall_ns_per_op)).map(|c| c.median),
                    passes: p.pass_count(),
                    pass_ns_per_op: p.estimates().iter().map(|e| e.ns.point).collect(),
                    run: p.run,
                    older_run: p.stale,
                });
            }
        }
    }
    out
}

impl Results {
    /// The results of an analysed run.
    pub fn of(r: &Analysis) -> Results {
        Results {
            format_version: RESULTS_VERSION,
            generated: crate::harness::fingerprint::utc_now(),
            rows: rows(&r.model),
            decisions: r.decisions.clone(),
            rules: r.verdicts.clone(),
            go: r.go.first().map(|g| g.summary.clone()),
            go_others: r.go.iter().skip(1).map(|g| g.summary.clone()).collect(),
            warnings: r.warnings.clone(),
            robust: r
                .advice
                .iter()
                .filter_map(|a| {
                    Some(SituationPick {
                        situation: a.situation.id.to_string(),
                        text: a.situation.text.to_string(),
                        robust: a.robust.clone()?,
                        sizes: a.sizes.clone(),
                    })
                })
                .collect(),
        }
    }

    /// Reads `results.json`, refusing a file of a newer format.
    pub fn read(file: &Path) -> Result<Results> {
        let bytes = crate::io::read_bounded(file, crate::io::BUNDLE_CAP)?;
        let r: Results = serde_json::from_slice(&bytes).with_context(|| {
            format!(
                "{} is not a syncbench results.json (truncated, or from another tool?)",
                file.display()
            )
        })?;
        if r.format_version > RESULTS_VERSION {
            bail!(
                "{} is results.json version {}, written by a newer syncbench; this one reads up \
                 to version {RESULTS_VERSION}",
                file.display(),
                r.format_version
            );
        }
        Ok(r)
    }
}

/// `results.json`, with the Go side's verdicts under `go` (`null` without
/// a Go run).
pub fn json(r: &Analysis) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(&Results::of(r))?;
    out.push(b'\n');
    Ok(out)
}

/// The CSV header.
pub const CSV_HEADER: &str = "scenario,workload,scenario_name,variant,strategy,family,reference,\
threads,estimator,confidence_level,ops_per_s,ops_per_s_lo,ops_per_s_hi,ns_per_op,ns_per_op_lo,\
ns_per_op_hi,cpu_ns_per_op,cpu_ns_per_op_min,cpu_ns_per_op_max,wall_ns_per_op,passes,older_run";

/// `results.csv`.
pub fn csv(model: &Model) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
    for r in rows(model) {
        let fields = [
            field(&r.scenario),
            field(&r.workload),
            field(&r.scenario_name),
            field(&r.variant),
            field(&r.strategy),
            field(&r.family),
            r.reference.to_string(),
            r.threads.to_string(),
            r.estimator.to_string(),
            r.confidence_level.to_string(),
            r.ops_per_s.to_string(),
            r.ops_per_s_lo.to_string(),
            r.ops_per_s_hi.to_string(),
            r.ns_per_op.to_string(),
            r.ns_per_op_lo.to_string(),
            r.ns_per_op_hi.to_string(),
            opt(r.cpu_ns_per_op),
            opt(r.cpu_ns_per_op_min),
            opt(r.cpu_ns_per_op_max),
            opt(r.wall_ns_per_op),
            r.passes.to_string(),
            r.older_run.to_string(),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// Quotes a CSV field when it needs it (RFC 4180).
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(field("a-b"), "a-b");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"x\""), "\"say \"\"x\"\"\"");
    }
}
