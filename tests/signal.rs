//! One correctness test body for every signal strategy, run through the same
//! drivers that benchmark it: ping-pong (two threads) and one-to-many with
//! P ∈ {1, 2, 4, 8} waiters. The drivers check after every round that each
//! wake-up saw the value published before its signal; a round completes only
//! once every waiter has been released every time, and a round that hangs
//! fails within [`TIMEOUT`] naming the strategy. The strategies come from
//! the list the bench target declares (`signal::strategies`).
//!
//! The broken strategies at the bottom prove that these checks can fail: a
//! lost wake-up and a lost broadcast fail by timeout (not by hanging), a wait
//! that does not wait and a releaser that does not wait for acknowledgements
//! fail too.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::*};
use std::sync::{Condvar, Mutex, OnceLock};
use std::thread::{self, Thread};
use std::time::Duration;

mod jobs;

use jobs::Jobs;
use syncbench::harness::{Declare, Family, Ids, Spec, Strategy, System};
use syncbench::signal::barrier::StdBarrier;
use syncbench::signal::channel::{Crossbeam0, Crossbeam1, Flume0, Flume1, StdSync0, StdSync1};
use syncbench::signal::condvar::CondvarFlag;
use syncbench::signal::park::ParkUnpark;
use syncbench::signal::spin::Spin;
use syncbench::signal::{self, Broadcast, PingPong};

const WAITERS: [usize; 4] = [1, 2, 4, 8];

/// Bound on one round for the real strategies: far above what any of them
/// needs here, far below a CI job's patience.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Bound on one round for the broken strategies, which are expected to hang.
const BROKEN_TIMEOUT: Duration = Duration::from_secs(1);

/// Operations per large round for blocking strategies (a blocking wake-up
/// costs tens of microseconds on a VM), scaled down in debug builds.
const OPS: u64 = if cfg!(debug_assertions) { 200 } else { 500 };

/// Operations per large round for spinning. With more spinners than cores
/// (P ≥ 2 on a two-core machine) a release can wait for every spinner to get
/// a scheduler time slice, milliseconds each (tens of ms per release when
/// the machine is busy), so spin gets a much smaller size.
const SPIN_OPS: u64 = 5;

/// Round sizes: empty, one, two (every thread takes part in every
/// operation, so uneven shares do not arise), large.
fn rounds(ops: u64) -> [u64; 4] {
    [0, 1, 2, ops]
}

/// The one body every system goes through: plain rounds, then an
/// instrumented round whose latency summary must count exactly its
/// operations, then a plain round that must leave that summary alone.
fn exercise<S: System>(mut pool: S, ops: u64) {
    for n in rounds(ops) {
        pool.run(n);
    }
    let stats = pool.run_instrumented(ops);
    assert_eq!(stats.ops, ops);
    let summary = pool
        .extras()
        .expect("an instrumented round records latency");
    let lat = &summary["latency_ns"];
    let get = |k: &str| {
        lat[k]
            .as_u64()
            .unwrap_or_else(|| panic!("latency_ns.{k} is not an integer: {summary}"))
    };
    assert_eq!(get("count"), ops, "{summary}");
    let ladder = ["p50", "p90", "p99", "p999", "max"].map(get);
    assert!(ladder[0] > 0, "{summary}");
    assert!(ladder.windows(2).all(|w| w[0] <= w[1]), "{summary}");
    pool.run(3);
    assert_eq!(pool.extras(), Some(summary));
}

/// Queues [`exercise`] for every system a list declares, with the tests'
/// round timeout: the benches' list (`signal::strategies`), so every
/// benchmarked strategy is checked.
struct Check<'a> {
    jobs: &'a mut Jobs,
    label: &'a str,
}

impl Declare for Check<'_> {
    fn declare<Sys: System + 'static, F: FnOnce() -> Sys + Send + 'static>(
        &mut self,
        spec: Spec<F>,
    ) {
        // Spinning (the atomic family here) gets small rounds; see SPIN_OPS.
        let ops = if spec.family() == Family::Atomic {
            SPIN_OPS
        } else {
            OPS
        };
        let name = format!("{} {}/{}", self.label, spec.name(), spec.parameter());
        self.jobs.push(name, move || {
            let mut system = spec.build();
            system.set_round_timeout(TIMEOUT);
            exercise(system, ops);
        });
    }
}

/// Every strategy in ping-pong and in one-to-many at every P.
#[test]
fn every_strategy() {
    let mut jobs = Jobs::new();
    signal::declare_ping_pong(&mut Check {
        jobs: &mut jobs,
        label: "ping-pong",
    });
    for p in WAITERS {
        signal::declare_one_to_many(
            p,
            &mut Check {
                jobs: &mut jobs,
                label: "one-to-many",
            },
        );
    }
    jobs.run();
}

/// Both shapes declare every strategy, with non-empty ids, none twice.
#[test]
fn the_list_is_well_formed() {
    let ping_pong = Ids::of(signal::declare_ping_pong);
    ping_pong.check().unwrap();
    for p in WAITERS {
        let one_to_many = Ids::of(|d| signal::declare_one_to_many(p, d));
        one_to_many.check().unwrap();
        assert_eq!(one_to_many.names(), ping_pong.names());
    }
}

#[test]
fn ids_and_families() {
    assert_eq!(
        [
            StdSync0::NAME,
            StdSync1::NAME,
            Crossbeam0::NAME,
            Crossbeam1::NAME,
            Flume0::NAME,
            Flume1::NAME,
            CondvarFlag::NAME,
            ParkUnpark::NAME,
            Spin::NAME,
            StdBarrier::NAME,
        ],
        [
            "std-sync_channel-0",
            "std-sync_channel-1",
            "crossbeam-bounded-0",
            "crossbeam-bounded-1",
            "flume-bounded-0",
            "flume-bounded-1",
            "condvar",
            "park-unpark",
            "spin",
            "std-barrier",
        ]
    );
    assert_eq!(Flume0::FAMILY, Family::Channel);
    assert_eq!(CondvarFlag::FAMILY, Family::Mutex);
    assert_eq!(ParkUnpark::FAMILY, Family::Park);
    assert_eq!(Spin::FAMILY, Family::Atomic);
    assert_eq!(StdBarrier::FAMILY, Family::Barrier);
}

/// Plain rounds never record latency.
#[test]
fn no_latency_without_an_instrumented_round() {
    let mut pool = signal::one_to_many::<ParkUnpark>(2).with_timeout(TIMEOUT);
    pool.run(50);
    assert_eq!(pool.extras(), None);
}

/// Runs `f`, which must panic; returns the panic message.
fn failure(f: impl FnOnce()) -> String {
    let err = catch_unwind(AssertUnwindSafe(f)).expect_err("a broken strategy passed");
    if let Some(s) = err.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = err.downcast_ref::<&str>() {
        (*s).to_string()
    } else {
        String::from("(non-string panic)")
    }
}

/// Park-based ping-pong that raises the flag but forgets to unpark: the
/// classic lost wake-up. The waiter sleeps forever (parked, not spinning).
struct ForgetfulPark;

impl Strategy for ForgetfulPark {
    const NAME: &'static str = "forgetful-park";
    const FAMILY: Family = Family::Park;
}

impl PingPong for ForgetfulPark {
    type Pair = [AtomicBool; 2];
    type End = usize;
    fn pair() -> Self::Pair {
        Default::default()
    }
    fn end(_: &Self::Pair, side: usize) -> usize {
        side
    }
    fn signal(flags: &Self::Pair, side: &mut usize) {
        flags[1 - *side].store(true, Release);
    }
    fn wait(flags: &Self::Pair, side: &mut usize) {
        while !flags[*side].swap(false, Acquire) {
            thread::park();
        }
    }
}

#[test]
fn a_lost_wake_up_fails_by_timeout_naming_the_strategy() {
    let msg = failure(|| {
        exercise(
            signal::ping_pong::<ForgetfulPark>().with_timeout(BROKEN_TIMEOUT),
            OPS,
        )
    });
    assert!(
        msg.contains("forgetful-park (threads=2)") && msg.contains("did not finish"),
        "{msg}"
    );
}

/// Condvar broadcast that wakes one waiter (`notify_one`) instead of all.
struct NotifyOne;

impl Strategy for NotifyOne {
    const NAME: &'static str = "notify-one";
    const FAMILY: Family = Family::Mutex;
}

#[derive(Default)]
struct NotifyOneGate {
    generation: Mutex<u64>,
    released: Condvar,
    acks: Mutex<usize>,
    acked: Condvar,
    waiters: usize,
}

impl Broadcast for NotifyOne {
    type Gate = NotifyOneGate;
    type Releaser = ();
    type Waiter = u64;
    fn gate(waiters: usize) -> NotifyOneGate {
        NotifyOneGate {
            waiters,
            ..Default::default()
        }
    }
    fn releaser(_: &NotifyOneGate) {}
    fn waiter(_: &NotifyOneGate, _: usize) -> u64 {
        0
    }
    fn release(gate: &NotifyOneGate, _: &mut ()) {
        *gate.generation.lock().unwrap() += 1;
        gate.released.notify_one(); // the bug: should be notify_all
    }
    fn wait_acks(gate: &NotifyOneGate, _: &mut ()) {
        let mut acks = gate
            .acked
            .wait_while(gate.acks.lock().unwrap(), |a| *a < gate.waiters)
            .unwrap();
        *acks = 0;
    }
    fn wait_release(gate: &NotifyOneGate, seen: &mut u64) {
        let g = gate
            .released
            .wait_while(gate.generation.lock().unwrap(), |g| *g == *seen)
            .unwrap();
        *seen = *g;
    }
    fn ack(gate: &NotifyOneGate, _: &mut u64) {
        let mut acks = gate.acks.lock().unwrap();
        *acks += 1;
        if *acks == gate.waiters {
            gate.acked.notify_one();
        }
    }
}

#[test]
fn a_lost_broadcast_fails_by_timeout_naming_the_strategy() {
    let msg = failure(|| {
        exercise(
            signal::one_to_many::<NotifyOne>(4).with_timeout(BROKEN_TIMEOUT),
            OPS,
        )
    });
    assert!(
        msg.contains("notify-one (threads=5)") && msg.contains("did not finish"),
        "{msg}"
    );
}

/// Ping-pong whose wait returns without waiting.
struct Hasty;

impl Strategy for Hasty {
    const NAME: &'static str = "hasty";
    const FAMILY: Family = Family::Atomic;
}

impl PingPong for Hasty {
    type Pair = AtomicU64;
    type End = ();
    fn pair() -> AtomicU64 {
        AtomicU64::new(0)
    }
    fn end(_: &AtomicU64, _: usize) {}
    fn signal(signals: &AtomicU64, _: &mut ()) {
        signals.fetch_add(1, Release);
    }
    fn wait(_: &AtomicU64, _: &mut ()) {}
}

#[test]
fn a_wait_that_does_not_wait_is_a_wrong_answer() {
    let msg = failure(|| {
        exercise(
            signal::ping_pong::<Hasty>().with_timeout(BROKEN_TIMEOUT),
            OPS,
        )
    });
    assert!(
        msg.contains("hasty (threads=2): wrong answer") && msg.contains("before the peer"),
        "{msg}"
    );
}

/// Park-based broadcast whose releaser does not wait for acknowledgements.
/// Waiters then miss releases: they either see a later release than the one
/// that woke them (wrong answer) or wait for one that never comes (timeout).
struct Impatient;

impl Strategy for Impatient {
    const NAME: &'static str = "impatient";
    const FAMILY: Family = Family::Park;
}

#[derive(Default)]
struct ImpatientGate {
    generation: AtomicU64,
    waiters: Vec<OnceLock<Thread>>,
}

impl Broadcast for Impatient {
    type Gate = ImpatientGate;
    type Releaser = u64;
    type Waiter = u64;
    fn gate(waiters: usize) -> ImpatientGate {
        ImpatientGate {
            generation: AtomicU64::new(0),
            waiters: (0..waiters).map(|_| OnceLock::new()).collect(),
        }
    }
    fn releaser(_: &ImpatientGate) -> u64 {
        0
    }
    fn waiter(gate: &ImpatientGate, index: usize) -> u64 {
        gate.waiters[index].set(thread::current()).unwrap();
        0
    }
    fn release(gate: &ImpatientGate, g: &mut u64) {
        *g += 1;
        gate.generation.store(*g, Release);
        for t in &gate.waiters {
            t.get().unwrap().unpark();
        }
    }
    fn wait_acks(_: &ImpatientGate, _: &mut u64) {}
    fn wait_release(gate: &ImpatientGate, seen: &mut u64) {
        loop {
            let g = gate.generation.load(Acquire);
            if g != *seen {
                *seen = g;
                return;
            }
            thread::park();
        }
    }
    fn ack(_: &ImpatientGate, _: &mut u64) {}
}

#[test]
fn a_releaser_that_ignores_acknowledgements_fails() {
    let msg = failure(|| {
        exercise(
            signal::one_to_many::<Impatient>(2).with_timeout(BROKEN_TIMEOUT),
            OPS,
        )
    });
    assert!(msg.contains("impatient (threads=3)"), "{msg}");
}
