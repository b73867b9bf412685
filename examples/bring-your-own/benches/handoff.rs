//! `cargo bench --bench handoff`: syncbench's hand-off scenarios
//! (`handoff/<shape>/<payload>`) with kanal's bounded channel beside a few
//! built-in flavours of the same capacities.

use bring_your_own::KanalBounded;
use syncbench::bench::{self, Builtins, Context};

/// The built-ins kept beside kanal: the other bounded channels at each
/// capacity kanal is measured at (0, 1 and 64), and std's mutex-and-condvar
/// queue at 64.
const BESIDE: &[&str] = &[
    "std-sync_channel-0",
    "crossbeam-bounded-0",
    "flume-bounded-0",
    "std-sync_channel-1",
    "crossbeam-bounded-1",
    "flume-bounded-1",
    "std-sync_channel-64",
    "crossbeam-bounded-64",
    "flume-bounded-64",
    "mutex-condvar-bounded-64",
];

fn main() {
    let mut ctx = Context::new("handoff");
    bench::handoff::run::<(KanalBounded,)>(&mut ctx, Builtins::Only(BESIDE));
    ctx.finish();
}
