//! The rules judged on synthetic models: verdicts, conditions, exceptions,
//! "something else wins", exit paths and composites.

use crate::harness::Family::{AsyncLock, Atomic, Channel, Mutex, Park, RwLock, Spin};
use crate::report::analyse::decide::tests::{scenario, series};
use crate::report::analyse::model::{Model, Scenario};
use crate::report::analyse::rules::{Judgement, Outcome, RULES, Verdict, judge_all};
use crate::report::analyse::stats::Floor;

fn model(scenarios: Vec<Scenario>) -> Model {
    Model { scenarios }
}

fn judge(id: u32, m: &Model) -> Judgement {
    judge_all(RULES, m, &Floor::default())
        .into_iter()
        .find(|j| j.id == id)
        .unwrap()
}

#[test]
fn tokio_advice_is_judged_where_no_guard_crosses_an_await() {
    let m = model(vec![
        scenario(
            "tasks/counter/no-await",
            vec![
                series("atomic-fetch_add", Some(Atomic), &[(1, 900.0), (2, 800.0)]),
                series("std-mutex", Some(Mutex), &[(1, 100.0), (2, 80.0)]),
                series("tokio-mutex", Some(AsyncLock), &[(1, 40.0), (2, 30.0)]),
            ],
        ),
        scenario(
            "tasks/map/no-await/current-thread",
            vec![
                series("parking_lot-mutex", Some(Mutex), &[(1, 100.0)]),
                series("tokio-rwlock", Some(AsyncLock), &[(1, 20.0)]),
            ],
        ),
        // Only async locks run across a yield: no cell, no effect.
        scenario(
            "tasks/counter/across-yield",
            vec![series(
                "tokio-mutex",
                Some(AsyncLock),
                &[(1, 5.0), (2, 4.0)],
            )],
        ),
    ]);
    let j = judge(13, &m);
    assert_eq!(j.verdict, Verdict::Confirmed, "{}", j.summary);
    assert_eq!(j.cells.len(), 3);
    assert!(j.cells.iter().all(|c| !c.scenario.contains("across-yield")));
    assert!(j.elsewhere.as_deref().unwrap().contains("atomic-fetch_add"));
    // An async lock ahead of every sync one contradicts the advice.
    let m = model(vec![scenario(
        "tasks/counter/no-await",
        vec![
            series("std-mutex", Some(Mutex), &[(1, 10.0)]),
            series("tokio-mutex", Some(AsyncLock), &[(1, 100.0)]),
        ],
    )]);
    assert_eq!(judge(13, &m).verdict, Verdict::Contradicted);
    // Without tasks data the rule says which target to run.
    let j = judge(13, &model(vec![]));
    assert_eq!(j.verdict, Verdict::NoData);
    assert!(j.summary.contains("--bench tasks"), "{}", j.summary);
}

#[test]
fn async_signals_count_for_rule_8() {
    let m = model(vec![scenario(
        "tasks/signal/ping-pong",
        vec![
            series("tokio-notify", Some(Park), &[(1, 100.0)]),
            series("tokio-watch", Some(Channel), &[(1, 50.0)]),
        ],
    )]);
    let j = judge(8, &m);
    assert_eq!(j.verdict, Verdict::Contradicted, "{}", j.summary);
    assert_eq!(j.cells[0].scenario, "tasks/signal/ping-pong");
}

#[test]
fn confirmed_but_something_else_wins() {
    let m = model(vec![scenario(
        "counter/increment/hot",
        vec![
            series("atomic-fetch_add", Some(Atomic), &[(1, 400.0), (2, 200.0)]),
            series("std-mutex", Some(Mutex), &[(1, 100.0), (2, 50.0)]),
            series("actor", Some(Channel), &[(1, 10.0), (2, 10.0)]),
        ],
    )]);
    let j = judge(1, &m);
    assert_eq!(j.verdict, Verdict::Confirmed);
    assert_eq!(j.cells.len(), 2);
    assert!(
        j.summary.starts_with(
            "The best mutex strategy beats the best channel one in 2 of 2 cells (5.0x to 10x)"
        ),
        "{}",
        j.summary
    );
    let e = j.elsewhere.as_deref().unwrap();
    assert!(
        e.contains("atomic-fetch_add (atomic)") && e.contains("4.0x"),
        "{e}"
    );
    assert_eq!(
        j.citations(),
        vec![("counter/increment/hot".to_string(), vec![1, 2])]
    );
    // Rule 9 is the opposite claim on the same cells.
    assert_eq!(judge(9, &m).verdict, Verdict::Contradicted);
}

#[test]
fn depends_on_a_thread_threshold() {
    let m = model(vec![scenario(
        "counter/read-mostly/90-10",
        vec![
            series(
                "rw",
                Some(RwLock),
                &[(1, 50.0), (2, 50.0), (4, 50.0), (8, 200.0), (16, 300.0)],
            ),
            series(
                "mu",
                Some(Mutex),
                &[(1, 100.0), (2, 100.0), (4, 51.0), (8, 100.0), (16, 100.0)],
            ),
        ],
    )]);
    let j = judge(4, &m);
    assert_eq!(j.verdict, Verdict::Depends);
    assert_eq!(
        j.condition.as_deref(),
        Some("reversed up to 2 threads, holds from 8 threads")
    );
    assert_eq!(
        j.cells.iter().filter(|c| c.outcome == Outcome::Tie).count(),
        1
    );
}

#[test]
fn depends_by_scenario_then_per_scenario() {
    let hot = scenario(
        "counter/increment/hot",
        vec![
            series("mu", Some(Mutex), &[(1, 10.0), (2, 10.0)]),
            series("ch", Some(Channel), &[(1, 100.0), (2, 100.0)]),
        ],
    );
    let warm = scenario(
        "counter/increment/warm",
        vec![
            series("mu", Some(Mutex), &[(1, 100.0), (2, 100.0)]),
            series("ch", Some(Channel), &[(1, 10.0), (2, 10.0)]),
        ],
    );
    let j = judge(1, &model(vec![hot.clone(), warm]));
    assert_eq!(
        j.condition.as_deref(),
        Some("holds for counter/increment/warm; reversed for counter/increment/hot")
    );
    let mixed = scenario(
        "counter/increment/warm",
        vec![
            series("mu", Some(Mutex), &[(1, 100.0), (2, 100.0), (4, 10.0)]),
            series("ch", Some(Channel), &[(1, 10.0), (2, 10.0), (4, 100.0)]),
        ],
    );
    let j = judge(1, &model(vec![hot, mixed]));
    assert_eq!(
        j.condition.as_deref(),
        Some(
            "counter/increment/hot: reversed; counter/increment/warm: holds up to 2 threads, reversed from 4 threads"
        )
    );
}

#[test]
fn one_cell_against_the_rest_is_an_exception_not_a_condition() {
    // Mutex ahead at 1, 2 and 4 threads, the channel ahead at 8.
    let cells = |ch8: f64| {
        model(vec![scenario(
            "counter/increment/hot",
            vec![
                series(
                    "mu",
                    Some(Mutex),
                    &[(1, 100.0), (2, 100.0), (4, 100.0), (8, 10.0)],
                ),
                series(
                    "ch",
                    Some(Channel),
                    &[(1, 10.0), (2, 10.0), (4, 10.0), (8, ch8)],
                ),
            ],
        )])
    };
    let j = judge(1, &cells(40.0));
    assert_eq!(j.verdict, Verdict::Confirmed);
    assert_eq!(
        j.condition.as_deref(),
        Some("except counter/increment/hot at 8 threads (the best channel strategy ahead, 4.0x)")
    );
    // The summary still counts the exception.
    assert!(j.summary.contains("in 1 of 4 cells"), "{}", j.summary);
    // The opposite claim: contradicted, with the same cell as its
    // exception.
    let j9 = judge(9, &cells(40.0));
    assert_eq!(j9.verdict, Verdict::Contradicted);
    assert!(
        j9.condition
            .as_deref()
            .unwrap()
            .starts_with("except counter/increment/hot at 8 threads")
    );
    // A tie there leaves no exception.
    let j = judge(1, &cells(10.0));
    assert_eq!((j.verdict, j.condition), (Verdict::Confirmed, None));
    // One cell on each side: the rule depends.
    let two = model(vec![scenario(
        "counter/increment/hot",
        vec![
            series("mu", Some(Mutex), &[(1, 100.0), (2, 10.0)]),
            series("ch", Some(Channel), &[(1, 10.0), (2, 100.0)]),
        ],
    )]);
    assert_eq!(judge(1, &two).verdict, Verdict::Depends);
}

#[test]
fn no_data_unknown_families_and_ties() {
    let j = judge(5, &model(vec![]));
    assert_eq!(j.verdict, Verdict::NoData);
    assert!(
        j.summary.contains("`cargo bench --bench handoff`"),
        "{}",
        j.summary
    );
    // Without sidecars (family unknown) nothing is comparable.
    let m = model(vec![scenario(
        "counter/increment/hot",
        vec![
            series("mu", None, &[(1, 10.0)]),
            series("ch", None, &[(1, 100.0)]),
        ],
    )]);
    let j = judge(1, &m);
    assert_eq!(j.verdict, Verdict::NoData);
    assert!(j.summary.contains("sidecars"), "{}", j.summary);
    // A result without its own sidecar is left out, even when the
    // strategy's family is known from its other results.
    let mut mu = series("mu", Some(Mutex), &[(1, 100.0), (2, 100.0)]);
    mu.points.get_mut(&2).unwrap().sidecar = None;
    let m = model(vec![scenario(
        "counter/increment/hot",
        vec![mu, series("ch", Some(Channel), &[(1, 10.0), (2, 10.0)])],
    )]);
    let j = judge(1, &m);
    assert_eq!(j.cells.len(), 1);
    assert_eq!(j.cells[0].threads, 1);
    let m = model(vec![scenario(
        "counter/increment/hot",
        vec![
            series("mu", Some(Mutex), &[(1, 100.0)]),
            series("ch", Some(Channel), &[(1, 99.0)]),
        ],
    )]);
    assert_eq!(judge(1, &m).verdict, Verdict::Inconclusive);
    assert!(judge(3, &m).summary.contains("Not yet measured: map/"));
    assert_eq!(judge(10, &m).verdict, Verdict::NoData);
}

#[test]
fn exit_paths_count_checked_ids_and_name_leaks() {
    let with = |leaks: &[Option<i64>]| {
        let mut x = series("crew", Some(Channel), &[(1, 10.0), (2, 10.0), (4, 10.0)]);
        for (p, l) in x.points.values_mut().zip(leaks) {
            p.sidecar.as_mut().unwrap().threads_leaked = *l;
        }
        model(vec![scenario("lifecycle/spawn", vec![x])])
    };
    let j = judge(10, &with(&[None, None, None]));
    assert_eq!(j.verdict, Verdict::NoData);
    let j = judge(10, &with(&[Some(0), Some(0), None]));
    assert_eq!(j.verdict, Verdict::Confirmed);
    assert!(
        j.summary
            .starts_with("Confirmed: 2 of 2 benchmark ids (1 strategies)"),
        "{}",
        j.summary
    );
    let j = judge(10, &with(&[Some(0), Some(3), Some(0)]));
    assert_eq!((j.verdict, j.verdict.as_str()), (Verdict::Failed, "failed"));
    assert!(
        j.summary.starts_with("Failed: 1 of 3 benchmark ids")
            && j.summary.contains("lifecycle/spawn/crew/2 (3 threads)"),
        "{}",
        j.summary
    );
}

#[test]
fn spinlocks_against_mutexes_by_thread_count() {
    // Spinlocks ahead while every thread has a core, behind once
    // oversubscribed; a rwlock and an atomic take no side.
    let m = model(vec![
        scenario(
            "counter/increment/hot",
            vec![
                series(
                    "spin-mutex",
                    Some(Spin),
                    &[(1, 200.0), (2, 100.0), (4, 5.0)],
                ),
                series(
                    "std-mutex",
                    Some(Mutex),
                    &[(1, 100.0), (2, 50.0), (4, 40.0)],
                ),
                series(
                    "std-rwlock",
                    Some(RwLock),
                    &[(1, 90.0), (2, 45.0), (4, 30.0)],
                ),
            ],
        ),
        scenario(
            "map/write-heavy/50-50/zipf",
            vec![
                series("ttas-mutex", Some(Spin), &[(1, 20.0), (4, 1.0)]),
                series("parking_lot-mutex", Some(Mutex), &[(1, 10.0), (4, 8.0)]),
            ],
        ),
        // Out of scope: read-mostly rows never count for rule 12.
        scenario(
            "counter/read-mostly-struct/99-1",
            vec![
                series("spin-rwlock", Some(Spin), &[(1, 1.0)]),
                series("std-mutex", Some(Mutex), &[(1, 100.0)]),
            ],
        ),
    ]);
    let j = judge(12, &m);
    assert_eq!(j.verdict, Verdict::Depends, "{}", j.summary);
    assert_eq!(
        j.condition.as_deref(),
        Some("reversed up to 2 threads, holds from 4 threads")
    );
    assert_eq!(j.cells.len(), 5);
    assert!(
        j.summary
            .contains("the best spin strategy beats the best mutex one in 3 of 5"),
        "{}",
        j.summary
    );
    // The existing rules do not see the spin family.
    assert_eq!(judge(4, &m).verdict, Verdict::NoData);
}

#[test]
fn composite_needs_both_halves() {
    let counter = scenario(
        "counter/increment/hot",
        vec![
            series("mu", Some(Mutex), &[(1, 100.0)]),
            series("ch", Some(Channel), &[(1, 10.0)]),
        ],
    );
    let handoff = |ch: f64| {
        scenario(
            "handoff/spsc",
            vec![
                series("mu", Some(Mutex), &[(1, 10.0)]),
                series("ch", Some(Channel), &[(1, ch)]),
            ],
        )
    };
    let j = judge(11, &model(vec![counter.clone()]));
    assert_eq!(j.verdict, Verdict::NoData, "{}", j.summary);
    let j = judge(11, &model(vec![counter.clone(), handoff(100.0)]));
    assert_eq!(j.verdict, Verdict::NoData, "rules 7 and 8 unmeasured");
    assert!(j.summary.contains("holds so far"), "{}", j.summary);
    let channel_ahead = |id: &str| {
        scenario(
            id,
            vec![
                series("mu", Some(Mutex), &[(2, 10.0)]),
                series("ch", Some(Channel), &[(2, 40.0)]),
            ],
        )
    };
    let all = model(vec![
        counter.clone(),
        handoff(100.0),
        channel_ahead("pipeline/square-sum/hot"),
        channel_ahead("signal/completion"),
    ]);
    let j = judge(11, &all);
    assert_eq!(j.verdict, Verdict::Confirmed, "{}", j.summary);
    assert_eq!(j.rests_on, vec![3, 5, 7, 8]);
    let j = judge(11, &model(vec![counter, handoff(1.0)]));
    assert_eq!(j.verdict, Verdict::Depends);
    assert_eq!(
        j.condition.as_deref(),
        Some("fails on channels for coordination")
    );
    assert!(j.summary.contains("rule 5: contradicted"), "{}", j.summary);
}
