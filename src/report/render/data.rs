//! `results.json` and `results.csv`: one row per scenario × strategy ×
//! threads with the estimate and its interval (JSON adds the decisions and
//! rule verdicts, and the Go side's verdicts when there is a Go run).

use anyhow::Result;
use serde::Serialize;

use super::super::decide::Decision;
use super::super::gobench::{self, GoRun, GoSummary};
use super::super::model::Model;
use super::super::rules::Judgement;
use super::Report;

/// One result row.
#[derive(Clone, Debug, Serialize)]
pub struct ResultRow<'a> {
    /// Criterion group id.
    pub scenario: &'a str,
    /// First id component.
    pub workload: &'a str,
    /// Second id component.
    pub scenario_name: &'a str,
    /// The rest of the id.
    pub variant: &'a str,
    /// Strategy (criterion function id).
    pub strategy: &'a str,
    /// Family from the sidecar, `unknown` without one.
    pub family: &'static str,
    /// Reference line (never a winner).
    pub reference: bool,
    /// Thread count.
    pub threads: usize,
    /// `slope` or `mean`.
    pub estimator: &'static str,
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
pub fn rows(model: &Model) -> Vec<ResultRow<'_>> {
    let mut out = Vec::with_capacity(model.results());
    for s in &model.scenarios {
        for x in &s.series {
            for p in x.points.values() {
                out.push(ResultRow {
                    scenario: &s.id,
                    workload: &s.workload,
                    scenario_name: &s.name,
                    variant: &s.variant,
                    strategy: &x.strategy,
                    family: x.family_name(),
                    reference: x.is_reference(),
                    threads: p.threads,
                    estimator: p.estimator.as_str(),
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

#[derive(Serialize)]
struct Results<'a> {
    generated: String,
    rows: Vec<ResultRow<'a>>,
    decisions: &'a [Decision],
    rules: &'a [Judgement],
    /// The Go side's cell and rule verdicts, when the run has one.
    go: Option<GoSummary>,
    warnings: &'a [String],
}

/// `results.json`, with the Go side's verdicts under `go` (`null` without
/// a Go run).
pub fn json(r: &Report<'_>, go: Option<&GoRun>) -> Result<Vec<u8>> {
    let results = Results {
        generated: crate::harness::fingerprint::utc_now(),
        rows: rows(r.model),
        decisions: r.decisions,
        rules: r.verdicts,
        go: go.map(gobench::summary),
        warnings: r.warnings,
    };
    let mut out = serde_json::to_vec_pretty(&results)?;
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
            field(r.scenario),
            field(r.workload),
            field(r.scenario_name),
            field(r.variant),
            field(r.strategy),
            field(r.family),
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
