//! Signalling with `std::sync::Condvar` over a `Mutex`-guarded predicate.
//!
//! Ping-pong: two one-way flags, each a `Mutex<bool>` and the `Condvar` its
//! waiter sleeps on. A signal sets the flag under the lock, releases the lock,
//! then `notify_one`s (notifying after unlocking spares the woken thread from
//! blocking on a still-held mutex); a wait is `wait_while(!flag)` and then
//! clears the flag, still under the lock.
//!
//! One-to-many: a bool cannot be a reusable broadcast flag (someone would
//! have to clear it, racing the waiters' next wait), so the release
//! predicate is a generation number, `Mutex<u64>`, bumped per release and
//! announced with `notify_all` (the sense-reversal idea std's `Barrier` also
//! uses). Acknowledgements count up in a second `Mutex<usize>` + `Condvar`;
//! the waiter that makes the count reach `P` notifies the releaser, which
//! resets the count under the lock before it releases again.
//!
//! Invariant: every predicate is read and written only under its mutex, and
//! every wait re-checks its predicate, so neither a notification sent before
//! the wait nor a spurious wake-up can be mistaken for a signal.
//! Contention: one mutex per direction in ping-pong; in one-to-many, after
//! `notify_all` the P woken waiters re-acquire the generation mutex one at a
//! time, then all P contend for the acknowledgement mutex. Waiting is std's
//! futex-based condvar (a syscall to sleep and another to wake).

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crossbeam::utils::CachePadded;

use crate::harness::{Family, Strategy};

use super::{Broadcast, PingPong};

/// `Condvar` + `Mutex<bool>` (ping-pong), `Condvar` + generation
/// (one-to-many); see the module docs.
pub struct CondvarFlag;

impl Strategy for CondvarFlag {
    const NAME: &'static str = "condvar";
    const FAMILY: Family = Family::Mutex;
}

/// A mutex-guarded value and the condvar its waiters sleep on.
#[derive(Default)]
pub struct Watched<T> {
    value: Mutex<T>,
    changed: Condvar,
}

impl<T> Watched<T> {
    fn new(value: T) -> Self {
        Watched {
            value: Mutex::new(value),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, T> {
        // Nothing panics while holding these locks; poisoning cannot happen.
        self.value.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait_while(&self, cond: impl FnMut(&mut T) -> bool) -> MutexGuard<'_, T> {
        self.changed
            .wait_while(self.lock(), cond)
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Ping-pong state: `flags[side]` is the flag `side` waits on.
pub struct CondvarPair {
    flags: [CachePadded<Watched<bool>>; 2],
}

/// One-to-many state; see the module docs.
pub struct CondvarGate {
    generation: CachePadded<Watched<u64>>,
    acks: CachePadded<Watched<usize>>,
    waiters: usize,
}

impl PingPong for CondvarFlag {
    type Pair = CondvarPair;
    /// The side index.
    type End = usize;

    fn pair() -> CondvarPair {
        CondvarPair {
            flags: Default::default(),
        }
    }

    fn end(_: &CondvarPair, side: usize) -> usize {
        side
    }

    #[inline]
    fn signal(pair: &CondvarPair, side: &mut usize) {
        let flag = &pair.flags[1 - *side];
        *flag.lock() = true; // the guard drops here: notify after unlocking
        flag.changed.notify_one();
    }

    #[inline]
    fn wait(pair: &CondvarPair, side: &mut usize) {
        *pair.flags[*side].wait_while(|raised| !*raised) = false;
    }
}

impl Broadcast for CondvarFlag {
    type Gate = CondvarGate;
    /// Nothing: the generation lives in the gate.
    type Releaser = ();
    /// The generation last woken from.
    type Waiter = u64;

    fn gate(waiters: usize) -> CondvarGate {
        CondvarGate {
            generation: CachePadded::new(Watched::new(0)),
            acks: CachePadded::new(Watched::new(0)),
            waiters,
        }
    }

    fn releaser(_: &CondvarGate) {}

    fn waiter(_: &CondvarGate, _: usize) -> u64 {
        0
    }

    #[inline]
    fn release(gate: &CondvarGate, _: &mut ()) {
        *gate.generation.lock() += 1; // unlocked before notifying
        gate.generation.changed.notify_all();
    }

    #[inline]
    fn wait_acks(gate: &CondvarGate, _: &mut ()) {
        *gate.acks.wait_while(|acks| *acks < gate.waiters) = 0;
    }

    #[inline]
    fn wait_release(gate: &CondvarGate, seen: &mut u64) {
        *seen = *gate.generation.wait_while(|g| *g == *seen);
    }

    #[inline]
    fn ack(gate: &CondvarGate, _: &mut u64) {
        let last = {
            let mut acks = gate.acks.lock();
            *acks += 1;
            *acks == gate.waiters
        };
        if last {
            gate.acks.changed.notify_one();
        }
    }
}
