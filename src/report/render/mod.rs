//! Stage 3 of the report: every output file built in memory from one
//! [`Analysis`], which this stage only formats; [`output`] then writes them
//! as a whole.
//!
//! The Markdown and HTML pages are two renderings of one document
//! ([`doc::build`]), so they cannot drift apart.

pub mod advice_text;
pub mod chart;
pub mod data;
pub mod doc;
pub mod html;

pub mod markdown;
pub mod output;
pub mod runtimes;
pub mod winner_map;

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::report::analyse::Analysis;
use crate::report::analyse::model::Scenario;
use crate::report::input::RUN_BUNDLE;
use crate::report::input::bundle::Bundle;

/// A rendered file: path relative to the out directory, and its bytes.
pub type File = (PathBuf, Vec<u8>);

/// Renders every output file of `report`: charts in parallel, then the
/// pages and data, and `run` (the bundle of the run it was analysed from)
/// as [`RUN_BUNDLE`], so the report directory is itself an input.
/// Every scenario has a throughput chart (`charts/<stem>.{svg,png}`) and,
/// where any result carries CPU time, a cost chart
/// (`charts/<stem>-cpu.{svg,png}`); every winner map the data allows is
/// `charts/winner-map_<question>[-<split>].{svg,png}` ([`winner_map`]).
pub fn render_all(report: &Analysis, run: Option<&Bundle>) -> Result<Vec<File>> {
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
    let maps: Vec<winner_map::WinnerMap> = report
        .grids
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
    runtimes::insert(&mut document, report);
    let mut files: Vec<File> = vec![
        (
            "DECISIONS.md".into(),
            markdown::render(&document).into_bytes(),
        ),
        (
            "index.html".into(),
            html::render(&document, &svgs).into_bytes(),
        ),
        ("results.json".into(), data::json(report)?),
        ("results.csv".into(), data::csv(&report.model).into_bytes()),
        (
            "machine.json".into(),
            serde_json::to_vec_pretty(&report.environment)?,
        ),
    ];
    if let Some(run) = run {
        files.push((RUN_BUNDLE.into(), serde_json::to_vec(run)?));
    }
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
