//! The report pipeline on criterion trees from real runs
//! (`tests/fixtures/counter-quick`: `SYNCBENCH_PROFILE=quick
//! SYNCBENCH_THREADS=1,2 cargo bench --bench counter`, trimmed to
//! `new/{benchmark,estimates}.json`, sidecars and the run fingerprint).
//!
//! Bad-input tests copy the fixture into a temporary directory and break
//! one thing at a time; each must still produce a report (or, for an empty
//! input, a one-line error) with a warning naming what was skipped, and
//! never panic.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use syncbench::report::analyse::stats::{INTERVAL_MARGIN, PRACTICAL_MARGIN};
use syncbench::report::{self, Log, Options, Summary};

mod fixture;

use fixture::{FIXTURE, copy_dir, fixture_into};

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    fixture::scratch("report", name)
}

/// A copy of the fixture restricted to the groups whose directory starts
/// with one of `groups` (charts are slow in debug builds), with sidecars.
fn fixture_copy(name: &str, groups: &[&str]) -> PathBuf {
    fixture_into(&scratch(name), groups)
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

fn read_json(p: &Path) -> Value {
    serde_json::from_slice(&fs::read(p).unwrap()).unwrap()
}

fn warned(s: &Summary, needle: &str) -> bool {
    s.warnings.iter().any(|w| w.contains(needle))
}

#[test]
fn counter_run_gives_a_complete_report() {
    let out = scratch("full");
    let s = run(Path::new(FIXTURE), &out).unwrap();
    assert_eq!(s.results, 84);
    assert_eq!(s.scenarios, 5);
    for f in [
        "DECISIONS.md",
        "index.html",
        "results.json",
        "results.csv",
        "machine.json",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    let results = read_json(&out.join("results.json"));

    // A winner, no practical difference or an unclear tie for every counter scenario x thread count that has a
    // contender (counter/overhead at 2 threads measures only the no-op).
    let decisions = results["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 5);
    let mut named = 0;
    for d in decisions {
        for row in d["rows"].as_array().unwrap() {
            if row["contenders"].as_u64().unwrap() > 0 {
                assert!(row["winner"].is_object(), "{d}");
                named += 1;
            }
        }
        // The table in DECISIONS.md has the same rows.
        let id = d["scenario"].as_str().unwrap();
        let section = md.split(&format!("`{id}`\n")).nth(1).unwrap();
        for row in d["rows"].as_array().unwrap() {
            let line = section
                .lines()
                .find(|l| l.starts_with(&format!("| {} |", row["threads"])))
                .unwrap_or_else(|| panic!("{id}: no row for {}", row["threads"]));
            if row["contenders"].as_u64().unwrap() > 0 {
                assert!(
                    line.contains("| **")
                        || line.contains("| unclear: ")
                        || line.contains("| no practical difference: ")
                        || line.contains("| at the harness floor: "),
                    "{line}"
                );
            }
        }
    }
    assert_eq!(
        named, 9,
        "5 scenarios x 2 thread counts, minus the no-op-only cell"
    );

    // "Use a mutex when protecting a shared counter" has a verdict backed by rows.
    let rule1 = &results["rules"][0];
    assert_eq!(rule1["id"], 1);
    assert!(
        ["confirmed", "contradicted", "depends"].contains(&rule1["verdict"].as_str().unwrap()),
        "{rule1}"
    );
    assert_eq!(rule1["cells"].as_array().unwrap().len(), 4);
    assert!(md.contains(
        "Rows: [counter/increment/hot](#counter-increment-hot) at 1, 2 threads; \
         [counter/increment/warm](#counter-increment-warm) at 1, 2 threads."
    ));
    // Rules of later workloads say so.
    assert!(md.contains("No data yet (run `cargo bench --bench handoff`)."));

    // Every in-page link has its anchor, in both pages.
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    for target in md.split("](#").skip(1) {
        let id = &target[..target.find(')').unwrap()];
        assert!(
            md.contains(&format!("<a id=\"{id}\">")),
            "markdown anchor {id}"
        );
        assert!(html.contains(&format!(" id=\"{id}\"")), "html anchor {id}");
    }
    assert_eq!(
        html.matches("<svg").count(),
        12,
        "charts inline: throughput and CPU cost of each scenario, and the two winner maps"
    );
    assert_eq!(
        html.matches("winner map\">\n<svg").count(),
        2,
        "winner maps of counter/increment and counter/read-mostly"
    );

    // The machine is the one the benches ran on.
    let m = read_json(&out.join("machine.json"));
    assert_eq!(m["source"], "bench runs (counter)");
    assert_eq!(m["profile"], "quick");
    for k in [
        "cpu_model",
        "logical_cores",
        "os",
        "kernel",
        "rustc",
        "date",
    ] {
        assert!(!m[k].is_null(), "{k}");
    }
    assert!(m["crates"]["parking_lot"].is_string());
    assert!(s.warnings.iter().all(|w| !w.contains("run fingerprint")));
}

#[test]
fn results_files_match_the_criterion_estimates() {
    let out = scratch("data");
    run(Path::new(FIXTURE), &out).unwrap();
    let rows = read_json(&out.join("results.json"))["rows"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rows.len(), 84);
    let est =
        read_json(&Path::new(FIXTURE).join("counter_increment_hot/std-mutex/2/new/estimates.json"));
    let slope = &est["slope"];
    let row = rows
        .iter()
        .find(|r| {
            r["scenario"] == "counter/increment/hot"
                && r["strategy"] == "std-mutex"
                && r["threads"] == 2
        })
        .unwrap();
    let close = |a: &Value, b: f64| (a.as_f64().unwrap() - b).abs() <= b * 1e-12;
    assert!(close(
        &row["ops_per_s"],
        1e9 / slope["point_estimate"].as_f64().unwrap()
    ));
    let ci = &slope["confidence_interval"];
    assert!(close(
        &row["ops_per_s_lo"],
        1e9 / ci["upper_bound"].as_f64().unwrap()
    ));
    assert!(close(
        &row["ops_per_s_hi"],
        1e9 / ci["lower_bound"].as_f64().unwrap()
    ));
    assert_eq!(row["estimator"], "slope");
    assert_eq!(row["family"], "mutex");

    let csv = fs::read_to_string(out.join("results.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 85);
    let width = lines[0].split(',').count();
    assert!(lines.iter().all(|l| l.split(',').count() == width));
    let line = lines
        .iter()
        .find(|l| {
            l.starts_with(
                "counter/increment/hot,counter,increment,hot,std-mutex,mutex,false,2,slope,0.95,",
            )
        })
        .unwrap();
    let ops: f64 = line.split(',').nth(10).unwrap().parse().unwrap();
    assert_eq!(ops, row["ops_per_s"].as_f64().unwrap());
}

/// Independent checks of the decision rules on real data.
#[test]
fn decisions_follow_the_rules_on_real_data() {
    let out = scratch("rules");
    run(Path::new(FIXTURE), &out).unwrap();
    let results = read_json(&out.join("results.json"));
    let rows = results["rows"].as_array().unwrap();
    for d in results["decisions"].as_array().unwrap() {
        let id = d["scenario"].as_str().unwrap();
        for row in d["rows"].as_array().unwrap() {
            let t = &row["threads"];
            let contenders: Vec<&Value> = rows
                .iter()
                .filter(|r| r["scenario"] == id && &r["threads"] == t && r["reference"] == false)
                .collect();
            let Some(best) = contenders.iter().max_by(|a, b| {
                a["ops_per_s"]
                    .as_f64()
                    .partial_cmp(&b["ops_per_s"].as_f64())
                    .unwrap()
            }) else {
                assert!(row["winner"].is_null());
                continue;
            };
            assert_eq!(row["winner"]["strategy"], best["strategy"], "{id}@{t}");
            if row["verdict"]["kind"] == "floor" {
                // Floor rows: no order among the floor strategies; "avoid"
                // is relative to the best strategy off the floor.
                let floor: Vec<&Value> = row["floor"].as_array().unwrap().iter().collect();
                assert!(
                    floor.len() >= 2 && floor.contains(&&best["strategy"]),
                    "{row}"
                );
                assert!(row["tied_with"].as_array().unwrap().is_empty());
                let off = &row["runner_up"]["strategy"];
                assert!(!floor.contains(&off), "{row}");
                continue;
            }
            let lo = best["ops_per_s_lo"].as_f64().unwrap();
            // One pass: tied unless the best is ahead by the practical
            // margin and its interval clears the other's by the interval
            // bar.
            let best_ops = best["ops_per_s"].as_f64().unwrap();
            let overlapping: Vec<&Value> = contenders
                .iter()
                .filter(|c| c["strategy"] != best["strategy"])
                .filter(|c| {
                    lo < INTERVAL_MARGIN * c["ops_per_s_hi"].as_f64().unwrap()
                        || best_ops < PRACTICAL_MARGIN * c["ops_per_s"].as_f64().unwrap()
                })
                .map(|c| &c["strategy"])
                .collect();
            let tied: Vec<&Value> = row["tied_with"].as_array().unwrap().iter().collect();
            assert_eq!(tied.len(), overlapping.len(), "{id}@{t}");
            for c in &contenders {
                let ratio = best_ops / c["ops_per_s"].as_f64().unwrap();
                let avoided = row["avoid"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a[0] == c["strategy"]);
                assert_eq!(avoided, ratio >= 10.0, "{id}@{t} {}", c["strategy"]);
            }
        }
    }
    // Reference lines are never named.
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    assert!(
        !md.contains("| **no-sharing**")
            && !md.contains("tie: `no-sharing`")
            && !md.contains("unclear: `no-sharing`")
    );
    assert!(!md.contains("| **noop**"));
}

#[test]
fn charts_are_valid_svg_and_png_with_every_series() {
    let out = scratch("charts");
    run(Path::new(FIXTURE), &out).unwrap();
    let results = read_json(&out.join("results.json"));
    let rows = results["rows"].as_array().unwrap();
    let stems = [
        ("counter/increment/hot", "counter_increment_hot"),
        ("counter/increment/warm", "counter_increment_warm"),
        ("counter/overhead", "counter_overhead"),
        ("counter/read-mostly/90-10", "counter_read-mostly_90-10"),
        ("counter/read-mostly/99-1", "counter_read-mostly_99-1"),
    ];
    for (id, stem) in stems {
        let mut strategies: Vec<(String, String)> = rows
            .iter()
            .filter(|r| r["scenario"] == id)
            .map(|r| {
                (
                    r["strategy"].as_str().unwrap().to_string(),
                    r["family"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        strategies.sort();
        strategies.dedup();
        assert!(strategies.len() >= 3, "{id}");

        let svg = fs::read_to_string(out.join(format!("charts/{stem}.svg"))).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{stem}.svg: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("width"), Some("1000"));
        let texts: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or_default().trim().to_string())
            .collect();
        assert!(
            texts
                .iter()
                .any(|t| t.contains(id) && t.contains("throughput vs threads"))
        );
        assert!(
            texts.iter().any(|t| t.starts_with("threads")),
            "x axis title"
        );
        assert!(
            texts.iter().any(|t| t.starts_with("throughput")),
            "y axis title"
        );
        for (name, family) in &strategies {
            let label = if family == "no-sharing" {
                format!("{name} (limit)")
            } else {
                format!("{name} ({family})")
            };
            assert!(
                texts.contains(&label),
                "{stem}.svg legend lacks {label}: {texts:?}"
            );
        }
        if strategies.iter().any(|(_, f)| f == "no-sharing") {
            // The limit is drawn dashed in black: many short black segments.
            let black = doc
                .descendants()
                .filter(|n| n.attribute("stroke") == Some("#000000"))
                .count();
            assert!(black > 10, "{stem}: dashed limit line");
        }

        let png = fs::read(out.join(format!("charts/{stem}.png"))).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (1000, 560));
        assert_eq!(info.color_type, png::ColorType::Rgb);
        let pixels: std::collections::HashSet<[u8; 3]> = buf[..info.buffer_size()]
            .chunks_exact(3)
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        // Every family's colour is on the image (line, markers, legend), and
        // every family has its own colour (the first strategy of each
        // family is marked with circles; the others with other shapes).
        let colours: Vec<[u8; 3]> = doc
            .descendants()
            .filter(|n| n.has_tag_name("circle"))
            .filter_map(|n| n.attribute("fill"))
            .filter_map(hex)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let families: std::collections::BTreeSet<&str> =
            strategies.iter().map(|(_, f)| f.as_str()).collect();
        assert_eq!(
            colours.len(),
            families.len(),
            "{stem}: one colour per family"
        );
        for c in colours {
            assert!(pixels.contains(&c), "{stem}.png lacks colour {c:?}");
        }
        // Text was rasterised: dark anti-aliased glyph pixels besides pure black.
        assert!(pixels.len() > 50, "{stem}.png looks blank");
    }
}

fn hex(s: &str) -> Option<[u8; 3]> {
    let s = s.strip_prefix('#')?;
    let v = u32::from_str_radix(s, 16).ok()?;
    Some([(v >> 16) as u8, (v >> 8) as u8, v as u8])
}

#[test]
fn missing_or_empty_input_is_a_one_line_error() {
    let d = scratch("empty");
    let out = d.join("out");
    for input in [d.join("does-not-exist"), d.clone()] {
        let e = format!("{:#}", run(&input, &out).unwrap_err());
        assert!(e.contains("`cargo bench` first"), "{e}");
        assert!(!e.contains('\n'), "{e}");
    }
    assert!(!out.exists(), "nothing written");

    // The binary: exit code != 0, one line on stderr.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_report"))
        .args(["--input", d.join("nope").to_str().unwrap(), "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("cargo bench"),
        "{err}"
    );
}

#[test]
fn input_with_nothing_valid_is_an_error_with_warnings() {
    let input = scratch("nothing-valid").join("criterion");
    let new = input.join("g_s/f/1/new");
    fs::create_dir_all(&new).unwrap();
    fs::write(new.join("benchmark.json"), "{").unwrap();
    fs::write(new.join("estimates.json"), "{}").unwrap();
    let mut lines = Vec::new();
    let mut sink = |l: &str| lines.push(l.to_string());
    let mut log = Log::new(&mut sink);
    let e = report::run(
        &Options {
            input: input.clone(),
            out: input.join("out"),
        },
        &mut log,
    )
    .unwrap_err();
    assert!(
        format!("{e:#}").contains("no valid criterion results"),
        "{e:#}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("warning: skipped") && l.contains("benchmark.json"))
    );
}

/// Rewrites the JSON file at `p` through `f`.
fn edit(p: &Path, f: impl FnOnce(&mut Value)) {
    let mut v = read_json(p);
    f(&mut v);
    fs::write(p, serde_json::to_vec(&v).unwrap()).unwrap();
}

#[test]
fn corrupt_files_unknown_ids_and_bad_estimates_are_skipped_by_name() {
    let input = fixture_copy("bad", &["counter_read-mostly_99-1", "counter_overhead"]);
    let new = |g: &str, f: &str, t: u32| input.join(format!("{g}/{f}/{t}/new"));
    let g = "counter_read-mostly_99-1";
    // Truncated estimates.
    let p1 = new(g, "std-mutex", 1).join("estimates.json");
    let bytes = fs::read(&p1).unwrap();
    fs::write(&p1, &bytes[..bytes.len() / 2]).unwrap();
    // Garbage and empty benchmark.json.
    let p2 = new(g, "std-mutex", 2).join("benchmark.json");
    fs::write(&p2, b"\x00\xffnot json").unwrap();
    let p3 = new(g, "std-rwlock", 1).join("benchmark.json");
    fs::write(&p3, b"").unwrap();
    // Unknown ids: a group without a scenario, a parameter that is no thread count.
    let p4 = new(g, "std-rwlock", 2).join("benchmark.json");
    edit(&p4, |v| v["group_id"] = "counter".into());
    let p5 = new(g, "parking_lot-rwlock", 1).join("benchmark.json");
    edit(&p5, |v| v["value_str"] = "four".into());
    let p6 = new(g, "parking_lot-rwlock", 2).join("benchmark.json");
    edit(&p6, |v| v["function_id"] = Value::Null);
    // NaN (criterion writes null), zero and negative estimates.
    let p7 = new(g, "arc-swap", 1).join("estimates.json");
    edit(&p7, |v| v["slope"]["point_estimate"] = Value::Null);
    let p8 = new(g, "arc-swap", 2).join("estimates.json");
    edit(&p8, |v| v["slope"]["point_estimate"] = 0.0.into());
    let p9 = new(g, "parking_lot-mutex", 1).join("estimates.json");
    edit(&p9, |v| {
        v["slope"]["confidence_interval"]["lower_bound"] = (-1.0).into()
    });
    // Flat sampling (no slope) falls back to the mean.
    let p10 = new(g, "parking_lot-mutex", 2).join("estimates.json");
    edit(&p10, |v| v["slope"] = Value::Null);
    // A lone estimates.json without its benchmark.json.
    let p11 = new(g, "sharded-atomic", 1).join("benchmark.json");
    fs::remove_file(&p11).unwrap();
    // A corrupt sidecar.
    let p12 = input.join("syncbench/counter/read-mostly/99-1/atomic-fetch_add/1.json");
    fs::write(&p12, b"{\"group\":").unwrap();

    let out = scratch("bad-out");
    let s = run(&input, &out).unwrap();
    for p in [&p1, &p2, &p3, &p4, &p5, &p6, &p7, &p8, &p9, &p11, &p12] {
        assert!(
            warned(&s, &p.display().to_string()),
            "no warning names {}: {:#?}",
            p.display(),
            s.warnings
        );
    }
    assert!(warned(&s, "unknown id"));
    assert!(warned(&s, "NaN, infinite or outside 1 ps to a day"));
    // 14 results in the group + 4 overhead, minus 10 skipped.
    assert_eq!(s.results, 14 + 4 - 10);
    let rows = read_json(&out.join("results.json"))["rows"]
        .as_array()
        .unwrap()
        .clone();
    let mean = rows
        .iter()
        .find(|r| {
            r["strategy"] == "parking_lot-mutex"
                && r["threads"] == 2
                && r["scenario"] == "counter/read-mostly/99-1"
        })
        .unwrap();
    assert_eq!(mean["estimator"], "mean");
    // The atomic-fetch_add result without its sidecar: no CPU time; its
    // family still comes from the sidecar at 2 threads.
    let lone = rows
        .iter()
        .find(|r| {
            r["strategy"] == "atomic-fetch_add"
                && r["threads"] == 1
                && r["scenario"] == "counter/read-mostly/99-1"
        })
        .unwrap();
    assert!(lone["cpu_ns_per_op"].is_null());
    assert_eq!(lone["family"], "atomic");
    assert!(warned(&s, "1 results have no sidecar"));
    // Missing cells are reported per scenario, and the tables are still there.
    assert!(warned(&s, "counter/read-mostly/99-1: no result for"));
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    assert!(md.contains("### <a id=\"counter-read-mostly-99-1\"></a>"));
    assert!(md.contains("### <a id=\"warnings\"></a>Warnings"));
}

#[test]
fn missing_strategies_sidecars_and_fingerprints_warn() {
    let input = fixture_copy("gaps", &["counter_read-mostly"]);
    // A strategy missing at one thread count in one variant, and entirely in the other.
    fs::remove_dir_all(input.join("counter_read-mostly_90-10/arc-swap/2")).unwrap();
    fs::remove_dir_all(input.join("counter_read-mostly_99-1/arc-swap")).unwrap();
    // No run fingerprint: falls back to this machine.
    fs::remove_file(input.join("syncbench/run-counter.json")).unwrap();
    // A strategy without any sidecar: family unknown, tabulated, no verdicts.
    fs::remove_dir_all(input.join("syncbench/counter/read-mostly/90-10/std-mutex")).unwrap();
    let out = scratch("gaps-out");
    let s = run(&input, &out).unwrap();
    assert_eq!(
        s.warnings
            .iter()
            .filter(|w| w.contains("have no sidecar"))
            .count(),
        1
    );
    assert!(warned(&s, "2 results have no sidecar"));
    let results = read_json(&out.join("results.json"));
    let rows = results["rows"].as_array().unwrap();
    let unknown: Vec<&Value> = rows.iter().filter(|r| r["family"] == "unknown").collect();
    assert_eq!(unknown.len(), 2);
    assert!(
        unknown
            .iter()
            .all(|r| r["strategy"] == "std-mutex" && r["scenario"] == "counter/read-mostly/90-10")
    );
    let rule4 = &results["rules"][3];
    assert_eq!(rule4["id"], 4);
    assert!(
        rule4["cells"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["best_b"]["strategy"] != "std-mutex"
                || c["scenario"] != "counter/read-mostly/90-10")
    );
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    assert!(
        md.contains("| `std-mutex` | unknown |"),
        "matrix still lists it"
    );
    assert!(warned(
        &s,
        "counter/read-mostly/90-10: no result for arc-swap at 2 threads"
    ));
    // A strategy absent from a whole scenario is the bench's design, not a gap.
    assert!(!warned(&s, "counter/read-mostly/99-1: no result"));
    assert!(
        rows.iter()
            .all(|r| r["strategy"] != "arc-swap" || r["scenario"] != "counter/read-mostly/99-1")
    );
    assert!(warned(&s, "no run fingerprint"));
    let m = read_json(&out.join("machine.json"));
    assert!(
        m["source"]
            .as_str()
            .unwrap()
            .starts_with("the current machine")
    );

    // Two runs from different machines: warned, both listed.
    let input = fixture_copy("two-machines", &["counter_read-mostly_99-1"]);
    let run_counter = input.join("syncbench/run-counter.json");
    let other = input.join("syncbench/run-map.json");
    fs::copy(&run_counter, &other).unwrap();
    edit(&other, |v| v["cpu_model"] = "Some Other CPU".into());
    let s = run(&input, &out).unwrap();
    assert!(
        warned(&s, "different machines or toolchains (cpu_model)"),
        "{:#?}",
        s.warnings
    );
    let m = read_json(&out.join("machine.json"));
    assert_eq!(m["runs"].as_array().unwrap().len(), 2);
}

#[test]
fn a_failed_run_leaves_the_previous_report_intact() {
    let input = fixture_copy("atomic", &["counter_overhead"]);
    let out = scratch("atomic-out");
    run(&input, &out).unwrap();
    let before = fs::read(out.join("DECISIONS.md")).unwrap();
    let chart = fs::read(out.join("charts/counter_overhead.png")).unwrap();

    // Bad input: nothing is touched.
    assert!(run(&input.join("missing"), &out).is_err());
    assert_eq!(fs::read(out.join("DECISIONS.md")).unwrap(), before);

    // A failure while writing (a directory where results.json goes): the
    // new report is not half-applied.
    fs::create_dir_all(input.join("counter_read-mostly_99-1")).unwrap();
    copy_dir(
        &Path::new(FIXTURE).join("counter_read-mostly_99-1"),
        &input.join("counter_read-mostly_99-1"),
    );
    fs::remove_file(out.join("results.json")).unwrap();
    fs::create_dir_all(out.join("results.json/blocker")).unwrap();
    let e = run(&input, &out).unwrap_err();
    assert!(format!("{e:#}").contains("previous one"), "{e:#}");
    assert_eq!(fs::read(out.join("DECISIONS.md")).unwrap(), before);
    assert_eq!(
        fs::read(out.join("charts/counter_overhead.png")).unwrap(),
        chart
    );
    assert!(!out.join("charts/counter_read-mostly_99-1.svg").exists());
    let hidden: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "no staging left behind");
}

/// xorshift64*: deterministic garbage.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Truncations and byte flips of every kind of input file never panic the
/// loader, model, decisions, verdicts or page rendering.
#[test]
fn mangled_inputs_never_panic() {
    let input = fixture_copy("fuzz", &["counter_overhead", "counter_read-mostly_99-1"]);
    let victims = [
        input.join("counter_read-mostly_99-1/std-mutex/1/new/benchmark.json"),
        input.join("counter_read-mostly_99-1/std-mutex/1/new/estimates.json"),
        input.join("syncbench/counter/read-mostly/99-1/std-mutex/1.json"),
        input.join("syncbench/run-counter.json"),
    ];
    let originals: Vec<Vec<u8>> = victims.iter().map(|p| fs::read(p).unwrap()).collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let rounds = if cfg!(debug_assertions) { 40 } else { 200 };
    for i in 0..rounds {
        let k = i % victims.len();
        let mut bytes = originals[k].clone();
        match rng.next() % 4 {
            0 => bytes.truncate((rng.next() as usize) % (bytes.len() + 1)),
            1 => {
                for _ in 0..1 + rng.next() % 8 {
                    let at = (rng.next() as usize) % bytes.len();
                    bytes[at] = rng.next() as u8;
                }
            }
            2 => {
                // Numbers replaced by extreme or odd values.
                let s = String::from_utf8_lossy(&bytes).into_owned();
                let odd = ["-0.0", "1e308", "1e-308", "0", "-5", "\"x\"", "null", "[]"];
                let pick = odd[(rng.next() as usize) % odd.len()];
                bytes = s.replacen(char::is_numeric, pick, 3).into_bytes();
            }
            _ => bytes = (0..rng.next() % 64).map(|_| rng.next() as u8).collect(),
        }
        fs::write(&victims[k], &bytes).unwrap();
        let mut sink = |_: &str| {};
        let mut log = Log::new(&mut sink);
        if let Ok(r) = report::load(&input, &mut log) {
            let doc = report::render::doc::build(&r);
            assert!(!report::render::markdown::render(&doc).is_empty());
            report::render::data::json(&r).unwrap();
        }
        fs::write(&victims[k], &originals[k]).unwrap();
    }
}

/// Any scenario whose sidecars carry `extra.latency_ns` gets a tails table.
#[test]
fn latency_tails_render_from_sidecar_extras() {
    let input = fixture_copy("tails", &["counter_read-mostly_99-1"]);
    let out = scratch("tails-out");
    let s = run(&input, &out).unwrap();
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    assert!(!md.contains("Latency tails"), "no extras, no table");
    assert!(s.warnings.is_empty(), "{:#?}", s.warnings);

    let side = input.join("syncbench/counter/read-mostly/99-1/std-mutex/2.json");
    edit(&side, |v| {
        v["extra"] = serde_json::json!({"latency_ns": {
            "count": 5000, "p50": 41.0, "p90": 77.0, "p99": 1250.0, "p999": 9100.0, "max": 45000.0
        }})
    });
    run(&input, &out).unwrap();
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    assert!(md.contains("<summary>Latency tails"), "{md}");
    assert!(
        md.contains("| `std-mutex` | 2 | 5000 x 1 | 41 | 77 | 1250 | 9100 (few) | 45000 |"),
        "{md}"
    );
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<summary>Latency tails"));
}

/// Every sidecar file under `dir`.
fn sidecars_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sidecars_under(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

#[test]
fn results_left_by_an_earlier_run_are_shown_but_not_compared() {
    let input = fixture_copy("stale", &["counter_read-mostly_99-1"]);
    let mut files = Vec::new();
    sidecars_under(
        &input.join("syncbench/counter/read-mostly/99-1"),
        &mut files,
    );
    assert!(!files.is_empty());
    for f in &files {
        let earlier = f.to_string_lossy().contains("/arc-swap/");
        edit(f, |v| {
            v["run_started_ms"] = if earlier { 1_000 } else { 2_000 }.into();
        });
    }
    let out = scratch("stale-out");
    let s = run(&input, &out).unwrap();
    assert!(
        warned(
            &s,
            "counter/read-mostly/99-1: 2 results come from an earlier bench run"
        ),
        "{:#?}",
        s.warnings
    );
    assert!(warned(&s, "arc-swap/1, arc-swap/2"), "{:#?}", s.warnings);
    let results = read_json(&out.join("results.json"));
    let rows = results["rows"].as_array().unwrap();
    // Kept and flagged, not dropped: the rest of the scenario is still decided.
    let arc: Vec<&Value> = rows
        .iter()
        .filter(|r| r["strategy"] == "arc-swap")
        .collect();
    assert_eq!(arc.len(), 2);
    assert!(arc.iter().all(|r| r["older_run"] == true));
    for d in results["decisions"].as_array().unwrap() {
        for row in d["rows"].as_array().unwrap() {
            if d["scenario"] == "counter/read-mostly/99-1" {
                assert!(row["contenders"].as_u64().unwrap() > 1);
                assert_eq!(row["older"], serde_json::json!(["arc-swap"]), "{row}");
                assert_ne!(row["winner"]["strategy"], "arc-swap");
                assert!(
                    row["tied_with"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|t| t != "arc-swap")
                );
            }
        }
    }
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    assert!(md.contains("not compared, older run: arc-swap"), "{md}");
}

/// Turns the fixture's single-pass results of `group_dir` (criterion
/// directory) / `group` (id) into `passes` replicated passes of run `run`:
/// each `new/` is copied to `pass-<k>/` with its estimates scaled by
/// `scale(strategy, k)`, and each sidecar becomes `<threads>/pass-<k>.json`.
fn replicate(
    input: &Path,
    group_dir: &str,
    group: &str,
    passes: u32,
    run: u64,
    scale: impl Fn(&str, u32) -> f64,
) {
    for e in fs::read_dir(input.join(group_dir)).unwrap() {
        let strategy_dir = e.unwrap().path();
        for t in fs::read_dir(&strategy_dir).unwrap() {
            let id = t.unwrap().path();
            let new = id.join("new");
            let b = read_json(&new.join("benchmark.json"));
            let strategy = b["function_id"].as_str().unwrap().to_string();
            let param = b["value_str"].as_str().unwrap().to_string();
            let side = input
                .join("syncbench")
                .join(group)
                .join(&strategy)
                .join(format!("{param}.json"));
            let car = read_json(&side);
            for k in 1..=passes {
                let pass = id.join(format!("pass-{k}"));
                copy_dir(&new, &pass);
                let f = scale(&strategy, k);
                edit(&pass.join("estimates.json"), |v| {
                    for est in ["slope", "mean"] {
                        if v[est].is_object() {
                            let point = v[est]["point_estimate"].as_f64().unwrap();
                            v[est]["point_estimate"] = (point * f).into();
                            for key in ["lower_bound", "upper_bound"] {
                                let x = v[est]["confidence_interval"][key].as_f64().unwrap();
                                v[est]["confidence_interval"][key] = (x * f).into();
                            }
                        }
                    }
                });
                let mut c = car.clone();
                c["run_started_ms"] = run.into();
                c["pass"] = k.into();
                c["passes"] = passes.into();
                c["baseline"] = format!("pass-{k}").into();
                let dir = side.with_extension("");
                fs::create_dir_all(&dir).unwrap();
                fs::write(
                    dir.join(format!("pass-{k}.json")),
                    serde_json::to_vec(&c).unwrap(),
                )
                .unwrap();
            }
            // An older single-pass run's sidecar must not be used.
            fs::remove_file(&side).unwrap();
        }
    }
}

#[test]
fn replicated_passes_are_joined_paired_and_decided() {
    let input = fixture_copy("passes", &["counter_read-mostly_99-1"]);
    // std-mutex leads in passes 1 and 2 but trails in pass 3; atomic-fetch_add
    // is untouched. The others are slowed down in every pass.
    replicate(
        &input,
        "counter_read-mostly_99-1",
        "counter/read-mostly/99-1",
        3,
        5_000,
        |s, k| match (s, k) {
            ("atomic-fetch_add", _) => 1.0,
            _ => 50.0,
        },
    );
    let out = scratch("passes-out");
    let s = run(&input, &out).unwrap();
    assert!(!warned(&s, "no sidecar"), "{:#?}", s.warnings);
    let results = read_json(&out.join("results.json"));
    for r in results["rows"].as_array().unwrap() {
        assert_eq!(r["passes"], 3, "{r}");
        assert_eq!(r["run"], 5_000, "{r}");
        assert_eq!(r["pass_ns_per_op"].as_array().unwrap().len(), 3);
    }
    for d in results["decisions"].as_array().unwrap() {
        for row in d["rows"].as_array().unwrap() {
            assert_eq!(
                row["verdict"],
                serde_json::json!({"kind": "winner", "strategy": "atomic-fetch_add"}),
                "{row}"
            );
            assert_eq!(row["passes"], 3);
        }
    }
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    assert!(md.contains("in 3 independent passes"), "{}", &md[..2000]);
    assert!(
        !md.contains("** (one pass)"),
        "no row is marked single-pass"
    );

    // Leading in 2 of 3 passes is not enough.
    let input = fixture_copy("passes-2of3", &["counter_read-mostly_99-1"]);
    replicate(
        &input,
        "counter_read-mostly_99-1",
        "counter/read-mostly/99-1",
        3,
        6_000,
        |s, k| match (s, k) {
            ("atomic-fetch_add", 3) => 100.0,
            ("atomic-fetch_add", _) => 1.0,
            _ => 50.0,
        },
    );
    let out = scratch("passes-2of3-out");
    run(&input, &out).unwrap();
    let results = read_json(&out.join("results.json"));
    for d in results["decisions"].as_array().unwrap() {
        for row in d["rows"].as_array().unwrap() {
            assert_eq!(row["verdict"]["kind"], "tie", "{row}");
        }
    }
}

/// `report repairs` names exactly the cell-passes whose leaders strayed, as
/// the work list `scripts/bench.sh` runs, and nothing on clean passes.
#[test]
fn report_repairs_names_the_strayed_cell_passes() {
    let bin = env!("CARGO_BIN_EXE_report");
    let repairs = |input: &Path| {
        let o = std::process::Command::new(bin)
            .args(["repairs", "--input"])
            .arg(input)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (
            String::from_utf8(o.stdout).unwrap(),
            String::from_utf8(o.stderr).unwrap(),
        )
    };
    // Five passes, every strategy within 10 % of itself: nothing to repair.
    let input = fixture_copy("repairs-clean", &["counter_read-mostly_99-1"]);
    replicate(
        &input,
        "counter_read-mostly_99-1",
        "counter/read-mostly/99-1",
        5,
        7_000,
        |_, k| 1.0 + 0.02 * f64::from(k),
    );
    let (list, log) = repairs(&input);
    assert_eq!(list, "", "{log}");
    assert!(log.contains("0 of "), "{log}");
    // The fastest strategy ran 3x slower in pass 4 alone.
    let input = fixture_copy("repairs-strayed", &["counter_read-mostly_99-1"]);
    replicate(
        &input,
        "counter_read-mostly_99-1",
        "counter/read-mostly/99-1",
        5,
        8_000,
        |s, k| match (s, k) {
            ("atomic-fetch_add", 4) => 3.0,
            _ => 1.0,
        },
    );
    let (list, log) = repairs(&input);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 1, "{list}{log}");
    let fields: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(fields[0], "counter");
    assert_eq!(fields[1], "4");
    assert!(
        fields[2].starts_with("^(?:counter/read\\-mostly/99\\-1/[^/]+/"),
        "{}",
        fields[2]
    );
    let results =
        read_json(&input.join("counter_read-mostly_99-1/atomic-fetch_add/1/pass-4/benchmark.json"));
    assert_eq!(results["group_id"], "counter/read-mostly/99-1");
}

/// `report screen` lists the strategies far behind their cell's best in each
/// of the first 3 passes; once the later passes skip them, the report counts
/// them as screened, not as an interrupted run, and decides on the rest.
#[test]
fn report_screen_lists_the_far_behind_and_the_report_counts_them() {
    let bin = env!("CARGO_BIN_EXE_report");
    let input = fixture_copy("screen", &["counter_read-mostly_99-1"]);
    let slow = ["std-rwlock", "parking_lot-rwlock"];
    replicate(
        &input,
        "counter_read-mostly_99-1",
        "counter/read-mostly/99-1",
        5,
        9_000,
        // The rest trade places by 1.6x from pass to pass: their cells stay
        // open (unclear), so only the far behind are left out.
        |s, k| {
            if slow.contains(&s) {
                400.0
            } else if (k as usize + s.len()).is_multiple_of(2) {
                1.0
            } else {
                1.6
            }
        },
    );
    let o = std::process::Command::new(bin)
        .args(["screen", "--input"])
        .arg(&input)
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{log}");
    let mut listed: Vec<String> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    listed.sort();
    let mut expected: Vec<String> = Vec::new();
    for s in slow {
        for t in fs::read_dir(input.join("counter_read-mostly_99-1").join(s)).unwrap() {
            let b = read_json(&t.unwrap().path().join("new/benchmark.json"));
            expected.push(format!(
                "counter/read-mostly/99-1/{s}/{}",
                b["value_str"].as_str().unwrap()
            ));
        }
    }
    expected.sort();
    // The far behind are left out (with whatever the look settled).
    for id in &expected {
        assert!(listed.contains(id), "{id} not listed: {listed:?}\n{log}");
    }
    // The main job then skips them in passes 4 and 5.
    for s in slow {
        for t in fs::read_dir(input.join("counter_read-mostly_99-1").join(s)).unwrap() {
            let id = t.unwrap().path();
            let param = id.file_name().unwrap().to_string_lossy().into_owned();
            for k in [4, 5] {
                fs::remove_dir_all(id.join(format!("pass-{k}"))).unwrap();
                let car = input
                    .join("syncbench/counter/read-mostly/99-1")
                    .join(s)
                    .join(&param)
                    .join(format!("pass-{k}.json"));
                fs::remove_file(&car).unwrap();
            }
        }
    }
    let out = scratch("screen-out");
    let summary = run(&input, &out).unwrap();
    assert!(!warned(&summary, "fewer passes"), "{:#?}", summary.warnings);
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    let n = expected.len();
    assert!(
        md.contains(&format!(
            "This run: {n} results left out of their cell's later passes"
        )),
        "{md}"
    );
    assert!(
        md.contains(&format!("in 5 independent passes ({n} results")),
        "{md}"
    );
    let results = read_json(&out.join("results.json"));
    for d in results["decisions"].as_array().unwrap() {
        for row in d["rows"].as_array().unwrap() {
            assert_eq!(row["passes"], 5, "{row}");
        }
    }
    // An interrupted run (every result of a cell short) is still reported.
    for e in fs::read_dir(input.join("counter_read-mostly_99-1")).unwrap() {
        for t in fs::read_dir(e.unwrap().path()).unwrap() {
            let _ = fs::remove_dir_all(t.unwrap().path().join("pass-5"));
        }
    }
    let summary = run(&input, &scratch("screen-interrupted")).unwrap();
    assert!(warned(&summary, "fewer passes"), "{:#?}", summary.warnings);
}

#[test]
fn report_diff_compares_report_dirs_and_criterion_trees() {
    let input = fixture_copy("diff", &["counter_read-mostly_99-1", "counter_overhead"]);
    let a = scratch("diff-a");
    run(&input, &a).unwrap();
    let mut sink = |_: &str| {};
    let mut log = Log::new(&mut sink);
    // A report directory against the criterion tree it came from: identical.
    let ra = report::compare::diff::read(&a, &mut log).unwrap();
    let rb = report::compare::diff::read(&input, &mut log).unwrap();
    let d = report::compare::diff::diff(&ra, &rb).unwrap();
    assert!(d.common > 0);
    assert_eq!(d.same, d.common, "{}", report::compare::diff::render(&d));
    assert!(d.rules.is_empty());
    let text = report::compare::diff::render(&d);
    assert!(
        text.contains(&format!("| same verdict | {0} of {0} (100%) |", d.common)),
        "{text}"
    );

    // Make arc-swap the clear winner at 2 threads in a copy: one cell differs.
    let input2 = fixture_copy("diff2", &["counter_read-mostly_99-1", "counter_overhead"]);
    let est = input2.join("counter_read-mostly_99-1/arc-swap/2/new/estimates.json");
    edit(&est, |v| {
        let point = v["slope"]["point_estimate"].as_f64().unwrap();
        v["slope"]["point_estimate"] = (point / 100.0).into();
        for key in ["lower_bound", "upper_bound"] {
            let x = v["slope"]["confidence_interval"][key].as_f64().unwrap();
            v["slope"]["confidence_interval"][key] = (x / 100.0).into();
        }
    });
    let rc = report::compare::diff::read(&input2, &mut log).unwrap();
    let d = report::compare::diff::diff(&ra, &rc).unwrap();
    assert_eq!(
        d.common - d.same,
        1,
        "{}",
        report::compare::diff::render(&d)
    );
    assert_eq!(d.cells[0].scenario, "counter/read-mostly/99-1");
    assert_eq!(d.cells[0].threads, 2);
    assert!(
        report::compare::diff::render(&d).contains("winner arc-swap"),
        "{}",
        report::compare::diff::render(&d)
    );

    // Bad input: a missing path, a truncated results.json, nothing in common.
    let missing = a.join("nope");
    let e = format!(
        "{:#}",
        report::compare::diff::read(&missing, &mut log).unwrap_err()
    );
    assert!(e.contains("nope") && e.contains("does it exist"), "{e}");
    let bad = scratch("diff-bad");
    let json = fs::read(a.join("results.json")).unwrap();
    fs::write(bad.join("results.json"), &json[..json.len() / 2]).unwrap();
    let e = format!(
        "{:#}",
        report::compare::diff::read(&bad, &mut log).unwrap_err()
    );
    assert!(e.contains("not a syncbench results.json"), "{e}");
    let empty = scratch("diff-empty");
    let e = format!(
        "{:#}",
        report::compare::diff::read(&empty, &mut log).unwrap_err()
    );
    assert!(e.contains("neither a report directory"), "{e}");
    let other = fixture_copy("diff3", &["counter_increment_hot"]);
    fs::remove_dir_all(other.join("syncbench")).unwrap();
    let ro = report::compare::diff::read(&other, &mut log).unwrap();
    let only_overhead = fixture_copy("diff4", &["counter_overhead"]);
    let r4 = report::compare::diff::read(&only_overhead, &mut log).unwrap();
    let e = report::compare::diff::diff(&ro, &r4)
        .unwrap_err()
        .to_string();
    assert!(e.contains("nothing to compare"), "{e}");

    // The binary prints the same and fails clearly on bad input.
    let bin = env!("CARGO_BIN_EXE_report");
    let ok = std::process::Command::new(bin)
        .args(["diff"])
        .arg(&a)
        .arg(&input)
        .output()
        .unwrap();
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("| same verdict |"));
    let no = std::process::Command::new(bin)
        .args(["diff"])
        .arg(&a)
        .arg(&missing)
        .output()
        .unwrap();
    assert!(!no.status.success());
    // Loading the first side may warn (its model's gaps); the error is the
    // last line.
    let err = String::from_utf8_lossy(&no.stderr);
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: ") && last.contains("nope"),
        "{err}"
    );
}

#[test]
fn absurd_side_values_are_dropped_with_a_warning() {
    let input = fixture_copy("absurd", &["counter_read-mostly_99-1"]);
    let side =
        |f: &str, t: u32| input.join(format!("syncbench/counter/read-mostly/99-1/{f}/{t}.json"));
    edit(&side("std-mutex", 1), |v| {
        v["cpu_ns_per_op"] = (-5.0).into()
    });
    edit(&side("std-mutex", 2), |v| v["cpu_ns_per_op"] = 1e308.into());
    edit(&side("std-rwlock", 1), |v| {
        v["wall_ns_per_op"] = (-1.0).into()
    });
    edit(&side("std-rwlock", 2), |v| {
        v["extra"] = serde_json::json!({"latency_ns": {
            "count": 100, "p50": -7.0, "p90": 1e308, "p99": 5.0, "p999": 6.0, "max": 7.0
        }})
    });
    let bench = input.join("counter_read-mostly_99-1/arc-swap/1/new/benchmark.json");
    edit(&bench, |v| {
        v["throughput"] = serde_json::json!({ "Elements": u64::MAX })
    });
    let out = scratch("absurd-out");
    let s = run(&input, &out).unwrap();
    for needle in [
        "CPU ns/op -5 dropped",
        "CPU ns/op 100000000000000000000",
        "wall ns/op -1 dropped",
        "latency p50 = -7.0 dropped",
        "latency p90 = 1e+308 dropped",
        "not a plausible operation count",
    ] {
        assert!(warned(&s, needle), "{needle}: {:#?}", s.warnings);
    }
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    // Only the warnings may quote the absurd values.
    let tables = md.split("Warnings (").next().unwrap();
    let csv = fs::read_to_string(out.join("results.csv")).unwrap();
    for text in [tables, csv.as_str()] {
        assert!(!text.contains("1e308") && !text.contains("1000000000000000000000"));
        assert!(!text.contains("18446744073709551615"));
    }
    assert!(
        md.contains("| `std-rwlock` | 2 | 100 x 1 | - | - | 5 (few) | 6 (few) | 7 |"),
        "{md}"
    );
    // The dropped arc-swap result is gone; the others stay.
    let rows = read_json(&out.join("results.json"))["rows"].clone();
    let rows = rows.as_array().unwrap();
    assert!(
        !rows
            .iter()
            .any(|r| r["strategy"] == "arc-swap" && r["threads"] == 1)
    );
    assert!(rows.iter().any(|r| r["strategy"] == "std-mutex"));
}

#[test]
fn odd_files_where_results_should_be_are_named() {
    let input = fixture_copy("odd", &["counter_read-mostly_99-1"]);
    let new = |f: &str, t: u32| input.join(format!("counter_read-mostly_99-1/{f}/{t}/new"));
    // A directory where estimates.json should be.
    let est = new("std-mutex", 1).join("estimates.json");
    fs::remove_file(&est).unwrap();
    fs::create_dir(&est).unwrap();
    // A FIFO where estimates.json should be (reading it would block).
    let fifo = new("std-mutex", 2).join("estimates.json");
    fs::remove_file(&fifo).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    // A file where the sidecar directory should be.
    let side = input.join("syncbench");
    fs::remove_dir_all(&side).unwrap();
    fs::write(&side, b"not a directory").unwrap();
    let out = scratch("odd-out");
    let s = run(&input, &out).unwrap();
    assert!(
        warned(&s, &format!("{}: not a regular file", est.display())),
        "{:#?}",
        s.warnings
    );
    if made {
        assert!(
            warned(&s, &format!("{}: not a regular file", fifo.display())),
            "{:#?}",
            s.warnings
        );
    }
    assert!(
        warned(&s, &format!("skipped {}: not a directory", side.display())),
        "{:#?}",
        s.warnings
    );
}

/// Copies strategy `from`'s results and sidecars in `group` (criterion
/// directory name, sidecar path) to a strategy `to` of family `family`,
/// its times divided by `speedup`.
fn clone_strategy(
    input: &Path,
    group: (&str, &str),
    from: &str,
    to: &str,
    family: &str,
    speedup: f64,
) {
    fn scale(v: &mut Value, by: f64) {
        match v {
            Value::Number(n) => {
                if let Some(x) = n.as_f64() {
                    *v = serde_json::json!(x / by);
                }
            }
            Value::Object(m) => m.values_mut().for_each(|x| scale(x, by)),
            Value::Array(a) => a.iter_mut().for_each(|x| scale(x, by)),
            _ => {}
        }
    }
    let (dir, sidecars) = group;
    copy_dir(&input.join(dir).join(from), &input.join(dir).join(to));
    copy_dir(
        &input.join("syncbench").join(sidecars).join(from),
        &input.join("syncbench").join(sidecars).join(to),
    );
    for t in [1, 2] {
        let new = input.join(format!("{dir}/{to}/{t}/new"));
        let bench = new.join("benchmark.json");
        let text = fs::read_to_string(&bench).unwrap().replace(from, to);
        fs::write(&bench, text).unwrap();
        edit(&new.join("estimates.json"), |v| scale(v, speedup));
        edit(
            &input.join(format!("syncbench/{sidecars}/{to}/{t}.json")),
            |v| {
                v["function"] = Value::from(to);
                v["family"] = Value::from(family);
                for k in ["wall_ns_per_op", "cpu_ns_per_op"] {
                    if let Some(x) = v[k].as_f64() {
                        v[k] = serde_json::json!(x / speedup);
                    }
                }
            },
        );
    }
}

#[test]
fn an_outside_strategy_of_family_other_is_reported_under_its_own_name() {
    // A strategy no list of this crate knows (another crate's, through
    // `syncbench::bench`), of family `other`, fastest by far.
    let input = fixture_copy("other", &["counter_increment_hot"]);
    clone_strategy(
        &input,
        ("counter_increment_hot", "counter/increment/hot"),
        "std-mutex",
        "byo-lock",
        "other",
        50.0,
    );
    let out = scratch("other-out");
    let s = run(&input, &out).unwrap();
    assert!(!warned(&s, "byo-lock"), "{:?}", s.warnings);
    let results = read_json(&out.join("results.json"));
    let rows = results["rows"].as_array().unwrap();
    let ours: Vec<&Value> = rows
        .iter()
        .filter(|r| r["strategy"] == "byo-lock")
        .collect();
    assert_eq!(ours.len(), 2);
    assert!(ours.iter().all(|r| r["family"] == "other"));
    // The rules judge it by its family: `other` is on no side of any rule.
    for rule in results["rules"].as_array().unwrap() {
        for c in rule["cells"].as_array().into_iter().flatten() {
            assert_ne!(c["best_a"]["strategy"], "byo-lock", "{rule}");
            assert_ne!(c["best_b"]["strategy"], "byo-lock", "{rule}");
        }
    }
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    assert!(md.contains("| `byo-lock` | other |"), "the matrix lists it");
    assert!(md.contains("`byo-lock`"));
    // Its charts draw it, in the colour of `other`.
    let mut drawn = false;
    for e in fs::read_dir(out.join("charts")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "svg") {
            let svg = fs::read_to_string(&p).unwrap();
            drawn |= svg.contains("byo-lock") && svg.to_lowercase().contains("#e07b00");
        }
    }
    assert!(drawn, "a chart draws byo-lock in the colour of `other`");
}
