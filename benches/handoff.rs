//! `cargo bench --bench handoff`: moving owned values between threads.
//!
//! Groups `handoff/<shape>/<payload>`; function = strategy id with its
//! capacity (`std-sync_channel-0`, `crossbeam-bounded-64`, `flume-unbounded`,
//! `mutex-condvar-bounded-64`, `crossbeam-arrayqueue-64`,
//! `crossbeam-segqueue`); parameter = P, the thread-axis value.
//!
//! Thread convention: P producers and, for MPMC, P consumers, so the pool
//! has 2 threads (SPSC, parameter 1), P + 1 (MPSC) or 2P (MPMC). The
//! sidecar's `threads` field records the pool's real size.
//!
//! Coverage (kept to about 110 ids at the default axis of a 2-core machine):
//! - `spsc/u64`: capacities 0, 1, 64 and unbounded; `spsc/vec64`: 64 and
//!   unbounded;
//! - `mpsc/u64`: 0, 64 and unbounded; `mpsc/vec64`: 64;
//! - `mpmc/u64`: 64 and unbounded (std's channels are single-consumer and
//!   have no MPMC point);
//!
//! each with every flavour that offers that capacity: std `channel`
//! (unbounded) and `sync_channel` (bounded), crossbeam and flume (both),
//! `Mutex<VecDeque>` + `Condvar` (1, 64, unbounded), crossbeam `ArrayQueue`
//! (1, 64) and `SegQueue` (unbounded), the last two spinning with backoff.

mod common;

use common::Context;
use syncbench::handoff::{self, Capacity, Payload, Shape};

const RENDEZVOUS: Capacity = Capacity::Bounded(0);
const ONE: Capacity = Capacity::Bounded(1);
const SMALL: Capacity = Capacity::Bounded(64);
const UNBOUNDED: Capacity = Capacity::Unbounded;

fn main() {
    let mut ctx = Context::new("handoff");
    let spsc = |_| Shape::Spsc;
    group::<u64>(&mut ctx, spsc, &[RENDEZVOUS, ONE, SMALL, UNBOUNDED]);
    group::<Vec<u8>>(&mut ctx, spsc, &[SMALL, UNBOUNDED]);
    group::<u64>(&mut ctx, Shape::Mpsc, &[RENDEZVOUS, SMALL, UNBOUNDED]);
    group::<Vec<u8>>(&mut ctx, Shape::Mpsc, &[SMALL]);
    group::<u64>(&mut ctx, Shape::Mpmc, &[SMALL, UNBOUNDED]);
    ctx.finish();
}

/// One group: shapes along the thread axis (outer), then capacities and
/// flavours (inner, every flavour that offers the capacity). SPSC is a
/// single point, P = 1.
fn group<M: Payload>(ctx: &mut Context, shape: fn(usize) -> Shape, caps: &[Capacity]) {
    let shapes: Vec<Shape> = if shape(1) == Shape::Spsc {
        vec![Shape::Spsc]
    } else {
        ctx.threads().into_iter().map(shape).collect()
    };
    let mut g = ctx.group(&format!("handoff/{}/{}", shape(1).name(), M::NAME));
    for s in shapes {
        for &cap in caps {
            handoff::strategies::<M>(s, cap, &mut g);
        }
    }
    g.finish();
}
