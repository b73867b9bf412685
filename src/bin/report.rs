//! `cargo run --release --bin report [--input DIR] [--out DIR]`: turns
//! criterion's results into the decision table, charts and data files.
//! See `syncbench::report` for the pipeline.
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use syncbench::harness::sidecar::criterion_home;
use syncbench::report::{self, Log, Options};

/// Render syncbench's decision table and charts from criterion's results.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Criterion's output directory [default: $CRITERION_HOME, else
    /// $CARGO_TARGET_DIR/criterion, else target/criterion].
    #[arg(long, value_name = "DIR")]
    input: Option<PathBuf>,
    /// Where to write the report.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    out: PathBuf,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let args = Args::parse();
    let opts = Options {
        input: args.input.unwrap_or_else(criterion_home),
        out: args.out,
    };
    let mut print = |line: &str| eprintln!("{line}");
    let mut log = Log::new(&mut print);
    report::run(&opts, &mut log)?;
    Ok(())
}
