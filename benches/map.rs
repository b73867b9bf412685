//! `cargo bench --bench map`: a shared `u64 → u64` map under lookups and
//! writes.
//!
//! Groups `map/<scenario>/<mix>/<distribution>`:
//! - `map/read-heavy/{99-1,90-10}/{uniform,zipf}`;
//! - `map/write-heavy/{50-50,10-90}/{uniform,zipf}`;
//! - `map/read-heavy/100-0/uniform` and `map/write-heavy/0-100/uniform`: the
//!   ends of the read-share axis, for the best of each family only
//!   (`map::READ_SHARE_AXIS`).
//!
//! Every strategy runs in every group except `arc-swap-cow`, whose writes
//! copy the whole map and which is measured in read-heavy groups only, and
//! `ttas-mutex`, the second spinlock, measured with uniform keys only (one
//! lock around the whole map sees no key skew; `map::offered`). The
//! key space, prefill, op mix and checks are `syncbench::map`'s defaults
//! (64k keys, half present); see that module's docs.

mod common;

use common::Context;
use syncbench::harness::Only;
use syncbench::map::{self, Config, Distribution, Scenario};

fn main() {
    let mut ctx = Context::new("map");
    for scenario in Scenario::ALL {
        for mix in scenario.mixes() {
            for dist in [Distribution::Uniform, Distribution::zipf()] {
                group(&mut ctx, scenario, Config::new(mix, dist), None);
            }
        }
        let config = Config::new(scenario.extreme_mix(), Distribution::Uniform);
        group(&mut ctx, scenario, config, Some(map::READ_SHARE_AXIS));
    }
    ctx.finish();
}

/// One group; `only` limits it to those strategies.
fn group(ctx: &mut Context, scenario: Scenario, config: Config, only: Option<&[&str]>) {
    let threads = ctx.threads();
    let name = format!(
        "map/{}/{}/{}",
        scenario.name(),
        config.mix.name(),
        config.dist.name()
    );
    let mut g = ctx.group(&name);
    for &t in &threads {
        match only {
            Some(names) => map::declare(scenario, t, config, &mut Only { d: &mut g, names }),
            None => map::declare(scenario, t, config, &mut g),
        }
    }
    g.finish();
}
