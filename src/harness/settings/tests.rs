//! The settings' parsing, validation and table.

use super::*;
use std::path::Path;

fn vars(pairs: &[(&str, &str)]) -> Vars {
    Vars::from_pairs(pairs.iter().map(|&(k, v)| (k, v)))
}

/// The error for `var=value` through `get`, checked to name the variable,
/// the value and what is accepted.
fn bad<T: std::fmt::Debug>(
    var: &'static str,
    value: &str,
    get: impl Fn(&Vars) -> Result<T, SettingError>,
) -> String {
    let e = get(&vars(&[(var, value)])).unwrap_err();
    assert_eq!(e.var, var);
    let msg = e.to_string();
    assert!(msg.starts_with(&format!("{var}: `")), "{msg}");
    assert!(msg.contains("; accepted: "), "{msg}");
    msg
}

#[test]
fn unset_and_blank_give_the_defaults() {
    for v in [vars(&[]), {
        let blank: Vec<(&str, &str)> = SETTINGS.iter().map(|s| (s.name, "  ")).collect();
        vars(&blank)
    }] {
        assert_eq!(v.profile().unwrap(), Profile::Full);
        assert_eq!(v.passes().unwrap(), None);
        assert_eq!(v.main_job_passes(Profile::Full).unwrap(), 7);
        assert_eq!(v.budget().unwrap(), None);
        assert_eq!(v.main_job_budget(Profile::Full).unwrap(), 15);
        assert_eq!(v.main_job_budget(Profile::Quick).unwrap(), 5);
        assert_eq!(v.main_job_passes(Profile::Quick).unwrap(), 4);
        assert_eq!(v.pass(1).unwrap(), None);
        assert_eq!(v.run().unwrap(), None);
        assert_eq!(v.seed().unwrap(), None);
        assert_eq!(v.repair().unwrap(), 0);
        assert_eq!(v.skip_path(), None);
        assert!(v.skip().unwrap().is_empty());
        assert_eq!(v.threads_given().unwrap(), None);
        assert_eq!(v.threads().unwrap(), default_axis(available_parallelism()));
        assert_eq!(v.targets().unwrap(), BENCH_TARGETS);
        assert_eq!(v.out().unwrap(), "reports");
        assert!(v.go().unwrap());
        assert!(!v.criterion_plots().unwrap());
        assert_eq!(v.report_write_delay().unwrap(), None);
    }
}

#[test]
fn profile() {
    let get = |v: &[(&str, &str)]| vars(v).profile();
    assert_eq!(get(&[(PROFILE_VAR, "quick")]).unwrap(), Profile::Quick);
    assert_eq!(get(&[(PROFILE_VAR, " quick ")]).unwrap(), Profile::Quick);
    assert_eq!(get(&[(PROFILE_VAR, "full")]).unwrap(), Profile::Full);
    assert_eq!(get(&[(PROFILE_VAR, "default")]).unwrap(), Profile::Full);
    let e = bad(PROFILE_VAR, "fast", Vars::profile);
    assert!(e.contains("`fast` is not a profile"), "{e}");
    assert!(e.contains("`quick` or `full`"), "{e}");
}

#[test]
fn non_utf8_values_are_errors() {
    use std::os::unix::ffi::OsStringExt;
    let v = Vars::from_pairs([(PROFILE_VAR, OsString::from_vec(vec![b'q', 0xff]))]);
    let e = v.profile().unwrap_err().to_string();
    assert!(
        e.contains(PROFILE_VAR) && e.contains('q') && e.contains("UTF-8"),
        "{e}"
    );
}

#[test]
fn passes() {
    let v = vars(&[(PASSES_VAR, " 7 ")]);
    assert_eq!(v.passes().unwrap(), Some(7));
    assert_eq!(v.main_job_passes(Profile::Quick).unwrap(), 7);
    assert_eq!(vars(&[(PASSES_VAR, "50")]).passes().unwrap(), Some(50));
    let e = bad(PASSES_VAR, "abc", Vars::passes);
    assert!(e.contains("`abc` is not a whole number"), "{e}");
    assert!(e.contains("from 1 to 50"), "{e}");
    bad(PASSES_VAR, "0", Vars::passes);
    bad(PASSES_VAR, "51", Vars::passes);
    bad(PASSES_VAR, "-1", Vars::passes);
    bad(PASSES_VAR, "2.5", |v| v.main_job_passes(Profile::Full));
}

#[test]
fn pass_run_seed_repair() {
    assert_eq!(vars(&[(PASS_VAR, "3")]).pass(3).unwrap(), Some(3));
    let e = bad(PASS_VAR, "4", |v| v.pass(3));
    assert!(e.contains("SYNCBENCH_PASSES (3)"), "{e}");
    bad(PASS_VAR, "0", |v| v.pass(3));
    bad(PASS_VAR, "two", |v| v.pass(3));
    let v = vars(&[
        (RUN_VAR, "1700000000000"),
        (SEED_VAR, "18446744073709551615"),
    ]);
    assert_eq!(v.run().unwrap(), Some(1_700_000_000_000));
    assert_eq!(v.seed().unwrap(), Some(u64::MAX));
    bad(RUN_VAR, "yesterday", Vars::run);
    bad(SEED_VAR, "18446744073709551616", Vars::seed);
    assert_eq!(vars(&[(REPAIR_VAR, "3")]).repair().unwrap(), 3);
    let e = bad(REPAIR_VAR, "9", Vars::repair);
    assert!(e.contains("`9` is not between 0 and 3"), "{e}");
    bad(REPAIR_VAR, "x", Vars::repair);
}

#[test]
fn threads() {
    let v = vars(&[(THREADS_VAR, "16, 1,3,3")]);
    assert_eq!(v.threads().unwrap(), vec![1, 3, 16]);
    assert_eq!(v.threads_given().unwrap(), Some(vec![1, 3, 16]));
    assert_eq!(parse_threads("8").unwrap(), vec![8]);
    let e = bad(THREADS_VAR, "1,two,4", Vars::threads);
    assert!(e.contains("`two` is not a whole number"), "{e}");
    assert!(e.contains("e.g. SYNCBENCH_THREADS=1,2,8"), "{e}");
    let why = |v: &str| parse_threads(v).unwrap_err().why;
    assert_eq!(why("0"), "is zero");
    assert_eq!(why("1,,2"), "is an empty entry");
    assert_eq!(why("100000"), "is too many threads");
    assert_eq!(parse_threads("-1").unwrap_err().value, "-1");
}

#[test]
fn targets_out_go_plots_delay() {
    let v = vars(&[(TARGETS_VAR, " map\tcounter map ")]);
    assert_eq!(v.targets().unwrap(), vec!["map", "counter", "map"]);
    let e = bad(TARGETS_VAR, "counter,map", Vars::targets);
    assert!(e.contains("`counter,map` is not a bench target"), "{e}");
    assert!(e.contains("lifecycle tasks"), "{e}");
    bad(TARGETS_VAR, "counter mutex", Vars::targets);

    assert_eq!(
        vars(&[(OUT_VAR, "my reports")]).out().unwrap(),
        "my reports"
    );

    assert!(!vars(&[(GO_VAR, "0")]).go().unwrap());
    assert!(vars(&[(GO_VAR, "1")]).go().unwrap());
    let e = bad(GO_VAR, "false", Vars::go);
    assert!(e.contains("`false` is neither `0` nor `1`"), "{e}");

    assert!(vars(&[(PLOTS_VAR, "1")]).criterion_plots().unwrap());
    assert!(!vars(&[(PLOTS_VAR, "0")]).criterion_plots().unwrap());
    bad(PLOTS_VAR, "yes", Vars::criterion_plots);

    let v = vars(&[(WRITE_DELAY_VAR, "40")]);
    assert_eq!(
        v.report_write_delay().unwrap(),
        Some(Duration::from_millis(40))
    );
    bad(WRITE_DELAY_VAR, "40ms", Vars::report_write_delay);
}

#[test]
fn skip_lists() {
    let s = parse_skip("# screened\nmap/read-heavy/99-1/zipf/actor-crossbeam/2\n\n  a/b/c/1  \n");
    assert_eq!(s.len(), 2);
    assert!(s.contains("map/read-heavy/99-1/zipf/actor-crossbeam/2"));
    assert!(s.contains("a/b/c/1"));
    assert!(parse_skip("").is_empty());

    let dir = std::env::temp_dir().join(format!("syncbench-settings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("skip.txt");
    std::fs::write(&file, "a/b/c/1\n").unwrap();
    let v = Vars::from_pairs([(SKIP_VAR, file.as_os_str())]);
    assert_eq!(v.skip_path().as_deref(), Some(file.as_path()));
    assert_eq!(v.skip().unwrap().len(), 1);
    let missing = dir.join("missing.txt");
    let e = bad(SKIP_VAR, missing.to_str().unwrap(), Vars::skip);
    assert!(e.contains("cannot be read"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_setting_is_in_the_table_and_the_docs() {
    let (text, errors) = table(&vars(&[]));
    assert!(errors.is_empty(), "{errors:?}");
    let docs: String = include_str!("mod.rs")
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .collect::<Vec<_>>()
        .join("\n");
    for s in SETTINGS {
        let line = [format!("\n  {}=", s.name), format!("\n  {}  (", s.name)];
        assert!(line.iter().any(|l| text.contains(l)), "{}", s.name);
        assert!(text.contains(s.meaning), "{}", s.name);
        assert!(docs.contains(&format!("| `{}` |", s.name)), "{}", s.name);
    }
    for name in BUILD_TIME {
        assert!(text.contains(name) && docs.contains(name), "{name}");
    }
    assert!(text.contains(&format!("screen_after={SCREEN_AFTER_PASSES}")));
    let names: HashSet<&str> = SETTINGS.iter().map(|s| s.name).collect();
    assert_eq!(names.len(), SETTINGS.len(), "a setting is listed twice");
}

#[test]
fn the_table_shows_values_sources_and_invalid_ones() {
    let (text, errors) = table(&vars(&[
        (PROFILE_VAR, "quick"),
        (THREADS_VAR, "2,1"),
        (GO_VAR, "maybe"),
    ]));
    assert!(
        text.contains("SYNCBENCH_PROFILE=quick  (environment)"),
        "{text}"
    );
    assert!(text.contains("SYNCBENCH_PASSES=4  (default of the main job for profile quick"));
    assert!(
        text.contains("SYNCBENCH_THREADS=1,2  (environment)"),
        "{text}"
    );
    assert!(text.contains("SYNCBENCH_OUT=reports  (default)"), "{text}");
    assert!(
        text.contains("SYNCBENCH_GO=maybe  (environment: INVALID"),
        "{text}"
    );
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].var, GO_VAR);
    let (_, errors) = table(&vars(&[(PASSES_VAR, "abc"), (PASS_VAR, "1")]));
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (_, errors) = table(&vars(&[(PASSES_VAR, "abc"), (GO_VAR, "x")]));
    let all = SettingErrors(errors).to_string();
    assert!(all.starts_with("2 settings are invalid:"), "{all}");
}

#[test]
fn shell_lines_resolve_the_profile_defaults() {
    let full = shell(&vars(&[])).unwrap();
    for line in [
        "\nprofile=full\n",
        "\npasses=7\n",
        "\nbudget=15\n",
        "\ntargets='counter map handoff pipeline signal lifecycle tasks'\n",
        "\nout=reports\n",
        "\nseed=''\n",
        "\ngo=1\n",
        "\nscreen_after=2\n",
        "\nlook_after=3\n",
        "\nrepair_rounds=3\n",
        "\nstray_rounds=1\n",
        "\ngo_count=3\n",
        "\ngo_benchtime=100ms\n",
    ] {
        assert!(full.contains(line), "{line:?} not in\n{full}");
    }
    let quick = shell(&vars(&[
        (PROFILE_VAR, "quick"),
        (THREADS_VAR, "4,1"),
        (SEED_VAR, "7"),
        (GO_VAR, "0"),
    ]))
    .unwrap();
    for line in [
        "\nprofile=quick\n",
        "\npasses=4\n",
        "\nbudget=5\n",
        "\nseed=7\n",
        "\ngo=0\n",
        "\nrepair_rounds=0\n",
        "\ngo_count=1\n",
        "\ngo_benchtime=50ms\n",
    ] {
        assert!(quick.contains(line), "{line:?} not in\n{quick}");
    }
    let passes = shell(&vars(&[(PROFILE_VAR, "quick"), (PASSES_VAR, "6")])).unwrap();
    assert!(passes.contains("\npasses=6\n"), "{passes}");
}

#[test]
fn shell_lines_fail_on_every_invalid_setting_the_job_passes_on() {
    let e = shell(&vars(&[(PASSES_VAR, "abc")])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "SYNCBENCH_PASSES: `abc` is not a whole number; accepted: a whole number from 1 to 50"
    );
    let e = shell(&vars(&[
        (PROFILE_VAR, "fast"),
        (TARGETS_VAR, "nope"),
        (THREADS_VAR, "0"),
        (PLOTS_VAR, "on"),
        (REPAIR_VAR, "4"),
        (WRITE_DELAY_VAR, "x"),
    ]))
    .unwrap_err();
    let names: Vec<&str> = e.0.iter().map(|e| e.var).collect();
    assert_eq!(
        names,
        [
            PROFILE_VAR,
            TARGETS_VAR,
            THREADS_VAR,
            PLOTS_VAR,
            REPAIR_VAR,
            WRITE_DELAY_VAR
        ]
    );
    // What the main job sets itself is not its user's mistake.
    assert!(shell(&vars(&[(PASS_VAR, "x"), (SKIP_VAR, "/nonexistent")])).is_ok());
}

#[test]
fn shell_lines_survive_eval() {
    let Ok(out) = shell(&vars(&[
        (OUT_VAR, "my reports/it's $HOME `x`"),
        (TARGETS_VAR, "map counter"),
    ])) else {
        panic!("valid settings")
    };
    let run = std::process::Command::new("bash")
        .args([
            "-c",
            r#"eval "$1"; printf '%s|%s|%s|%s' "$out" "$targets" "$passes" "$seed""#,
            "-",
            &out,
        ])
        .output();
    let Ok(run) = run else {
        return; // no bash here
    };
    assert!(run.status.success(), "{run:?}");
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "my reports/it's $HOME `x`|map counter|7|"
    );
}

#[test]
fn bench_targets_are_the_cargo_bench_targets() {
    let manifest = include_str!("../../../Cargo.toml");
    let mut declared: Vec<&str> = manifest
        .split("[[bench]]")
        .skip(1)
        .filter_map(|b| b.lines().find_map(|l| l.strip_prefix("name = ")))
        .map(|n| n.trim().trim_matches('"'))
        .collect();
    let mut ours = BENCH_TARGETS.to_vec();
    declared.sort_unstable();
    ours.sort_unstable();
    assert_eq!(ours, declared);
}

#[test]
fn bench_script_takes_its_settings_from_here() {
    let script = include_str!("../../../scripts/bench.sh");
    assert!(
        script.contains("report -- settings --shell"),
        "scripts/bench.sh does not read `report settings --shell`"
    );
    // No copies of the defaults and fixed numbers.
    let code: String = script
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    for name in [
        "profile",
        "passes",
        "default_passes",
        "targets",
        "out",
        "seed",
        "go",
        "screen_after",
        "look_after",
        "budget",
        "repair_rounds",
        "stray_rounds",
        "go_count",
        "go_benchtime",
    ] {
        for digit in '0'..='9' {
            let copy = format!("{name}={digit}");
            assert!(!code.contains(&copy), "scripts/bench.sh sets `{copy}`");
        }
    }
    for default in [":-full", ":-reports", ":-counter", ":-1}", ":-$default"] {
        assert!(!code.contains(default), "scripts/bench.sh has `{default}`");
    }
    for name in ["SYNCBENCH_PROFILE", "SYNCBENCH_TARGETS", "SYNCBENCH_OUT"] {
        assert!(!code.contains(name), "scripts/bench.sh reads {name} itself");
    }
    // Every value the shell lines give is used.
    let shell = shell(&vars(&[])).unwrap();
    for line in shell.lines().filter(|l| !l.starts_with('#')) {
        let name = line.split('=').next().unwrap();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        let used = code.match_indices(name).any(|(at, _)| {
            let before = code[..at].chars().next_back();
            let after = code[at + name.len()..].chars().next();
            !word(before) && !word(after) && after != Some('=')
        });
        assert!(used, "scripts/bench.sh does not use `{name}`");
    }
}

/// Every `SYNCBENCH_*` name in the file or tree `path` (test fixtures
/// left out), with the file it is in.
fn names_in(path: &Path, found: &mut Vec<(String, PathBuf)>) {
    if path.is_dir() {
        if path.ends_with("tests/fixtures") {
            return;
        }
        for e in std::fs::read_dir(path).unwrap().flatten() {
            names_in(&e.path(), found);
        }
        return;
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return; // not text
    };
    const PREFIX: &str = "SYNCBENCH_";
    for (at, _) in text.match_indices(PREFIX) {
        let rest = &text[at + PREFIX.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(rest.len());
        let suffix = rest[..end].trim_end_matches('_');
        if !suffix.is_empty() {
            found.push((format!("{PREFIX}{suffix}"), path.to_path_buf()));
        }
    }
}

#[test]
fn every_syncbench_variable_in_the_sources_is_in_the_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for path in [
        "src", "benches", "scripts", "tests", "go", ".ci", "build.rs",
    ] {
        names_in(&root.join(path), &mut found);
    }
    assert!(
        found.iter().any(|(n, _)| n == THREADS_VAR),
        "the scan found nothing"
    );
    for (name, path) in found {
        assert!(
            setting(&name).is_some() || BUILD_TIME.contains(&name.as_str()),
            "{name} (in {}) is not in syncbench::harness::settings::SETTINGS",
            path.display()
        );
    }
}

#[test]
fn out_must_name_a_directory_that_can_be_made() {
    assert_eq!(vars(&[]).out().unwrap(), DEFAULT_OUT);
    assert_eq!(
        vars(&[(OUT_VAR, "target/mine")]).out().unwrap(),
        "target/mine"
    );
    for bad_out in ["/", ".", "..", "target/..", "Cargo.toml"] {
        let e = vars(&[(OUT_VAR, bad_out)]).out().unwrap_err().to_string();
        assert!(e.starts_with(OUT_VAR), "{bad_out}: {e}");
    }
}
