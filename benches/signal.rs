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

use common::{Context, Group};
use syncbench::signal::barrier::StdBarrier;
use syncbench::signal::channel::{Crossbeam0, Crossbeam1, Flume0, Flume1, StdSync0, StdSync1};
use syncbench::signal::condvar::CondvarFlag;
use syncbench::signal::park::ParkUnpark;
use syncbench::signal::spin::Spin;
use syncbench::signal::{self, Broadcast, PingPong};

fn main() {
    let mut ctx = Context::new("signal");
    ping_pong(&mut ctx);
    one_to_many(&mut ctx);
    ctx.finish();
}

fn ping_pong(ctx: &mut Context) {
    fn one<S: PingPong>(g: &mut Group) {
        g.bench::<S, _>(2, signal::ping_pong::<S>);
    }
    let mut g = ctx.group("signal/ping-pong");
    one::<StdSync0>(&mut g);
    one::<StdSync1>(&mut g);
    one::<Crossbeam0>(&mut g);
    one::<Crossbeam1>(&mut g);
    one::<Flume0>(&mut g);
    one::<Flume1>(&mut g);
    one::<CondvarFlag>(&mut g);
    one::<ParkUnpark>(&mut g);
    one::<Spin>(&mut g);
    one::<StdBarrier>(&mut g);
    g.finish();
}

fn one_to_many(ctx: &mut Context) {
    fn one<S: Broadcast>(g: &mut Group, waiters: usize) {
        g.bench::<S, _>(waiters, move || signal::one_to_many::<S>(waiters));
    }
    let threads = ctx.threads();
    let mut g = ctx.group("signal/one-to-many");
    for &p in &threads {
        one::<StdSync0>(&mut g, p);
        one::<StdSync1>(&mut g, p);
        one::<Crossbeam0>(&mut g, p);
        one::<Crossbeam1>(&mut g, p);
        one::<Flume0>(&mut g, p);
        one::<Flume1>(&mut g, p);
        one::<CondvarFlag>(&mut g, p);
        one::<ParkUnpark>(&mut g, p);
        one::<Spin>(&mut g, p);
        one::<StdBarrier>(&mut g, p);
    }
    g.finish();
}
