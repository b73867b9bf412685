//! Rule 10, "every goroutine must have an exit path", as a test: every
//! strategy of every workload's lists (counter, map, handoff, pipeline,
//! signal, lifecycle, tasks on runtimes of both flavours) is built, run for
//! one small round and dropped, and the process's threads
//! (`/proc/self/task`) must be back to their count before it was built
//! ([`syncbench::harness::exit::check`]).
//!
//! One `#[test]` does it all, one system at a time: the count is the whole
//! process's, so no other test of this binary may start or end threads
//! meanwhile. A deliberately leaking strategy, checked last, must be
//! reported by name.

use std::time::Duration;

use syncbench::channels::Capacity;
use syncbench::handoff::{self, Shape};
use syncbench::harness::exit::{self, ExitCheck};
use syncbench::harness::{Declare, Hot, Mix, Spec, System};
use syncbench::lifecycle::{self, ItemWork};
use syncbench::map::{self, Config, Distribution, KeySpace, Scenario};
use syncbench::tasks::shared::{Section, State};
use syncbench::{counter, pipeline, signal, tasks};

/// Bound on the one round each system runs.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Operations in that round.
const OPS: u64 = 16;

/// Checks every system a list declares, at once and one at a time.
#[derive(Default)]
struct Exits {
    checked: Vec<(String, ExitCheck)>,
}

impl Declare for Exits {
    fn declare<Sys: System + 'static, F: FnOnce() -> Sys + Send + 'static>(
        &mut self,
        spec: Spec<F>,
    ) {
        let name = format!("{}/{}", spec.name(), spec.parameter());
        let build = move || {
            let mut s = spec.build();
            s.set_round_timeout(TIMEOUT);
            s
        };
        let found = exit::check(build, OPS).expect("Linux lists a process's threads");
        self.checked.push((name, found));
    }
}

impl Exits {
    /// The systems that left threads behind, with how many.
    fn leaks(&self) -> Vec<(String, i64)> {
        self.checked
            .iter()
            .filter(|(_, c)| c.leaked > 0)
            .map(|(n, c)| (n.clone(), c.leaked))
            .collect()
    }
}

/// A test-only strategy that spawns a thread which parks forever and is
/// never joined: no exit path.
struct Leaky;

impl System for Leaky {
    fn run(&mut self, _ops: u64) -> Duration {
        Duration::ZERO
    }
}

impl Leaky {
    fn new() -> Leaky {
        std::thread::Builder::new()
            .name("leaky-park".into())
            .spawn(|| {
                loop {
                    std::thread::park();
                }
            })
            .expect("spawn");
        Leaky
    }
}

impl syncbench::harness::Strategy for Leaky {
    const NAME: &'static str = "leaky-park";
    const FAMILY: syncbench::harness::Family = syncbench::harness::Family::Park;
}

#[cfg(target_os = "linux")]
#[test]
fn every_strategy_of_every_workload_exits_when_dropped() {
    let mut e = Exits::default();
    let t = 2;
    counter::overhead_strategies(&mut e);
    counter::increment_strategies(t, Hot, &mut e);
    counter::read_mostly_strategies(t, Mix::new(90, 10).unwrap(), &mut e);
    let space = KeySpace::new(1024, 25, 50).unwrap();
    for scenario in Scenario::ALL {
        let config = Config::new(scenario.mixes()[0], Distribution::Uniform)
            .with_space(space)
            .with_slice_len(1 << 10);
        map::declare(scenario, t, config, &mut e);
    }
    for shape in [Shape::Spsc, Shape::Mpsc(t), Shape::Mpmc(t)] {
        for cap in [
            Capacity::Bounded(0),
            Capacity::Bounded(64),
            Capacity::Unbounded,
        ] {
            handoff::strategies::<u64>(shape, cap, &mut e);
        }
    }
    pipeline::strategies(t, pipeline::ItemWork::NONE, &mut e);
    signal::declare_ping_pong(&mut e);
    signal::declare_one_to_many(t, &mut e);
    lifecycle::dispatch_strategies(t, ItemWork::NONE, &mut e);
    lifecycle::cancel_strategies(t, ItemWork::with_units(8), &mut e);
    lifecycle::cancellable_recv_strategies(&mut e);
    lifecycle::spawn_strategies(t, &mut e);
    for f in [tasks::Flavor::MultiThread(t), tasks::Flavor::CurrentThread] {
        for state in [State::Counter, State::Map] {
            for section in [Section::NoAwait, Section::AcrossYield] {
                tasks::shared::declare(state, section, f, &mut e);
            }
        }
        for shape in [tasks::handoff::Shape::Spsc, tasks::handoff::Shape::Mpsc] {
            tasks::handoff::declare(shape, f, &mut e);
        }
        tasks::handoff::declare_bridges(f, &mut e);
        tasks::signal::declare_ping_pong(f, &mut e);
        tasks::signal::declare_release(tasks::signal::Releasing::OneToMany, f, &mut e);
        tasks::signal::declare_release(tasks::signal::Releasing::Cancel, f, &mut e);
    }

    let real = e.checked.len();
    assert!(real > 50, "only {real} systems checked");
    // Every real strategy started threads of its own (or ran on the
    // caller's), and left none behind.
    assert_eq!(e.leaks(), Vec::<(String, i64)>::new(), "of {real} systems");
    eprintln!("exit paths: {real} of {real} systems left no thread behind");

    // The checker must see a leak, and name it.
    e.declare(Spec::system(1, Leaky::new));
    assert_eq!(e.leaks(), vec![("leaky-park/1".to_string(), 1)]);
}
