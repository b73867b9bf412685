//! The Go side: `go test -bench` output of the `go/` module (the same
//! scenarios in Go's own benchmarks, see `go/harness.go`), parsed, reduced
//! to one figure per benchmark id, decided per cell and judged against the
//! same rules of thumb as the Rust results.
//!
//! `scripts/bench.sh` writes the output to `<criterion home>/go/bench.txt`:
//! Go's standard benchmark format, with configuration lines (`key: value`,
//! `goversion:` among them) before the results. A benchmark name maps to a
//! Rust id: `BenchmarkCounter/increment/hot/mutex/threads=2-2` is group
//! `counter/increment/hot`, strategy `mutex`, parameter 2; the trailing
//! `-2` is Go's GOMAXPROCS at start (absent when it is 1), not part of the id.
//!
//! A Go figure is the median ns/op over `-count` replicates. A cell (group ×
//! thread count) names a winner only when its lead over the runner-up is at
//! least [`PRACTICAL_MARGIN`] and every replicate of the winner beat every
//! replicate of the runner-up; otherwise it is a tie. A simpler test than
//! the Rust side's paired passes (Go's replicates run back to back, not
//! minutes apart), stated in the report.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::Family;
use crate::report::rules::{Kind, Outcome, RULES, Rule, Verdict, in_scope};
use crate::report::stats::PRACTICAL_MARGIN;

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

    fn max(&self) -> f64 {
        self.ns_per_op.iter().copied().fold(f64::MIN, f64::max)
    }

    fn min(&self) -> f64 {
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

/// The text of `<criterion home>/go/bench.txt`: `Ok(None)` when there is
/// none.
pub fn load_text(criterion_home: &Path) -> anyhow::Result<Option<String>> {
    let path = criterion_home.join(BENCH_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::Error::new(e).context(format!("cannot read {}", path.display()))),
    }
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

/// How one Go cell went.
#[derive(Clone, Debug, PartialEq)]
pub struct GoCell {
    /// The group.
    pub group: String,
    /// The parameter.
    pub threads: usize,
    /// Strategies, fastest first: name, family, median ns/op.
    pub ranked: Vec<(String, Option<Family>, f64)>,
    /// Whether the fastest is a clear winner (see the module docs).
    pub clear: bool,
    /// Runner-up median over the winner's (> 1).
    pub margin: Option<f64>,
}

impl GoCell {
    /// The clear winner, if any.
    pub fn winner(&self) -> Option<&(String, Option<Family>, f64)> {
        self.ranked.first().filter(|_| self.clear)
    }
}

/// Whether `a` beats `b` clearly: a lead of at least [`PRACTICAL_MARGIN`]
/// on the medians and every replicate of `a` faster than every one of `b`.
fn clearly_faster(a: &GoResult, b: &GoResult) -> bool {
    b.median() / a.median() >= PRACTICAL_MARGIN && a.max() < b.min()
}

/// Every cell of the run, groups in file order, thread counts ascending.
pub fn cells(run: &GoRun) -> Vec<GoCell> {
    let mut out = Vec::new();
    for g in run.groups() {
        for t in run.threads_of(g) {
            let mut rs = run.cell(g, t);
            rs.sort_by(|a, b| a.median().total_cmp(&b.median()));
            let clear = match rs.as_slice() {
                [] => false,
                [_] => true,
                [a, b, ..] => clearly_faster(a, b),
            };
            let margin = (rs.len() > 1).then(|| rs[1].median() / rs[0].median());
            out.push(GoCell {
                group: g.to_string(),
                threads: t,
                ranked: rs
                    .iter()
                    .map(|r| (r.strategy.clone(), r.family, r.median()))
                    .collect(),
                clear,
                margin,
            });
        }
    }
    out
}

/// One (group, thread count) comparison behind a Go verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct GoRuleCell {
    /// The group.
    pub group: String,
    /// The parameter.
    pub threads: usize,
    /// Best of the recommended side: strategy, median ns/op.
    pub a: (String, f64),
    /// Best of the other side.
    pub b: (String, f64),
    /// How it went.
    pub outcome: Outcome,
}

/// A rule judged on the Go results.
#[derive(Clone, Debug, PartialEq)]
pub struct GoJudgement {
    /// The rule's id.
    pub id: u32,
    /// The verdict.
    pub verdict: Verdict,
    /// For comparisons: the cells.
    pub cells: Vec<GoRuleCell>,
    /// Why there is no Go verdict, when there is none.
    pub note: Option<String>,
}

impl GoJudgement {
    /// `2 for, 1 against, 0 tied`.
    pub fn tally(&self) -> (usize, usize, usize) {
        let n = |o: Outcome| self.cells.iter().filter(|c| c.outcome == o).count();
        (
            n(Outcome::Supports),
            n(Outcome::Contradicts),
            n(Outcome::Tie),
        )
    }
}

fn best<'a>(rs: &[&'a GoResult], families: &[Family]) -> Option<&'a GoResult> {
    rs.iter()
        .copied()
        .filter(|r| r.family.is_some_and(|f| families.contains(&f)))
        .min_by(|a, b| a.median().total_cmp(&b.median()))
}

fn verdict_of(cells: &[GoRuleCell]) -> Verdict {
    let s = cells
        .iter()
        .filter(|x| x.outcome == Outcome::Supports)
        .count();
    let c = cells
        .iter()
        .filter(|x| x.outcome == Outcome::Contradicts)
        .count();
    if cells.is_empty() {
        Verdict::NoData
    } else {
        super::rules::verdict_of(s, c)
    }
}

fn judge_compare(
    rule: &Rule,
    run: &GoRun,
    scopes: &[&str],
    a: &[Family],
    b: &[Family],
) -> GoJudgement {
    let mut cells = Vec::new();
    for g in run.groups() {
        if !scopes.iter().any(|s| in_scope(s, g)) {
            continue;
        }
        for t in run.threads_of(g) {
            let rs = run.cell(g, t);
            let (Some(x), Some(y)) = (best(&rs, a), best(&rs, b)) else {
                continue;
            };
            let outcome = if clearly_faster(x, y) {
                Outcome::Supports
            } else if clearly_faster(y, x) {
                Outcome::Contradicts
            } else {
                Outcome::Tie
            };
            cells.push(GoRuleCell {
                group: g.to_string(),
                threads: t,
                a: (x.strategy.clone(), x.median()),
                b: (y.strategy.clone(), y.median()),
                outcome,
            });
        }
    }
    GoJudgement {
        id: rule.id,
        verdict: verdict_of(&cells),
        note: cells
            .is_empty()
            .then(|| "the Go side has no scenario with strategies of both sides".to_string()),
        cells,
    }
}

/// Every rule of the registry judged on the Go results, in registry order:
/// comparisons as on the Rust side (same scopes, same families), composites
/// from their halves, rule 10 not judged (Go has no thread-leak check here).
pub fn judge_all(run: &GoRun) -> Vec<GoJudgement> {
    let mut out: Vec<GoJudgement> = Vec::new();
    for rule in RULES {
        let j = match &rule.kind {
            Kind::Compare { scopes, a, b } => judge_compare(rule, run, scopes, a, b),
            Kind::Composite { first, second } => {
                let of = |ids: &[u32]| -> Vec<Verdict> {
                    ids.iter()
                        .filter_map(|id| out.iter().find(|j| j.id == *id).map(|j| j.verdict))
                        .collect()
                };
                let all: Vec<Verdict> = of(first.1).into_iter().chain(of(second.1)).collect();
                let verdict = if all.iter().all(|v| *v == Verdict::Confirmed) && !all.is_empty() {
                    Verdict::Confirmed
                } else if all.iter().all(|v| *v == Verdict::NoData) {
                    Verdict::NoData
                } else if all.contains(&Verdict::Contradicted) && !all.contains(&Verdict::Confirmed)
                {
                    Verdict::Contradicted
                } else {
                    Verdict::Depends
                };
                GoJudgement {
                    id: rule.id,
                    verdict,
                    cells: Vec::new(),
                    note: Some(format!(
                        "holds only if rules {} hold on the Go side",
                        first
                            .1
                            .iter()
                            .chain(second.1)
                            .map(u32::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                }
            }
            Kind::ExitPaths | Kind::Enforced { .. } => GoJudgement {
                id: rule.id,
                verdict: Verdict::NoData,
                cells: Vec::new(),
                note: Some(
                    "not judged on the Go side: `go test` checks every strategy's answer, \
                     not goroutine exits"
                        .to_string(),
                ),
            },
        };
        out.push(j);
    }
    out
}

/// The Go side as `results.json` records it (key `go`) and `report diff`
/// compares it: every cell's verdict and every rule's verdict word.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GoSummary {
    /// `go version` as recorded.
    pub version: Option<String>,
    /// The most replicates (`-count`) any id has.
    pub replicates: usize,
    /// One per group × thread count, as [`cells`] gives them.
    pub cells: Vec<GoCellSummary>,
    /// One per rule of the registry, as [`judge_all`] gives them.
    pub rules: Vec<GoRuleSummary>,
}

/// One Go cell in a [`GoSummary`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GoCellSummary {
    /// The Rust criterion group it maps to.
    pub scenario: String,
    /// The parameter.
    pub threads: usize,
    /// The clear winner; `None` is a tie (or a cell of one strategy's
    /// replicates that never beat the runner-up's).
    pub winner: Option<String>,
    /// Strategies, fastest median first.
    pub ranked: Vec<String>,
    /// Runner-up median over the fastest (> 1); `None` with one strategy.
    pub margin: Option<f64>,
}

/// One rule judged on the Go side, in a [`GoSummary`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GoRuleSummary {
    /// The rule's id.
    pub id: u32,
    /// The verdict word (`confirmed`, `depends`, `no-data`, ...).
    pub verdict: String,
    /// Cells that support, contradict and tie.
    pub tally: (usize, usize, usize),
}

/// The [`GoSummary`] of a run.
pub fn summary(run: &GoRun) -> GoSummary {
    GoSummary {
        version: run.version.clone(),
        replicates: run.replicates(),
        cells: cells(run)
            .into_iter()
            .map(|c| GoCellSummary {
                winner: c.winner().map(|w| w.0.clone()),
                ranked: c.ranked.iter().map(|r| r.0.clone()).collect(),
                scenario: c.group,
                threads: c.threads,
                margin: c.margin,
            })
            .collect(),
        rules: judge_all(run)
            .iter()
            .map(|j| GoRuleSummary {
                id: j.id,
                verdict: j.verdict.key(),
                tally: j.tally(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real `go test -bench . -benchtime=1x -count=2` output of go/ with the
    /// configuration lines `scripts/bench.sh` adds. With one iteration per
    /// benchmark the ns/op figures are MEANINGLESS as timings (setup and
    /// goroutine start-up dominate); the tests use them as numbers only.
    const FIXTURE_1X: &str = include_str!("../../tests/fixtures/go/bench-1x.txt");

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

    fn synthetic(lines: &[(&str, &str, usize, &[f64])]) -> GoRun {
        let mut text = String::from("goversion: go version go1.19.8 linux/amd64\n");
        for (g, s, t, ns) in lines {
            let (target, rest) = g.split_once('/').unwrap();
            let mut name = target.to_string();
            name[..1].make_ascii_uppercase();
            for v in *ns {
                text.push_str(&format!(
                    "Benchmark{name}/{rest}/{s}/threads={t}-2 10 {v} ns/op\n"
                ));
            }
        }
        parse(&text)
    }

    #[test]
    fn cells_need_a_consistent_practical_lead() {
        let run = synthetic(&[
            ("counter/increment/hot", "atomic", 1, &[10.0, 11.0, 10.5]),
            ("counter/increment/hot", "mutex", 1, &[20.0, 21.0, 19.0]),
            (
                "counter/increment/hot",
                "owner-goroutine",
                1,
                &[90.0, 95.0, 99.0],
            ),
            // Overlapping replicates: a tie although the medians differ by 10 %.
            ("counter/increment/hot", "atomic", 2, &[10.0, 30.0, 10.0]),
            ("counter/increment/hot", "mutex", 2, &[11.0, 11.0, 12.0]),
            (
                "counter/increment/hot",
                "owner-goroutine",
                2,
                &[5.0, 50.0, 50.0],
            ),
        ]);
        let cs = cells(&run);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].winner().unwrap().0, "atomic");
        assert!((cs[0].margin.unwrap() - 20.0 / 10.5).abs() < 1e-9);
        assert!(cs[1].winner().is_none());
        let js = judge_all(&run);
        let rule1 = js.iter().find(|j| j.id == 1).unwrap();
        // Mutex (20) beats the owner goroutine (95) at 1; at 2, 11.5 vs 50
        // with an overlapping 5: a tie.
        assert_eq!(rule1.tally(), (1, 0, 1));
        assert_eq!(rule1.verdict, Verdict::Confirmed);
        let rule4 = js.iter().find(|j| j.id == 4).unwrap();
        assert_eq!(rule4.verdict, Verdict::NoData);
        let rule10 = js.iter().find(|j| j.id == 10).unwrap();
        assert_eq!(rule10.verdict, Verdict::NoData);
        assert!(rule10.note.is_some());
    }

    #[test]
    fn rules_on_the_fixture_cover_the_go_scenarios() {
        let js = judge_all(&parse(FIXTURE_1X));
        assert_eq!(js.len(), RULES.len());
        for id in [1, 2, 3, 4, 5, 6, 7, 8, 9] {
            let j = js.iter().find(|j| j.id == id).unwrap();
            assert!(!j.cells.is_empty(), "rule {id} has no Go cells");
        }
        // Rule 12 (spinlocks): Go has no spinlock strategy.
        assert_eq!(
            js.iter().find(|j| j.id == 12).unwrap().verdict,
            Verdict::NoData
        );
    }

    #[test]
    fn missing_file_is_none() {
        let dir = std::env::temp_dir().join(format!("syncbench-gobench-{}", std::process::id()));
        assert_eq!(load_text(&dir).unwrap(), None);
    }
}
