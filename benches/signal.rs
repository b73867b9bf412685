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

mod common;

use common::Context;
use syncbench::signal;

fn main() {
    let mut ctx = Context::new("signal");
    ping_pong(&mut ctx);
    one_to_many(&mut ctx);
    ctx.finish();
}

fn ping_pong(ctx: &mut Context) {
    let mut g = ctx.group("signal/ping-pong");
    signal::declare_ping_pong(&mut g);
    g.finish();
}

fn one_to_many(ctx: &mut Context) {
    let threads = ctx.threads();
    let mut g = ctx.group("signal/one-to-many");
    for &p in &threads {
        signal::declare_one_to_many(p, &mut g);
    }
    g.finish();
}
