//! `cargo bench --bench tasks`: the same questions on a tokio runtime.
//!
//! Parameter = runtime worker threads (the thread axis); each group also
//! runs on a `current_thread` runtime, as the group `<group>/current-thread`
//! at parameter 1. Tasks are spawned once per id, [`TASKS_PER_WORKER`] per
//! worker where they contend (see `syncbench::tasks`).
//!
//! Groups:
//! - `tasks/counter/{no-await,across-yield}`, `tasks/map/{no-await,across-yield}`
//!   (map: multi-thread only): one iteration is one update; `across-yield`
//!   holds the guard across `yield_now().await` and runs the async locks
//!   only (the report shows the others as not applicable);
//! - `tasks/handoff/{spsc,mpsc}`: one iteration is one message (spsc at 1
//!   and 2 workers only: two tasks gain nothing from more);
//! - `tasks/bridge/thread-to-task`: a plain thread sends, a task receives
//!   (1 and 2 workers);
//! - `tasks/signal/ping-pong` (1 and 2 workers), `tasks/signal/one-to-many`,
//!   `tasks/cancel`: one iteration is one round trip, one acknowledged
//!   release, one cancel-to-all-stopped; the sidecars carry latency
//!   percentiles (`extra.latency_ns`).
//!
//! [`TASKS_PER_WORKER`]: syncbench::tasks::shared::TASKS_PER_WORKER

mod common;

use common::{Context, Group};
use syncbench::tasks::shared::{self, Section};
use syncbench::tasks::{Flavor, group_name, handoff, signal};

fn main() {
    let mut ctx = Context::new("tasks");
    let all = Flavor::axis(&ctx.threads());
    let two: Vec<Flavor> = all.iter().copied().filter(|f| f.workers() <= 2).collect();
    let multi: Vec<Flavor> = all
        .iter()
        .copied()
        .filter(|f| *f != Flavor::CurrentThread)
        .collect();
    for section in [Section::NoAwait, Section::AcrossYield] {
        let base = format!("tasks/counter/{}", section.name());
        groups(&mut ctx, &base, &all, |f, g| {
            shared::declare(shared::State::Counter, section, f, g)
        });
    }
    for section in [Section::NoAwait, Section::AcrossYield] {
        let base = format!("tasks/map/{}", section.name());
        groups(&mut ctx, &base, &multi, |f, g| {
            shared::declare(shared::State::Map, section, f, g)
        });
    }
    groups(&mut ctx, "tasks/handoff/spsc", &two, |f, g| {
        handoff::declare(handoff::Shape::Spsc, f, g)
    });
    groups(&mut ctx, "tasks/handoff/mpsc", &all, |f, g| {
        handoff::declare(handoff::Shape::Mpsc, f, g)
    });
    groups(&mut ctx, "tasks/bridge/thread-to-task", &two, |f, g| {
        handoff::declare_bridges(f, g)
    });
    groups(&mut ctx, "tasks/signal/ping-pong", &two, |f, g| {
        signal::declare_ping_pong(f, g)
    });
    groups(&mut ctx, "tasks/signal/one-to-many", &all, |f, g| {
        signal::declare_release(signal::Releasing::OneToMany, f, g)
    });
    groups(&mut ctx, "tasks/cancel", &all, |f, g| {
        signal::declare_release(signal::Releasing::Cancel, f, g)
    });
    ctx.finish();
}

/// Group `base` for the multi-thread flavours in `flavors`, then
/// `base/current-thread` if `flavors` has it.
fn groups(
    ctx: &mut Context,
    base: &str,
    flavors: &[Flavor],
    mut declare: impl FnMut(Flavor, &mut Group<'_>),
) {
    let (ct, mt): (Vec<Flavor>, Vec<Flavor>) =
        flavors.iter().partition(|f| **f == Flavor::CurrentThread);
    for set in [mt, ct] {
        if let Some(&first) = set.first() {
            let mut g = ctx.group(&group_name(base, first));
            for f in set {
                declare(f, &mut g);
            }
            g.finish();
        }
    }
}
