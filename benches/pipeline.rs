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

use common::{Context, Group};
use syncbench::channels::{Crossbeam, Flume, StdSync};
use syncbench::handoff::channel::Chan;
use syncbench::handoff::locked_rx::LockedRx;
use syncbench::handoff::mutex::MutexCondvar;
use syncbench::handoff::{Capacity, Queue};
use syncbench::pipeline::rayon::{RayonParBridge, RayonParIter};
use syncbench::pipeline::{self, ItemWork};

const SMALL: Capacity = Capacity::Bounded(64);

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
        staged::<LockedRx<StdSync>>(&mut g, w, SMALL, work);
        staged::<Chan<Crossbeam>>(&mut g, w, SMALL, work);
        staged::<Chan<Crossbeam>>(&mut g, w, Capacity::Unbounded, work);
        staged::<Chan<Flume>>(&mut g, w, SMALL, work);
        staged::<MutexCondvar>(&mut g, w, SMALL, work);
        g.bench::<RayonParIter, _>(w, move || RayonParIter::new(w, work));
        g.bench::<RayonParBridge, _>(w, move || RayonParBridge::new(w, work));
    }
    g.finish();
}

/// Benchmarks the pipeline over flavour `Q` at `cap` with `w` workers.
fn staged<Q: Queue>(g: &mut Group, w: usize, cap: Capacity, work: ItemWork) {
    g.bench_named(&Q::name(cap), Q::FAMILY, w, move || {
        pipeline::pipeline::<Q>(w, cap, work)
    });
}
