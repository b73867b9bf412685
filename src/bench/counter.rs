//! `counter/…` with extra counters: the scenarios of this crate's
//! `benches/counter.rs`, with any [`Counter`] added to the increment groups.
//!
//! Groups: `counter/overhead` (built-ins only: the harness's own cost),
//! `counter/increment/{hot,warm,1us,10us}` (built-ins, then the extras, at
//! every thread count of the axis; `warm` leaves out
//! [`counter::WARM_LEAVES_OUT`], `1us` and `10us` keep the built-ins of
//! [`counter::CONTENTION_AXIS`] only), `counter/read-mostly/{90-10,99-1}`
//! (built-ins, then any extra [`Gauge`], the read-mostly value, through
//! [`run_with`]) and `counter/read-mostly-struct/99-1` (built-ins only).

use crate::bench::{Builtins, Check, Context, Keep, extras_tuples};
use crate::counter::{self, Counter, Gauge, increment_spec, read_mostly_spec};
use crate::harness::{Declare, Except, Hot, LEVELS, Mix, Only, PrivateWork, Warm};

/// Extra counters for the increment groups: `()` for none, or a tuple of up
/// to four [`Counter`] types, e.g. `(MyLock,)`.
pub trait Counters {
    /// Declares, in tuple order, each counter at `threads` threads with
    /// private work `work`.
    fn declare<P: PrivateWork>(threads: usize, work: P, d: &mut impl Declare);
}

macro_rules! each_counter {
    ($($c:ident),*) => {
        #[allow(unused_variables)]
        fn declare<P: PrivateWork>(threads: usize, work: P, d: &mut impl Declare) {
            $(d.declare(increment_spec::<$c, P>(threads, work));)*
        }
    };
}
extras_tuples!(Counters, Counter, each_counter);

/// Extra read-mostly values for `counter/read-mostly/<mix>`: `()` for none,
/// or a tuple of up to four [`Gauge`] types, e.g. `(MyCell,)`.
pub trait Gauges {
    /// Declares, in tuple order, each gauge at `threads` threads with `mix`.
    fn declare(threads: usize, mix: Mix, d: &mut impl Declare);
}

macro_rules! each_gauge {
    ($($g:ident),*) => {
        #[allow(unused_variables)]
        fn declare(threads: usize, mix: Mix, d: &mut impl Declare) {
            $(d.declare(read_mostly_spec::<$g, Hot>(threads, mix, Hot));)*
        }
    };
}
extras_tuples!(Gauges, Gauge, each_gauge);

/// `counter/increment/<level>` at `threads` threads: the built-ins
/// `builtins` keeps (all but `leave_out`, or only `only` when given), then
/// the extras `X`.
pub fn increment_strategies<P: PrivateWork, X: Counters>(
    threads: usize,
    work: P,
    builtins: Builtins<'_>,
    leave_out: &[&str],
    only: Option<&[&str]>,
    d: &mut impl Declare,
) {
    let mut keep = Keep { d, builtins };
    match only {
        Some(names) => {
            let mut only = Only {
                d: &mut keep,
                names,
            };
            counter::increment_strategies(threads, work, &mut only);
        }
        None => {
            let mut except = Except {
                d: &mut keep,
                names: leave_out,
            };
            counter::increment_strategies(threads, work, &mut except);
        }
    }
    X::declare(threads, work, d);
}

/// Every counter group, measured: the built-ins `builtins` keeps and the
/// extra counters `X` (increment groups only). `benches/counter.rs` is
/// `run::<()>(ctx, Builtins::All)`.
pub fn run<X: Counters>(ctx: &mut Context, builtins: Builtins<'_>) {
    run_with::<X, ()>(ctx, builtins);
}

/// [`run`], with extra read-mostly values `G` in `counter/read-mostly/<mix>`
/// too.
pub fn run_with<X: Counters, G: Gauges>(ctx: &mut Context, builtins: Builtins<'_>) {
    let mut g = ctx.group("counter/overhead");
    counter::overhead_strategies(&mut Keep {
        d: &mut g,
        builtins,
    });
    g.finish();
    increment::<_, X>(ctx, builtins, Hot, &[], None);
    increment::<_, X>(
        ctx,
        builtins,
        Warm::calibrated(),
        counter::WARM_LEAVES_OUT,
        None,
    );
    for (name, target) in &LEVELS[1..] {
        let work = Warm::calibrated_to(name, *target);
        increment::<_, X>(ctx, builtins, work, &[], Some(counter::CONTENTION_AXIS));
    }
    for (read, write) in [(90, 10), (99, 1)] {
        let mix = Mix::new(read, write).expect("literal mixes add to 100");
        let threads = ctx.threads();
        let mut g = ctx.group(&format!("counter/read-mostly/{}", mix.name()));
        for &t in &threads {
            counter::read_mostly_strategies(
                t,
                mix,
                &mut Keep {
                    d: &mut g,
                    builtins,
                },
            );
            G::declare(t, mix, &mut g);
        }
        g.finish();
    }
    // The multi-word record at 99 % reads only, where the question lives
    // (is a seqlock worth it for read-mostly data?); the tests check it at
    // both mixes.
    let mix = Mix::new(99, 1).expect("literal mixes add to 100");
    let threads = ctx.threads();
    let mut g = ctx.group(&format!("counter/read-mostly-struct/{}", mix.name()));
    for &t in &threads {
        counter::read_mostly_struct_strategies(
            t,
            mix,
            &mut Keep {
                d: &mut g,
                builtins,
            },
        );
    }
    g.finish();
}

/// `counter/increment/<level>` for every thread count of the axis.
fn increment<P: PrivateWork, X: Counters>(
    ctx: &mut Context,
    builtins: Builtins<'_>,
    work: P,
    leave_out: &[&str],
    only: Option<&[&str]>,
) {
    let threads = ctx.threads();
    let mut g = ctx.group(&format!("counter/increment/{}", work.name()));
    for &t in &threads {
        increment_strategies::<P, X>(t, work, builtins, leave_out, only, &mut g);
    }
    g.finish();
}

/// The increment correctness body, under real contention, for the
/// built-ins `builtins` keeps and the extras `X`: at each thread count in
/// `threads`, with no private work (`hot`) and with ~100 ns of it (`warm`),
/// rounds of up to 400 000 increments (100 000 in debug builds). The driver
/// checks after every round that the count equals the increments performed;
/// a lost update panics naming the strategy, e.g. `my-lock (threads=4):
/// wrong answer after 400000 operations: …` (see [`Check`]). Returns the
/// `<level> <name>/<threads>` of each system checked.
pub fn check<X: Counters>(builtins: Builtins<'_>, threads: &[usize]) -> Vec<String> {
    let large = if cfg!(debug_assertions) {
        100_000
    } else {
        400_000
    };
    let mut checked = Vec::new();
    let mut hot = Check::new(large);
    let mut warm = Check::new(large);
    for &t in threads {
        increment_strategies::<_, X>(t, Hot, builtins, &[], None, &mut hot);
        increment_strategies::<_, X>(t, Warm::calibrated(), builtins, &[], None, &mut warm);
    }
    checked.extend(hot.checked.into_iter().map(|id| format!("hot {id}")));
    checked.extend(warm.checked.into_iter().map(|id| format!("warm {id}")));
    checked
}

/// The read-mostly correctness body, under contention, for the built-ins
/// `builtins` keeps and the extra gauges `G`: mixes 90/10 and 99/1 at each
/// thread count in `threads`, rounds of up to 400 000 operations (100 000 in
/// debug builds). The driver checks that no read ever goes backwards and
/// that the final count equals the adds; a failure panics naming the
/// strategy (see [`Check`]). Returns the `<mix> <name>/<threads>` of each
/// system checked.
pub fn check_gauges<G: Gauges>(builtins: Builtins<'_>, threads: &[usize]) -> Vec<String> {
    let large = if cfg!(debug_assertions) {
        100_000
    } else {
        400_000
    };
    let mut checked = Vec::new();
    for (read, write) in [(90, 10), (99, 1)] {
        let mix = Mix::new(read, write).expect("literal mixes add to 100");
        let mut c = Check::new(large);
        for &t in threads {
            counter::read_mostly_strategies(
                t,
                mix,
                &mut Keep {
                    d: &mut c,
                    builtins,
                },
            );
            G::declare(t, mix, &mut c);
        }
        checked.extend(
            c.checked
                .into_iter()
                .map(|id| format!("{} {id}", mix.name())),
        );
    }
    checked
}
