//! Primitives from outside syncbench, measured by it: each implements one
//! of syncbench's strategy traits, and `benches/` runs syncbench's scenarios
//! with them added (`syncbench::bench`).
//!
//! - [`KanalBounded`]: kanal's bounded channel, a [`Queue`] for the
//!   hand-off scenarios (`handoff/…`).
//! - [`CasLock`]: a spinlock guarding a plain count, a [`Counter`] for the
//!   increment scenarios (`counter/increment/…`).
//! - [`BrokenLock`]: the same lock with its acquisition written as a load
//!   then a store instead of one compare-exchange, so two threads can hold
//!   it at once and updates are lost. syncbench's check of every round
//!   rejects it, by name.

use std::hint::spin_loop;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use syncbench::counter::Counter;
use syncbench::handoff::{Capacity, Queue};
use syncbench::harness::{Family, Strategy};

/// kanal's bounded channel (`kanal::bounded(n)`): multi-producer,
/// multi-consumer, blocking; capacity 0 is a rendezvous.
pub struct KanalBounded;

impl Queue for KanalBounded {
    const FAMILY: Family = Family::Channel;
    // Both ends are kept by the queue, so that it never disconnects while
    // the threads' handles come and go.
    type Shared<T: Send + 'static> = (kanal::Sender<T>, kanal::Receiver<T>);
    type Producer<T: Send + 'static> = kanal::Sender<T>;
    type Consumer<T: Send + 'static> = kanal::Receiver<T>;

    fn name(cap: Capacity) -> String {
        match cap {
            Capacity::Bounded(n) => format!("kanal-bounded-{n}"),
            Capacity::Unbounded => "kanal-unbounded".to_string(),
        }
    }

    fn offers(cap: Capacity, _multi_consumer: bool) -> bool {
        matches!(cap, Capacity::Bounded(_))
    }

    fn new<T: Send + 'static>(cap: Capacity) -> Self::Shared<T> {
        match cap {
            Capacity::Bounded(n) => kanal::bounded(n),
            Capacity::Unbounded => panic!("kanal-bounded: no unbounded capacity"),
        }
    }

    fn producer<T: Send + 'static>(q: &Self::Shared<T>) -> kanal::Sender<T> {
        q.0.clone()
    }

    fn consumer<T: Send + 'static>(q: &Self::Shared<T>) -> kanal::Receiver<T> {
        q.1.clone()
    }

    #[inline]
    fn send<T: Send + 'static>(_: &Self::Shared<T>, tx: &mut kanal::Sender<T>, v: T) {
        tx.send(v).expect("the queue keeps a receiver");
    }

    #[inline]
    fn recv<T: Send + 'static>(_: &Self::Shared<T>, rx: &mut kanal::Receiver<T>) -> T {
        rx.recv().expect("the queue keeps a sender")
    }
}

/// A test-and-test-and-set spinlock around a count: waiters spin on a load,
/// then try to take the lock with one compare-exchange.
#[derive(Default)]
pub struct CasLock {
    locked: AtomicBool,
    count: AtomicU64,
}

impl CasLock {
    fn lock(&self) {
        loop {
            while self.locked.load(Ordering::Relaxed) {
                spin_loop();
            }
            if self
                .locked
                .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                return;
            }
        }
    }

    fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
    }
}

impl Strategy for CasLock {
    const NAME: &'static str = "byo-cas-lock";
    const FAMILY: Family = Family::Spin;
}

impl Counter for CasLock {
    type Local = ();

    fn new(_threads: usize) -> Self {
        Self::default()
    }

    fn local(&self, _index: usize) {}

    #[inline]
    fn increment(&self, _: &mut ()) {
        self.lock();
        // The lock makes this load-then-store safe.
        let n = self.count.load(Ordering::Relaxed);
        self.count.store(n + 1, Ordering::Relaxed);
        self.unlock();
    }

    fn total(&self) -> u64 {
        self.count.load(Ordering::Acquire)
    }
}

/// A deliberately broken lock: it waits until the flag is clear, then sets
/// it with a separate store. Two threads that both see it clear both enter,
/// and one's increment overwrites the other's. Never use this.
#[derive(Default)]
pub struct BrokenLock {
    locked: AtomicBool,
    count: AtomicU64,
}

impl BrokenLock {
    fn lock(&self) {
        while self.locked.load(Ordering::Acquire) {
            spin_loop();
        }
        // The bug: between the load above and this store another thread may
        // take the lock too (the spins widen the window, as a preemption or
        // a cache miss would).
        for _ in 0..8 {
            spin_loop();
        }
        self.locked.store(true, Ordering::Relaxed);
    }

    fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
    }
}

impl Strategy for BrokenLock {
    const NAME: &'static str = "byo-broken-lock";
    // A lock of no family syncbench knows: judged by no rule of thumb.
    const FAMILY: Family = Family::Other;
}

impl Counter for BrokenLock {
    type Local = ();

    fn new(_threads: usize) -> Self {
        Self::default()
    }

    fn local(&self, _index: usize) {}

    #[inline]
    fn increment(&self, _: &mut ()) {
        self.lock();
        let n = self.count.load(Ordering::Relaxed);
        self.count.store(n + 1, Ordering::Relaxed);
        self.unlock();
    }

    fn total(&self) -> u64 {
        self.count.load(Ordering::Acquire)
    }
}
