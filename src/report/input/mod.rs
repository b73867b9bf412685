//! Stage 1 of the report: find and read a run, whatever form it comes in.
//!
//! - [`criterion`]: a criterion tree (`target/criterion`): criterion's
//!   `new/{benchmark,estimates}.json` and pass baselines, the harness's
//!   sidecars and run fingerprints;
//! - [`gotext`]: Go's benchmark output of the same run (`go/bench.txt`);
//! - [`bundle`]: one run in one portable file, and a report directory,
//!   which carries the bundle it was rendered from ([`RUN_BUNDLE`]).
//!
//! [`load`] takes any of them and gives a [`Loaded`]; nothing here decides
//! anything (that is [`super::analyse`]).

pub mod bundle;
pub mod criterion;
pub mod gotext;

use std::path::Path;

use anyhow::{Context, Result, bail};

pub use criterion::Loaded;

use crate::report::log::Log;

/// The bundle a report directory carries: the run it was rendered from,
/// so that the directory is itself an input (re-render, diff, merge,
/// screen, repairs).
pub const RUN_BUNDLE: &str = "run.syncbench.json";

/// Loads an input of any kind the report accepts: a bundle file, a report
/// directory (its [`RUN_BUNDLE`]) or a criterion tree.
pub fn load(input: &Path, log: &mut Log<'_>) -> Result<Loaded> {
    if input.is_file() {
        return bundle::read(input, log);
    }
    let carried = input.join(RUN_BUNDLE);
    if carried.is_file() {
        return bundle::read(&carried, log);
    }
    if input.join("results.json").is_file() {
        bail!(
            "{} is a report directory without its run ({RUN_BUNDLE}: reports written before \
             they carried it): `report diff` can still compare its verdicts from results.json, \
             but rendering, screening or repairing needs the run itself (its criterion tree or \
             a bundle of it)",
            input.display()
        );
    }
    criterion::load(input, log).with_context(|| {
        format!(
            "{} is neither a report directory (no results.json) nor a criterion tree",
            input.display()
        )
    })
}
