//! `syncbench::bench` as another crate uses it: with `Builtins::All` and no
//! extras it declares exactly the workload lists (the crate's own benches
//! keep their ids and order), extras follow the built-ins, `Only` keeps the
//! named built-ins, and the checks run the correctness body on extras.

use syncbench::bench::{self, Builtins};
use syncbench::counter;
use syncbench::handoff::mutex::MutexCondvar;
use syncbench::handoff::{self, Capacity, Shape};
use syncbench::harness::{Hot, Ids};
use syncbench::map::{self, Config, Distribution, Scenario};

const SMALL: Capacity = Capacity::Bounded(64);

#[test]
fn all_builtins_and_no_extras_declare_the_lists_unchanged() {
    for shape in [Shape::Spsc, Shape::Mpsc(2), Shape::Mpmc(2)] {
        for cap in [Capacity::Bounded(0), SMALL, Capacity::Unbounded] {
            let list = Ids::of(|d| handoff::strategies::<u64>(shape, cap, d));
            let ours =
                Ids::of(|d| bench::handoff::strategies::<u64, ()>(shape, cap, Builtins::All, d));
            assert_eq!(list.0, ours.0, "{shape:?} {cap:?}");
        }
    }
    let list = Ids::of(|d| counter::increment_strategies(2, Hot, d));
    let ours = Ids::of(|d| {
        bench::counter::increment_strategies::<_, ()>(2, Hot, Builtins::All, &[], None, d)
    });
    assert_eq!(list.0, ours.0);
    for scenario in Scenario::ALL {
        for mix in scenario.mixes() {
            let config = Config::new(mix, Distribution::Uniform);
            let list = Ids::of(|d| map::declare(scenario, 2, config, d));
            let ours = Ids::of(|d| {
                bench::map::strategies::<()>(scenario, 2, config, Builtins::All, None, d)
            });
            assert_eq!(list.0, ours.0, "{}", scenario.name());
        }
    }
}

#[test]
fn extras_follow_the_builtins_that_are_kept() {
    let ids = Ids::of(|d| {
        bench::handoff::strategies::<u64, (MutexCondvar,)>(
            Shape::Spsc,
            SMALL,
            Builtins::Only(&["crossbeam-bounded-64"]),
            d,
        )
    });
    assert_eq!(
        ids.names(),
        ["crossbeam-bounded-64", "mutex-condvar-bounded-64"]
    );
    let ids = Ids::of(|d| {
        bench::counter::increment_strategies::<_, (counter::atomic::AtomicCas,)>(
            4,
            Hot,
            Builtins::None,
            &[],
            None,
            d,
        )
    });
    assert_eq!(ids.names(), ["atomic-cas"]);
    assert_eq!(ids.0[0].parameter, 4);
}

#[test]
fn the_checks_run_the_correctness_body_on_extras() {
    let signals = bench::signal::check::<(syncbench::signal::spin::Spin,)>(Builtins::None, &[2]);
    assert_eq!(signals.len(), 2, "{signals:?}");
    let gauges =
        bench::counter::check_gauges::<(counter::mutex::StdMutex,)>(Builtins::None, &[1, 2]);
    assert_eq!(gauges.len(), 4, "{gauges:?}");
    let maps = bench::map::check::<(map::mutex::StdMutex,)>(Builtins::Only(&["dashmap"]), &[2]);
    assert!(maps.iter().any(|id| id.contains("std-mutex/2")), "{maps:?}");
    assert!(maps.iter().any(|id| id.contains("dashmap/2")), "{maps:?}");
}
