//! `cargo bench --bench signal`: one thread wakes another and hears back.
//!
//! Groups:
//! - `signal/ping-pong`: two threads take turns; one iteration is one round
//!   trip. Parameter `2` (always two threads).
//! - `signal/one-to-many`: one releaser wakes P waiters and waits for all
//!   their acknowledgements; one iteration is one acknowledged release.
//!   Parameter = P, the thread-axis value (the pool has P + 1 threads).
//!
//! Besides criterion's time per iteration, every benchmark id's sidecar
//! (`target/criterion/syncbench/signal/<shape>/<strategy>/<param>.json`)
//! carries round-trip / release latency percentiles (`extra.latency_ns`:
//! count, p50, p90, p99, p999, max in ns) and worker CPU time per iteration
//! (`cpu_ns_per_op`), both from one instrumented round after the samples.

//!
//! The scenarios live in the library ([`syncbench::bench::signal`]), where
//! another crate can run them with its own signals added.

mod common;

use common::Context;
use syncbench::bench::{self, Builtins};

fn main() {
    let mut ctx = Context::new("signal");
    bench::signal::run::<()>(&mut ctx, Builtins::All);
    ctx.finish();
}
