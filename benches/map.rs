//! `cargo bench --bench map`: a shared `u64 → u64` map under lookups and
//! writes.
//!
//! Groups `map/<scenario>/<mix>/<distribution>`:
//! - `map/read-heavy/{99-1,90-10}/{uniform,zipf}`;
//! - `map/write-heavy/{50-50,10-90}/{uniform,zipf}`.
//!
//! Every strategy runs in every group except `arc-swap-cow`, whose writes
//! copy the whole map and which is measured in read-heavy groups only. The
//! key space, prefill, op mix and checks are `syncbench::map`'s defaults
//! (64k keys, half present); see that module's docs.

mod common;

use common::{Context, Group};
use syncbench::map::actor::CrossbeamActor;
use syncbench::map::dashmap::Dash;
use syncbench::map::mutex::{ParkingLotMutex, StdMutex};
use syncbench::map::rwlock::{ParkingLotRwLock, StdRwLock};
use syncbench::map::sharded::ShardedRwLock;
use syncbench::map::snapshot::ArcSwapCow;
use syncbench::map::{self, Config, Distribution, Map, Scenario};

fn main() {
    let mut ctx = Context::new("map");
    for scenario in Scenario::ALL {
        for mix in scenario.mixes() {
            for dist in [Distribution::Uniform, Distribution::zipf()] {
                group(&mut ctx, scenario, Config::new(mix, dist));
            }
        }
    }
    ctx.finish();
}

fn group(ctx: &mut Context, scenario: Scenario, config: Config) {
    fn one<M: Map>(g: &mut Group, scenario: Scenario, t: usize, config: Config) {
        if scenario.offers::<M>() {
            g.bench::<M, _>(t, move || map::mixed::<M>(t, config));
        }
    }
    let threads = ctx.threads();
    let name = format!(
        "map/{}/{}/{}",
        scenario.name(),
        config.mix.name(),
        config.dist.name()
    );
    let mut g = ctx.group(&name);
    for &t in &threads {
        one::<StdMutex>(&mut g, scenario, t, config);
        one::<ParkingLotMutex>(&mut g, scenario, t, config);
        one::<StdRwLock>(&mut g, scenario, t, config);
        one::<ParkingLotRwLock>(&mut g, scenario, t, config);
        one::<ShardedRwLock>(&mut g, scenario, t, config);
        one::<Dash>(&mut g, scenario, t, config);
        one::<CrossbeamActor>(&mut g, scenario, t, config);
        one::<ArcSwapCow>(&mut g, scenario, t, config);
    }
    g.finish();
}
