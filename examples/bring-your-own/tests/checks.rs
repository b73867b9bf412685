//! The correctness body syncbench runs on its own strategies, run on ours
//! under real contention (several threads, many operations per round): kanal
//! passes, the hand-written spinlock passes, the broken lock fails, by name.

use std::panic::{AssertUnwindSafe, catch_unwind};

use bring_your_own::{BrokenLock, CasLock, KanalBounded};
use syncbench::bench::{self, Builtins};

#[test]
fn kanal_passes_the_handoff_checks() {
    // SPSC, and MPSC and MPMC at 1, 2 and 4 producers; capacities 0, 1, 64;
    // both payloads.
    let checked = bench::handoff::check::<(KanalBounded,)>(Builtins::None, &[1, 2, 4]);
    for id in &checked {
        println!("passed: handoff {id}");
    }
    assert!(checked.iter().any(|id| id.ends_with("kanal-bounded-64/4")));
    assert!(checked.iter().any(|id| id.ends_with("kanal-bounded-0/1")));
    assert!(checked.iter().all(|id| id.contains("kanal-bounded-")));
}

#[test]
fn the_spinlock_passes_the_counter_checks() {
    let checked = bench::counter::check::<(CasLock,)>(Builtins::None, &[1, 2, 4, 8]);
    for id in &checked {
        println!("passed: counter/increment/{id}");
    }
    assert_eq!(checked.len(), 8);
}

#[test]
fn the_broken_lock_fails_its_check_by_name() {
    let failure = catch_unwind(AssertUnwindSafe(|| {
        bench::counter::check::<(BrokenLock,)>(Builtins::None, &[2, 4, 8, 16])
    }))
    .expect_err("a lock that two threads can hold at once must lose updates");
    let message = failure
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| failure.downcast_ref::<&str>().map(|s| s.to_string()))
        .expect("a panic message");
    println!("rejected: {message}");
    assert!(
        message.starts_with("byo-broken-lock (threads="),
        "the failure names the strategy: {message}"
    );
    assert!(message.contains("wrong answer"), "{message}");
}
