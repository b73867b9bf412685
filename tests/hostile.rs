//! Results from other people are untrusted input (issue 32): each test
//! builds a hostile fixture in a scratch directory and runs the `report`
//! binary on it, with a deadline so that a hang fails instead of blocking.
//!
//! Fixtures are copies of `tests/fixtures/counter-quick` restricted to one
//! group, or bundles packed from it and then edited.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod fixture;

use fixture::fixture_into;

const BIN: &str = env!("CARGO_BIN_EXE_report");

/// Long enough for a debug build on a busy machine; only a hang reaches it.
const DEADLINE: Duration = Duration::from_secs(300);

fn scratch(name: &str) -> PathBuf {
    fixture::scratch("hostile", name)
}

/// Runs the binary; panics if it has not finished by [`DEADLINE`].
/// Returns (success, stdout, stderr).
fn report(args: &[&str]) -> (bool, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("report {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let err = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    (status.success(), out, err)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A criterion tree of one group (`counter_overhead`), in `dir`.
fn tree(dir: &Path) -> PathBuf {
    fixture_into(dir, &["counter_overhead"])
}

/// One `new/estimates.json` of the tree.
fn estimates(t: &Path) -> PathBuf {
    fn find(d: &Path) -> Option<PathBuf> {
        let p = d.join("new/estimates.json");
        if p.exists() {
            return Some(p);
        }
        let mut subs: Vec<PathBuf> = fs::read_dir(d)
            .ok()?
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        subs.sort();
        subs.iter().find_map(|s| find(s))
    }
    find(&t.join("counter_overhead")).unwrap()
}

/// A bundle packed from [`tree`], as JSON.
fn bundle_value(dir: &Path) -> Value {
    let t = tree(dir);
    let b = dir.join("packed.syncbench.json");
    let (ok, _, err) = report(&["bundle", "--input", s(&t), "--out", s(&b)]);
    assert!(ok, "{err}");
    serde_json::from_slice(&fs::read(&b).unwrap()).unwrap()
}

fn write_bundle(path: &Path, v: &Value) {
    fs::write(path, serde_json::to_vec(v).unwrap()).unwrap();
}

/// The pid of a process that has exited.
fn dead_pid() -> u32 {
    let mut c = Command::new("true").spawn().unwrap();
    let pid = c.id();
    c.wait().unwrap();
    pid
}

/// `md` with every CommonMark code span removed (a backtick run opens a
/// span closed by the next run of the same length).
fn outside_code_spans(md: &str) -> String {
    let b = md.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'`' {
            let start = i;
            while i < b.len() && b[i] == b'`' {
                i += 1;
            }
            let n = i - start;
            // Find the closing run of exactly n backticks.
            let mut j = i;
            let mut closed = None;
            while j < b.len() {
                if b[j] == b'`' {
                    let s = j;
                    while j < b.len() && b[j] == b'`' {
                        j += 1;
                    }
                    if j - s == n {
                        closed = Some(j);
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            match closed {
                Some(end) => i = end,
                None => out.push_str(&md[start..i]),
            }
        } else {
            let c = md[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

#[test]
fn ids_cannot_inject_markup_or_terminal_escapes() {
    let d = scratch("inject");
    let mut v = bundle_value(&d);
    let evil_group = "counter/a``<img src=x onerror=alert(1)>``b<script>x</script>&amp;";
    let evil_function = "noop`<img src=y onerror=alert(2)>`";
    let esc_function = "atomic-fetch_add\u{1b}]0;pwned\u{7}\u{1b}[31m";
    for r in v["results"].as_array_mut().unwrap() {
        if r["group"] == "counter/overhead" {
            r["group"] = json!(evil_group);
        }
        if r["function"] == "noop" {
            r["function"] = json!(evil_function);
        }
        if r["function"] == "atomic-fetch_add" {
            r["function"] = json!(esc_function);
        }
    }
    let b = d.join("evil.syncbench.json");
    write_bundle(&b, &v);
    let out = d.join("out");
    let (ok, _, err) = report(&["--input", s(&b), "--out", s(&out)]);
    assert!(ok, "{err}");
    assert!(!err.contains('\u{1b}'), "raw ESC in the warnings: {err}");
    assert!(err.contains("\\x1b"), "the ESC id is named, escaped: {err}");
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    assert!(md.contains("<img"), "the ids are shown (in code spans)");
    let text = outside_code_spans(&md);
    for bad in ["<img", "<script"] {
        assert!(!text.contains(bad), "{bad} outside a code span");
    }
    assert!(!md.contains('\u{1b}'));
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    for bad in ["<img", "<script>x"] {
        assert!(!html.contains(bad), "{bad} raw in index.html");
    }
    for e in fs::read_dir(out.join("charts")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "svg") {
            let svg = fs::read_to_string(&p).unwrap();
            assert!(!svg.contains("<img") && !svg.contains("<script"), "{p:?}");
        }
    }
}

#[test]
fn fifos_and_devices_are_refused_without_waiting() {
    let d = scratch("fifo");
    let t = tree(&d);
    fs::create_dir_all(t.join("go")).unwrap();
    let fifo = t.join("go/bench.txt");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let est = estimates(&t);
    fs::remove_file(&est).unwrap();
    assert!(Command::new("mkfifo").arg(&est).status().unwrap().success());
    let out = d.join("out");
    let (ok, _, err) = report(&["--input", s(&t), "--out", s(&out)]);
    assert!(ok, "{err}");
    assert!(err.contains("FIFO"), "{err}");
    assert!(err.contains("the Go side is skipped"), "{err}");
    // A FIFO or a device as the input itself.
    let (ok, _, err) = report(&["--input", s(&fifo), "--out", s(&d.join("o2"))]);
    assert!(!ok && err.contains("FIFO"), "{err}");
    let (ok, _, err) = report(&["--input", "/dev/zero", "--out", s(&d.join("o3"))]);
    assert!(!ok && err.contains("device"), "{err}");
}

#[test]
fn oversized_files_are_refused_by_their_cap() {
    let d = scratch("caps");
    let t = tree(&d);
    // Sparse files: no disk used.
    let est = estimates(&t);
    fs::OpenOptions::new()
        .write(true)
        .open(&est)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    fs::create_dir_all(t.join("go")).unwrap();
    fs::File::create(t.join("go/bench.txt"))
        .unwrap()
        .set_len(100 << 20)
        .unwrap();
    let out = d.join("out");
    let (ok, _, err) = report(&["--input", s(&t), "--out", s(&out)]);
    assert!(ok, "{err}");
    assert!(err.contains("8 MiB cap"), "{err}");
    assert!(err.contains("64 MiB cap"), "{err}");
    let big = d.join("big.syncbench.json");
    fs::File::create(&big).unwrap().set_len(600 << 20).unwrap();
    let (ok, _, err) = report(&["--input", s(&big), "--out", s(&d.join("o2"))]);
    assert!(!ok && err.contains("512 MiB cap"), "{err}");
}

#[test]
fn symlink_loops_are_named() {
    let d = scratch("loop");
    let t = tree(&d);
    let est = estimates(&t);
    fs::remove_file(&est).unwrap();
    std::os::unix::fs::symlink(&est, &est).unwrap();
    let (ok, _, err) = report(&["--input", s(&t), "--out", s(&d.join("out"))]);
    assert!(ok, "{err}");
    assert!(err.contains("symlink loop"), "{err}");
    let me = d.join("self");
    std::os::unix::fs::symlink(&me, &me).unwrap();
    let (ok, _, err) = report(&["--input", s(&me), "--out", s(&d.join("o2"))]);
    assert!(!ok && err.contains("symlink loop"), "{err}");
}

#[test]
fn out_of_range_values_and_floods_are_rejected_with_bounded_warnings() {
    let d = scratch("range");
    let mut v = bundle_value(&d);
    let results = v["results"].as_array_mut().unwrap();
    let first = results[0].clone();
    results[1]["parameter"] = json!("18446744073709551615");
    results[2]["parameter"] = json!("65537");
    results[3]["group"] = json!(format!("counter/{}", "x".repeat(300)));
    for _ in 0..1000 {
        results.push(first.clone());
    }
    for f in v["runs"].as_object_mut().unwrap().values_mut() {
        f["logical_cores"] = json!(1_000_000_000_000_000_000u64);
    }
    let b = d.join("range.syncbench.json");
    write_bundle(&b, &v);
    let (ok, _, err) = report(&["--input", s(&b), "--out", s(&d.join("out"))]);
    assert!(ok, "{err}");
    assert!(err.contains("not a thread count (1 to 65536)"), "{err}");
    assert!(err.contains("over the 200-byte cap"), "{err}");
    assert!(
        !err.contains(&"x".repeat(300)),
        "a long id is cut in warnings"
    );
    assert!(err.contains("CPU counts are not 1 to 65536"), "{err}");
    let dup = err.lines().filter(|l| l.ends_with("duplicate id")).count();
    assert!(dup <= 20, "{dup} duplicate warnings printed");
    assert!(err.contains("and 980 more"), "{err}");
    let md = fs::read_to_string(d.join("out/DECISIONS.md")).unwrap();
    assert!(md.contains("and 980 more"));
    assert!(
        md.matches("duplicate id").count() <= 2 * 21,
        "warnings kept are capped too"
    );

    // Go: negative and zero ns/op are not results.
    let run = syncbench::report::input::gotext::parse(
        "BenchmarkCounter/increment/hot/mutex/threads=1 10 -5 ns/op\n\
         BenchmarkCounter/increment/hot/atomic/threads=1 10 0 ns/op\n\
         BenchmarkCounter/increment/hot/spin/threads=99999999 10 3 ns/op\n\
         BenchmarkCounter/increment/hot/ok/threads=1 10 3 ns/op\n",
    );
    assert_eq!(run.results.len(), 1);
    assert_eq!(run.skipped, 3);
}

#[test]
fn a_bad_file_or_long_id_does_not_sink_the_report() {
    let d = scratch("sink");
    let mut v = bundle_value(&d);
    // 180 bytes of non-ASCII: a chart stem of 540 bytes in full.
    let long = format!("counter/{}", "é".repeat(90));
    for r in v["results"].as_array_mut().unwrap() {
        r["group"] = json!(long);
    }
    let b = d.join("long.syncbench.json");
    write_bundle(&b, &v);
    let out = d.join("out");
    let (ok, _, err) = report(&["--input", s(&b), "--out", s(&out)]);
    assert!(ok, "{err}");
    let names: Vec<String> = fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.is_empty());
    assert!(names.iter().all(|n| n.len() <= 140), "{names:?}");

    // go/bench.txt not UTF-8, or a directory: the Go side is skipped.
    for (i, bad) in ["bytes", "dir"].iter().enumerate() {
        let t = tree(&d.join(format!("t{i}")));
        fs::create_dir_all(t.join("go")).unwrap();
        if *bad == "bytes" {
            fs::write(t.join("go/bench.txt"), b"goos: linux\n\xff\xfe\n").unwrap();
        } else {
            fs::create_dir_all(t.join("go/bench.txt")).unwrap();
        }
        let (ok, _, err) = report(&["--input", s(&t), "--out", s(&d.join(format!("o{i}")))]);
        assert!(ok, "{err}");
        assert!(err.contains("the Go side is skipped"), "{err}");
    }
}

#[test]
fn bundles_are_detected_by_parsing_and_gzip_is_named() {
    let d = scratch("detect");
    let v = bundle_value(&d);
    // Every key first except "format", which comes last, after the results.
    let o = v.as_object().unwrap();
    let mut text = String::from("{");
    for (k, x) in o.iter().filter(|(k, _)| *k != "format") {
        text.push_str(&format!("{}:{},", json!(k), x));
    }
    text.push_str(&format!("\"format\":{}}}", o["format"]));
    assert!(text.find("\"format\"").unwrap() > 256);
    let late = d.join("late.json");
    fs::write(&late, &text).unwrap();
    let (ok, _, err) = report(&["--input", s(&late), "--out", s(&d.join("out"))]);
    assert!(ok, "{err}");
    let gz = d.join("run.syncbench.json.gz");
    let mut bytes = vec![0x1f, 0x8b, 8, 0];
    bytes.extend_from_slice(&[0; 16]);
    fs::write(&gz, bytes).unwrap();
    let (ok, _, err) = report(&["--input", s(&gz), "--out", s(&d.join("o2"))]);
    assert!(!ok && err.contains("gzip-compressed"), "{err}");

    // One result more than a report reads: refused as too many, not as
    // damaged, before the results are modelled.
    let mut many = v.clone();
    let first = many["results"][0].clone();
    let results: Vec<Value> = (0..100_001)
        .map(|i| {
            let mut r = first.clone();
            r["group"] = json!(format!("g/x/{i}"));
            r
        })
        .collect();
    many["results"] = Value::Array(results);
    let big = d.join("many.syncbench.json");
    write_bundle(&big, &many);
    let (ok, _, err) = report(&["--input", s(&big), "--out", s(&d.join("o3"))]);
    assert!(
        !ok && err.contains("more than 100000 results") && !err.contains("damaged"),
        "{err}"
    );
}

#[test]
fn litter_is_removed_and_planted_symlinks_are_not_followed() {
    let d = scratch("litter");
    let v = bundle_value(&d);
    let b = d.join("run.syncbench.json");
    write_bundle(&b, &v);
    let out = d.join("out");
    let pid = dead_pid();
    // A killed report run's staging, a killed bundle run's temp file.
    let staging = d.join(format!(".out.staging-{pid}"));
    fs::create_dir_all(staging.join("charts")).unwrap();
    let (ok, _, err) = report(&["--input", s(&b), "--out", s(&out)]);
    assert!(ok, "{err}");
    assert!(!staging.exists(), "report removes staging litter");

    fs::create_dir_all(&staging).unwrap();
    let (ok, _, err) = report(&["diff", s(&out), s(&out)]);
    assert!(ok, "{err}");
    assert!(!staging.exists(), "diff removes staging litter");

    fs::create_dir_all(&staging).unwrap();
    let tmp = d.join(format!(".again.json.tmp-{pid}"));
    fs::write(&tmp, b"half").unwrap();
    let again = d.join("again.json");
    let (ok, _, err) = report(&["bundle", "--input", s(&out), "--out", s(&again)]);
    assert!(ok, "{err}");
    assert!(!staging.exists(), "bundle removes staging litter");
    assert!(!tmp.exists(), "bundle removes temp litter");

    // A planted lock symlink is not followed.
    let victim = d.join("victim");
    let out2 = d.join("out2");
    std::os::unix::fs::symlink(&victim, d.join(".out2.lock")).unwrap();
    let (ok, _, err) = report(&["--input", s(&b), "--out", s(&out2)]);
    assert!(!ok && err.contains("lock file"), "{err}");
    assert!(!victim.exists(), "the symlink's target was created");

    // `--out` of a bundle: a regular file or nothing.
    let fifo = d.join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (ok, _, err) = report(&["bundle", "--input", s(&b), "--out", s(&fifo)]);
    assert!(!ok && err.contains("not a regular file"), "{err}");
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // `--out` of a report: a directory or nothing.
    let (ok, _, err) = report(&["--input", s(&b), "--out", s(&again)]);
    assert!(!ok && err.contains("not a directory"), "{err}");
}
