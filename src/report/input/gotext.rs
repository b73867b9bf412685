//! Go's benchmark output: `go test -bench` text of the `go/` module (the same
//! scenarios in Go's own benchmarks, see `go/harness.go`), parsed into one
//! [`GoResult`] per benchmark id. Judging it is [`crate::report::analyse::go`]'s job.
//!
//! `scripts/bench.sh` writes the output to `<criterion home>/go/bench.txt`:
//! Go's standard benchmark format, with configuration lines (`key: value`,
//! `goversion:` among them) before the results. A benchmark name maps to a
//! Rust id: `BenchmarkCounter/increment/hot/mutex/threads=2-2` is group
//! `counter/increment/hot`, strategy `mutex`, parameter 2; the trailing
//! `-2` is Go's GOMAXPROCS at start (absent when it is 1), not part of the id.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::Family;

/// Where `scripts/bench.sh` writes the Go output, under the criterion home.
pub const BENCH_FILE: &str = "go/bench.txt";

/// One benchmark id of the Go run.
#[derive(Clone, Debug, PartialEq)]
pub struct GoResult {
    /// The Rust criterion group, e.g. `counter/increment/hot`.
    pub group: String,
    /// The Go strategy, e.g. `rwmutex`.
    pub strategy: String,
    /// The parameter: threads, producers P or workers W, as on the Rust side.
    pub threads: usize,
    /// The strategy's family, as the Rust families (see [`family_of`]).
    pub family: Option<Family>,
    /// ns/op of every replicate, in file order.
    pub ns_per_op: Vec<f64>,
}

impl GoResult {
    /// The median over replicates, ns per operation.
    pub fn median(&self) -> f64 {
        let mut v = self.ns_per_op.clone();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n == 0 {
            f64::NAN
        } else if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    }

    /// The slowest replicate, ns per operation.
    pub fn max(&self) -> f64 {
        self.ns_per_op.iter().copied().fold(f64::MIN, f64::max)
    }

    /// The fastest replicate, ns per operation.
    pub fn min(&self) -> f64 {
        self.ns_per_op.iter().copied().fold(f64::MAX, f64::min)
    }
}

/// A parsed Go run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GoRun {
    /// `go version` as recorded, e.g. `go version go1.19.8 linux/amd64`.
    pub version: Option<String>,
    /// Every configuration line (`goos`, `cpu`, `syncbench-run`, ...).
    pub config: BTreeMap<String, String>,
    /// One entry per benchmark id, in file order.
    pub results: Vec<GoResult>,
    /// Lines that looked like results but could not be read.
    pub skipped: usize,
}

impl GoRun {
    /// `Go 1.19.8` (or `Go (version unknown)`): the label of every Go figure.
    pub fn label(&self) -> String {
        match self.version.as_deref().and_then(short_version) {
            Some(v) => format!("Go {v}"),
            None => "Go (version unknown)".to_string(),
        }
    }

    /// The most replicates any id has.
    pub fn replicates(&self) -> usize {
        self.results
            .iter()
            .map(|r| r.ns_per_op.len())
            .max()
            .unwrap_or(0)
    }

    /// The groups, in file order.
    pub fn groups(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.results {
            if !out.contains(&r.group.as_str()) {
                out.push(&r.group);
            }
        }
        out
    }

    /// The results of one cell.
    pub fn cell(&self, group: &str, threads: usize) -> Vec<&GoResult> {
        self.results
            .iter()
            .filter(|r| r.group == group && r.threads == threads)
            .collect()
    }

    /// Thread counts of a group, ascending.
    pub fn threads_of(&self, group: &str) -> Vec<usize> {
        let mut t: Vec<usize> = self
            .results
            .iter()
            .filter(|r| r.group == group)
            .map(|r| r.threads)
            .collect();
        t.sort_unstable();
        t.dedup();
        t
    }
}

/// `1.19.8` from `go version go1.19.8 linux/amd64` (or from `go1.19.8`).
pub fn short_version(v: &str) -> Option<String> {
    v.split_whitespace()
        .find_map(|w| {
            w.strip_prefix("go")
                .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        })
        .map(str::to_string)
}

/// Most threads a result may have run on, Rust or Go (also the most CPUs a
/// run fingerprint may name); a result beyond it is refused.
pub const MAX_THREADS: usize = 65_536;

/// The text of `<criterion home>/go/bench.txt`: `Ok(None)` when there is
/// none. Read as a bounded regular file ([`crate::io::read_bounded`], at
/// most [`crate::io::GO_TEXT_CAP`]); not a regular file, too large or not
/// UTF-8 is an error naming the file (the caller skips the Go side).
pub fn load_text(criterion_home: &Path) -> anyhow::Result<Option<String>> {
    let path = criterion_home.join(BENCH_FILE);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    let bytes = crate::io::read_bounded(&path, crate::io::GO_TEXT_CAP)?;
    String::from_utf8(bytes).map(Some).map_err(|e| {
        anyhow::anyhow!("not UTF-8 text ({e})").context(format!("cannot read {}", path.display()))
    })
}

/// Parses Go's benchmark output (standard format, as `go test -bench`
/// prints it; `-json` output is not accepted).
pub fn parse(text: &str) -> GoRun {
    let mut run = GoRun::default();
    let mut index: BTreeMap<(String, String, usize), usize> = BTreeMap::new();
    for line in text.lines() {
        if line.starts_with("Benchmark") {
            match parse_result(line) {
                Some((group, strategy, threads, ns)) => {
                    let key = (group.clone(), strategy.clone(), threads);
                    let i = *index.entry(key).or_insert_with(|| {
                        run.results.push(GoResult {
                            family: family_of(&group, &strategy),
                            group,
                            strategy,
                            threads,
                            ns_per_op: Vec::new(),
                        });
                        run.results.len() - 1
                    });
                    run.results[i].ns_per_op.push(ns);
                }
                None => {
                    // `BenchmarkX/...` alone on a line precedes a failure or
                    // a result on the next line when a name is long.
                    if line.split_whitespace().count() > 1 {
                        run.skipped += 1;
                    }
                }
            }
        } else if let Some((k, v)) = line.split_once(": ") {
            let k = k.trim();
            if !k.is_empty()
                && !k.contains(char::is_whitespace)
                && k.chars().all(|c| !c.is_uppercase())
            {
                run.config.insert(k.to_string(), v.trim().to_string());
            }
        }
    }
    run.version = run.config.get("goversion").cloned();
    run
}

/// Parses Go output that may hold several Go versions' runs, one after the
/// other (the main job measures each Go it has, see `scripts/bench.sh`):
/// a `goversion:` line after results starts the next run. One run per
/// version, in file order; a text without results gives one empty run.
pub fn parse_all(text: &str) -> Vec<GoRun> {
    let mut sections: Vec<String> = vec![String::new()];
    let mut has_results = false;
    for line in text.lines() {
        if line.starts_with("goversion:") && has_results {
            sections.push(String::new());
            has_results = false;
        }
        if line.starts_with("Benchmark") {
            has_results = true;
        }
        let s = sections.last_mut().expect("one section at least");
        s.push_str(line);
        s.push('\n');
    }
    sections.iter().map(|s| parse(s)).collect()
}

/// `(group, strategy, threads, ns/op)` from one result line.
fn parse_result(line: &str) -> Option<(String, String, usize, f64)> {
    let mut words = line.split_whitespace();
    let name = words.next()?.strip_prefix("Benchmark")?;
    let _iterations: u64 = words.next()?.parse().ok()?;
    let rest: Vec<&str> = words.collect();
    let ns = rest
        .windows(2)
        .find(|w| w[1] == "ns/op")
        .and_then(|w| w[0].parse::<f64>().ok())?;
    let parts: Vec<&str> = name.split('/').collect();
    if parts.len() < 3 {
        return None;
    }
    let last = parts[parts.len() - 1];
    let digits: String = last
        .strip_prefix("threads=")?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let threads: usize = digits.parse().ok()?;
    let plausible = (1..=MAX_THREADS).contains(&threads) && ns.is_finite() && ns > 0.0;
    if !plausible {
        return None;
    }
    let target = parts[0].to_ascii_lowercase();
    let strategy = parts[parts.len() - 2].to_string();
    let mut group = target;
    for p in &parts[1..parts.len() - 2] {
        group.push('/');
        group.push_str(p);
    }
    Some((group, strategy, threads, ns))
}

/// The Rust family of a Go strategy (the lists in `go/*.go` name them too;
/// a test checks that every strategy of the fixture has one).
pub fn family_of(group: &str, strategy: &str) -> Option<Family> {
    let workload = group.split('/').next().unwrap_or("");
    Some(match strategy {
        "mutex" | "mutex-map" | "mutex-cond-64" | "cond" => Family::Mutex,
        "rwmutex" | "rwmutex-map" => Family::RwLock,
        "atomic" | "atomic-cursor" | "atomic-flag" => Family::Atomic,
        "sharded-atomic" | "sharded-rwmutex" => Family::Sharded,
        // sync.Map (Go 1.19): reads from an atomically published read-only
        // map, writes under a mutex into a dirty map that is promoted.
        "sync.Map" => Family::Snapshot,
        "owner-goroutine" | "close-chan" | "context" => Family::Channel,
        "waitgroup" if workload == "signal" => Family::Barrier,
        s if s.starts_with("chan-") => Family::Channel,
        _ => return None,
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    /// Real `go test -bench . -benchtime=1x -count=2` output of go/ with the
    /// configuration lines `scripts/bench.sh` adds. With one iteration per
    /// benchmark the ns/op figures are MEANINGLESS as timings (setup and
    /// goroutine start-up dominate); the tests use them as numbers only.
    const FIXTURE_1X: &str = include_str!("../../../tests/fixtures/go/bench-1x.txt");

    #[test]
    fn parses_the_real_output() {
        let run = parse(FIXTURE_1X);
        assert_eq!(run.skipped, 0);
        assert_eq!(run.label(), "Go 1.19.8");
        assert_eq!(run.config.get("goos").map(String::as_str), Some("linux"));
        assert_eq!(
            run.config.get("syncbench-threads").map(String::as_str),
            Some("1,2,4")
        );
        assert_eq!(run.replicates(), 2);
        assert!(run.results.iter().all(|r| r.ns_per_op.len() == 2));
        assert!(run.results.len() > 100, "{}", run.results.len());
        let groups = run.groups();
        for g in [
            "counter/increment/hot",
            "counter/read-mostly/90-10",
            "map/read-heavy/90-10/uniform",
            "map/write-heavy/50-50/uniform",
            "handoff/spsc/u64",
            "handoff/mpsc/u64",
            "handoff/mpmc/u64",
            "pipeline/square-sum/none",
            "signal/ping-pong",
            "signal/one-to-many",
            "lifecycle/dispatch/none",
            "lifecycle/cancel/1us",
        ] {
            assert!(groups.contains(&g), "{g} missing from {groups:?}");
        }
        assert_eq!(run.threads_of("counter/increment/hot"), vec![1, 2, 4]);
        assert_eq!(run.threads_of("handoff/spsc/u64"), vec![1]);
        let m = run
            .results
            .iter()
            .find(|r| r.group == "map/read-heavy/90-10/uniform" && r.strategy == "sync.Map")
            .unwrap();
        assert_eq!(m.family, Some(Family::Snapshot));
    }

    #[test]
    fn every_strategy_of_the_go_module_has_a_family() {
        let run = parse(FIXTURE_1X);
        for r in &run.results {
            assert!(
                r.family.is_some(),
                "{} {} has no family",
                r.group,
                r.strategy
            );
        }
    }

    #[test]
    fn names_with_and_without_the_procs_suffix() {
        let a = parse_result("BenchmarkCounter/increment/hot/mutex/threads=4-2   100  12.5 ns/op");
        let b = parse_result("BenchmarkCounter/increment/hot/mutex/threads=4   100  12.5 ns/op");
        let want = Some(("counter/increment/hot".into(), "mutex".into(), 4, 12.5));
        assert_eq!(a, want);
        assert_eq!(b, want);
        let c = parse_result(
            "BenchmarkMap/read-heavy/90-10/uniform/sync.Map/threads=2-16 5 1.0e+03 ns/op 8 B/op",
        );
        assert_eq!(
            c,
            Some((
                "map/read-heavy/90-10/uniform".into(),
                "sync.Map".into(),
                2,
                1000.0
            ))
        );
        assert_eq!(parse_result("BenchmarkCounter/x/threads=1 --- FAIL"), None);
        assert_eq!(
            short_version("go version go1.22.1 linux/arm64").as_deref(),
            Some("1.22.1")
        );
    }

    #[test]
    fn runs_of_several_go_versions_split_at_their_version_line() {
        let one = "goversion: go version go1.27.3 linux/amd64\n\
                   BenchmarkCounter/increment/hot/mutex/threads=1 10 5.0 ns/op\n";
        let two = "goversion: go version go1.19.8 linux/amd64\n\
                   syncbench-run: 7\n\
                   BenchmarkCounter/increment/hot/mutex/threads=1 10 9.0 ns/op\n\
                   BenchmarkCounter/increment/hot/atomic/threads=1 10 2.0 ns/op\n";
        let runs = parse_all(&format!("{one}{two}"));
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].label(), "Go 1.27.3");
        assert_eq!(runs[0].results.len(), 1);
        assert_eq!(runs[1].label(), "Go 1.19.8");
        assert_eq!(runs[1].results.len(), 2);
        assert_eq!(
            runs[1].config.get("syncbench-run").map(String::as_str),
            Some("7")
        );
        // One version: the same as parse.
        assert_eq!(parse_all(two), vec![parse(two)]);
        assert_eq!(parse_all(FIXTURE_1X), vec![parse(FIXTURE_1X)]);
    }

    #[test]
    fn missing_file_is_none() {
        let dir = std::env::temp_dir().join(format!("syncbench-gobench-{}", std::process::id()));
        assert_eq!(load_text(&dir).unwrap(), None);
    }
}
