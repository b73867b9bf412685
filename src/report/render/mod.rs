//! Rendering: every output file built in memory from the model, decisions
//! and verdicts. Nothing here writes to disk (see [`super::output`]).
//!
//! The Markdown and HTML pages are two renderings of one document
//! ([`doc::build`]), so they cannot drift apart.

pub mod chart;
pub mod data;
pub mod doc;
pub mod html;
pub mod machine;
pub mod machines;
pub mod markdown;
pub mod runtimes;
pub mod winner_map;

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::decide::Decision;
use super::model::{Model, Scenario};
use super::rules::Judgement;

/// Everything a report is rendered from.
pub struct Report<'a> {
    /// The measurements.
    pub model: &'a Model,
    /// One decision table per scenario, in model order.
    pub decisions: &'a [Decision],
    /// One verdict per registered rule.
    pub verdicts: &'a [Judgement],
    /// The merged run fingerprint.
    pub machine: &'a machine::MachineReport,
    /// Warnings raised while loading (shown in the notes).
    pub warnings: &'a [String],
    /// The harness floor the decisions used.
    pub floor: &'a super::stats::Floor,
}

/// A rendered file: path relative to the out directory, and its bytes.
pub type File = (PathBuf, Vec<u8>);

/// Renders every output file: charts in parallel, then the pages and data.
/// Every scenario has a throughput chart (`charts/<stem>.{svg,png}`) and,
/// where any result carries CPU time, a cost chart
/// (`charts/<stem>-cpu.{svg,png}`); every winner map the data allows is
/// `charts/winner-map_<question>[-<split>].{svg,png}` ([`winner_map`]).
pub fn render_all(report: &Report<'_>) -> Result<Vec<File>> {
    render_all_with_go(report, None)
}

/// [`render_all`], with the Go results beside the Rust ones when there are
/// any ([`runtimes`]); with `None` exactly [`render_all`].
pub fn render_all_with_go(
    report: &Report<'_>,
    go: Option<&super::gobench::GoRun>,
) -> Result<Vec<File>> {
    crate::register_fonts();
    // One job per chart, so the two charts of a big scenario run in parallel.
    let jobs: Vec<(&Scenario, bool)> = report
        .model
        .scenarios
        .iter()
        .flat_map(|s| std::iter::once((s, false)).chain(chart::has_cost(s).then_some((s, true))))
        .collect();
    let charts: Vec<(String, chart::Chart)> = jobs
        .par_iter()
        .map(|&(s, cost)| -> Result<Option<(String, chart::Chart)>> {
            if cost {
                let c = chart::render_cost(s)
                    .with_context(|| format!("cannot draw the CPU cost chart of {}", s.id))?;
                Ok(c.map(|c| (chart::cost_stem(&s.file_stem()), c)))
            } else {
                let c = chart::render(s)
                    .with_context(|| format!("cannot draw the chart of {}", s.id))?;
                Ok(Some((s.file_stem(), c)))
            }
        })
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    let maps: Vec<winner_map::WinnerMap> = winner_map::grids(report.model, report.decisions)
        .par_iter()
        .map(|g| {
            winner_map::render(g).with_context(|| format!("cannot draw the winner map {}", g.stem))
        })
        .collect::<Result<Vec<_>>>()?;
    let svgs: HashMap<&str, &str> = charts
        .iter()
        .map(|(stem, c)| (stem.as_str(), c.svg.as_str()))
        .chain(maps.iter().map(|m| (m.grid.stem.as_str(), m.svg.as_str())))
        .collect();
    let mut document = doc::build(report);
    runtimes::insert(&mut document, report, go);
    let mut files: Vec<File> = vec![
        (
            "DECISIONS.md".into(),
            markdown::render(&document).into_bytes(),
        ),
        (
            "index.html".into(),
            html::render(&document, &svgs).into_bytes(),
        ),
        ("results.json".into(), data::json(report, go)?),
        ("results.csv".into(), data::csv(report.model).into_bytes()),
        (
            "machine.json".into(),
            serde_json::to_vec_pretty(report.machine)?,
        ),
    ];
    for (stem, c) in charts {
        files.push((format!("charts/{stem}.svg").into(), c.svg.into_bytes()));
        files.push((format!("charts/{stem}.png").into(), c.png));
    }
    for m in maps {
        let stem = &m.grid.stem;
        files.push((format!("charts/{stem}.svg").into(), m.svg.into_bytes()));
        files.push((format!("charts/{stem}.png").into(), m.png));
    }
    Ok(files)
}

/// `12.3`, `0.0213`, `1234`: three significant digits, no exponent.
pub fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return "?".to_string();
    }
    let a = x.abs();
    if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else if a == 0.0 {
        "0".to_string()
    } else {
        let digits = (-a.log10().floor()) as usize + 2;
        format!("{x:.digits$}")
    }
}

/// `x` scaled to its SI prefix: `(12.3, "M")` for 12.3e6.
pub fn si_split(x: f64) -> (f64, &'static str) {
    if x >= 1e9 {
        (x / 1e9, "G")
    } else if x >= 1e6 {
        (x / 1e6, "M")
    } else if x >= 1e3 {
        (x / 1e3, "k")
    } else {
        (x, "")
    }
}

/// Operations per second with SI prefix: `12.3M`, `870k`, `2.50G`.
pub fn fmt_si(x: f64) -> String {
    let (v, unit) = si_split(x);
    format!("{}{unit}", fmt_num(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_three_significant_digits() {
        assert_eq!(fmt_num(1234.4), "1234");
        assert_eq!(fmt_num(12.34), "12.3");
        assert_eq!(fmt_num(1.234), "1.23");
        assert_eq!(fmt_num(0.02134), "0.0213");
        assert_eq!(fmt_num(0.5), "0.500");
        assert_eq!(fmt_si(2.5e9), "2.50G");
        assert_eq!(fmt_si(870_000.0), "870k");
        assert_eq!(fmt_si(12.0), "12.0");
    }
}
