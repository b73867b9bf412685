//! The report with and without the Go results (`go/bench.txt` under the
//! criterion home, as `scripts/bench.sh` writes it).

mod fixture;

use std::path::{Path, PathBuf};

use fixture::{FIXTURE, copy_dir};

use syncbench::report::{self, Log, Options};

fn scratch(name: &str) -> PathBuf {
    fixture::scratch("report-go", name)
}

fn render(input: &Path, out: &Path) -> (String, Vec<String>) {
    let mut lines = Vec::new();
    let mut sink = |l: &str| lines.push(l.to_string());
    let mut log = Log::new(&mut sink);
    report::run(
        &Options {
            input: input.to_path_buf(),
            out: out.to_path_buf(),
        },
        &mut log,
    )
    .unwrap();
    drop(log);
    (
        std::fs::read_to_string(out.join("DECISIONS.md")).unwrap(),
        lines,
    )
}

#[test]
fn go_results_appear_beside_rust_and_their_absence_changes_nothing() {
    let fixture = Path::new(FIXTURE);
    let dir = scratch("with");
    copy_dir(fixture, &dir.join("in"));
    let (without, lines) = render(&dir.join("in"), &dir.join("out-without"));
    assert!(!without.contains("id=\"runtimes\""));
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("Go results absent"))
            .count(),
        1
    );

    std::fs::create_dir_all(dir.join("in/go")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/go/bench-1x.txt"),
        dir.join("in/go/bench.txt"),
    )
    .unwrap();
    let (with, _) = render(&dir.join("in"), &dir.join("out-with"));
    assert!(with.contains("id=\"runtimes\""));
    assert!(with.contains("| Go goroutines (Go 1.19.8) | Rust threads |"));
    assert!(with.contains("Where Go's answer (Go 1.19.8) and Rust's differ"));
    // Everything else is as without the Go results.
    let cut = |s: &str| {
        let b = s.find("## <a id=\"notes\"></a>").unwrap();
        let a = s.find("## <a id=\"runtimes\"></a>").unwrap_or(b);
        let s = format!("{}{}", &s[..a], &s[b..]);
        s.lines()
            .filter(|l| !l.contains("(#runtimes)"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (a, b) = (cut(&with), cut(&without));
    if a != b {
        std::fs::write(std::env::temp_dir().join("report_go_with.md"), &a).unwrap();
        std::fs::write(std::env::temp_dir().join("report_go_without.md"), &b).unwrap();
    }
    assert!(a == b, "the report differs beyond the runtime section");
    // A bundle of that run carries its Go results: rendering from it shows
    // the same runtime section.
    let bundle = dir.join("run.syncbench.json");
    let mut sink = |_: &str| {};
    let mut log = Log::new(&mut sink);
    report::bundle(&dir.join("in"), &bundle, &mut log).unwrap();
    drop(log);
    let (from_bundle, _) = render(&bundle, &dir.join("out-bundle"));
    assert!(from_bundle.contains("| Go goroutines (Go 1.19.8) | Rust threads |"));

    // The Go side's verdicts travel in results.json, and `report diff`
    // compares them apart from the Rust cells: a report against its own
    // criterion tree and its bundle agrees on every Go cell and rule.
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("out-with/results.json")).unwrap()).unwrap();
    let cells = results["go"]["cells"].as_array().unwrap();
    assert!(!cells.is_empty());
    assert!(cells.iter().all(|c| c["scenario"].is_string()));
    assert_eq!(results["go"]["rules"].as_array().unwrap().len(), 13);
    let without: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("out-without/results.json")).unwrap())
            .unwrap();
    assert!(without["go"].is_null());
    let side = |p: &Path| {
        let mut sink = |_: &str| {};
        let mut log = Log::new(&mut sink);
        report::compare::diff::read(p, &mut log).unwrap()
    };
    let with = side(&dir.join("out-with"));
    for other in [dir.join("in"), bundle.clone()] {
        let d = report::compare::diff::diff(&with, &side(&other)).unwrap();
        let report::compare::diff::GoSides::Both(g) = &d.go else {
            panic!("no Go comparison: {:?}", d.go);
        };
        assert_eq!(g.common, cells.len());
        assert_eq!((g.same, g.rules.len()), (g.common, 0), "{g:?}");
        assert!(g.rules_common > 0);
    }
    let d = report::compare::diff::diff(&with, &side(&dir.join("out-without"))).unwrap();
    assert_eq!(d.go, report::compare::diff::GoSides::OnlyA);
    assert!(report::compare::diff::render(&d).contains("Only A has Go results"));
    let _ = std::fs::remove_dir_all(&dir);
}
