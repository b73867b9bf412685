//! A single-consumer channel shared by many consumers behind a `Mutex` around
//! its receiver: `Arc<Mutex<Receiver>>`, the worker-pool pattern the Rust
//! Book teaches for std's `mpsc`, whose receiver cannot be cloned.
//!
//! Offered where a stage needs several consumers of a std channel (the
//! pipeline's fan-out). Invariant: a consumer holds the lock for the whole of
//! its `recv`, so at most one consumer waits in the channel at a time and
//! every value goes to exactly one consumer. Contention: besides the
//! channel's own head and tail, every consumer queues on the one mutex, and
//! a consumer parked in `recv` keeps the others parked on the lock.

use std::marker::PhantomData;
use std::sync::Mutex;

use crate::channels::{Capacity, Channel};
use crate::harness::Family;

use super::Queue;

/// Channel flavour `C` with its receiver behind a mutex; see the module docs.
pub struct LockedRx<C>(PhantomData<C>);

/// The sender to clone and the shared, locked receiver.
pub struct Locked<C: Channel, T: Send + 'static> {
    tx: C::Tx<T>,
    rx: Mutex<C::Rx<T>>,
}

impl<C: Channel> Queue for LockedRx<C> {
    const FAMILY: Family = Family::Channel;
    type Shared<T: Send + 'static> = Locked<C, T>;
    type Producer<T: Send + 'static> = C::Tx<T>;
    type Consumer<T: Send + 'static> = ();

    fn name(cap: Capacity) -> String {
        format!("{}-mutex_rx", C::id(cap))
    }

    fn offers(cap: Capacity, _multi_consumer: bool) -> bool {
        C::new::<()>(cap).is_some()
    }

    fn new<T: Send + 'static>(cap: Capacity) -> Locked<C, T> {
        let (tx, rx) = C::new(cap).unwrap_or_else(|| panic!("{} has no capacity {cap}", C::NAME));
        Locked {
            tx,
            rx: Mutex::new(rx),
        }
    }

    fn producer<T: Send + 'static>(q: &Locked<C, T>) -> C::Tx<T> {
        q.tx.clone()
    }

    fn consumer<T: Send + 'static>(_: &Locked<C, T>) {}

    #[inline]
    fn send<T: Send + 'static>(_: &Locked<C, T>, tx: &mut C::Tx<T>, v: T) {
        if C::send(tx, v).is_err() {
            panic!("{}: the receiver is gone", C::NAME);
        }
    }

    #[inline]
    fn recv<T: Send + 'static>(q: &Locked<C, T>, _: &mut ()) -> T {
        // Poisoning only follows a panic in another consumer, which the
        // harness reports; the receiver itself is still sound.
        let rx = q.rx.lock().unwrap_or_else(|e| e.into_inner());
        C::recv(&rx).unwrap_or_else(|| panic!("{}: every sender is gone", C::NAME))
    }
}
