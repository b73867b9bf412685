//! The "what to use" rows on synthetic scenarios: aggregation per regime, family
//! wins, ties, floors and the wording of each answer.

use crate::report::analyse::advice::*;
use crate::report::analyse::decide::decide_all;
use crate::report::analyse::decide::tests::{scenario, series};
use crate::report::analyse::rules::judge_all;
use crate::report::analyse::stats::Floor;
use Family::{Atomic, Batched, Channel, DataParallel, Mutex, RwLock, Sharded, Snapshot, Spin};

pub(crate) fn advice(scenarios: Vec<Scenario>, cpus: usize, floor: &Floor) -> Vec<Advice> {
    let model = Model { scenarios };
    let decisions = decide_all(&model, floor);
    let verdicts = judge_all(RULES, &model, floor);
    advise(SITUATIONS, &model, &decisions, &verdicts, cpus)
}

pub(crate) fn row<'a>(a: &'a [Advice], id: &str) -> &'a Advice {
    a.iter().find(|x| x.situation.id == id).unwrap()
}

#[test]
fn situation_ids_are_unique_and_rules_registered() {
    let mut ids: Vec<&str> = SITUATIONS.iter().map(|s| s.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), SITUATIONS.len());
    for s in SITUATIONS {
        assert!(!s.scopes.is_empty(), "{}", s.id);
        for id in s.rules {
            assert!(RULES.iter().any(|r| r.id == *id), "{}: {id}", s.id);
        }
    }
}

#[test]
fn scopes_and_labels() {
    assert!(matches("counter/read-mostly/", "counter/read-mostly/90-10"));
    assert!(!matches(
        "counter/read-mostly/",
        "counter/read-mostly-config/a"
    ));
    assert!(matches(
        "counter/read-mostly-*",
        "counter/read-mostly-config/a"
    ));
    assert!(!matches("counter/read-mostly-*", "counter/read-mostly/a"));
    assert_eq!(
        label("map/read-heavy/", "map/read-heavy/99-1/zipf"),
        "99-1/zipf"
    );
    assert_eq!(label("signal/ping-pong", "signal/ping-pong"), "ping-pong");
    assert_eq!(
        label("counter/read-mostly-*", "counter/read-mostly-config/90-10"),
        "read-mostly-config/90-10"
    );
    assert_eq!(Regime::of(1, 2), Regime::One);
    assert_eq!(Regime::of(2, 2), Regime::UpToCores);
    assert_eq!(Regime::of(4, 2), Regime::Oversubscribed);
    assert_eq!(Regime::of(2, 1), Regime::Oversubscribed);
}

#[test]
fn one_winner_everywhere() {
    let a = advice(
        vec![
            scenario(
                "counter/increment/hot",
                vec![
                    series(
                        "atomic",
                        Some(Atomic),
                        &[(1, 400.0), (2, 300.0), (4, 300.0)],
                    ),
                    series("mutex", Some(Mutex), &[(1, 100.0), (2, 50.0), (4, 40.0)]),
                    series("actor", Some(Channel), &[(1, 10.0), (2, 10.0), (4, 10.0)]),
                ],
            ),
            scenario(
                "counter/increment/warm",
                vec![
                    series(
                        "atomic",
                        Some(Atomic),
                        &[(1, 200.0), (2, 300.0), (4, 300.0)],
                    ),
                    series("mutex", Some(Mutex), &[(1, 100.0), (2, 100.0), (4, 100.0)]),
                    series("actor", Some(Channel), &[(1, 50.0), (2, 50.0), (4, 50.0)]),
                ],
            ),
        ],
        2,
        &Floor::default(),
    );
    assert_eq!(a.len(), 1, "only the counter situation has data");
    let c = row(&a, "shared-counter");
    assert_eq!(c.scenarios.len(), 2);
    for r in &c.regimes {
        assert_eq!(r.parts.len(), 1, "{r:?}");
        assert_eq!(r.parts[0].answer, Answer::Winner("atomic".into()));
        assert_eq!(r.cells.len(), 2);
    }
    assert_eq!(
        c.regimes[0].text(),
        "**atomic** (2.0-4.0x over the runner-up; 2.0-4.0x over the guide's `mutex`)"
    );
    assert_eq!(
        c.regimes[2].text(),
        "**atomic** (3.0-7.5x over the runner-up; 3.0-7.5x over the guide's `mutex`)"
    );
    // The actor is 10x slower at 1 thread hot only... and 30x at 4.
    let avoid: Vec<String> = c.avoid.iter().map(Avoid::text).collect();
    assert_eq!(avoid, ["`actor` (30-40x slower in 3 of 6 cells)"]);
    assert_eq!(c.rules[0].id, 1);
    assert_eq!(c.rules[0].here, Verdict::Confirmed);
    assert_eq!(
        c.rules[0].text(),
        "**confirmed** here (6 for, 0 against, 0 tied)"
    );
}

#[test]
fn a_familys_win_is_one_answer_naming_its_members() {
    let a = advice(
        vec![scenario(
            "counter/increment/hot",
            vec![
                series("s1", Some(Spin), &[(1, 300.0), (2, 300.0), (4, 295.0)]),
                series("s2", Some(Spin), &[(1, 296.0), (2, 299.0), (4, 300.0)]),
                series("mutex", Some(Mutex), &[(1, 100.0), (2, 100.0), (4, 100.0)]),
            ],
        )],
        2,
        &Floor::default(),
    );
    let c = row(&a, "shared-counter");
    for r in &c.regimes {
        assert_eq!(r.parts.len(), 1, "{r:?}");
        let Answer::Family(f, members) = &r.parts[0].answer else {
            panic!("{r:?}");
        };
        assert_eq!(f, "spin");
        let mut m = members.clone();
        m.sort();
        assert_eq!(m, ["s1", "s2"]);
        let text = r.text();
        assert!(text.starts_with("**any spin**: `s"), "{text}");
        assert!(text.contains("over the best of another family"), "{text}");
    }
}

#[test]
fn winner_changes_with_the_regime_and_the_scenario() {
    let map = |id: &str, sharded_at_4: f64| {
        scenario(
            id,
            vec![
                series("mutex", Some(Mutex), &[(1, 100.0), (2, 50.0), (4, 40.0)]),
                series(
                    "sharded",
                    Some(Sharded),
                    &[(1, 40.0), (2, 120.0), (4, sharded_at_4)],
                ),
                series("rw", Some(RwLock), &[(1, 9.0), (2, 9.0), (4, 9.0)]),
            ],
        )
    };
    let a = advice(
        vec![
            map("map/read-heavy/99-1/uniform", 200.0),
            map("map/read-heavy/99-1/zipf", 10.0),
        ],
        2,
        &Floor::default(),
    );
    let m = row(&a, "read-heavy-map");
    let texts: Vec<String> = m.regimes.iter().map(RegimeAnswer::text).collect();
    // The guide recommends an RwLock here (rule 4 comes first).
    assert_eq!(
        texts[0],
        "**mutex** (2.5x over the runner-up; 11x over the guide's `rw`)"
    );
    assert_eq!(
        texts[1],
        "**sharded** (2.4x over the runner-up; 13x over the guide's `rw`)"
    );
    assert_eq!(
        texts[2],
        "**sharded** (uniform; 5.0x over the runner-up; 22x over the guide's `rw`); \
         **mutex** (zipf; 4.0x over the runner-up; 4.4x over the guide's `rw`)"
    );
    // Rule 4 (RwLock over Mutex) is contradicted on these cells.
    assert_eq!(m.rules[0].id, 4);
    assert_eq!(m.rules[0].here, Verdict::Contradicted);
}

#[test]
fn ties_say_any_of_and_floor_cells_say_so() {
    let floor = Floor {
        noop_ns: 0.3,
        measured: true,
        cpus: 2,
    };
    let a = advice(
        vec![
            scenario(
                "counter/increment/hot",
                vec![
                    // At the floor together at 1 and 2 threads.
                    series("batch", Some(Batched), &[(1, 2000.0), (2, 4000.0)]),
                    series("fold", Some(DataParallel), &[(1, 3000.0), (2, 3500.0)]),
                    series("mutex", Some(Mutex), &[(1, 100.0), (2, 50.0)]),
                    series("actor", Some(Channel), &[(1, 5.0), (2, 2.0)]),
                ],
            ),
            scenario(
                "counter/increment/warm",
                vec![
                    series("mutex", Some(Mutex), &[(1, 100.0), (2, 50.0)]),
                    series("atomic", Some(Atomic), &[(1, 99.0), (2, 150.0)]),
                    series("actor", Some(Channel), &[(1, 5.0), (2, 2.0)]),
                ],
            ),
        ],
        2,
        &floor,
    );
    let c = row(&a, "shared-counter");
    let one = &c.regimes[0];
    assert_eq!(one.parts.len(), 2);
    assert_eq!(
        one.text(),
        "unclear: `mutex`, `atomic` (warm; this machine cannot tell them apart within the \
         practical margin; the guide's side among them); \
         any of `fold`, `batch` (hot; at the harness floor, at least 20x over the best off it)"
    );
    assert_eq!(
        c.regimes[1].text(),
        "**atomic** (warm; 3.0x over the runner-up; 3.0x over the guide's `mutex`); \
         any of `batch`, `fold` (hot; at the harness floor, at least 70x over the best off it)"
    );
    assert_eq!(c.regimes[2].text(), "-", "nothing measured oversubscribed");
}

#[test]
fn where_names_thread_counts_when_every_scenario_splits_alike() {
    let s = |id: &str| {
        scenario(
            id,
            vec![
                series("mutex", Some(Mutex), &[(4, 100.0), (8, 10.0)]),
                series("atomic", Some(Atomic), &[(4, 10.0), (8, 100.0)]),
            ],
        )
    };
    let a = advice(
        vec![s("counter/increment/hot"), s("counter/increment/warm")],
        2,
        &Floor::default(),
    );
    let over = &row(&a, "shared-counter").regimes[2];
    assert_eq!(over.parts.len(), 2);
    assert_eq!(over.parts[0].answer, Answer::Winner("mutex".into()));
    assert_eq!(
        over.where_text(&over.parts[0]).as_deref(),
        Some("at 4 threads")
    );
    assert_eq!(
        over.where_text(&over.parts[1]).as_deref(),
        Some("at 8 threads")
    );
}

/// A read-mostly situation: `atomic` is measured for the counter only,
/// `seqlock` for the struct only, the locks for both.
fn read_mostly(mutex_on_struct: f64) -> Vec<Scenario> {
    vec![
        scenario(
            "counter/read-mostly/90-10",
            vec![
                series(
                    "atomic",
                    Some(Atomic),
                    &[(1, 170.0), (2, 300.0), (4, 280.0)],
                ),
                series("mutex", Some(Mutex), &[(1, 10.0), (2, 20.0), (4, 20.0)]),
                series("rw", Some(RwLock), &[(1, 8.0), (2, 9.0), (4, 9.0)]),
            ],
        ),
        scenario(
            "counter/read-mostly-struct/99-1",
            vec![
                series(
                    "seqlock",
                    Some(Snapshot),
                    &[(1, 50.0), (2, 90.0), (4, 85.0)],
                ),
                series(
                    "mutex",
                    Some(Mutex),
                    &[
                        (1, mutex_on_struct),
                        (2, mutex_on_struct),
                        (4, mutex_on_struct),
                    ],
                ),
                series("rw", Some(RwLock), &[(1, 8.0), (2, 9.0), (4, 9.0)]),
            ],
        ),
    ]
}

#[test]
fn a_mixed_situation_leads_with_the_strategy_where_it_applies_and_a_pick_elsewhere() {
    let a = advice(read_mostly(10.0), 2, &Floor::default());
    let r = row(&a, "read-mostly").robust.clone().unwrap();
    // Measured in every cell, `mutex` is at worst 17x behind `atomic`.
    let w = r.applies.as_ref().expect("two parts");
    assert_eq!(
        (w.strategy.as_str(), w.cells.len(), w.worst),
        ("atomic", 3, 1.0)
    );
    assert!(w.cells.iter().all(|c| c.label == "90-10"));
    assert_eq!(
        (r.strategy.as_str(), r.cells.len(), r.of),
        ("seqlock", 3, 6)
    );
    assert_eq!(r.worst, 1.0);
    assert!(r.exceptions.is_empty(), "{r:?}");
    assert_eq!(
        r.text(),
        "**atomic** where it applies (3 of 6 cells): the best in each; elsewhere \
         **seqlock**: the best in each"
    );
    assert_eq!(
        r.terminal_line(),
        "atomic where it applies, 3 of 6 cells (the best in each); elsewhere seqlock (the \
         best in each)"
    );
    assert_eq!(r.exceptions_text(), "-");
}

#[test]
fn the_parts_state_their_worst_and_the_exceptions_follow_the_part_that_applies() {
    let mut s = read_mostly(10.0);
    // `mutex` 2x ahead of `seqlock` at 1 thread of the struct; `atomic`
    // 1.2x behind `spin` at 4 threads of the counter (no exception).
    s[1].series[1] = series("mutex", Some(Mutex), &[(1, 100.0), (2, 10.0), (4, 10.0)]);
    s[0].series.push(series("spin", Some(Spin), &[(4, 336.0)]));
    let a = advice(s, 2, &Floor::default());
    let r = row(&a, "read-mostly").robust.clone().unwrap();
    let w = r.applies.as_ref().unwrap();
    assert_eq!(w.strategy, "atomic");
    assert!((w.worst - 1.2).abs() < 1e-9, "{w:?}");
    assert_eq!(r.strategy, "seqlock");
    assert!((r.worst - 2.0).abs() < 1e-9, "{r:?}");
    assert_eq!(r.exceptions.len(), 1, "{r:?}");
    assert_eq!(
        (
            r.exceptions[0].strategy.as_str(),
            r.exceptions[0].at.threads
        ),
        ("mutex", 1)
    );
    assert_eq!(
        r.text(),
        "**atomic** where it applies (3 of 6 cells): never more than 1.20x from the best \
         there (worst: 90-10, 4 threads); elsewhere **seqlock**: never more than 2.0x \
         (worst: read-mostly-struct/99-1, 1 thread)"
    );
    assert_eq!(
        r.terminal_line(),
        "atomic where it applies, 3 of 6 cells (never more than 1.20x from the best, worst \
         at 90-10, 4 threads); elsewhere seqlock (never more than 2.0x, worst at \
         read-mostly-struct/99-1, 1 thread; 1 exception, e.g. mutex 2.0x at \
         read-mostly-struct/99-1, 1 thread)"
    );
}

#[test]
fn a_pick_within_the_margin_everywhere_stays_one_pick() {
    // The counter's `atomic` is 1.25x ahead at most of `mutex`, which is
    // within 1.25x of `seqlock` on the struct: one pick.
    let s = vec![
        scenario(
            "counter/read-mostly/90-10",
            vec![
                series("atomic", Some(Atomic), &[(1, 12.5), (2, 12.0)]),
                series("mutex", Some(Mutex), &[(1, 10.0), (2, 10.0)]),
            ],
        ),
        scenario(
            "counter/read-mostly-struct/99-1",
            vec![
                series("seqlock", Some(Snapshot), &[(1, 12.0), (2, 11.0)]),
                series("mutex", Some(Mutex), &[(1, 10.0), (2, 10.0)]),
            ],
        ),
    ];
    let a = advice(s, 2, &Floor::default());
    let r = row(&a, "read-mostly").robust.clone().unwrap();
    assert_eq!(r.strategy, "mutex");
    assert_eq!(r.applies, None);
    assert!((r.worst - 1.25).abs() < 1e-9);
    assert_eq!(
        r.text(),
        "**mutex**: never more than 1.25x from the best here (worst: 90-10, 1 thread)"
    );
}

#[test]
fn the_two_part_pick_is_deterministic() {
    // `atomic` and `seqlock` each bring the worst down to 1.0 over the
    // same number of cells: the name decides, whatever the order of the
    // scenarios and series.
    let mut s = read_mostly(10.0);
    let a = advice(s.clone(), 2, &Floor::default());
    for x in &mut s {
        x.series.reverse();
    }
    s.reverse();
    let b = advice(s, 2, &Floor::default());
    let (ra, rb) = (
        row(&a, "read-mostly").robust.clone().unwrap(),
        row(&b, "read-mostly").robust.clone().unwrap(),
    );
    assert_eq!(ra.text(), rb.text());
    assert_eq!(
        ra.applies.map(|w| w.strategy),
        rb.applies.map(|w| w.strategy)
    );
    assert_eq!(ra.strategy, rb.strategy);
}

/// A write-heavy map whose small cells favour `mutex` and whose large
/// cells favour `dashmap` by `large_ratio`.
pub(crate) fn sized_maps(large_ratio: f64) -> Vec<Scenario> {
    vec![
        scenario(
            "map/write-heavy/10-90/uniform",
            vec![
                series("mutex", Some(Mutex), &[(1, 20.0), (2, 18.0)]),
                series("dashmap", Some(Sharded), &[(1, 10.0), (2, 12.0)]),
            ],
        ),
        scenario(
            "map/write-heavy/10-90/uniform/large",
            vec![
                series("mutex", Some(Mutex), &[(1, 10.0), (2, 10.0)]),
                series(
                    "dashmap",
                    Some(Sharded),
                    &[(1, 10.0 * large_ratio), (2, 10.0 * large_ratio)],
                ),
            ],
        ),
    ]
}

#[test]
fn a_map_situation_at_both_sizes_gets_a_pick_per_size() {
    use crate::report::analyse::advice::robust::MapSize;
    let a = advice(sized_maps(2.0), 2, &Floor::default());
    let r = row(&a, "write-heavy-map");
    let picks: Vec<(MapSize, &str)> = r
        .sizes
        .iter()
        .map(|z| (z.size, z.robust.strategy.as_str()))
        .collect();
    assert_eq!(
        picks,
        [(MapSize::Small, "mutex"), (MapSize::Large, "dashmap")]
    );
    // One size alone: no per-size picks.
    let mut one = sized_maps(2.0);
    one.pop();
    let a = advice(one, 2, &Floor::default());
    assert!(row(&a, "write-heavy-map").sizes.is_empty());
    assert_eq!(
        MapSize::of("map/read-heavy/99-1/uniform/large"),
        MapSize::Large
    );
    assert_eq!(MapSize::of("map/read-heavy/99-1/uniform"), MapSize::Small);
}
