//! `cargo bench --bench counter`: many threads bump or read one shared count.
//!
//! Groups:
//! - `counter/increment/{hot,warm}`: every operation adds one (warm: ~100 ns
//!   of private work first);
//! - `counter/increment/{1us,10us}`: the same with ~1 µs and ~10 µs of
//!   private work, for the best of each family only
//!   (`counter::CONTENTION_AXIS`): the mild end of the winner map;
//! - `counter/read-mostly/{90-10,99-1}`: reads of the count, a few adds;
//! - `counter/read-mostly-struct/99-1`: reads of a four-word record
//!   that must be read whole, a few replacements of it;
//! - `counter/overhead`: the harness's own cost at one thread (no-op, and
//!   `atomic-fetch_add` through the harness vs. a hand-written loop).

//!
//! The scenarios live in the library ([`syncbench::bench::counter`]), where
//! another crate can run them with its own counters added.

mod common;

use common::Context;
use syncbench::bench::{self, Builtins};

fn main() {
    let mut ctx = Context::new("counter");
    bench::counter::run::<()>(&mut ctx, Builtins::All);
    ctx.finish();
}
