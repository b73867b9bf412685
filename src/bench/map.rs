//! `map/<scenario>/<mix>/<distribution>` with extra maps: the scenarios of
//! this crate's `benches/map.rs`, with any [`Map`] added.
//!
//! Groups: for each [`Scenario`], each of its mixes under uniform and zipf
//! keys (every strategy [`map::offered`] there), then its extreme mix under
//! uniform keys for the built-ins of [`map::READ_SHARE_AXIS`] only; last,
//! for each scenario, its [`Scenario::large_mix`] at the large map size
//! (`…/uniform/large`, [`map::size`]) for the built-ins of
//! [`size::LARGE_AXIS`] only (not in the `quick` profile). The extras follow the built-ins in every group
//! whose scenario offers them.

use crate::bench::{Builtins, Check, Context, Keep, extras_tuples};
use crate::harness::{Declare, Only, Profile};
use crate::map::size::{self, Machine};
use crate::map::{self, Config, Distribution, KeySpace, Map, Scenario, Visit};

/// Extra maps: `()` for none, or a tuple of up to four [`Map`] types, e.g.
/// `(MyMap,)`.
pub trait Maps {
    /// Visits, in tuple order, each extra map.
    fn visit(v: &mut impl Visit);
}

macro_rules! each_map {
    ($($m:ident),*) => {
        #[allow(unused_variables)]
        fn visit(v: &mut impl Visit) {
            $(v.visit::<$m>();)*
        }
    };
}
extras_tuples!(Maps, Map, each_map);

/// The built-in maps `builtins` keeps (only those named in `only`, when
/// given), then the extras `X`, offered in `scenario` with `config`, at
/// `threads` threads.
pub fn strategies<X: Maps>(
    scenario: Scenario,
    threads: usize,
    config: Config,
    builtins: Builtins<'_>,
    only: Option<&[&str]>,
    d: &mut impl Declare,
) {
    let mut keep = Keep { d, builtins };
    match only {
        Some(names) => map::declare(
            scenario,
            threads,
            config,
            &mut Only {
                d: &mut keep,
                names,
            },
        ),
        None => map::declare(scenario, threads, config, &mut keep),
    }
    struct Offered<'a, D> {
        d: &'a mut D,
        scenario: Scenario,
        threads: usize,
        config: Config,
    }
    impl<D: Declare> Visit for Offered<'_, D> {
        fn visit<M: Map>(&mut self) {
            if map::offered::<M>(self.scenario, &self.config) {
                self.d.declare(map::spec::<M>(self.threads, self.config));
            }
        }
    }
    X::visit(&mut Offered {
        d,
        scenario,
        threads,
        config,
    });
}

/// Every map group, measured: the built-ins `builtins` keeps and the extra
/// maps `X`. `benches/map.rs` is `run::<()>(ctx, Builtins::All)`.
pub fn run<X: Maps>(ctx: &mut Context, builtins: Builtins<'_>) {
    for scenario in Scenario::ALL {
        for mix in scenario.mixes() {
            for dist in [Distribution::Uniform, Distribution::zipf()] {
                group::<X>(ctx, builtins, scenario, Config::new(mix, dist), None);
            }
        }
        let config = Config::new(scenario.extreme_mix(), Distribution::Uniform);
        group::<X>(ctx, builtins, scenario, config, Some(map::READ_SHARE_AXIS));
    }
    // `quick` leaves the size axis out: its 42 ids build a map each, about
    // 80 s of a run that must stay within 6 minutes.
    if ctx.profile() == Profile::Quick {
        return;
    }
    let machine = Machine::here();
    let space = size::large_space(machine);
    eprintln!(
        "syncbench map: maps past the cache: {} keys, {} present (a table of about {} MiB; \
         last-level cache {})",
        space.keys(),
        space.keys() / 2,
        (space.keys() as u64 * size::TABLE_BYTES_PER_KEY) >> 20,
        machine.llc.map_or_else(
            || format!("not reported, {} MiB assumed", size::FALLBACK_LLC >> 20),
            |b| format!("{} MiB", b >> 20)
        )
    );
    for scenario in Scenario::ALL {
        let config = Config::large(scenario.large_mix(), space);
        group::<X>(ctx, builtins, scenario, config, Some(size::LARGE_AXIS));
    }
}

/// A group's id: `map/<scenario>/<mix>/<distribution>`, then `/large` at
/// the large size.
pub fn group_name(scenario: Scenario, config: &Config) -> String {
    let mut name = format!(
        "map/{}/{}/{}",
        scenario.name(),
        config.mix.name(),
        config.dist.name()
    );
    if config.is_large() {
        name.push('/');
        name.push_str(size::LARGE);
    }
    name
}

/// One group; `only` limits its built-ins to those strategies.
fn group<X: Maps>(
    ctx: &mut Context,
    builtins: Builtins<'_>,
    scenario: Scenario,
    config: Config,
    only: Option<&[&str]>,
) {
    let threads = ctx.threads();
    let mut g = ctx.group(&group_name(scenario, &config));
    for &t in &threads {
        strategies::<X>(scenario, t, config, builtins, only, &mut g);
    }
    g.finish();
}

/// The map correctness body, under contention, for the built-ins
/// `builtins` keeps and the extras `X`: every scenario and mix, uniform and
/// zipf keys, and each scenario's large-size configuration on a smaller key
/// space, at each thread count in `threads`, rounds of up to 50 000
/// operations (20 000 in debug builds) on the benches' key space. The driver
/// checks every operation's result against the model and the final state; a
/// wrong one panics naming the strategy (see [`Check`]). Returns the
/// `<group> <name>/<threads>` of each system checked.
pub fn check<X: Maps>(builtins: Builtins<'_>, threads: &[usize]) -> Vec<String> {
    let large = if cfg!(debug_assertions) {
        20_000
    } else {
        50_000
    };
    let mut checked = Vec::new();
    let mut check = |scenario: Scenario, config: Config, only: Option<&[&str]>| {
        let mut c = Check::new(large);
        for &t in threads {
            strategies::<X>(scenario, t, config, builtins, only, &mut c);
        }
        let group = group_name(scenario, &config);
        checked.extend(c.checked.into_iter().map(|id| format!("{group} {id}")));
    };
    for scenario in Scenario::ALL {
        for mix in scenario.mixes() {
            for dist in [Distribution::Uniform, Distribution::zipf()] {
                check(scenario, Config::new(mix, dist), None);
            }
        }
        // The large size's code path (long slices, the whole map compared
        // once per key-space of operations, then at the end) on a key space
        // the rounds cover.
        let space = KeySpace::new(1 << 16, 25, 50).expect("a valid key space");
        let config = Config::large(scenario.large_mix(), space).with_slice_len(1 << 14);
        check(scenario, config, Some(size::LARGE_AXIS));
    }
    checked
}
