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

//!
//! The scenarios live in the library ([`syncbench::bench::handoff`]), where
//! another crate can run them with its own flavours added.

mod common;

use common::Context;
use syncbench::bench::{self, Builtins};

fn main() {
    let mut ctx = Context::new("handoff");
    bench::handoff::run::<()>(&mut ctx, Builtins::All);
    ctx.finish();
}
