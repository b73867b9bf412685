//! `crossbeam::queue::ArrayQueue`: a bounded lock-free ring buffer, with
//! `crossbeam::utils::Backoff` between failed attempts.
//!
//! SPINNING: this strategy never blocks. A producer facing a full queue and a
//! consumer facing an empty one spin, then yield the core (`snooze`), and
//! retry until they succeed; they never park. That burns CPU without adding
//! throughput, so compare the sidecar's `cpu_ns_per_op` with the blocking
//! strategies', and expect it to suffer when threads outnumber cores.
//!
//! Invariant: each slot carries a stamp saying whether it is full or empty
//! for the current lap; a push or pop claims the tail or head with a
//! compare-exchange, so every value is popped exactly once. Contention:
//! producers fight over the tail index, consumers over the head index (each
//! on its own cache line); the slots' lines move from producer to consumer.
//! Capacity 0 does not exist (no rendezvous).

use crossbeam::queue::ArrayQueue;
use crossbeam::utils::Backoff;

use crate::channels::Capacity;
use crate::harness::Family;

use super::Queue;

/// `ArrayQueue` with backoff; see the module docs.
pub struct ArrayQueueSpin;

impl Queue for ArrayQueueSpin {
    const FAMILY: Family = Family::LockFree;
    type Shared<T: Send + 'static> = ArrayQueue<T>;
    type Producer<T: Send + 'static> = ();
    type Consumer<T: Send + 'static> = ();

    fn name(cap: Capacity) -> String {
        format!("crossbeam-arrayqueue-{cap}")
    }

    fn offers(cap: Capacity, _multi_consumer: bool) -> bool {
        matches!(cap, Capacity::Bounded(n) if n >= 1)
    }

    fn new<T: Send + 'static>(cap: Capacity) -> ArrayQueue<T> {
        match cap {
            Capacity::Bounded(n) if n >= 1 => ArrayQueue::new(n),
            _ => panic!("ArrayQueue has no capacity {cap}"),
        }
    }

    fn producer<T: Send + 'static>(_: &ArrayQueue<T>) {}

    fn consumer<T: Send + 'static>(_: &ArrayQueue<T>) {}

    #[inline]
    fn send<T: Send + 'static>(q: &ArrayQueue<T>, _: &mut (), v: T) {
        let backoff = Backoff::new();
        let mut v = v;
        while let Err(back) = q.push(v) {
            v = back;
            backoff.snooze();
        }
    }

    #[inline]
    fn recv<T: Send + 'static>(q: &ArrayQueue<T>, _: &mut ()) -> T {
        let backoff = Backoff::new();
        loop {
            if let Some(v) = q.pop() {
                return v;
            }
            backoff.snooze();
        }
    }
}
