//! Signalling with `thread::park`/`unpark` and an atomic flag.
//!
//! Ping-pong: one `AtomicBool` per direction. A signal stores `true`
//! (`Release`) and unparks the peer; a wait is
//! `while !flag.swap(false, Acquire) { park() }`. The flag carries the
//! signal; the park token only ends the sleep, so a spurious return from
//! `park` (or a token left by an earlier, unrelated `unpark`) is harmless.
//!
//! One-to-many: a generation `AtomicU64` the waiters watch, and a `pending`
//! count of acknowledgements still due. A release stores `pending = P`, then
//! the new generation (`Release`), then unparks every waiter; a waiter parks
//! until the generation differs from the last one it saw. Acknowledging is
//! `pending.fetch_sub(1, Release)`; whoever takes it to zero unparks the
//! releaser, which parks until it reads zero (`Acquire`).
//!
//! Thread handles are registered by each thread when it creates its handle,
//! before the first round (the pool's start barrier orders that before any
//! signal).
//!
//! Invariant: a waiter returns only after observing its flag or generation
//! change (`Acquire`, pairing with the signaller's `Release`), and `unpark`
//! follows every change, so a wake-up is never lost: `unpark` before `park`
//! leaves a token that makes the `park` return at once.
//! Contention: one flag cache line per direction; in one-to-many the
//! generation line is read by every waiter and `pending` takes P atomic
//! decrements per release. Every wake-up of a parked thread is a futex
//! syscall (Linux); the releaser makes P of them, one per waiter.
//!
//! Its atomics and park/unpark come from [`crate::primitive`], so `tests/loom.rs`
//! model-checks this code under `--cfg loom`.

use std::sync::OnceLock;

use crossbeam::utils::CachePadded;

use crate::harness::{Family, Strategy};
use crate::primitive::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::*};
use crate::primitive::thread::{self, Thread};

use super::{Broadcast, PingPong};

/// `thread::park`/`unpark` with an atomic flag; see the module docs.
pub struct ParkUnpark;

impl Strategy for ParkUnpark {
    const NAME: &'static str = "park-unpark";
    const FAMILY: Family = Family::Park;
}

/// Ping-pong state: `flags[side]` is raised for `side`, which is
/// `threads[side]`.
pub struct ParkPair {
    flags: [CachePadded<AtomicBool>; 2],
    threads: [OnceLock<Thread>; 2],
}

/// One-to-many state; see the module docs.
pub struct ParkGate {
    generation: CachePadded<AtomicU64>,
    pending: CachePadded<AtomicUsize>,
    releaser: OnceLock<Thread>,
    waiters: Vec<OnceLock<Thread>>,
}

fn register(slot: &OnceLock<Thread>) {
    if slot.set(thread::current()).is_err() {
        panic!("a park-unpark handle was created twice");
    }
}

#[inline]
fn registered(slot: &OnceLock<Thread>) -> &Thread {
    slot.get()
        .expect("every thread registers before the first round")
}

impl PingPong for ParkUnpark {
    type Pair = ParkPair;
    /// The side index.
    type End = usize;

    fn pair() -> ParkPair {
        ParkPair {
            flags: Default::default(),
            threads: Default::default(),
        }
    }

    fn end(pair: &ParkPair, side: usize) -> usize {
        register(&pair.threads[side]);
        side
    }

    #[inline]
    fn signal(pair: &ParkPair, side: &mut usize) {
        let peer = 1 - *side;
        pair.flags[peer].store(true, Release);
        registered(&pair.threads[peer]).unpark();
    }

    #[inline]
    fn wait(pair: &ParkPair, side: &mut usize) {
        while !pair.flags[*side].swap(false, Acquire) {
            thread::park();
        }
    }
}

impl Broadcast for ParkUnpark {
    type Gate = ParkGate;
    /// The generation last released.
    type Releaser = u64;
    /// The generation last woken from.
    type Waiter = u64;

    fn gate(waiters: usize) -> ParkGate {
        ParkGate {
            generation: CachePadded::new(AtomicU64::new(0)),
            pending: CachePadded::new(AtomicUsize::new(0)),
            releaser: OnceLock::new(),
            waiters: (0..waiters).map(|_| OnceLock::new()).collect(),
        }
    }

    fn releaser(gate: &ParkGate) -> u64 {
        register(&gate.releaser);
        0
    }

    fn waiter(gate: &ParkGate, index: usize) -> u64 {
        register(&gate.waiters[index]);
        0
    }

    #[inline]
    fn release(gate: &ParkGate, generation: &mut u64) {
        *generation += 1;
        gate.pending.store(gate.waiters.len(), Relaxed);
        gate.generation.store(*generation, Release);
        for t in &gate.waiters {
            registered(t).unpark();
        }
    }

    #[inline]
    fn wait_acks(gate: &ParkGate, _: &mut u64) {
        while gate.pending.load(Acquire) != 0 {
            thread::park();
        }
    }

    #[inline]
    fn wait_release(gate: &ParkGate, seen: &mut u64) {
        loop {
            let g = gate.generation.load(Acquire);
            if g != *seen {
                *seen = g;
                return;
            }
            thread::park();
        }
    }

    #[inline]
    fn ack(gate: &ParkGate, _: &mut u64) {
        if gate.pending.fetch_sub(1, Release) == 1 {
            registered(&gate.releaser).unpark();
        }
    }
}
