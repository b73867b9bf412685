//! `cargo bench --bench pipeline`: generate → square → sum, fanned out to W
//! workers in the middle stage and back in to one reducer.
//!
//! Groups `pipeline/square-sum/{none,1us}` (per-item work in the middle
//! stage: nothing but the square, or ~1 µs of private arithmetic first);
//! function = strategy id; parameter = W, the thread-axis value.
//!
//! Thread convention: a queued pipeline runs W + 2 threads (generator, W
//! workers, reducer); rayon runs W threads and no stage threads. The
//! sidecar's `threads` field records what each really ran.
//!
//! Strategies (both links of a pipeline use the same queue):
//! - channels: `crossbeam-bounded-64`, `crossbeam-unbounded`,
//!   `flume-bounded-64`, and std `sync_channel(64)` whose single receiver
//!   the workers share behind a mutex (`std-sync_channel-64-mutex_rx`, the
//!   Rust Book's worker-pool pattern);
//! - mutex-guarded queues: `mutex-condvar-bounded-64`;
//! - no pipeline: `rayon-par_iter`, `rayon-par_bridge`.

mod common;

use common::Context;
use syncbench::pipeline::{self, ItemWork};

fn main() {
    let mut ctx = Context::new("pipeline");
    square_sum(&mut ctx, ItemWork::NONE);
    square_sum(&mut ctx, ItemWork::micro());
    ctx.finish();
}

fn square_sum(ctx: &mut Context, work: ItemWork) {
    let threads = ctx.threads();
    let mut g = ctx.group(&format!("pipeline/square-sum/{}", work.name()));
    for &w in &threads {
        pipeline::strategies(w, work, &mut g);
    }
    g.finish();
}
