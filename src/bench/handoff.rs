//! `handoff/<shape>/<payload>` with extra queues or channels: the scenarios
//! of this crate's `benches/handoff.rs`, for any [`Queue`].
//!
//! Groups: `handoff/spsc/u64` (capacities 0, 1, 64, unbounded),
//! `handoff/spsc/vec64` (64, unbounded), `handoff/mpsc/u64` (0, 64,
//! unbounded), `handoff/mpsc/vec64` (64) and `handoff/mpmc/u64` (64,
//! unbounded); at each, every flavour that offers the capacity, built-ins
//! first. An extra flavour is measured at every capacity and shape its
//! [`Queue::offers`] accepts, under the id [`Queue::name`] gives it.

use crate::bench::{Builtins, Check, Context, Keep, extras_tuples};
use crate::handoff::{self, Capacity, Payload, Queue, Shape, spec};
use crate::harness::Declare;

const RENDEZVOUS: Capacity = Capacity::Bounded(0);
const ONE: Capacity = Capacity::Bounded(1);
const SMALL: Capacity = Capacity::Bounded(64);
const UNBOUNDED: Capacity = Capacity::Unbounded;

/// Extra hand-off flavours: `()` for none, or a tuple of up to four
/// [`Queue`] types, e.g. `(MyChannel,)`.
pub trait Queues {
    /// Declares, in tuple order, every flavour that offers `cap` in `shape`.
    fn declare<M: Payload>(shape: Shape, cap: Capacity, d: &mut impl Declare);
}

macro_rules! each_queue {
    ($($q:ident),*) => {
        #[allow(unused_variables)]
        fn declare<M: Payload>(shape: Shape, cap: Capacity, d: &mut impl Declare) {
            $(
                if $q::offers(cap, shape.multi_consumer()) {
                    d.declare(spec::<$q, M>(shape, cap));
                }
            )*
        }
    };
}
extras_tuples!(Queues, Queue, each_queue);

/// The built-in flavours `builtins` keeps, then the extras `X`, that offer
/// `cap` in `shape` with payload `M`.
pub fn strategies<M: Payload, X: Queues>(
    shape: Shape,
    cap: Capacity,
    builtins: Builtins<'_>,
    d: &mut impl Declare,
) {
    handoff::strategies::<M>(shape, cap, &mut Keep { d, builtins });
    X::declare::<M>(shape, cap, d);
}

/// Every hand-off group, measured: the built-ins `builtins` keeps and the
/// extra flavours `X`. `benches/handoff.rs` is `run::<()>(ctx,
/// Builtins::All)`.
pub fn run<X: Queues>(ctx: &mut Context, builtins: Builtins<'_>) {
    let spsc = |_| Shape::Spsc;
    group::<u64, X>(ctx, builtins, spsc, &[RENDEZVOUS, ONE, SMALL, UNBOUNDED]);
    group::<Vec<u8>, X>(ctx, builtins, spsc, &[SMALL, UNBOUNDED]);
    group::<u64, X>(ctx, builtins, Shape::Mpsc, &[RENDEZVOUS, SMALL, UNBOUNDED]);
    group::<Vec<u8>, X>(ctx, builtins, Shape::Mpsc, &[SMALL]);
    group::<u64, X>(ctx, builtins, Shape::Mpmc, &[SMALL, UNBOUNDED]);
}

/// One group: shapes along the thread axis (outer), then capacities and
/// flavours (inner, every flavour that offers the capacity). SPSC is a
/// single point, P = 1.
fn group<M: Payload, X: Queues>(
    ctx: &mut Context,
    builtins: Builtins<'_>,
    shape: fn(usize) -> Shape,
    caps: &[Capacity],
) {
    let shapes: Vec<Shape> = if shape(1) == Shape::Spsc {
        vec![Shape::Spsc]
    } else {
        ctx.threads().into_iter().map(shape).collect()
    };
    let mut g = ctx.group(&format!("handoff/{}/{}", shape(1).name(), M::NAME));
    for s in shapes {
        for &cap in caps {
            strategies::<M, X>(s, cap, builtins, &mut g);
        }
    }
    g.finish();
}

/// The hand-off correctness body, under real contention, for the built-ins
/// `builtins` keeps and the extras `X`: SPSC, and MPSC and MPMC at each P in
/// `threads`; capacities 0, 1, 64 and unbounded (those each flavour offers);
/// both payloads; rounds of up to 100 000 messages (4 000 at capacity 0 or
/// 1; half in debug builds). Every round's checksums are checked by the
/// driver; a lost, duplicated or corrupted message panics naming the
/// strategy (see [`Check`]). Returns the `<name>/<P>` of each system
/// checked.
pub fn check<X: Queues>(builtins: Builtins<'_>, threads: &[usize]) -> Vec<String> {
    let mut shapes = vec![Shape::Spsc];
    shapes.extend(threads.iter().map(|&t| Shape::Mpsc(t)));
    shapes.extend(threads.iter().map(|&t| Shape::Mpmc(t)));
    let mut checked = Vec::new();
    for shape in shapes {
        for cap in [RENDEZVOUS, ONE, SMALL, UNBOUNDED] {
            let slow = matches!(cap, Capacity::Bounded(0 | 1));
            let large = match (slow, cfg!(debug_assertions)) {
                (true, true) => 2_000,
                (true, false) => 4_000,
                (false, true) => 50_000,
                (false, false) => 100_000,
            };
            let mut c = Check::new(large);
            strategies::<u64, X>(shape, cap, builtins, &mut c);
            strategies::<Vec<u8>, X>(shape, cap, builtins, &mut c);
            checked.extend(
                c.checked
                    .into_iter()
                    .map(|id| format!("{}/{} {id}", shape.name(), cap_name(cap))),
            );
        }
    }
    checked
}

fn cap_name(cap: Capacity) -> String {
    match cap {
        Capacity::Bounded(n) => format!("bounded-{n}"),
        Capacity::Unbounded => "unbounded".to_string(),
    }
}
