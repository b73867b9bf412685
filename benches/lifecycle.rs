//! `cargo bench --bench lifecycle`: the Go guide's worker pools,
//! cancellation and exit paths.
//!
//! Groups (parameter W = workers, the thread-axis value, unless noted):
//! - `lifecycle/dispatch/{none,1us}`: J jobs through W workers; one
//!   iteration is one job. Job queues with a submitter thread (W + 1
//!   threads), an atomic cursor, rayon `par_iter` and one rayon `spawn` per
//!   job (W threads).
//! - `lifecycle/cancel/{1us,100us}`: one iteration is one cycle "start W
//!   busy workers → one job fails → every worker stopped"; the sidecar's
//!   `extra.latency_ns` holds the failure → all-stopped latency
//!   percentiles (p50, p90, p99, p999, max).
//! - `lifecycle/cancellable-recv`: one producer, one consumer over a
//!   crossbeam `bounded(64)` channel; one iteration is one message.
//!   Parameter 2.
//! - `lifecycle/spawn`: one iteration is one batch of W × 16 jobs of ~1 µs,
//!   with its W workers started and stopped.
//!
//! Strategies: `syncbench::lifecycle`'s lists, one per group.

mod common;

use common::Context;
use syncbench::lifecycle::{self, ItemWork};

fn main() {
    let mut ctx = Context::new("lifecycle");
    for work in lifecycle::dispatch_costs() {
        per_worker(&mut ctx, "dispatch", work, |w, g| {
            lifecycle::dispatch_strategies(w, work, g)
        });
    }
    for work in lifecycle::cancel_costs() {
        per_worker(&mut ctx, "cancel", work, |w, g| {
            lifecycle::cancel_strategies(w, work, g)
        });
    }
    let mut g = ctx.group("lifecycle/cancellable-recv");
    lifecycle::cancellable_recv_strategies(&mut g);
    g.finish();
    let threads = ctx.threads();
    let mut g = ctx.group("lifecycle/spawn");
    for &w in &threads {
        lifecycle::spawn_strategies(w, &mut g);
    }
    g.finish();
    ctx.finish();
}

/// Group `lifecycle/<scenario>/<job cost>`, with `list` declared at every W.
fn per_worker(
    ctx: &mut Context,
    scenario: &str,
    work: ItemWork,
    list: impl Fn(usize, &mut common::Group<'_>),
) {
    let threads = ctx.threads();
    let mut g = ctx.group(&format!("lifecycle/{scenario}/{}", work.name()));
    for &w in &threads {
        list(w, &mut g);
    }
    g.finish();
}
