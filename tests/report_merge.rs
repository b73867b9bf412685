//! Result bundles and the merged report of several machines.
//!
//! Machines: `tests/fixtures/counter-quick` (a real quick run on a 2-core
//! AMD EPYC) and `tests/fixtures/bundles/xeon-counter.syncbench.json` (a
//! real full run on a 2-core Intel Xeon, trimmed to two scenarios), and
//! `tests/fixtures/bundles/xeon-1cpu-counter.syncbench.json` (a real quick
//! run of the same VM kind under `taskset -c 0`: "1 of 2 CPUs", trimmed to
//! the same two scenarios; see `tests/fixtures/bundles/README.md`).

mod fixture;

use std::fs;
use std::path::{Path, PathBuf};

use fixture::{FIXTURE, scratch};
use serde_json::Value;
use syncbench::report::compare::diff;
use syncbench::report::input::bundle;
use syncbench::report::{self, Log, Options};

const XEON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/bundles/xeon-counter.syncbench.json"
);

const ONE_CPU: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/bundles/xeon-1cpu-counter.syncbench.json"
);

fn quiet<T>(f: impl FnOnce(&mut Log<'_>) -> T) -> (T, Vec<String>) {
    let mut sink = |_: &str| {};
    let mut log = Log::new(&mut sink);
    let out = f(&mut log);
    let w = log.warnings().to_vec();
    (out, w)
}

fn read_json(p: &Path) -> Value {
    serde_json::from_slice(&fs::read(p).unwrap()).unwrap()
}

/// The Xeon bundle edited by `f`, written into `dir` as `name`.
fn edited(dir: &Path, name: &str, f: impl FnOnce(&mut Value)) -> PathBuf {
    let mut v = read_json(Path::new(XEON));
    f(&mut v);
    let p = dir.join(name);
    fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
    p
}

/// The 1-CPU machine: a real quick run of the same VM kind under
/// `taskset -c 0` (its fingerprints say 1 of 2 CPUs usable), trimmed to the
/// Xeon bundle's two scenarios; copied into `dir`.
fn one_cpu(dir: &Path) -> PathBuf {
    let p = dir.join("xeon-1cpu.syncbench.json");
    fs::create_dir_all(dir).unwrap();
    fs::copy(ONE_CPU, &p).unwrap();
    p
}

fn merged(inputs: &[PathBuf], out: &Path) -> anyhow::Result<(report::Summary, String)> {
    let (r, _) = quiet(|log| report::run_merged(inputs, out, log));
    let s = r?;
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    Ok((s, md))
}

fn error_of(inputs: &[PathBuf], out: &Path) -> String {
    match quiet(|log| report::run_merged(inputs, out, log)).0 {
        Ok(_) => panic!("merging {inputs:?} should fail"),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn a_bundle_renders_like_its_criterion_tree() {
    let d = scratch("merge", "roundtrip");
    let b = d.join("run.syncbench.json");
    let (size, _) = quiet(|log| report::bundle(Path::new(FIXTURE), &b, log));
    assert!(size.unwrap() > 1000);
    let render = |input: &Path, out: &Path| {
        quiet(|log| {
            report::run(
                &Options {
                    input: input.to_path_buf(),
                    out: out.to_path_buf(),
                },
                log,
            )
        })
        .0
        .unwrap()
    };
    let from_tree = render(Path::new(FIXTURE), &d.join("tree"));
    let from_bundle = render(&b, &d.join("bundle"));
    assert_eq!(from_tree.results, from_bundle.results);
    assert_eq!(from_tree.scenarios, from_bundle.scenarios);
    let a = read_json(&d.join("tree/results.json"));
    let c = read_json(&d.join("bundle/results.json"));
    assert_eq!(a["decisions"], c["decisions"]);
    assert_eq!(a["rules"], c["rules"]);
    assert_eq!(
        read_json(&d.join("tree/machine.json"))["cpu_model"],
        read_json(&d.join("bundle/machine.json"))["cpu_model"]
    );
    // A bundle is a side of `report diff` too, and agrees with its tree.
    let (t, _) = quiet(|log| diff::read(Path::new(FIXTURE), log));
    let (u, _) = quiet(|log| diff::read(&b, log));
    let dd = diff::diff(&t.unwrap(), &u.unwrap()).unwrap();
    assert!(dd.common > 0 && dd.same == dd.common, "{dd:?}");
}

#[test]
fn two_machines_get_a_column_each_and_their_disagreements() {
    let d = scratch("merge", "two");
    let out = d.join("out");
    let (s, md) = merged(&[PathBuf::from(FIXTURE), PathBuf::from(XEON)], &out).unwrap();
    assert_eq!(s.scenarios, 5);
    for needle in [
        "## <a id=\"machines\"></a>Machines",
        "## <a id=\"what-to-use\"></a>What to use",
        "### <a id=\"what-to-use-per-machine\"></a>What to use, per machine",
        "## <a id=\"disagree\"></a>Where machines disagree",
        "### <a id=\"disagree-cells\"></a>Cells",
        "### <a id=\"disagree-rules\"></a>Rules of thumb",
        "## <a id=\"winners\"></a>Winner per machine",
        "| AMD EPYC, 2 CPUs | Intel(R) Xeon(R) Processor, 2 CPUs |",
        "across machines",
    ] {
        assert!(md.contains(needle), "{needle} missing:\n{md}");
    }
    // Scenarios only the quick run has are noted and left blank.
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("measured on some machines only")),
        "{:?}",
        s.warnings
    );
    let data = read_json(&out.join("machines.json"));
    assert_eq!(data["machines"].as_array().unwrap().len(), 2);
    let cells = data["cells"].as_array().unwrap();
    let disagree: Vec<&Value> = cells.iter().filter(|c| c["disagree"] == true).collect();
    // Every disagreement is listed with each machine's verdict.
    for c in &disagree {
        let id = c["scenario"].as_str().unwrap();
        assert!(
            md.contains(&format!("| `{id}` | {} |", c["threads"])),
            "{c}"
        );
        assert!(
            c["machines"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| !m.is_null())
        );
    }
    // Side-by-side panels: one nested chart per machine that has it.
    let both = fs::read_to_string(out.join("charts/counter_increment_hot.svg")).unwrap();
    let doc = roxmltree::Document::parse(&both).unwrap();
    let panels = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("svg"))
        .count();
    assert_eq!(panels, 2);
    assert!(both.contains("AMD EPYC, 2 CPUs") && both.contains("Intel(R) Xeon(R) Processor"));
    let one = fs::read_to_string(out.join("charts/counter_overhead.svg")).unwrap();
    assert_eq!(one.matches("<svg").count(), 2, "one panel plus the frame");
    // The page is the same document as HTML: tables, the answer first, the
    // contents after it, every chart inline.
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!html.contains("<pre>"), "the page is the Markdown as text");
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing from index.html"))
    };
    assert!(at("id=\"what-to-use\"") < at("<table"));
    assert!(at("id=\"what-to-use\"") < at("id=\"contents\""));
    assert!(at("id=\"contents\"") < at("id=\"machines\""));
    assert!(html.contains("SELFCHECK"));
    assert!(html.contains("href=\"#counter-increment-hot\""));
    assert!(html.contains("id=\"counter-increment-hot\""));
    assert!(!html.contains("charts/counter_increment_hot.png"));
    assert_eq!(html.matches("<table").count(), md.matches("\n|---").count());
}

#[test]
fn the_robust_pick_is_taken_over_every_machines_cells() {
    let d = scratch("merge", "robust");
    let out = d.join("out");
    let inputs = [PathBuf::from(FIXTURE), PathBuf::from(XEON)];
    let (s, md) = merged(&inputs, &out).unwrap();
    // Each machine's throughput per cell, to check the stated worst against.
    let sets: Vec<diff::ResultSet> = inputs
        .iter()
        .map(|i| quiet(|log| diff::read(i, log)).0.unwrap())
        .collect();
    let data = read_json(&out.join("machines.json"));
    let labels: Vec<&str> = data["machines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["label"].as_str().unwrap())
        .collect();
    let picks = data["robust"].as_array().unwrap();
    let counter = picks
        .iter()
        .find(|p| p["situation"] == "shared-counter")
        .expect("the counter situation, measured on both machines");
    let r = &counter["robust"];
    assert_eq!(r["machines"], 2, "{r}");
    // The stated worst is the largest of the pick's ratios to each cell's
    // best on that cell's own machine, over both machines' cells.
    let regret_of = |at: &Value, name: &str| {
        let m = labels.iter().position(|l| *l == at["machine"]).unwrap();
        let cell = (
            at["scenario"].as_str().unwrap().to_string(),
            at["threads"].as_u64().unwrap() as usize,
        );
        let ops = &sets[m].ops[&cell];
        let best = ops.iter().map(|(_, x)| *x).fold(0.0, f64::max);
        best / ops.iter().find(|(n, _)| n == name).unwrap().1
    };
    let worst = r["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|at| regret_of(at, r["strategy"].as_str().unwrap()))
        .fold(1.0, f64::max);
    assert!(
        (worst / r["worst"].as_f64().unwrap() - 1.0).abs() < 1e-9,
        "{worst} {r}"
    );
    let machines: std::collections::BTreeSet<&str> = r["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|at| at["machine"].as_str().unwrap())
        .collect();
    assert_eq!(machines.len(), 2, "cells of both machines: {r}");
    // The table and the terminal say so.
    let line = &s
        .answer
        .iter()
        .find(|(t, _)| t == "A counter written by many threads")
        .unwrap()
        .1;
    assert!(
        line.contains("on any of the 2 machines") || line.contains("on all 2 machines"),
        "{line}"
    );
    let row = md
        .lines()
        .find(|l| l.starts_with("| A counter written by many threads | **"))
        .unwrap();
    // The page's table names the machines by short name, defined above it.
    assert!(row.contains("≤") || row.contains("the best in"), "{row}");
    assert!(md.contains("Machines: **M1** "), "{md}");
    assert!(md.contains("| situation | use (over the cells of all 2 machines) |"));
    let at = |needle: &str| md.find(needle).unwrap();
    assert!(at(row) < at("id=\"what-to-use-per-machine\""));
}

#[test]
fn usable_cpus_name_the_machine_and_set_the_regimes() {
    let d = scratch("merge", "cpus");
    let one = one_cpu(&d);
    let (_, md) = merged(&[PathBuf::from(XEON), one.clone()], &d.join("out")).unwrap();
    assert!(
        md.contains(
            "| Intel(R) Xeon(R) Processor, 2 CPUs | Intel(R) Xeon(R) Processor, 1 of 2 CPUs |"
        ),
        "{md}"
    );
    // On 1 usable CPU, 2 threads are oversubscribed: nothing is "up to the
    // usable CPUs" there.
    let up_to: Vec<&str> = md
        .lines()
        .filter(|l| l.contains("| 2 up to the usable CPUs |"))
        .collect();
    assert!(!up_to.is_empty());
    assert!(
        up_to
            .iter()
            .all(|l| l.contains(" | — | measured on one machine |")),
        "{up_to:#?}"
    );
    // The single report of the 1-CPU run reasons about 1 CPU, not the
    // machine's 2.
    let out = d.join("single");
    let (r, _) = quiet(|log| {
        report::run(
            &Options {
                input: one,
                out: out.clone(),
            },
            log,
        )
    });
    r.unwrap();
    let single = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    assert!(single.contains("(1 usable CPU)"), "{single}");
    assert!(single.contains("of which the run could use 1"), "{single}");
}

#[test]
fn one_machine_given_twice_is_refused_with_the_way_out() {
    let d = scratch("merge", "twice");
    let copy = edited(&d, "again.syncbench.json", |v| {
        // Another run of the same machine: a later date, another profile.
        for f in v["runs"].as_object_mut().unwrap().values_mut() {
            f["date"] = "2030-01-01T00:00:00Z".into();
            f["profile"] = "quick".into();
        }
    });
    let e = error_of(&[PathBuf::from(XEON), copy], &d.join("out"));
    assert!(e.contains("were measured on the same machine"), "{e}");
    assert!(e.contains("report diff"), "{e}");
    assert!(!d.join("out").exists(), "nothing written");
}

#[test]
fn bad_bundles_are_named_with_the_reason() {
    let d = scratch("merge", "bad");
    let out = d.join("out");
    let bytes = fs::read(XEON).unwrap();
    let truncated = d.join("truncated.syncbench.json");
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let empty = d.join("empty.syncbench.json");
    fs::write(&empty, "").unwrap();
    let other = d.join("other.json");
    fs::write(&other, r#"{"hello": "world"}"#).unwrap();
    let newer = edited(&d, "newer.syncbench.json", |v| {
        v["format_version"] = 99.into();
    });
    let old_suite = edited(&d, "suite.syncbench.json", |v| {
        v["suite_version"] = "7.0.0".into();
    });
    for (file, needle) in [
        (&truncated, "is truncated"),
        (&empty, "is empty"),
        (&other, "is not a syncbench bundle"),
        (&newer, "bundle format 99"),
        (&old_suite, "written by syncbench 7.0.0, incompatible"),
    ] {
        let e = error_of(&[PathBuf::from(FIXTURE), file.clone()], &out);
        assert!(e.contains(needle), "{}: {e}", file.display());
        assert!(e.contains(&file.display().to_string()), "{e}");
        // The same message where a single input or a diff side is read.
        let (r, _) = quiet(|log| diff::read(file, log));
        if bundle::looks_like_bundle(file) {
            let e = format!("{:#}", r.unwrap_err());
            assert!(e.contains(needle), "{e}");
        }
    }
    // A damaged result inside a valid bundle is skipped by name.
    let damaged = edited(&d, "damaged.syncbench.json", |v| {
        v["results"][0]["ns"] = serde_json::json!([5.0, 9.0, 1.0]);
    });
    let (r, w) = quiet(|log| bundle::read(&damaged, log));
    assert!(r.is_ok());
    assert!(
        w.iter()
            .any(|w| w.contains("damaged.syncbench.json") && w.contains("not a valid interval")),
        "{w:?}"
    );
}

#[test]
fn inputs_without_a_common_scenario_or_a_fingerprint_are_refused() {
    let d = scratch("merge", "common");
    let elsewhere = edited(&d, "elsewhere.syncbench.json", |v| {
        for r in v["results"].as_array_mut().unwrap() {
            let g = r["group"].as_str().unwrap().replace("counter/", "countr/");
            r["group"] = g.into();
        }
        for f in v["runs"].as_object_mut().unwrap().values_mut() {
            f["cpu_model"] = "Elsewhere CPU".into();
        }
    });
    let one = one_cpu(&d);
    let e = error_of(&[one, elsewhere], &d.join("out"));
    assert!(e.contains("no scenario in common"), "{e}");
    let blind = edited(&d, "blind.syncbench.json", |v| {
        v["runs"] = serde_json::json!({});
    });
    let e = error_of(&[PathBuf::from(FIXTURE), blind], &d.join("out"));
    assert!(e.contains("has no run fingerprint"), "{e}");
}

#[test]
fn the_cli_bundles_and_merges() {
    let d = scratch("merge", "cli");
    let bin = env!("CARGO_BIN_EXE_report");
    let b = d.join("quick.syncbench.json");
    let o = std::process::Command::new(bin)
        .args(["bundle", "--input", FIXTURE, "--out"])
        .arg(&b)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = std::process::Command::new(bin)
        .arg("--input")
        .arg(&b)
        .args(["--input", XEON, "--out"])
        .arg(d.join("out"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(d.join("out/DECISIONS.md").is_file());
    let o = std::process::Command::new(bin)
        .args(["--input", FIXTURE, "--input"])
        .arg(&b)
        .arg("--out")
        .arg(d.join("out2"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("same machine"), "{err}");
}
