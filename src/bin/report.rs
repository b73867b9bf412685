//! `cargo run --release --bin report [--input DIR] [--out DIR]`: turns
//! criterion's results into the decision table, charts and data files.
//! See `syncbench::report` for the pipeline.
//!
//! `cargo run --release --bin report -- diff A B`: where two result sets
//! (report directories or criterion trees) disagree; see
//! `syncbench::report::compare::diff`.
//!
//! `cargo run --release --bin report -- --input A --input B [...]`: several
//! machines' result sets (criterion trees or bundles) merged into one report,
//! one column per machine; see `syncbench::report::compare::merge`.
//!
//! `cargo run --release --bin report -- bundle --input DIR --out FILE`: packs
//! a run into one portable file, accepted wherever an input is; see
//! `syncbench::report::input::bundle`.
//!
//! `cargo run --release --bin report -- repairs [--input DIR]`: the cells
//! whose leaders strayed in some pass, as the main job's work list; see
//! `syncbench::report::analyse::repair`.
//!
//! `cargo run --release --bin report -- screen [--input DIR] [--keep FILE]
//! [--open FILE]`: a look after a pass: the ids the main job's next passes
//! leave out (settled cells, out of contention, far behind); see
//! `syncbench::report::analyse::settle`.
//!
//! `cargo run --release --bin report -- threads`: the thread axis of this
//! run (`SYNCBENCH_THREADS`, else the machine's), comma-separated, for the
//! Go benchmarks in `scripts/bench.sh`.
//!
//! `cargo run --release --bin report -- settings [--shell]`: every
//! `SYNCBENCH_*` setting, its value here and where it comes from; with
//! `--shell`, the main job's settings, checked, as lines for `scripts/bench.sh`
//! to evaluate; see `syncbench::harness::settings`.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Parser, Subcommand};
use syncbench::harness::sidecar::criterion_home;
use syncbench::report::{self, Log, Options};

/// Render syncbench's decision table and charts from criterion's results.
#[derive(Parser)]
#[command(version, about, args_conflicts_with_subcommands = true)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Criterion's output directory or a result bundle [default:
    /// $CRITERION_HOME, else $CARGO_TARGET_DIR/criterion, else
    /// target/criterion]. Repeat it to merge several machines' results into
    /// one report, one column per machine.
    #[arg(long, value_name = "DIR|BUNDLE")]
    input: Vec<PathBuf>,
    /// Where to write the report.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    out: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// List every cell and rule where two result sets disagree (different
    /// winner, winner vs tie, rule verdict), with the share of identical
    /// verdicts. Each side is a report directory (with results.json, e.g.
    /// the committed reports/), a criterion tree (e.g. target/criterion) or
    /// a result bundle (written by `report bundle`).
    Diff {
        /// The first result set.
        a: PathBuf,
        /// The second result set.
        b: PathBuf,
    },
    /// Pack a run (criterion tree or bundle) into one portable file: its
    /// results, sidecars, machine fingerprints and the suite's version.
    Bundle {
        /// Criterion's output directory [default: as for the report].
        #[arg(long, value_name = "DIR")]
        input: Option<PathBuf>,
        /// The bundle to write, e.g. run.syncbench.json.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Print the cells whose fastest strategies strayed in some pass, for
    /// `scripts/bench.sh` to measure again: one line per bench target and
    /// pass, tab-separated target, pass, criterion filter and cell count.
    Repairs {
        /// Criterion's output directory [default: as for the report].
        #[arg(long, value_name = "DIR")]
        input: Option<PathBuf>,
        /// A check round: only the cell-passes whose fastest strategies ran
        /// more than 2x off their median.
        #[arg(long)]
        severe: bool,
        /// The passes' skip list: cells all of whose ids it lists are left
        /// out.
        #[arg(long, value_name = "FILE")]
        skip: Option<PathBuf>,
    },
    /// A look after a pass, for `scripts/bench.sh`: print the benchmark ids
    /// the next passes leave out, one `group/function/parameter` per line:
    /// those of settled cells, those out of contention, and those at least
    /// 8x slower than their cell's best in every one of the first 3 passes
    /// (see syncbench::report::analyse::settle).
    Screen {
        /// Criterion's output directory [default: as for the report].
        #[arg(long, value_name = "DIR")]
        input: Option<PathBuf>,
        /// The list so far: its ids stay out.
        #[arg(long, value_name = "FILE")]
        keep: Option<PathBuf>,
        /// Write one line per bench target here: target, ids, open ids, open
        /// cells, cells (tab-separated).
        #[arg(long, value_name = "FILE")]
        open: Option<PathBuf>,
    },
    /// Print the main job's plan: benchmark ids per bench target, the
    /// passes, and the expected minutes of each part against the budget
    /// (SYNCBENCH_PROFILE, SYNCBENCH_PASSES, SYNCBENCH_BUDGET apply). With
    /// --cpus, the plan on a machine of that many CPUs, from a finished run
    /// (see syncbench::report::analyse::plan).
    Plan {
        /// Plan for this many CPUs (the default thread axis of that count),
        /// from the run --input gives [default: this machine, from --ids].
        #[arg(long, value_name = "N")]
        cpus: Option<usize>,
        /// A finished run (report directory, bundle or criterion tree) for
        /// --cpus [default: reports].
        #[arg(long, value_name = "DIR")]
        input: Option<PathBuf>,
        /// The benchmark ids per bench target, `counter=204,map=267,...`, as
        /// scripts/bench.sh lists them.
        #[arg(long, value_name = "LIST")]
        ids: Option<String>,
        /// A job's step log (scripts/bench.sh's syncbench-job.last/steps.tsv): the
        /// seconds per id of each bench target, measured.
        #[arg(long, value_name = "FILE")]
        steps: Option<PathBuf>,
        /// Go versions the Go side measures.
        #[arg(long, value_name = "N", default_value_t = 2)]
        go_versions: usize,
        /// Print `name=value` lines for scripts/bench.sh instead: `planned`
        /// (the passes that fit the budget), `go_est` (seconds of the Go
        /// side), `repair_pct` (the repairs' time over the passes', in
        /// percent), `fallback_ms` (milliseconds an id of an unknown target),
        /// `target_ms` (`target=ms` an id of each target, as planned).
        #[arg(long)]
        shell: bool,
    },
    /// Print the thread axis the benches use here (`SYNCBENCH_THREADS`, else
    /// 1, 2, 4, ... up to the logical CPUs, plus twice that), comma-separated:
    /// `scripts/bench.sh` gives it to the Go benchmarks.
    Threads,
    /// Print every SYNCBENCH_* setting with its value here, where it comes
    /// from (environment or default), its default, accepted values and
    /// meaning; fail if one is invalid.
    Settings {
        /// Print `name=value` lines instead, checked and with the defaults
        /// resolved for the profile in effect, for `scripts/bench.sh` to
        /// evaluate.
        #[arg(long)]
        shell: bool,
    },
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", report::log::terminal_safe(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let mut print = |line: &str| eprintln!("{line}");
    let mut log = Log::new(&mut print);
    let result = commands(&mut log);
    log.finish();
    result
}

fn commands(log: &mut Log<'_>) -> anyhow::Result<()> {
    let args = Args::parse();
    if let Some(Command::Repairs {
        input,
        severe,
        skip,
    }) = args.command
    {
        let input = input.unwrap_or_else(criterion_home);
        let skip = read_list(skip.as_deref(), "--skip")?;
        let mode = if severe {
            report::analyse::repair::Mode::Severe
        } else {
            report::analyse::repair::Mode::Stray
        };
        // The load's warnings (results short of the planned passes, mid-run)
        // come with the report at the end of the job.
        let mut quiet = |_: &str| {};
        let found = report::repairs(&input, mode, &skip, &mut Log::new(&mut quiet))?;
        eprintln!(
            "repairs: {} of {} cell-passes strayed more than {}x from their median{}",
            found.repair.len() + found.left,
            found.looked_at,
            mode.factor(),
            if found.left > 0 {
                format!(
                    "; measuring the {} that strayed most again this round",
                    found.repair.len()
                )
            } else {
                String::new()
            }
        );
        print!("{}", report::analyse::repair::work_list(&found));
        return Ok(());
    }
    if let Some(Command::Screen { input, keep, open }) = args.command {
        let input = input.unwrap_or_else(criterion_home);
        let kept = read_list(keep.as_deref(), "--keep")?;
        // Mid-run, every result is short of the planned passes: the load's
        // warnings say so for each and help nobody; the report at the end
        // of the job gives them.
        let mut quiet = |_: &str| {};
        let look = report::settle(&input, &kept, &mut Log::new(&mut quiet))?;
        eprintln!(
            "look: {} of {} cells still open ({} ids get the next pass); left out: {} ids of \
             settled cells, {} ids out of contention or far behind",
            look.open_cells(),
            look.targets.values().map(|t| t.cells).sum::<usize>(),
            look.open_ids(),
            look.settled_ids,
            look.behind_ids,
        );
        if let Some(path) = &open {
            std::fs::write(path, look.open_table())
                .map_err(|e| anyhow::anyhow!("cannot write --open {}: {e}", path.display()))?;
        }
        print!("{}", look.skip_list());
        return Ok(());
    }
    if let Some(Command::Plan {
        cpus,
        input,
        ids,
        steps,
        go_versions,
        shell,
    }) = args.command
    {
        let plan = plan(cpus, input, ids, steps, go_versions, log)?;
        if shell {
            print!("{}", plan.shell());
        } else {
            print!("{}", plan.text());
        }
        return Ok(());
    }
    if let Some(Command::Bundle { input, out }) = args.command {
        let input = input.unwrap_or_else(criterion_home);
        report::bundle(&input, &out, log)?;
        return Ok(());
    }
    if let Some(Command::Threads) = args.command {
        let axis = syncbench::harness::threads::thread_axis()?;
        let list: Vec<String> = axis.iter().map(usize::to_string).collect();
        println!("{}", list.join(","));
        return Ok(());
    }
    if let Some(Command::Settings { shell }) = args.command {
        syncbench::harness::settings::print(shell)?;
        return Ok(());
    }
    if let Some(Command::Diff { a, b }) = args.command {
        let a = report::compare::diff::read(&a, log)?;
        let b = report::compare::diff::read(&b, log)?;
        let d = report::compare::diff::diff(&a, &b)?;
        let mut text = report::compare::diff::render(&d);
        report::compare::regret::render(&report::compare::regret::follow(&a, &b), &mut text);
        print!("{text}");
        return Ok(());
    }
    let mut inputs = args.input;
    if inputs.is_empty() {
        inputs.push(criterion_home());
    }
    for input in &inputs {
        check_paths(&Options {
            input: input.clone(),
            out: args.out.clone(),
        })?;
    }
    let out = args.out.clone();
    let (summary, on) = if inputs.len() > 1 {
        let n = inputs.len();
        (
            report::run_merged(&inputs, &args.out, log)?,
            format!("on these {n} machines"),
        )
    } else {
        let opts = Options {
            input: inputs.remove(0),
            out: args.out,
        };
        (report::run(&opts, log)?, "on this machine".to_string())
    };
    // The answer, last: one line per situation, then where the rest is.
    if !summary.answer.is_empty() {
        println!(
            "\nWhat to use {on} (the pick never far from the best; the exceptions and evidence are in DECISIONS.md):"
        );
        for (situation, line) in &summary.answer {
            println!(
                "  {}: {}",
                report::log::terminal_safe(situation),
                report::log::terminal_safe(line)
            );
        }
    }
    println!(
        "\nDecision table: {}\nCharts:         {}\nHTML:           {}",
        out.join("DECISIONS.md").display(),
        out.join("charts").display(),
        out.join("index.html").display()
    );
    Ok(())
}

/// Clear messages for the common mistakes, before anything is read.
/// The ids of a skip list file (none without one).
fn read_list(
    path: Option<&std::path::Path>,
    flag: &str,
) -> anyhow::Result<std::collections::HashSet<String>> {
    Ok(match path {
        Some(path) => syncbench::harness::passes::parse_skip(
            &std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read {flag} {}: {e}", path.display()))?,
        ),
        None => Default::default(),
    })
}

/// The plan of `report plan` (see [`Command::Plan`]).
fn plan(
    cpus: Option<usize>,
    input: Option<PathBuf>,
    ids: Option<String>,
    steps: Option<PathBuf>,
    go_versions: usize,
    log: &mut Log<'_>,
) -> anyhow::Result<report::analyse::plan::Plan> {
    use report::analyse::plan;
    use syncbench::harness::settings::Vars;
    let vars = Vars::env();
    let profile = vars.profile()?;
    let passes = vars.main_job_passes(profile)?;
    let budget = vars.main_job_budget(profile)?;
    let measured = match &steps {
        Some(path) if path.exists() => plan::per_id_measured(&std::fs::read_to_string(path)?),
        _ => Default::default(),
    };
    let (cpus, axis, counts, share) = match (cpus, ids) {
        (Some(n), None) => {
            if n == 0 || n > syncbench::harness::settings::MAX_THREADS {
                bail!(
                    "--cpus {n}: give a CPU count from 1 to {}",
                    syncbench::harness::settings::MAX_THREADS
                );
            }
            let input = input.unwrap_or_else(|| PathBuf::from("reports"));
            let a = report::analyse::load(&input, log)?;
            let axis = plan::axis_for(n);
            let counts = plan::ids_on(&a.model, &plan::axis_of(&a.model), &axis);
            (n, axis, counts, plan::measured_share(&a.model))
        }
        (None, Some(list)) => {
            let counts = plan::parse_ids(&list)?;
            let axis = vars.threads()?;
            let cpus = syncbench::harness::settings::available_parallelism();
            (cpus, axis, counts, None)
        }
        (Some(_), Some(_)) => bail!("give --cpus (with --input) or --ids, not both"),
        (None, None) => bail!(
            "give --ids (scripts/bench.sh lists them) or --cpus N (the plan on N CPUs from \
             a finished run, --input, default reports)"
        ),
    };
    let targets = counts
        .into_iter()
        .map(|(name, ids)| plan::Target {
            per_id_s: measured
                .get(&name)
                .copied()
                .unwrap_or_else(|| plan::reference_per_id_s(profile, &name)),
            name,
            ids,
        })
        .collect();
    Ok(plan::Plan {
        cpus,
        axis,
        profile,
        passes,
        targets,
        share_measured: share.is_some(),
        share: share.unwrap_or_else(|| plan::open_share(profile).to_vec()),
        go_versions,
        budget_s: Some(f64::from(budget) * 60.0),
    })
}

fn check_paths(opts: &Options) -> anyhow::Result<()> {
    match std::fs::metadata(&opts.input) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "--input {} does not exist; run `cargo bench` first (or pass --input DIR)",
            opts.input.display()
        ),
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => bail!(
            "--input {} is a symlink loop (too many levels of symbolic links)",
            opts.input.display()
        ),
        Ok(m) if !m.is_dir() => {
            if let Err(why) = report::input::bundle::sniff(&opts.input) {
                bail!(
                    "--input {} is a file, not a directory (criterion's output directory, \
                     e.g. target/criterion) nor a result bundle (written by `report bundle`): \
                     {why:#}",
                    opts.input.display()
                )
            }
        }
        _ => {}
    }
    if std::fs::metadata(&opts.out).is_ok_and(|m| !m.is_dir()) {
        bail!("--out {} is a file, not a directory", opts.out.display());
    }
    Ok(())
}
