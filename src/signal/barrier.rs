//! Signalling with `std::sync::Barrier`: every wait is a `Barrier::wait`.
//!
//! A barrier phase ends when its last party arrives, so one phase carries a
//! signal in both directions at once ("everyone is here"). The shapes use it
//! the way fork-join code does, a start phase and a done phase per step:
//! - ping-pong: `Barrier::new(2)`; the ping is one phase (the pinger's
//!   signal, the ponger's wait), the pong the next;
//! - one-to-many: `Barrier::new(P + 1)`; the release is one phase (releaser
//!   and waiters all arrive, the last arrival frees everyone), the
//!   acknowledgement the next.
//!
//! Invariant: nobody leaves a phase before every party has arrived at it;
//! std's barrier is a `Mutex` (arrival count, generation) plus a `Condvar`,
//! so what a party wrote before arriving is visible to all after leaving.
//! Contention: all parties take the barrier's one mutex on arrival; every
//! arrival but the last sleeps on the condvar, and the last one
//! `notify_all`s. A signaller therefore also waits: it cannot leave the phase
//! before its peers arrive (like a rendezvous channel).

use std::sync::Barrier;

use crate::harness::{Family, Strategy};

use super::{Broadcast, PingPong};

/// `std::sync::Barrier`; see the module docs.
pub struct StdBarrier;

impl Strategy for StdBarrier {
    const NAME: &'static str = "std-barrier";
    const FAMILY: Family = Family::Barrier;
}

impl PingPong for StdBarrier {
    type Pair = Barrier;
    type End = ();

    fn pair() -> Barrier {
        Barrier::new(2)
    }

    fn end(_: &Barrier, _: usize) {}

    #[inline]
    fn signal(barrier: &Barrier, _: &mut ()) {
        barrier.wait();
    }

    #[inline]
    fn wait(barrier: &Barrier, _: &mut ()) {
        barrier.wait();
    }
}

impl Broadcast for StdBarrier {
    type Gate = Barrier;
    type Releaser = ();
    type Waiter = ();

    fn gate(waiters: usize) -> Barrier {
        Barrier::new(waiters + 1)
    }

    fn releaser(_: &Barrier) {}

    fn waiter(_: &Barrier, _: usize) {}

    #[inline]
    fn release(barrier: &Barrier, _: &mut ()) {
        barrier.wait();
    }

    #[inline]
    fn wait_acks(barrier: &Barrier, _: &mut ()) {
        barrier.wait();
    }

    #[inline]
    fn wait_release(barrier: &Barrier, _: &mut ()) {
        barrier.wait();
    }

    #[inline]
    fn ack(barrier: &Barrier, _: &mut ()) {
        barrier.wait();
    }
}
