//! The Go side judged: the Go run ([`crate::report::input::gotext`]) reduced
//! to one figure per benchmark id, decided per cell and judged against the
//! same rules of thumb as the Rust results.
//!
//! A Go figure is the median ns/op over `-count` replicates. A cell (group ×
//! thread count) names a winner only when its lead over the runner-up is at
//! least [`PRACTICAL_MARGIN`] and every replicate of the winner beat every
//! replicate of the runner-up; otherwise it is a tie. A simpler test than
//! the Rust side's paired passes (Go's replicates run back to back, not
//! minutes apart), stated in the report.

use crate::harness::Family;
use crate::report::analyse::rules::{Kind, Outcome, RULES, Rule, Verdict};
use crate::report::analyse::scope::matches;
use crate::report::analyse::stats::PRACTICAL_MARGIN;
use crate::report::input::gotext::{GoResult, GoRun};

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
        crate::report::analyse::rules::verdict_of(s, c)
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
        if !scopes.iter().any(|s| matches(s, g)) {
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
    use crate::report::input::gotext::parse;

    /// Real `go test -bench . -benchtime=1x -count=2` output of go/ with the
    /// configuration lines `scripts/bench.sh` adds. With one iteration per
    /// benchmark the ns/op figures are MEANINGLESS as timings (setup and
    /// goroutine start-up dominate); the tests use them as numbers only.
    const FIXTURE_1X: &str = include_str!("../../../tests/fixtures/go/bench-1x.txt");

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
}
