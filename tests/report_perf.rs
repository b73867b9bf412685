//! The report over a full-size synthetic result set: 32 scenarios across
//! every workload × 6 strategies × 3 thread counts = 576 benchmark ids, in
//! criterion's file layout with sidecars and a run fingerprint.
//!
//! Prints how long the whole report took (the budget is 1 s in release on
//! the 2-core reference machine); it asserts only what was produced, never
//! a time. In debug builds the set is scaled down to keep the test quick.
//!
//! `merging_two_full_size_result_sets` times the merged report of two such
//! sets (two machines), from criterion trees and from bundles.
//!
//! `cargo test --release --test report_perf -- --nocapture`

use std::fs;
use std::path::Path;
use std::time::Instant;

use serde_json::json;
use syncbench::harness::fingerprint::Fingerprint;
use syncbench::harness::sidecar::Sidecar;
use syncbench::harness::{Family, RoundStats};
use syncbench::report::{self, Log, Options};

const STRATEGIES: [(&str, Family, f64); 6] = [
    ("std-mutex", Family::Mutex, 20.0),
    ("parking_lot-rwlock", Family::RwLock, 25.0),
    ("atomic-fetch_add", Family::Atomic, 5.0),
    ("sharded-atomic", Family::Sharded, 8.0),
    ("actor-crossbeam", Family::Channel, 60.0),
    ("no-sharing", Family::NoSharing, 1.0),
];
const THREADS: [usize; 3] = [1, 2, 4];

fn group_ids(n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let shapes = [
        (
            "counter",
            &[
                "increment/hot",
                "increment/warm",
                "read-mostly/90-10",
                "read-mostly/99-1",
            ][..],
        ),
        (
            "map",
            &[
                "read-heavy/99-1/uniform",
                "read-heavy/99-1/zipf",
                "read-heavy/90-10/uniform",
                "read-heavy/90-10/zipf",
                "write-heavy/50-50/uniform",
                "write-heavy/50-50/zipf",
                "write-heavy/10-90/uniform",
                "write-heavy/10-90/zipf",
            ],
        ),
        (
            "handoff",
            &[
                "spsc/cap-0",
                "spsc/cap-1",
                "spsc/cap-64",
                "spsc/unbounded",
                "mpsc/cap-0",
                "mpsc/cap-64",
                "mpmc/cap-64",
                "mpmc/unbounded",
            ],
        ),
        (
            "pipeline",
            &[
                "square-sum/hot",
                "square-sum/warm",
                "fan-out/hot",
                "fan-out/warm",
                "fan-in/hot",
                "fan-in/warm",
            ],
        ),
        (
            "signal",
            &[
                "one-to-one/cap-0",
                "one-to-one/cap-1",
                "one-to-many/cap-0",
                "one-to-many/cap-1",
                "completion/hot",
                "completion/warm",
            ],
        ),
    ];
    for (w, scenarios) in shapes {
        for s in scenarios {
            out.push(format!("{w}/{s}"));
        }
    }
    out.truncate(n);
    out
}

fn estimate(ns: f64) -> serde_json::Value {
    json!({
        "confidence_interval": {"confidence_level": 0.95, "lower_bound": ns * 0.97, "upper_bound": ns * 1.03},
        "point_estimate": ns,
        "standard_error": ns * 0.01
    })
}

/// Writes one criterion result and its sidecar under `home`.
fn write_result(home: &Path, group: &str, function: &str, family: Family, threads: usize, ns: f64) {
    let dir = home
        .join(group.replace('/', "_"))
        .join(function)
        .join(threads.to_string())
        .join("new");
    fs::create_dir_all(&dir).unwrap();
    let bench = json!({
        "group_id": group, "function_id": function, "value_str": threads.to_string(),
        "throughput": {"Elements": 1},
        "full_id": format!("{group}/{function}/{threads}"),
        "directory_name": format!("{}/{function}/{threads}", group.replace('/', "_")),
        "title": format!("{group}/{function}/{threads}")
    });
    fs::write(dir.join("benchmark.json"), bench.to_string()).unwrap();
    let est = json!({
        "mean": estimate(ns * 1.01), "median": estimate(ns), "median_abs_dev": estimate(ns * 0.02),
        "slope": estimate(ns), "std_dev": estimate(ns * 0.03)
    });
    fs::write(dir.join("estimates.json"), est.to_string()).unwrap();
    let stats = RoundStats {
        ops: 100_000,
        wall: std::time::Duration::from_nanos((ns * 1e5) as u64),
        cpu: Some(std::time::Duration::from_nanos(
            (ns * 1e5 * threads as f64) as u64,
        )),
        worker_cpu: None,
        finish: vec![std::time::Duration::from_nanos((ns * 1e5) as u64); threads],
    };
    Sidecar::from_stats(
        group,
        function,
        &threads.to_string(),
        threads,
        family,
        "full",
        &stats,
        None,
    )
    .write(home)
    .unwrap();
}

/// Writes the synthetic set of `scenarios` scenarios under `home`, each
/// bench target stamped with `fingerprint`.
fn synthetic(home: &Path, scenarios: usize, fingerprint: &Fingerprint) {
    let groups = group_ids(scenarios);
    assert_eq!(groups.len(), scenarios);
    for (gi, g) in groups.iter().enumerate() {
        for (si, (name, family, base)) in STRATEGIES.iter().enumerate() {
            for &t in &THREADS {
                // Shapes that cross: contended strategies slow down with
                // threads, scalable ones speed up.
                let scale = match family {
                    Family::Mutex | Family::RwLock | Family::Channel => t as f64 * 0.8,
                    _ => 1.0 / t as f64,
                };
                let ns = base * scale * (1.0 + 0.05 * ((gi + si) % 7) as f64);
                write_result(home, g, name, *family, t, ns);
            }
        }
    }
    for w in ["counter", "map", "handoff", "pipeline", "signal"] {
        fingerprint.write_run(home, w).unwrap();
    }
}

#[test]
fn full_size_result_set() {
    let scenarios = if cfg!(debug_assertions) { 4 } else { 32 };
    let root = std::env::temp_dir().join(format!("syncbench-report-perf-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let home = root.join("criterion");
    synthetic(&home, scenarios, &Fingerprint::collect("full"));

    let out = root.join("reports");
    let mut sink = |_: &str| {};
    let mut log = Log::new(&mut sink);
    let start = Instant::now();
    let s = report::run(
        &Options {
            input: home.clone(),
            out: out.clone(),
        },
        &mut log,
    )
    .unwrap();
    let took = start.elapsed();
    println!(
        "report over {} results / {} scenarios: {:.0} ms ({} build)",
        s.results,
        s.scenarios,
        took.as_secs_f64() * 1e3,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    assert_eq!(s.results, scenarios * STRATEGIES.len() * THREADS.len());
    assert_eq!(s.scenarios, scenarios);
    assert!(s.warnings.is_empty(), "{:#?}", s.warnings);
    // Throughput and CPU-cost charts, SVG and PNG each, beside the winner
    // maps (SVG and PNG each, at least one question in every result set).
    let names: Vec<String> = fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let maps = names
        .iter()
        .filter(|n| n.starts_with("winner-map_"))
        .count();
    assert_eq!(names.len() - maps, 4 * scenarios, "{names:?}");
    assert!(maps >= 2 && maps % 2 == 0, "{names:?}");
    fs::remove_dir_all(&root).unwrap();
}

/// Two full-size result sets of two machines (the second says only 1 CPU
/// was usable), merged from criterion trees and from bundles. Prints the
/// times and the bundle's size (the budget is 1 s per merge in release);
/// asserts only what was produced.
#[test]
fn merging_two_full_size_result_sets() {
    let scenarios = if cfg!(debug_assertions) { 4 } else { 32 };
    let root = std::env::temp_dir().join(format!("syncbench-merge-perf-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let here = Fingerprint::collect("full");
    let mut pinned = here.clone();
    pinned.available_parallelism = 1;
    pinned.logical_cores = pinned.logical_cores.max(2);
    let (a, b) = (root.join("a"), root.join("b"));
    synthetic(&a, scenarios, &here);
    synthetic(&b, scenarios, &pinned);
    let mut sink = |_: &str| {};
    let mut log = Log::new(&mut sink);
    let start = Instant::now();
    let s = report::run_merged(&[a.clone(), b.clone()], &root.join("trees"), &mut log).unwrap();
    let trees = start.elapsed();
    assert_eq!(s.scenarios, scenarios);
    let (ba, bb) = (root.join("a.syncbench.json"), root.join("b.syncbench.json"));
    let start = Instant::now();
    let size = report::bundle(&a, &ba, &mut log).unwrap();
    let packing = start.elapsed();
    report::bundle(&b, &bb, &mut log).unwrap();
    let start = Instant::now();
    let s = report::run_merged(&[ba, bb], &root.join("bundles"), &mut log).unwrap();
    let bundles = start.elapsed();
    assert_eq!(s.scenarios, scenarios);
    let md = fs::read_to_string(root.join("bundles/DECISIONS.md")).unwrap();
    assert!(
        md.contains("1 of "),
        "the pinned machine is named by its usable CPUs"
    );
    println!(
        "merge of 2 x {} results: {:.0} ms from criterion trees, {:.0} ms from bundles; \
         bundle {} KiB, packed in {:.0} ms ({} build)",
        s.results / 2,
        trees.as_secs_f64() * 1e3,
        bundles.as_secs_f64() * 1e3,
        size / 1024,
        packing.as_secs_f64() * 1e3,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    fs::remove_dir_all(&root).unwrap();
}
