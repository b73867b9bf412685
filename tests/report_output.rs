//! The report's output side under hostile input and interruption: absurd
//! estimates, colliding chart names, faults and `kill -9` during the write,
//! concurrent runs, read-only directories and CLI mistakes.
//!
//! Fixtures are copies of `tests/fixtures/counter-quick` (see
//! `tests/report.rs`), restricted to a group or two (charts are slow in
//! debug builds).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;
use syncbench::report::render::output::{Fault, WriteOptions, write_report, write_report_with};
use syncbench::report::{self, Log, Options, Summary};

mod fixture;

use fixture::{copy_dir, fixture_into};
const BIN: &str = env!("CARGO_BIN_EXE_report");

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    fixture::scratch("report-output", name)
}

fn run(input: &Path, out: &Path) -> anyhow::Result<Summary> {
    let mut sink = |_: &str| {};
    let mut log = Log::new(&mut sink);
    report::run(
        &Options {
            input: input.to_path_buf(),
            out: out.to_path_buf(),
        },
        &mut log,
    )
}

fn edit(p: &Path, f: impl FnOnce(&mut Value)) {
    let mut v: Value = serde_json::from_slice(&fs::read(p).unwrap()).unwrap();
    f(&mut v);
    fs::write(p, serde_json::to_vec(&v).unwrap()).unwrap();
}

/// Every file under `dir`, relative path -> bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, rel: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(root.join(rel)).unwrap().flatten() {
            let r = rel.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                walk(root, &r, out);
            } else {
                out.insert(r.clone(), fs::read(root.join(&r)).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, Path::new(""), &mut out);
    out
}

/// Names in `dir` that start with `.`.
fn hidden(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    v.sort();
    v
}

fn file(rel: &str, bytes: &str) -> (PathBuf, Vec<u8>) {
    (PathBuf::from(rel), bytes.as_bytes().to_vec())
}

/// An out directory holding an "old" report and the user's own files.
fn old_report(root: &Path) -> PathBuf {
    let out = root.join("out");
    write_report(
        &out,
        vec![
            file("DECISIONS.md", "old decisions"),
            file("index.html", "old index"),
            file("charts/a.svg", "old a.svg"),
            file("charts/a.png", "old a.png"),
            file("charts/gone.svg", "old gone.svg"),
        ],
    )
    .unwrap();
    fs::write(out.join("NOTES.md"), "the user's").unwrap();
    fs::write(out.join("charts/README"), "the user's too").unwrap();
    fs::create_dir_all(out.join("archive/2025")).unwrap();
    fs::write(out.join("archive/2025/DECISIONS.md"), "archived").unwrap();
    out
}

fn new_files() -> Vec<(PathBuf, Vec<u8>)> {
    vec![
        file("DECISIONS.md", "new decisions"),
        file("index.html", "new index"),
        file("charts/a.svg", "new a.svg"),
        file("charts/a.png", "new a.png"),
        file("charts/b.svg", "new b.svg"),
        file("charts/b.png", "new b.png"),
    ]
}

#[test]
fn a_fault_at_any_step_before_the_switch_keeps_the_previous_report_byte_for_byte() {
    let root = scratch("faults");
    let out = old_report(&root);
    let before = snapshot(&out);
    for fault in [
        Fault::Staging(0),
        Fault::Staging(3),
        Fault::Carried,
        Fault::Switch,
    ] {
        let mut warnings = Vec::new();
        let mut warn = |w: &str| warnings.push(w.to_string());
        let e = write_report_with(
            &out,
            new_files(),
            WriteOptions {
                lock_wait: Duration::from_secs(5),
                warn: &mut warn,
                fault: Some(fault),
            },
        )
        .unwrap_err();
        let e = format!("{e:#}");
        assert!(
            e.contains(&format!(
                "the previous one in {} is unchanged",
                out.display()
            )),
            "{fault:?}: {e}"
        );
        assert_eq!(snapshot(&out), before, "{fault:?}");
        assert_eq!(hidden(&root), [".out.lock"], "{fault:?}: no staging left");
    }

    // Then a clean run: the new report, the user's files kept, the stale
    // chart gone.
    write_report(&out, new_files()).unwrap();
    let after = snapshot(&out);
    let mut expected: BTreeMap<PathBuf, Vec<u8>> = new_files().into_iter().collect();
    for user in ["NOTES.md", "charts/README", "archive/2025/DECISIONS.md"] {
        expected.insert(user.into(), before[Path::new(user)].clone());
    }
    assert_eq!(after, expected);
    assert_eq!(hidden(&root), [".out.lock"]);
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn without_a_directory_exchange_the_files_are_moved_one_by_one_with_a_warning() {
    let root = scratch("fallback");
    let out = old_report(&root);
    let before = snapshot(&out);
    let mut warnings = Vec::new();
    let mut warn = |w: &str| warnings.push(w.to_string());
    write_report_with(
        &out,
        new_files(),
        WriteOptions {
            lock_wait: Duration::from_secs(5),
            warn: &mut warn,
            fault: Some(Fault::NoExchange),
        },
    )
    .unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("cannot exchange directories atomically")),
        "{warnings:?}"
    );
    let after = snapshot(&out);
    assert_eq!(after[Path::new("DECISIONS.md")], b"new decisions");
    assert_eq!(after[Path::new("NOTES.md")], before[Path::new("NOTES.md")]);
    assert!(!after.contains_key(Path::new("charts/gone.svg")));
    assert_eq!(hidden(&root), [".out.lock"]);

    // A failure half-way through the fallback says the out directory mixes
    // both reports (the documented limit of the fallback).
    let e = write_report_with(
        &out,
        vec![file("DECISIONS.md", "third"), file("index.html", "third")],
        WriteOptions {
            lock_wait: Duration::from_secs(5),
            warn: &mut |_| {},
            fault: Some(Fault::Fallback(1)),
        },
    )
    .unwrap_err();
    assert!(
        format!("{e:#}").contains("mixes the old and the new"),
        "{e:#}"
    );
    assert_eq!(hidden(&root), [".out.lock"]);
    fs::remove_dir_all(&root).unwrap();
}

/// Makes `dir` unwritable (`chattr +i` as root, who ignores modes; `chmod`
/// otherwise); false if that is not possible here.
fn make_read_only(dir: &Path, on: bool) -> bool {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if root {
        Command::new("chattr")
            .arg(if on { "+i" } else { "-i" })
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success())
    } else {
        use std::os::unix::fs::PermissionsExt;
        let mode = if on { 0o555 } else { 0o755 };
        fs::set_permissions(dir, fs::Permissions::from_mode(mode)).is_ok()
    }
}

#[test]
fn read_only_directories_fail_up_front_and_change_nothing() {
    let root = scratch("read-only");
    let out = old_report(&root);
    let before = snapshot(&out);
    for dir in [out.join("charts"), out.clone()] {
        if !make_read_only(&dir, true) {
            eprintln!("cannot make {} read-only here: skipped", dir.display());
            continue;
        }
        let r = write_report(&out, new_files());
        make_read_only(&dir, false);
        let e = format!("{:#}", r.unwrap_err());
        assert!(e.contains("is not writable"), "{e}");
        assert!(
            e.contains(&format!("{} is unchanged", out.display())),
            "{e}"
        );
        assert_eq!(snapshot(&out), before);
        assert_eq!(hidden(&root), [".out.lock"]);
    }
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn leftovers_of_killed_runs_are_removed_by_the_next_run() {
    let root = scratch("litter");
    let out = old_report(&root);
    for pid in [1, 999_999_999] {
        let s = root.join(format!(".out.staging-{pid}"));
        fs::create_dir_all(s.join("charts")).unwrap();
        fs::write(s.join("charts/x.svg"), "half").unwrap();
    }
    // An older version staged inside the out directory.
    fs::create_dir_all(out.join(".report-staging-12345")).unwrap();
    write_report(&out, new_files()).unwrap();
    assert_eq!(hidden(&root), [".out.lock"]);
    assert!(hidden(&out).is_empty());
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_run_that_cannot_get_the_lock_fails_clearly_and_changes_nothing() {
    let root = scratch("locked");
    let out = old_report(&root);
    let before = snapshot(&out);
    let held = fs::File::open(root.join(".out.lock")).unwrap();
    held.lock().unwrap();
    let start = Instant::now();
    let e = write_report_with(
        &out,
        new_files(),
        WriteOptions {
            lock_wait: Duration::from_millis(300),
            warn: &mut |_| {},
            fault: None,
        },
    )
    .unwrap_err();
    let e = format!("{e:#}");
    assert!(
        e.contains(&format!("another report run is writing {}", out.display())),
        "{e}"
    );
    assert!(e.contains("unchanged"), "{e}");
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(snapshot(&out), before);

    // Released within the wait: the run goes ahead.
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        drop(held);
    });
    write_report_with(
        &out,
        new_files(),
        WriteOptions {
            lock_wait: Duration::from_secs(10),
            warn: &mut |_| {},
            fault: None,
        },
    )
    .unwrap();
    t.join().unwrap();
    assert_eq!(
        fs::read(out.join("DECISIONS.md")).unwrap(),
        b"new decisions"
    );
    fs::remove_dir_all(&root).unwrap();
}

/// Runs `f` on another thread; fails if it takes longer than `limit`
/// (instead of hanging the test run).
fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(v) => v,
        Err(_) => panic!("{what}: still running after {limit:?}"),
    }
}

#[test]
fn absurd_estimates_draw_a_chart_quickly() {
    // 1e-308 ns per op is an infinite throughput; 1e308 ns a vanishing one;
    // 5e-324 is the smallest subnormal.
    for (i, ns) in [1e-308, 5e-324, 1e308, 1e-300].into_iter().enumerate() {
        let root = scratch(&format!("absurd-{i}"));
        let input = fixture_into(&root, &["counter_overhead"]);
        let p = input.join("counter_overhead/atomic-fetch_add/1/new/estimates.json");
        edit(&p, |v| {
            for (_, est) in v.as_object_mut().unwrap() {
                if let Some(e) = est.as_object_mut() {
                    e.insert("point_estimate".into(), ns.into());
                    if let Some(ci) = e.get_mut("confidence_interval") {
                        ci["lower_bound"] = ns.into();
                        ci["upper_bound"] = ns.into();
                    }
                }
            }
        });
        let out = root.join("out");
        let (input2, out2) = (input.clone(), out.clone());
        let r = within(
            Duration::from_secs(30),
            &format!("estimate {ns} ns"),
            move || run(&input2, &out2).map(|s| s.files),
        );
        // Either a report with a (degenerate but valid) chart, or a clear
        // error; never a hang.
        match r {
            Ok(files) => {
                assert!(files.contains(&PathBuf::from("charts/counter_overhead.svg")));
                let svg = fs::read_to_string(out.join("charts/counter_overhead.svg")).unwrap();
                assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
                let png = fs::read(out.join("charts/counter_overhead.png")).unwrap();
                assert_eq!(&png[1..4], b"PNG");
            }
            Err(e) => assert!(!format!("{e:#}").is_empty()),
        }
        fs::remove_dir_all(&root).unwrap();
    }
}

#[test]
fn scenarios_whose_ids_sanitise_alike_get_distinct_charts() {
    let root = scratch("collide");
    let input = fixture_into(&root, &["counter_overhead"]);
    for (dir, id) in [("zz_b1", "zz/b c"), ("zz_b2", "zz/b_c")] {
        copy_dir(&input.join("counter_overhead"), &input.join(dir));
        for strategy in fs::read_dir(input.join(dir)).unwrap().flatten() {
            for t in fs::read_dir(strategy.path()).unwrap().flatten() {
                edit(&t.path().join("new/benchmark.json"), |v| {
                    v["group_id"] = id.into();
                });
            }
        }
    }
    let out = root.join("out");
    let s = run(&input, &out).unwrap();
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    let mut stems = BTreeSet::new();
    for f in &s.files {
        let f = f.to_string_lossy();
        if let Some(stem) = f
            .strip_prefix("charts/")
            .and_then(|f| f.strip_suffix(".svg"))
        {
            assert!(stems.insert(stem.to_string()), "{stem} twice");
            assert!(
                md.contains(&format!("(charts/{stem}.svg)")),
                "{stem} not linked"
            );
            assert!(out.join(&*f).is_file());
        }
    }
    assert!(
        stems.contains("zz_b~20c") && stems.contains("zz_b~5fc"),
        "{stems:?}"
    );
    // Three throughput charts, and the CPU cost chart of counter/overhead
    // (the copies have no sidecars, so no CPU time).
    assert_eq!(stems.len(), 4, "{stems:?}");
    assert!(stems.contains("counter_overhead-cpu"), "{stems:?}");
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn cli_says_what_is_wrong_with_input_and_out() {
    let root = scratch("cli");
    let input = fixture_into(&root, &["counter_overhead"]);
    let cases = [
        (
            vec![
                "--input".into(),
                root.join("nope"),
                "--out".into(),
                root.join("o"),
            ],
            format!(
                "--input {} does not exist; run `cargo bench` first (or pass --input DIR)",
                root.join("nope").display()
            ),
        ),
        (
            vec![
                "--input".into(),
                input.join("syncbench/counter/increment/warm/no-sharing/1.json"),
                "--out".into(),
                root.join("o"),
            ],
            format!(
                "--input {} is a file, not a directory",
                input
                    .join("syncbench/counter/increment/warm/no-sharing/1.json")
                    .display()
            ),
        ),
        (
            vec![
                "--input".into(),
                input.clone(),
                "--out".into(),
                input.join("syncbench/counter/increment/warm/no-sharing/1.json"),
            ],
            format!(
                "--out {} is a file, not a directory",
                input
                    .join("syncbench/counter/increment/warm/no-sharing/1.json")
                    .display()
            ),
        ),
    ];
    for (args, expected) in cases {
        let o = Command::new(BIN).args(&args).output().unwrap();
        assert!(!o.status.success());
        let err = String::from_utf8(o.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(&expected), "{err}\nexpected: {expected}");
    }
    assert!(!root.join("o").exists());
    fs::remove_dir_all(&root).unwrap();
}

/// The report files in `out` (everything but the user's files), checked to
/// be one complete report: the fixed pages all there, and the charts
/// exactly those DECISIONS.md links.
fn report_in(out: &Path, user: &[&str]) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = snapshot(out);
    for u in user {
        assert!(files.remove(Path::new(u)).is_some(), "user file {u} lost");
    }
    for f in [
        "DECISIONS.md",
        "index.html",
        "results.json",
        "results.csv",
        "machine.json",
    ] {
        assert!(
            files.contains_key(Path::new(f)),
            "{f} missing: {:?}",
            files.keys()
        );
    }
    let md = String::from_utf8(files[Path::new("DECISIONS.md")].clone()).unwrap();
    let linked: BTreeSet<PathBuf> = md
        .split("](charts/")
        .skip(1)
        .map(|s| Path::new("charts").join(&s[..s.find(')').unwrap()]))
        .collect();
    let charts: BTreeSet<PathBuf> = files
        .keys()
        .filter(|k| k.starts_with("charts"))
        .cloned()
        .collect();
    assert_eq!(
        linked, charts,
        "DECISIONS.md links exactly the charts there"
    );
    files
}

/// Files that differ between two runs on the same input.
fn volatile(a: &BTreeMap<PathBuf, Vec<u8>>, b: &BTreeMap<PathBuf, Vec<u8>>) -> BTreeSet<PathBuf> {
    a.iter()
        .filter(|(k, v)| b.get(*k).is_none_or(|w| timeless(k, v) != timeless(k, w)))
        .map(|(k, _)| k.clone())
        .collect()
}

/// The JSON files carry the time of the run (to the second; the run's
/// bundle, when it was packed): compared without it.
fn timeless(path: &Path, bytes: &[u8]) -> Vec<u8> {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("generated");
                m.remove("report_generated");
                m.remove("created");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    if path.extension().is_some_and(|x| x == "json") {
        let mut v: Value =
            serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        strip(&mut v);
        serde_json::to_vec(&v).unwrap()
    } else {
        bytes.to_vec()
    }
}

fn same_report(
    got: &BTreeMap<PathBuf, Vec<u8>>,
    want: &BTreeMap<PathBuf, Vec<u8>>,
    skip: &BTreeSet<PathBuf>,
) -> bool {
    got.keys().eq(want.keys())
        && got.iter().all(|(k, v)| {
            skip.contains(k)
                || want
                    .get(k)
                    .is_some_and(|w| timeless(k, v) == timeless(k, w))
        })
}

/// Two inputs giving different reports (one chart, three charts), and the
/// reference report of each.
struct Versions {
    inputs: [PathBuf; 2],
    refs: [BTreeMap<PathBuf, Vec<u8>>; 2],
    volatile: BTreeSet<PathBuf>,
}

fn versions(root: &Path) -> Versions {
    let a = fixture_into(&root.join("a"), &["counter_overhead"]);
    let b = fixture_into(
        &root.join("b"),
        &[
            "counter_overhead",
            "counter_read-mostly_99-1",
            "counter_increment_hot",
        ],
    );
    let mut refs = Vec::new();
    let mut volatile_files = BTreeSet::new();
    for (i, input) in [&a, &b].into_iter().enumerate() {
        let r1 = root.join(format!("ref{i}-1"));
        let r2 = root.join(format!("ref{i}-2"));
        run(input, &r1).unwrap();
        run(input, &r2).unwrap();
        let (s1, s2) = (report_in(&r1, &[]), report_in(&r2, &[]));
        volatile_files.extend(volatile(&s1, &s2));
        refs.push(s1);
    }
    let refs: [_; 2] = refs.try_into().unwrap();
    assert_ne!(
        refs[0].keys().collect::<Vec<_>>(),
        refs[1].keys().collect::<Vec<_>>()
    );
    Versions {
        inputs: [a, b],
        refs,
        volatile: volatile_files,
    }
}

const USER: [&str; 3] = ["NOTES.md", "charts/README", "archive/old.md"];

fn add_user_files(out: &Path) {
    fs::create_dir_all(out.join("charts")).unwrap();
    fs::create_dir_all(out.join("archive")).unwrap();
    for u in USER {
        fs::write(out.join(u), format!("user file {u}")).unwrap();
    }
}

/// xorshift64*: deterministic kill points.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[test]
fn kill_9_at_any_point_leaves_one_complete_report() {
    let root = scratch("kill");
    let v = versions(&root);
    let parent = root.join("site");
    let out = parent.join("out");
    run(&v.inputs[0], &out).unwrap();
    add_user_files(&out);

    // Each write step sleeps this long, so the write (normally a few ms)
    // spans tens of ms and the kills land all over it.
    const DELAY_MS: u64 = 3;
    let spawn = |input: &Path| {
        Command::new(BIN)
            .arg("--input")
            .arg(input)
            .arg("--out")
            .arg(&out)
            .env("SYNCBENCH_REPORT_WRITE_DELAY_MS", DELAY_MS.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    // How long a whole run and its write take (from "rendered" to exit).
    let (mut total, mut write) = (Duration::ZERO, Duration::ZERO);
    for input in &v.inputs {
        let start = Instant::now();
        let mut c = spawn(input);
        let mut lines = BufReader::new(c.stderr.take().unwrap()).lines();
        let mut rendered = None;
        for l in lines.by_ref() {
            if l.unwrap().contains("report: rendered") {
                rendered = Some(Instant::now());
            }
        }
        assert!(c.wait().unwrap().success());
        total = total.max(start.elapsed());
        write = write.max(rendered.unwrap().elapsed());
    }

    let (mut old, mut new, mut littered) = (0, 0, 0);
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let kills = 100;
    let mut current = 1; // which version `out` holds (the last measured)
    assert!(same_report(
        &report_in(&out, &USER),
        &v.refs[1],
        &v.volatile
    ));
    assert!(v.volatile.is_empty(), "{:?}", v.volatile);
    for k in 0..kills {
        let next = 1 - current;
        let mut c = spawn(&v.inputs[next]);
        if k % 10 == 0 {
            // Anywhere in the run, rendering included.
            let at = rng.below(total.as_micros() as u64);
            std::thread::sleep(Duration::from_micros(at));
        } else {
            // Inside the write: after "rendered", a random point of it.
            let mut lines = BufReader::new(c.stderr.take().unwrap()).lines();
            for l in lines.by_ref() {
                if l.unwrap().contains("report: rendered") {
                    break;
                }
            }
            let at = rng.below(write.as_micros() as u64 * 11 / 10);
            std::thread::sleep(Duration::from_micros(at));
        }
        let _ = c.kill();
        let _ = c.wait();

        let got = report_in(&out, &USER);
        let user = snapshot(&out);
        for u in USER {
            assert_eq!(user[Path::new(u)], format!("user file {u}").into_bytes());
        }
        if same_report(&got, &v.refs[current], &v.volatile) {
            old += 1;
        } else if same_report(&got, &v.refs[next], &v.volatile) {
            new += 1;
            current = next;
        } else {
            let diff = |r: &BTreeMap<PathBuf, Vec<u8>>| -> Vec<PathBuf> {
                got.keys()
                    .chain(r.keys())
                    .filter(|f| {
                        !v.volatile.contains(*f)
                            && got.get(*f).map(|x| timeless(f, x))
                                != r.get(*f).map(|x| timeless(f, x))
                    })
                    .cloned()
                    .collect()
            };
            panic!(
                "kill {k}: a report that is neither the old nor the new one: {:?}; \
                 differs from the old in {:?}, from the new in {:?}",
                got.keys(),
                diff(&v.refs[current]),
                diff(&v.refs[next])
            );
        }
        if hidden(&parent).iter().any(|h| h.contains("staging")) {
            littered += 1;
        }
        assert!(hidden(&out).is_empty(), "kill {k}: {:?}", hidden(&out));
    }
    eprintln!(
        "{kills} kills (write ~{write:?} of a ~{total:?} run): {old} left the old report, \
         {new} the new one, 0 a mix; {littered} left a staging directory"
    );
    assert!(
        old > 0 && new > 0,
        "kills landed on both sides of the switch"
    );

    // One more normal run: the new report, no litter.
    let c = spawn(&v.inputs[1 - current]).wait_with_output().unwrap();
    assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
    let got = report_in(&out, &USER);
    assert!(same_report(&got, &v.refs[1 - current], &v.volatile));
    assert_eq!(hidden(&parent), [".out.lock"]);
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn two_concurrent_runs_end_well_with_one_complete_report() {
    let root = scratch("concurrent");
    let v = versions(&root);
    let out = root.join("site/out");
    run(&v.inputs[0], &out).unwrap();
    add_user_files(&out);
    for round in 0..3 {
        let children: Vec<_> = [1, 0]
            .iter()
            .map(|&i| {
                Command::new(BIN)
                    .arg("--input")
                    .arg(&v.inputs[i])
                    .arg("--out")
                    .arg(&out)
                    .env("SYNCBENCH_REPORT_WRITE_DELAY_MS", "10")
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let o = c.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&o.stderr);
            // Both succeed (the second waits for the first), or one says
            // clearly why not.
            assert!(
                o.status.success() || err.contains("another report run is writing"),
                "round {round}: {err}"
            );
        }
        let got = report_in(&out, &USER);
        assert!(
            same_report(&got, &v.refs[0], &v.volatile)
                || same_report(&got, &v.refs[1], &v.volatile),
            "round {round}: {:?}",
            got.keys()
        );
        assert_eq!(hidden(&root.join("site")), [".out.lock"]);
    }
    fs::remove_dir_all(&root).unwrap();
}
