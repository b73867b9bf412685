//! Signalling by spinning on an atomic, with `std::hint::spin_loop()` and
//! nothing else: no backoff, no yield, no sleep.
//!
//! Ping-pong: one `AtomicBool` per direction. A signal stores `true`
//! (`Release`); a wait loads (`Acquire`) until it reads `true`, then stores
//! `false` (its peer cannot signal again before this side answers, so the
//! reset cannot race with the next signal).
//!
//! One-to-many: a generation `AtomicU64` and a `pending` acknowledgement
//! count, as in [`park`](super::park) without the parking: a release stores
//! `pending = P` and then the new generation (`Release`); waiters spin until
//! the generation changes, acknowledge with `pending.fetch_sub(1, Release)`,
//! and the releaser spins until `pending` reads zero (`Acquire`).
//!
//! Invariant: a waiter leaves its loop only after observing the change it
//! waits for (`Acquire`, pairing with the signaller's `Release`).
//! Contention: the waiting thread keeps the flag's cache line in shared
//! state and re-reads it from its own cache; the signaller's store
//! invalidates it, and the next load fetches the new value: the wake-up is
//! one cache-line transfer, no syscall. The price is CPU: a waiter burns its
//! core for as long as it waits. On an oversubscribed machine (more
//! spinning threads than cores) that is worse than waste: a spinner keeps
//! its core for a whole scheduler time slice (milliseconds) while the thread
//! it waits for is not running, so one round trip can cost a time slice.
//! The sidecar's `cpu_ns_per_op` shows the burned CPU.
//!
//! Its atomics and spin hint come from [`crate::primitive`], so `tests/loom.rs`
//! model-checks this code under `--cfg loom`.

use crossbeam::utils::CachePadded;

use crate::harness::{Family, Strategy};
use crate::primitive::hint::spin_loop;
use crate::primitive::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::*};

use super::{Broadcast, PingPong};

/// Pure spinning on an atomic; see the module docs.
pub struct Spin;

impl Strategy for Spin {
    const NAME: &'static str = "spin";
    const FAMILY: Family = Family::Atomic;
}

/// Ping-pong state: `flags[side]` is raised for `side`.
pub struct SpinPair {
    flags: [CachePadded<AtomicBool>; 2],
}

/// One-to-many state; see the module docs.
pub struct SpinGate {
    generation: CachePadded<AtomicU64>,
    pending: CachePadded<AtomicUsize>,
    waiters: usize,
}

impl PingPong for Spin {
    type Pair = SpinPair;
    /// The side index.
    type End = usize;

    fn pair() -> SpinPair {
        SpinPair {
            flags: Default::default(),
        }
    }

    fn end(_: &SpinPair, side: usize) -> usize {
        side
    }

    #[inline]
    fn signal(pair: &SpinPair, side: &mut usize) {
        pair.flags[1 - *side].store(true, Release);
    }

    #[inline]
    fn wait(pair: &SpinPair, side: &mut usize) {
        let flag = &pair.flags[*side];
        while !flag.load(Acquire) {
            spin_loop();
        }
        flag.store(false, Relaxed);
    }
}

impl Broadcast for Spin {
    type Gate = SpinGate;
    /// The generation last released.
    type Releaser = u64;
    /// The generation last woken from.
    type Waiter = u64;

    fn gate(waiters: usize) -> SpinGate {
        SpinGate {
            generation: CachePadded::new(AtomicU64::new(0)),
            pending: CachePadded::new(AtomicUsize::new(0)),
            waiters,
        }
    }

    fn releaser(_: &SpinGate) -> u64 {
        0
    }

    fn waiter(_: &SpinGate, _: usize) -> u64 {
        0
    }

    #[inline]
    fn release(gate: &SpinGate, generation: &mut u64) {
        *generation += 1;
        gate.pending.store(gate.waiters, Relaxed);
        gate.generation.store(*generation, Release);
    }

    #[inline]
    fn wait_acks(gate: &SpinGate, _: &mut u64) {
        while gate.pending.load(Acquire) != 0 {
            spin_loop();
        }
    }

    #[inline]
    fn wait_release(gate: &SpinGate, seen: &mut u64) {
        loop {
            let g = gate.generation.load(Acquire);
            if g != *seen {
                *seen = g;
                return;
            }
            spin_loop();
        }
    }

    #[inline]
    fn ack(gate: &SpinGate, _: &mut u64) {
        gate.pending.fetch_sub(1, Release);
    }
}
