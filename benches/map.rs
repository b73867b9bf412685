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

//!
//! The scenarios live in the library ([`syncbench::bench::map`]), where
//! another crate can run them with its own maps added.

mod common;

use common::Context;
use syncbench::bench::{self, Builtins};

fn main() {
    let mut ctx = Context::new("map");
    bench::map::run::<()>(&mut ctx, Builtins::All);
    ctx.finish();
}
