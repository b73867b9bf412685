//! A channel as the hand-off queue: std `mpsc::channel` / `sync_channel`,
//! crossbeam-channel and flume, each through its own blocking `send`/`recv`
//! (see [`crate::channels`]).
//!
//! Invariant: every value sent is received exactly once, in each sender's
//! order. Producers hold sender clones; consumers hold the receiver (std,
//! single-consumer: MPSC only) or receiver clones (crossbeam, flume: MPMC).
//! Contention: producers race on the channel's tail, consumers on its head;
//! a bounded channel parks a producer while it is full and a consumer while
//! it is empty (each crate spins briefly first), capacity 0 is a rendezvous
//! where every message costs a meeting of the two threads, and an unbounded
//! channel allocates its own nodes or blocks as it grows (part of what is
//! measured).

use std::marker::PhantomData;
use std::sync::Mutex;

use crate::channels::{Capacity, Channel};
use crate::harness::Family;

use super::Queue;

/// The hand-off over channel flavour `C`.
pub struct Chan<C>(PhantomData<C>);

/// A channel's two ends, kept so that handles can be cloned from them.
pub struct Ends<C: Channel, T: Send + 'static> {
    tx: C::Tx<T>,
    /// The original receiver; taken by the one consumer of a
    /// single-consumer flavour, cloned for each consumer of an MPMC one.
    rx: Mutex<Option<C::Rx<T>>>,
}

impl<C: Channel> Queue for Chan<C> {
    const FAMILY: Family = Family::Channel;
    type Shared<T: Send + 'static> = Ends<C, T>;
    type Producer<T: Send + 'static> = C::Tx<T>;
    type Consumer<T: Send + 'static> = C::Rx<T>;

    fn name(cap: Capacity) -> String {
        C::id(cap)
    }

    fn offers(cap: Capacity, multi_consumer: bool) -> bool {
        // A throwaway channel answers both questions; not timed.
        C::new::<()>(cap).is_some_and(|(_, rx)| !multi_consumer || C::clone_rx(&rx).is_some())
    }

    fn new<T: Send + 'static>(cap: Capacity) -> Ends<C, T> {
        let (tx, rx) = C::new(cap).unwrap_or_else(|| panic!("{} has no capacity {cap}", C::NAME));
        Ends {
            tx,
            rx: Mutex::new(Some(rx)),
        }
    }

    fn producer<T: Send + 'static>(q: &Ends<C, T>) -> C::Tx<T> {
        q.tx.clone()
    }

    fn consumer<T: Send + 'static>(q: &Ends<C, T>) -> C::Rx<T> {
        let mut slot = q.rx.lock().unwrap_or_else(|e| e.into_inner());
        let clone = slot.as_ref().and_then(C::clone_rx);
        clone
            .or_else(|| slot.take())
            .unwrap_or_else(|| panic!("{}: its only receiver is already taken", C::NAME))
    }

    #[inline]
    fn send<T: Send + 'static>(_: &Ends<C, T>, tx: &mut C::Tx<T>, v: T) {
        if C::send(tx, v).is_err() {
            panic!("{}: every receiver is gone", C::NAME);
        }
    }

    #[inline]
    fn recv<T: Send + 'static>(_: &Ends<C, T>, rx: &mut C::Rx<T>) -> T {
        C::recv(rx).unwrap_or_else(|| panic!("{}: every sender is gone", C::NAME))
    }
}
