//! One correctness test body for every map strategy, run through the same
//! driver code that benchmarks it, at T ∈ {1, 2, 4, 8}, in read-heavy and
//! write-heavy mixes under uniform and Zipf keys. The driver checks every
//! operation's result and, after every round, the whole map against the
//! model; on top of that, each run's final map must equal a sequential
//! replay of the same per-thread operations. The strategies come from the
//! list the bench target declares (`map::strategies`).

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

mod jobs;

use jobs::Jobs;
use syncbench::harness::{Family, Ids, Mix, Pool, Round, Strategy, System, Workload};
use syncbench::map::dashmap::Dash;
use syncbench::map::mutex::StdMutex;
use syncbench::map::snapshot::ArcSwapCow;
use syncbench::map::{
    self, Config, Distribution, KeySpace, Map, Mixed, Scenario, fresh_value, size,
};

const THREADS: [usize; 4] = [1, 2, 4, 8];

/// Operations per large round: enough for every thread to contend for a
/// while (and to wrap its op slice and churn window several times), scaled
/// down in debug builds. The actor's request/reply round trips, blocking on
/// an oversubscribed machine, set the ceiling.
const OPS: u64 = if cfg!(debug_assertions) {
    20_000
} else {
    50_000
};

/// Round sizes: empty, fewer ops than threads, uneven shares, large.
fn rounds() -> [u64; 5] {
    [0, 1, 7, OPS, OPS + 13]
}

/// A smaller key space than the benches' (copy-on-write clones it per
/// write), and a short op slice so that cursors wrap within a round.
fn config(mix: Mix, dist: Distribution) -> Config {
    let keys = if cfg!(debug_assertions) { 2048 } else { 8192 };
    Config::new(mix, dist)
        .with_space(KeySpace::new(keys, 25, 50).unwrap())
        .with_slice_len(1 << 12)
}

/// Every mix of both scenarios, alternating the key distribution.
fn configs<M: Map>() -> Vec<Config> {
    let mut out = Vec::new();
    for scenario in Scenario::ALL.into_iter().filter(|s| s.offers::<M>()) {
        for (i, mix) in scenario.mixes().into_iter().enumerate() {
            let dist = if i == 0 {
                Distribution::Uniform
            } else {
                Distribution::zipf()
            };
            out.push(config(mix, dist));
        }
        // The axis ends, for the strategies measured there.
        if map::READ_SHARE_AXIS.contains(&M::NAME) {
            out.push(config(scenario.extreme_mix(), Distribution::Uniform));
        }
        // The large size's schedule of whole-map checks, for its strategies.
        if size::LARGE_AXIS.contains(&M::NAME) {
            out.push(large_config(scenario.large_mix()));
        }
    }
    out
}

/// The large size's configuration (`Config::large`: the whole map compared
/// once per key-space of operations, then at the end) on the tests' key
/// space.
fn large_config(mix: Mix) -> Config {
    let small = config(mix, Distribution::Uniform);
    Config::large(mix, small.space).with_slice_len(small.slice_len)
}

/// The same per-thread operations run one thread after another on a plain
/// mutex-guarded map: the sequential model of the final state.
fn sequential_replay(threads: usize, config: Config) -> Vec<(u64, u64)> {
    let model = Mixed::<StdMutex>::new(threads, config);
    let mut workers: Vec<_> = (0..threads).map(|i| model.worker(i, threads)).collect();
    for total in rounds() {
        for (index, w) in workers.iter_mut().enumerate() {
            let round = Round {
                total,
                ops: Round::share(total, index, threads),
                index,
                threads,
                instrumented: false,
            };
            model.run(w, &round);
        }
        model.after_round(total);
    }
    sorted(model.map().entries())
}

fn sorted(mut entries: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    entries.sort_unstable();
    entries
}

/// The one body every strategy goes through.
fn exercise<M: Map>(threads: usize, config: Config) {
    let mut pool = map::mixed::<M>(threads, config);
    for ops in rounds() {
        pool.run(ops);
    }
    let state = sorted(pool.workload().map().entries());
    assert_eq!(
        state,
        sequential_replay(threads, config),
        "{} (threads={threads}): final map differs from the sequential replay",
        M::NAME
    );
    let stats = pool.run_instrumented(1_000);
    assert_eq!(stats.ops, 1_000);
    pool.finish();
}

/// Queues every scenario `M` is offered in, at every T in [`THREADS`], for
/// every strategy in the benches' list (`map::strategies`): every
/// benchmarked strategy is checked, and nothing else.
struct Check<'a>(&'a mut Jobs);

impl map::Visit for Check<'_> {
    fn visit<M: Map>(&mut self) {
        for t in THREADS {
            self.0.push(format!("{}/{t}", M::NAME), move || {
                for c in configs::<M>() {
                    exercise::<M>(t, c);
                }
            });
        }
    }
}

#[test]
fn every_strategy() {
    let mut jobs = Jobs::new();
    map::strategies(&mut Check(&mut jobs));
    jobs.run();
}

/// The list declares something in every group, with non-empty ids, none
/// twice at one thread count.
#[test]
fn the_list_is_well_formed() {
    for scenario in Scenario::ALL {
        for mix in scenario.mixes() {
            for t in THREADS {
                let config = Config::new(mix, Distribution::Uniform);
                Ids::of(|d| map::declare(scenario, t, config, d))
                    .check()
                    .unwrap();
            }
        }
    }
}

/// Zipf groups measure every strategy of the uniform group but the
/// uniform-only one (`ttas-mutex`), so every family, spinlocks included,
/// still has a member there.
#[test]
fn zipf_groups_drop_only_the_uniform_only_strategy() {
    for scenario in Scenario::ALL {
        for mix in scenario.mixes() {
            let ids = |dist| Ids::of(|d| map::declare(scenario, 2, Config::new(mix, dist), d));
            let (uniform, zipf) = (ids(Distribution::Uniform), ids(Distribution::zipf()));
            zipf.check().unwrap();
            let dropped: Vec<&str> = uniform
                .names()
                .into_iter()
                .filter(|n| !zipf.names().contains(n))
                .collect();
            assert_eq!(
                dropped,
                ["ttas-mutex"],
                "{} {}",
                scenario.name(),
                mix.name()
            );
            let families = |ids: &Ids| {
                let mut f: Vec<_> = ids.0.iter().map(|id| id.family).collect();
                f.sort();
                f.dedup();
                f
            };
            assert_eq!(families(&uniform), families(&zipf));
        }
    }
}

/// Every name of the large size's subset is a strategy of the list, offered
/// in both scenarios.
#[test]
fn the_large_axis_names_listed_strategies() {
    let space = KeySpace::new(1 << 12, 25, 50).unwrap();
    for scenario in Scenario::ALL {
        let config = Config::large(scenario.large_mix(), space);
        assert!(config.is_large() && config.dist == Distribution::Uniform);
        let all = Ids::of(|d| map::declare(scenario, 2, config, d));
        for name in size::LARGE_AXIS {
            assert!(all.0.iter().any(|id| id.name == *name), "{name}");
        }
    }
}

/// Every name of the read-share axis subset is a strategy of the list (a
/// typo would silently measure nothing there).
#[test]
fn the_read_share_axis_names_listed_strategies() {
    let config = Config::new(Scenario::ReadHeavy.extreme_mix(), Distribution::Uniform);
    let all = Ids::of(|d| map::declare(Scenario::ReadHeavy, 2, config, d));
    for name in map::READ_SHARE_AXIS {
        assert!(all.0.iter().any(|id| id.name == *name), "{name}");
    }
    let only = Ids::of(|d| {
        map::declare(
            Scenario::WriteHeavy,
            2,
            config,
            &mut syncbench::harness::Only {
                d,
                names: map::READ_SHARE_AXIS,
            },
        )
    });
    only.check().unwrap();
    assert_eq!(
        only.0.len(),
        map::READ_SHARE_AXIS.len() - 1,
        "no cow at 0/100"
    );
}

#[test]
fn copy_on_write_is_offered_in_read_heavy_scenarios_only() {
    assert!(Scenario::ReadHeavy.offers::<ArcSwapCow>());
    assert!(!Scenario::WriteHeavy.offers::<ArcSwapCow>());
    assert!(Scenario::WriteHeavy.offers::<Dash>());
    // The two read-heavy mixes and 100/0; std's mutex: four mixes and both ends.
    assert_eq!(configs::<ArcSwapCow>().len(), 3);
    assert_eq!(configs::<StdMutex>().len(), 6);
}

// ---- Wrong strategies: the checks must catch each of them. ----

/// Which mistake a [`Faulty`] map makes, once every `EVERY` calls.
const LOSES_INSERTS: u8 = 0;
const LOSES_UPDATES: u8 = 1;
const FORGETS_LOOKUPS: u8 = 2;
const INVENTS_LOOKUPS: u8 = 3;
const LOSES_REMOVES: u8 = 4;
const HIDES_ENTRIES: u8 = 5;
const EVERY: u64 = 50;

/// A mutex-guarded map with one deliberate fault.
struct Faulty<const FAULT: u8> {
    inner: StdMutex,
    calls: AtomicU64,
}

impl<const FAULT: u8> Faulty<FAULT> {
    fn strikes(&self) -> bool {
        self.calls.fetch_add(1, Relaxed) % EVERY == EVERY - 1
    }
}

impl<const FAULT: u8> Strategy for Faulty<FAULT> {
    const NAME: &'static str = "faulty";
    const FAMILY: Family = Family::Mutex;
}

impl<const FAULT: u8> Map for Faulty<FAULT> {
    type Local = ();
    fn new(entries: &[(u64, u64)], capacity: usize, threads: usize) -> Self {
        Faulty {
            inner: StdMutex::new(entries, capacity, threads),
            calls: AtomicU64::new(0),
        }
    }
    fn local(&self, _: usize) {}
    fn get(&self, l: &mut (), key: u64) -> Option<u64> {
        let got = self.inner.get(l, key);
        match FAULT {
            FORGETS_LOOKUPS if self.strikes() => None,
            INVENTS_LOOKUPS if got.is_none() => Some(fresh_value(key)),
            _ => got,
        }
    }
    fn insert(&self, l: &mut (), key: u64, value: u64) -> Option<u64> {
        if FAULT == LOSES_INSERTS && self.strikes() {
            return None;
        }
        self.inner.insert(l, key, value)
    }
    fn remove(&self, l: &mut (), key: u64) -> Option<u64> {
        if FAULT == LOSES_REMOVES && self.strikes() {
            return self.inner.get(l, key);
        }
        self.inner.remove(l, key)
    }
    fn update(&self, l: &mut (), key: u64) -> Option<u64> {
        if FAULT == LOSES_UPDATES && self.strikes() {
            return self.inner.get(l, key);
        }
        self.inner.update(l, key)
    }
    fn entries(&self) -> Vec<(u64, u64)> {
        let mut all = self.inner.entries();
        if FAULT == HIDES_ENTRIES {
            all.pop();
        }
        all
    }
}

fn run_faulty<const FAULT: u8>(read: u32, write: u32) {
    let mix = Mix::new(read, write).unwrap();
    let mut pool: Pool<_> = map::mixed::<Faulty<FAULT>>(2, config(mix, Distribution::zipf()));
    for ops in rounds() {
        pool.run(ops);
    }
}

/// At the large size's schedule, with every round too short to trigger a
/// whole-map comparison, a lost update (plausible results, a wrong final
/// state) is still caught by the last check.
#[test]
fn a_large_map_losing_updates_fails_at_the_last_check() {
    let mix = Mix::new(10, 90).unwrap();
    let config = large_config(mix).with_check_every(u64::MAX);
    let mut pool: Pool<_> = map::mixed::<Faulty<LOSES_UPDATES>>(2, config);
    for ops in rounds() {
        pool.run(ops);
    }
    let lost = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pool.finish()));
    let message = lost.expect_err("the last check must catch the lost updates");
    let text = message
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| message.downcast_ref::<&str>().copied())
        .unwrap_or("");
    assert!(text.contains("threads performed"), "{text}");
}

#[test]
#[should_panic(expected = "remove of key")]
fn a_map_losing_inserts_fails() {
    // The lost key's later remove finds nothing.
    run_faulty::<LOSES_INSERTS>(50, 50);
}

#[test]
#[should_panic(expected = "threads performed")]
fn a_map_losing_updates_fails() {
    // Every result looks plausible; only the final state shows it.
    run_faulty::<LOSES_UPDATES>(50, 50);
}

#[test]
#[should_panic(expected = "lookup (must hit)")]
fn a_map_forgetting_present_keys_fails() {
    run_faulty::<FORGETS_LOOKUPS>(99, 1);
}

#[test]
#[should_panic(expected = "lookup (must miss)")]
fn a_map_inventing_absent_keys_fails() {
    run_faulty::<INVENTS_LOOKUPS>(99, 1);
}

#[test]
#[should_panic(expected = "insert (must be absent)")]
fn a_map_losing_removes_fails() {
    // The key that stayed is found again by its owner's next insert.
    run_faulty::<LOSES_REMOVES>(10, 90);
}

#[test]
#[should_panic(expected = "missing but the model says present")]
fn a_map_losing_an_entry_fails() {
    run_faulty::<HIDES_ENTRIES>(90, 10);
}
