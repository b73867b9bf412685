//! `crossbeam::queue::SegQueue`: an unbounded lock-free queue of linked
//! segments (blocks of slots), with `crossbeam::utils::Backoff` while empty.
//!
//! SPINNING: a consumer facing an empty queue spins, then yields the core
//! (`snooze`), and retries; it never parks. That burns CPU without adding
//! throughput: compare the sidecar's `cpu_ns_per_op` with the blocking
//! strategies', and expect it to suffer when threads outnumber cores.
//! Producers never wait (the queue is unbounded).
//!
//! Invariant: a push claims a slot index at the tail with a
//! compare-exchange and marks it written; a pop claims an index at the head
//! and waits for the write mark, so every value is popped exactly once.
//! Contention: producers fight over the tail index, consumers over the head
//! index; a segment is allocated every 31 pushes and freed by the consumer
//! that empties it (part of what is measured).

use crossbeam::queue::SegQueue;
use crossbeam::utils::Backoff;

use crate::channels::Capacity;
use crate::harness::Family;

use super::Queue;

/// `SegQueue` with backoff; see the module docs.
pub struct SegQueueSpin;

impl Queue for SegQueueSpin {
    const FAMILY: Family = Family::LockFree;
    type Shared<T: Send + 'static> = SegQueue<T>;
    type Producer<T: Send + 'static> = ();
    type Consumer<T: Send + 'static> = ();

    fn name(_cap: Capacity) -> String {
        "crossbeam-segqueue".to_string()
    }

    fn offers(cap: Capacity, _multi_consumer: bool) -> bool {
        cap == Capacity::Unbounded
    }

    fn new<T: Send + 'static>(cap: Capacity) -> SegQueue<T> {
        assert_eq!(cap, Capacity::Unbounded, "SegQueue is only unbounded");
        SegQueue::new()
    }

    fn producer<T: Send + 'static>(_: &SegQueue<T>) {}

    fn consumer<T: Send + 'static>(_: &SegQueue<T>) {}

    #[inline]
    fn send<T: Send + 'static>(q: &SegQueue<T>, _: &mut (), v: T) {
        q.push(v);
    }

    #[inline]
    fn recv<T: Send + 'static>(q: &SegQueue<T>, _: &mut ()) -> T {
        let backoff = Backoff::new();
        loop {
            if let Some(v) = q.pop() {
                return v;
            }
            backoff.snooze();
        }
    }
}
