//! `cargo bench --bench counter`: many threads bump or read one shared count.
//!
//! Groups:
//! - `counter/increment/{hot,warm}`: every operation adds one (warm: ~100 ns
//!   of private work first);
//! - `counter/read-mostly/{90-10,99-1}`: reads of the count, a few adds;
//! - `counter/overhead`: the harness's own cost at one thread (no-op, and
//!   `atomic-fetch_add` through the harness vs. a hand-written loop).

mod common;

use common::{Context, Group};
use syncbench::counter::actor::{CrossbeamActor, FlumeActor, StdMpscActor};
use syncbench::counter::atomic::{AtomicCas, AtomicFetchAdd};
use syncbench::counter::batch::ThreadLocalBatch;
use syncbench::counter::handwritten::HandwrittenFetchAdd;
use syncbench::counter::mutex::{ParkingLotMutex, StdMutex};
use syncbench::counter::private::NoSharing;
use syncbench::counter::rayon::RayonFold;
use syncbench::counter::rwlock::{ParkingLotRwLock, StdRwLock};
use syncbench::counter::sharded::ShardedAtomic;
use syncbench::counter::snapshot::ArcSwapSnapshot;
use syncbench::counter::{self, Counter, Gauge};
use syncbench::harness::{Hot, Mix, Noop, Pool, PrivateWork, Strategy, Warm};

fn main() {
    let mut ctx = Context::new("counter");
    overhead(&mut ctx);
    increment(&mut ctx, Hot);
    increment(&mut ctx, Warm::calibrated());
    for (read, write) in [(90, 10), (99, 1)] {
        let mix = Mix::new(read, write).expect("literal mixes add to 100");
        read_mostly(&mut ctx, mix);
    }
    ctx.finish();
}

/// The harness's own cost, at one thread: the no-op strategy, and
/// `atomic-fetch_add` through the harness beside the same loop written by
/// hand, measured side by side.
fn overhead(ctx: &mut Context) {
    let mut g = ctx.group("counter/overhead");
    g.bench::<Noop, _>(1, move || Pool::new(Noop::NAME, 1, Noop::default()));
    g.bench::<AtomicFetchAdd, _>(1, move || counter::increment::<AtomicFetchAdd, _>(1, Hot));
    g.bench::<HandwrittenFetchAdd, _>(1, HandwrittenFetchAdd::default);
    g.finish();
}

fn increment<P: PrivateWork>(ctx: &mut Context, work: P) {
    fn one<C: Counter, P: PrivateWork>(g: &mut Group, t: usize, work: P) {
        g.bench::<C, _>(t, move || counter::increment::<C, P>(t, work));
    }
    let threads = ctx.threads();
    let mut g = ctx.group(&format!("counter/increment/{}", work.name()));
    for &t in &threads {
        one::<StdMutex, P>(&mut g, t, work);
        one::<ParkingLotMutex, P>(&mut g, t, work);
        one::<StdRwLock, P>(&mut g, t, work);
        one::<ParkingLotRwLock, P>(&mut g, t, work);
        one::<AtomicFetchAdd, P>(&mut g, t, work);
        one::<AtomicCas, P>(&mut g, t, work);
        one::<ShardedAtomic, P>(&mut g, t, work);
        one::<ThreadLocalBatch, P>(&mut g, t, work);
        one::<StdMpscActor, P>(&mut g, t, work);
        one::<CrossbeamActor, P>(&mut g, t, work);
        one::<FlumeActor, P>(&mut g, t, work);
        one::<NoSharing, P>(&mut g, t, work);
        g.bench::<RayonFold<P>, _>(t, move || RayonFold::new(t, work));
    }
    g.finish();
}

fn read_mostly(ctx: &mut Context, mix: Mix) {
    fn one<G: Gauge>(g: &mut Group, t: usize, mix: Mix) {
        g.bench::<G, _>(t, move || counter::read_mostly::<G, Hot>(t, mix, Hot));
    }
    let threads = ctx.threads();
    let mut g = ctx.group(&format!("counter/read-mostly/{}", mix.name()));
    for &t in &threads {
        one::<StdMutex>(&mut g, t, mix);
        one::<ParkingLotMutex>(&mut g, t, mix);
        one::<StdRwLock>(&mut g, t, mix);
        one::<ParkingLotRwLock>(&mut g, t, mix);
        one::<AtomicFetchAdd>(&mut g, t, mix);
        one::<ShardedAtomic>(&mut g, t, mix);
        one::<ArcSwapSnapshot>(&mut g, t, mix);
    }
    g.finish();
}
