//! One correctness test body for every counter strategy, run through the same
//! driver code that benchmarks it, at T ∈ {1, 2, 4, 8} with enough operations
//! to contend. The strategies come from the lists the bench target declares
//! (`counter::increment_strategies` and the like), so a strategy added there
//! is checked here without further ado. The driver checks the exact total after every round (and, for
//! read-mostly, that no reader ever sees the count go backwards; for
//! read-mostly-struct, that no reader ever sees a torn record).

mod jobs;

use std::panic::{AssertUnwindSafe, catch_unwind};

use jobs::Jobs;
use syncbench::counter::torn::PerFieldAtomics;
use syncbench::counter::{self, Counter, Gauge, Record};
use syncbench::harness::{
    Declare, Family, Hot, Ids, Mix, Noop, Pool, Spec, Strategy, System, Warm,
};

const THREADS: [usize; 4] = [1, 2, 4, 8];

/// Read/write mixes of the read-mostly checks: the benches' and 50/50.
const MIXES: [(u32, u32); 3] = [(90, 10), (99, 1), (50, 50)];

/// Operations per large round: enough for every thread to contend for a
/// while, scaled down in debug builds.
const OPS: u64 = if cfg!(debug_assertions) {
    100_000
} else {
    400_000
};

/// Round sizes: empty, fewer ops than threads, uneven shares, large.
fn rounds() -> [u64; 5] {
    [0, 1, 7, OPS, OPS + 13]
}

/// The one body every strategy goes through.
fn exercise<S: System>(mut system: S) {
    for ops in rounds() {
        system.run(ops);
    }
    let stats = system.run_instrumented(1_000);
    assert_eq!(stats.ops, 1_000);
}

/// Queues [`exercise`] for every system a strategy list declares: the
/// benches' list, so every benchmarked strategy is checked, and nothing else.
struct Check<'a> {
    jobs: &'a mut Jobs,
    label: &'a str,
}

impl Declare for Check<'_> {
    fn declare<Sys: System + 'static, F: FnOnce() -> Sys + Send + 'static>(
        &mut self,
        spec: Spec<F>,
    ) {
        let name = format!("{} {}/{}", self.label, spec.name(), spec.parameter());
        self.jobs.push(name, move || exercise(spec.build()));
    }
}

/// Checks every system `list` declares at every T in [`THREADS`].
fn check_list(label: &str, list: impl Fn(usize, &mut Check<'_>)) {
    let mut jobs = Jobs::new();
    for t in THREADS {
        list(
            t,
            &mut Check {
                jobs: &mut jobs,
                label,
            },
        );
    }
    jobs.run();
}

#[test]
fn increment_hot() {
    check_list("increment/hot", |t, c| {
        counter::increment_strategies(t, Hot, c)
    });
}

#[test]
fn increment_warm() {
    check_list("increment/warm", |t, c| {
        counter::increment_strategies(t, Warm::with_units(8), c)
    });
}

#[test]
fn read_mostly() {
    for (r, w) in MIXES {
        let mix = Mix::new(r, w).unwrap();
        check_list(&format!("read-mostly/{}", mix.name()), |t, c| {
            counter::read_mostly_strategies(t, mix, c)
        });
    }
}

#[test]
fn read_mostly_struct() {
    for (r, w) in MIXES {
        let mix = Mix::new(r, w).unwrap();
        check_list(&format!("read-mostly-struct/{}", mix.name()), |t, c| {
            counter::read_mostly_struct_strategies(t, mix, c)
        });
    }
}

#[test]
fn overhead() {
    let mut jobs = Jobs::new();
    counter::overhead_strategies(&mut Check {
        jobs: &mut jobs,
        label: "overhead",
    });
    jobs.run();
}

/// The overhead list runs the no-op at one thread; the pool's other sizes.
#[test]
fn noop_at_every_thread_count() {
    for t in THREADS {
        exercise(Pool::new(Noop::NAME, t, Noop::default()));
    }
}

/// Every list declares something, with non-empty ids, none twice at one
/// thread count.
#[test]
fn the_lists_are_well_formed() {
    for t in THREADS {
        Ids::of(|d| counter::increment_strategies(t, Hot, d))
            .check()
            .unwrap();
        for (r, w) in MIXES {
            let mix = Mix::new(r, w).unwrap();
            Ids::of(|d| counter::read_mostly_strategies(t, mix, d))
                .check()
                .unwrap();
            let ids = Ids::of(|d| counter::read_mostly_struct_strategies(t, mix, d));
            ids.check().unwrap();
            // The torn negative control is never benchmarked.
            assert!(!ids.names().contains(&PerFieldAtomics::NAME));
        }
    }
    Ids::of(counter::overhead_strategies).check().unwrap();
}

/// Every name of the contention axis subset is a strategy of the list (a
/// typo would silently measure nothing there), and the subset declares
/// exactly those.
#[test]
fn the_contention_axis_names_listed_strategies() {
    let all = Ids::of(|d| counter::increment_strategies(2, Hot, d));
    for name in counter::CONTENTION_AXIS {
        assert!(all.0.iter().any(|id| id.name == *name), "{name}");
    }
    let only = Ids::of(|d| {
        counter::increment_strategies(
            2,
            Hot,
            &mut syncbench::harness::Only {
                d,
                names: counter::CONTENTION_AXIS,
            },
        )
    });
    only.check().unwrap();
    assert_eq!(only.0.len(), counter::CONTENTION_AXIS.len());
}

/// `warm` leaves out only listed strategies, exactly those, and no family.
#[test]
fn warm_leaves_out_listed_strategies_and_no_family() {
    let all = Ids::of(|d| counter::increment_strategies(2, Hot, d));
    let kept = Ids::of(|d| {
        counter::increment_strategies(
            2,
            Hot,
            &mut syncbench::harness::Except {
                d,
                names: counter::WARM_LEAVES_OUT,
            },
        )
    });
    kept.check().unwrap();
    for name in counter::WARM_LEAVES_OUT {
        assert!(all.0.iter().any(|id| id.name == *name), "{name}");
        assert!(!kept.0.iter().any(|id| id.name == *name), "{name}");
    }
    assert_eq!(kept.0.len() + counter::WARM_LEAVES_OUT.len(), all.0.len());
    for id in &all.0 {
        assert!(
            kept.0.iter().any(|k| k.family == id.family),
            "{:?} lost at warm",
            id.family
        );
    }
}

/// A counter that silently drops one increment in a thousand: the driver
/// must catch it, or the tests above could not fail.
#[derive(Default)]
struct Lossy(std::sync::atomic::AtomicU64);

impl Strategy for Lossy {
    const NAME: &'static str = "lossy";
    const FAMILY: Family = Family::Atomic;
}

impl Counter for Lossy {
    type Local = u64;
    fn new(_: usize) -> Self {
        Self::default()
    }
    fn local(&self, _: usize) -> u64 {
        0
    }
    fn increment(&self, n: &mut u64) {
        *n += 1;
        if !n.is_multiple_of(1000) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
    fn total(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

#[test]
#[should_panic(expected = "lossy (threads=2): wrong answer")]
fn a_lossy_counter_fails() {
    exercise(counter::increment::<Lossy, _>(2, Hot));
}

/// A gauge whose reads can run backwards must fail too.
#[derive(Default)]
struct Jittery(std::sync::atomic::AtomicU64);

impl Strategy for Jittery {
    const NAME: &'static str = "jittery";
    const FAMILY: Family = Family::Atomic;
}

impl Gauge for Jittery {
    type Local = u64;
    fn new(_: usize) -> Self {
        Self::default()
    }
    fn local(&self, _: usize) -> u64 {
        0
    }
    fn read(&self, n: &mut u64) -> u64 {
        *n += 1;
        let v = self.0.load(std::sync::atomic::Ordering::Relaxed);
        if n.is_multiple_of(97) { 0 } else { v }
    }
    fn add(&self, _: &mut u64) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

#[test]
#[should_panic(expected = "backwards")]
fn a_gauge_running_backwards_fails() {
    exercise(counter::read_mostly::<Jittery, _>(
        1,
        Mix::new(50, 50).unwrap(),
        Hot,
    ));
}

#[test]
fn records_know_when_they_are_torn() {
    assert!(Record::default().is_consistent());
    assert_eq!(Record::default().next(), Record::of(1));
    let mut fields = Record::of(7).fields();
    assert_eq!(Record::from_fields(fields), Record::of(7));
    for i in 0..4 {
        let old = fields[i];
        fields[i] = Record::of(8).fields()[i];
        assert!(!Record::from_fields(fields).is_consistent(), "field {i}");
        fields[i] = old;
    }
}

/// The negative control: four independent atomics, no seqlock. Under
/// contention its readers see torn records, and the round check must say
/// so; otherwise the read-mostly-struct checks above could not fail.
#[test]
fn per_field_atomics_are_caught_tearing() {
    let mix = Mix::new(50, 50).unwrap();
    let mut pool = counter::read_mostly_struct::<PerFieldAtomics, _>(4, mix, Hot);
    // Tearing needs a write to land between a reader's loads: a matter of
    // chance per read (and of the scheduler: on 2 cores, with other tests
    // running, 4 threads may run one at a time for a while), a certainty
    // over enough of them. Rounds go on until one is caught, for at most 2
    // minutes: a bound on chance, not a timing.
    let started = std::time::Instant::now();
    let mut rounds = 0u64;
    let result = catch_unwind(AssertUnwindSafe(|| {
        while started.elapsed() < std::time::Duration::from_secs(120) {
            pool.run(OPS);
            rounds += 1;
        }
    }));
    let Err(err) = result else {
        panic!("{rounds} rounds of per-field atomics under contention and no torn read reported");
    };
    let msg = err
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_else(|| "(non-string panic)".to_string());
    eprintln!("the round check reports: {msg}");
    assert!(
        msg.contains("per-field-atomics (threads=4): wrong answer") && msg.contains("torn reads"),
        "{msg}"
    );
    assert!(pool.workload().torn_reads() > 0, "no torn read counted");
}
