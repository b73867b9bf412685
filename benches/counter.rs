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

mod common;

use common::Context;
use syncbench::counter;
use syncbench::harness::{Except, Hot, LEVELS, Mix, Only, PrivateWork, Warm};

fn main() {
    let mut ctx = Context::new("counter");
    overhead(&mut ctx);
    increment(&mut ctx, Hot, &[]);
    increment(&mut ctx, Warm::calibrated(), counter::WARM_LEAVES_OUT);
    for (name, target) in &LEVELS[1..] {
        increment_subset(&mut ctx, Warm::calibrated_to(name, *target));
    }
    for (read, write) in [(90, 10), (99, 1)] {
        let mix = Mix::new(read, write).expect("literal mixes add to 100");
        read_mostly(&mut ctx, mix);
    }
    // The multi-word record at 99 % reads only, where the question lives
    // (is a seqlock worth it for read-mostly data?); the tests check it at
    // both mixes.
    let mix = Mix::new(99, 1).expect("literal mixes add to 100");
    read_mostly_struct(&mut ctx, mix);
    ctx.finish();
}

/// The harness's own cost, at one thread: the no-op strategy, and
/// `atomic-fetch_add` through the harness beside the same loop written by
/// hand, measured side by side.
fn overhead(ctx: &mut Context) {
    let mut g = ctx.group("counter/overhead");
    counter::overhead_strategies(&mut g);
    g.finish();
}

/// `counter/increment/<level>` for every strategy but those `leave_out`
/// names.
fn increment<P: PrivateWork>(ctx: &mut Context, work: P, leave_out: &[&str]) {
    let threads = ctx.threads();
    let mut g = ctx.group(&format!("counter/increment/{}", work.name()));
    for &t in &threads {
        let mut except = Except {
            d: &mut g,
            names: leave_out,
        };
        counter::increment_strategies(t, work, &mut except);
    }
    g.finish();
}

/// `counter/increment/<level>` for the strategies of
/// [`counter::CONTENTION_AXIS`] only.
fn increment_subset<P: PrivateWork>(ctx: &mut Context, work: P) {
    let threads = ctx.threads();
    let mut g = ctx.group(&format!("counter/increment/{}", work.name()));
    for &t in &threads {
        let mut only = Only {
            d: &mut g,
            names: counter::CONTENTION_AXIS,
        };
        counter::increment_strategies(t, work, &mut only);
    }
    g.finish();
}

fn read_mostly(ctx: &mut Context, mix: Mix) {
    let threads = ctx.threads();
    let mut g = ctx.group(&format!("counter/read-mostly/{}", mix.name()));
    for &t in &threads {
        counter::read_mostly_strategies(t, mix, &mut g);
    }
    g.finish();
}

fn read_mostly_struct(ctx: &mut Context, mix: Mix) {
    let threads = ctx.threads();
    let mut g = ctx.group(&format!("counter/read-mostly-struct/{}", mix.name()));
    for &t in &threads {
        counter::read_mostly_struct_strategies(t, mix, &mut g);
    }
    g.finish();
}
