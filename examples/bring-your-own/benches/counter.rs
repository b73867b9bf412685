//! `cargo bench --bench counter`: syncbench's counter scenarios with a
//! hand-written spinlock (`byo-cas-lock`) beside a few built-ins.
//!
//! With `BYO_BROKEN_LOCK=1` the deliberately broken lock
//! (`byo-broken-lock`) is added too, and a real run stops at its first id
//! with more than one thread: the check of the round's answer names it
//! (`byo-broken-lock (threads=2): wrong answer after … operations: …`).
//! Criterion's test mode (`--test`) runs one operation per id, too few to
//! lose an update; `tests/checks.rs` runs large rounds.

use bring_your_own::{BrokenLock, CasLock};
use syncbench::bench::{self, Builtins, Context};

const BESIDE: &[&str] = &[
    "std-mutex",
    "parking_lot-mutex",
    "spin-mutex",
    "ttas-mutex",
    "atomic-fetch_add",
];

fn main() {
    let mut ctx = Context::new("counter");
    let builtins = Builtins::Only(BESIDE);
    if std::env::var_os("BYO_BROKEN_LOCK").is_some_and(|v| v == "1") {
        bench::counter::run::<(CasLock, BrokenLock)>(&mut ctx, builtins);
    } else {
        bench::counter::run::<(CasLock,)>(&mut ctx, builtins);
    }
    ctx.finish();
}
