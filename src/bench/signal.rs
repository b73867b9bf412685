//! `signal/…` with extra signals: the scenarios of this crate's
//! `benches/signal.rs`, with any type implementing both [`PingPong`] and
//! [`Broadcast`] added.
//!
//! Groups: `signal/ping-pong` (two threads, P = 2) and
//! `signal/one-to-many` (one releaser, P waiters, at every thread count of
//! the axis); the extras follow the built-ins in both.

use crate::bench::{Builtins, Check, Context, Keep, extras_tuples};
use crate::harness::Declare;
use crate::signal::{self, Broadcast, PingPong, one_to_many_spec, ping_pong_spec};

/// A signal strategy of both shapes (the bound [`signal::Visit`] asks).
pub trait Signal: PingPong + Broadcast {}
impl<S: PingPong + Broadcast> Signal for S {}

/// Extra signals: `()` for none, or a tuple of up to four types that
/// implement [`PingPong`] and [`Broadcast`], e.g. `(MyEvent,)`.
pub trait Signals {
    /// Declares, in tuple order, each extra's `signal/ping-pong` benchmark.
    fn ping_pong(d: &mut impl Declare);
    /// Declares, in tuple order, each extra's `signal/one-to-many`
    /// benchmark with `waiters` waiters.
    fn one_to_many(waiters: usize, d: &mut impl Declare);
}

macro_rules! each_signal {
    ($($s:ident),*) => {
        #[allow(unused_variables)]
        fn ping_pong(d: &mut impl Declare) {
            $(d.declare(ping_pong_spec::<$s>());)*
        }
        #[allow(unused_variables)]
        fn one_to_many(waiters: usize, d: &mut impl Declare) {
            $(d.declare(one_to_many_spec::<$s>(waiters));)*
        }
    };
}
extras_tuples!(Signals, Signal, each_signal);

/// Both signal groups, measured: the built-ins `builtins` keeps and the
/// extras `X`. `benches/signal.rs` is `run::<()>(ctx, Builtins::All)`.
pub fn run<X: Signals>(ctx: &mut Context, builtins: Builtins<'_>) {
    let mut g = ctx.group("signal/ping-pong");
    signal::declare_ping_pong(&mut Keep {
        d: &mut g,
        builtins,
    });
    X::ping_pong(&mut g);
    g.finish();
    let threads = ctx.threads();
    let mut g = ctx.group("signal/one-to-many");
    for &p in &threads {
        signal::declare_one_to_many(
            p,
            &mut Keep {
                d: &mut g,
                builtins,
            },
        );
        X::one_to_many(p, &mut g);
    }
    g.finish();
}

/// The signal correctness body, under contention, for the built-ins
/// `builtins` keeps and the extras `X`: ping-pong, and one-to-many with each
/// waiter count in `threads`, rounds of up to 500 signals (200 in debug
/// builds). The drivers check every round (no lost or stale wake-up; a lost
/// one times out naming the strategy, see [`Check`]). Returns the
/// `<group> <name>/<P>` of each system checked.
pub fn check<X: Signals>(builtins: Builtins<'_>, threads: &[usize]) -> Vec<String> {
    let large = if cfg!(debug_assertions) { 200 } else { 500 };
    let mut c = Check::new(large);
    signal::declare_ping_pong(&mut Keep {
        d: &mut c,
        builtins,
    });
    X::ping_pong(&mut c);
    let mut checked: Vec<String> = c
        .checked
        .drain(..)
        .map(|id| format!("ping-pong {id}"))
        .collect();
    for &p in threads {
        signal::declare_one_to_many(
            p,
            &mut Keep {
                d: &mut c,
                builtins,
            },
        );
        X::one_to_many(p, &mut c);
    }
    checked.extend(c.checked.into_iter().map(|id| format!("one-to-many {id}")));
    checked
}
