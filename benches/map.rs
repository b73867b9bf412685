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

use common::Context;
use syncbench::map::{self, Config, Distribution, Scenario};

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
    let threads = ctx.threads();
    let name = format!(
        "map/{}/{}/{}",
        scenario.name(),
        config.mix.name(),
        config.dist.name()
    );
    let mut g = ctx.group(&name);
    for &t in &threads {
        map::declare(scenario, t, config, &mut g);
    }
    g.finish();
}
