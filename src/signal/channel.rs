//! Signalling with `()` messages over bounded channels: capacity 0 (a
//! rendezvous: `send` returns only once a receiver has taken the message)
//! and capacity 1 (one signal may wait in the buffer), for std
//! `sync_channel`, crossbeam and flume.
//!
//! Ping-pong: two channels, ping (pinger → ponger) and pong (ponger →
//! pinger); a signal is a `send`, a wait a `recv`.
//!
//! One-to-many: one channel per waiter, and one shared acknowledgement
//! channel back to the releaser, all of the same flavour and capacity. A
//! release sends one message down every waiter's channel; waiting for the
//! acknowledgements is `P` receives. Channels cannot broadcast, so per-waiter
//! channels are how channel users fan a signal out: a single shared channel
//! holding P tokens would let a fast waiter take two tokens of one release
//! (and std's `Receiver` cannot be shared at all).
//!
//! Invariant: every message sent is received exactly once, in order; the
//! channel's lock or atomics order what the sender wrote before `send`
//! before what the receiver reads after `recv`.
//! Contention: each channel has one sender and one receiver except the
//! acknowledgement channel, whose `P` senders contend on its tail. With
//! capacity 0 every `send` blocks until its receiver arrives, so a release
//! wakes the waiters one after another and each acknowledgement is another
//! rendezvous with the releaser; with capacity 1 sends complete into the
//! buffer and only the receiving side sleeps. A blocked side parks in the
//! crate's own waiting scheme (futex on Linux) after the crate's spin phase.

use std::marker::PhantomData;
use std::sync::{Mutex, PoisonError};

use crate::channels::{Capacity, Channel, Crossbeam, Flume, StdSync};
use crate::harness::{Family, Strategy};

use super::{Broadcast, PingPong};

/// Signals as `()` messages over channel flavour `C` with capacity `CAP`.
pub struct ChannelSignal<C, const CAP: usize>(PhantomData<C>);

/// `std::sync::mpsc::sync_channel(0)`.
pub type StdSync0 = ChannelSignal<StdSync, 0>;
/// `std::sync::mpsc::sync_channel(1)`.
pub type StdSync1 = ChannelSignal<StdSync, 1>;
/// `crossbeam::channel::bounded(0)`.
pub type Crossbeam0 = ChannelSignal<Crossbeam, 0>;
/// `crossbeam::channel::bounded(1)`.
pub type Crossbeam1 = ChannelSignal<Crossbeam, 1>;
/// `flume::bounded(0)`.
pub type Flume0 = ChannelSignal<Flume, 0>;
/// `flume::bounded(1)`.
pub type Flume1 = ChannelSignal<Flume, 1>;

macro_rules! names {
    ($($ty:ty => $name:literal),* $(,)?) => {$(
        impl Strategy for $ty {
            const NAME: &'static str = $name;
            const FAMILY: Family = Family::Channel;
        }
    )*};
}

names! {
    StdSync0 => "std-sync_channel-0",
    StdSync1 => "std-sync_channel-1",
    Crossbeam0 => "crossbeam-bounded-0",
    Crossbeam1 => "crossbeam-bounded-1",
    Flume0 => "flume-bounded-0",
    Flume1 => "flume-bounded-1",
}

/// One side's ends in ping-pong: where it signals, where it waits.
pub struct ChannelEnd<C: Channel> {
    tx: C::Tx<()>,
    rx: C::Rx<()>,
}

/// Both sides' ends, each taken once by its side's thread.
pub struct ChannelPair<C: Channel> {
    ends: [Mutex<Option<ChannelEnd<C>>>; 2],
}

/// The releaser's ends: one sender per waiter, the acknowledgement receiver.
pub struct ChannelReleaser<C: Channel> {
    go: Vec<C::Tx<()>>,
    acks: C::Rx<()>,
}

/// A waiter's ends: its own receiver, a clone of the acknowledgement sender.
pub struct ChannelWaiter<C: Channel> {
    go: C::Rx<()>,
    ack: C::Tx<()>,
}

/// Every thread's ends, each taken once by its thread.
pub struct ChannelGate<C: Channel> {
    releaser: Mutex<Option<ChannelReleaser<C>>>,
    waiters: Vec<Mutex<Option<ChannelWaiter<C>>>>,
}

fn channel<C: Channel>(cap: usize) -> (C::Tx<()>, C::Rx<()>) {
    C::new(Capacity::Bounded(cap))
        .unwrap_or_else(|| panic!("{} has no bounded({cap}) channel", C::NAME))
}

fn take<T>(slot: &Mutex<Option<T>>, what: &str) -> T {
    slot.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
        .unwrap_or_else(|| panic!("{what} taken twice"))
}

#[inline]
fn send<C: Channel>(tx: &C::Tx<()>) {
    if C::send(tx, ()).is_err() {
        panic!("{}: the receiving thread is gone", C::NAME);
    }
}

#[inline]
fn recv<C: Channel>(rx: &C::Rx<()>) {
    if C::recv(rx).is_none() {
        panic!("{}: the sending thread is gone", C::NAME);
    }
}

impl<C: Channel, const CAP: usize> PingPong for ChannelSignal<C, CAP>
where
    Self: Strategy,
{
    type Pair = ChannelPair<C>;
    type End = ChannelEnd<C>;

    fn pair() -> ChannelPair<C> {
        let (ping_tx, ping_rx) = channel::<C>(CAP);
        let (pong_tx, pong_rx) = channel::<C>(CAP);
        ChannelPair {
            ends: [
                Mutex::new(Some(ChannelEnd {
                    tx: ping_tx,
                    rx: pong_rx,
                })),
                Mutex::new(Some(ChannelEnd {
                    tx: pong_tx,
                    rx: ping_rx,
                })),
            ],
        }
    }

    fn end(pair: &ChannelPair<C>, side: usize) -> ChannelEnd<C> {
        take(&pair.ends[side], "a ping-pong end")
    }

    #[inline]
    fn signal(_: &ChannelPair<C>, end: &mut ChannelEnd<C>) {
        send::<C>(&end.tx);
    }

    #[inline]
    fn wait(_: &ChannelPair<C>, end: &mut ChannelEnd<C>) {
        recv::<C>(&end.rx);
    }
}

impl<C: Channel, const CAP: usize> Broadcast for ChannelSignal<C, CAP>
where
    Self: Strategy,
{
    type Gate = ChannelGate<C>;
    type Releaser = ChannelReleaser<C>;
    type Waiter = ChannelWaiter<C>;

    fn gate(waiters: usize) -> ChannelGate<C> {
        let (ack_tx, ack_rx) = channel::<C>(CAP);
        let (go, ends): (Vec<_>, Vec<_>) = (0..waiters)
            .map(|_| {
                let (tx, rx) = channel::<C>(CAP);
                let waiter = ChannelWaiter {
                    go: rx,
                    ack: ack_tx.clone(),
                };
                (tx, Mutex::new(Some(waiter)))
            })
            .unzip();
        ChannelGate {
            releaser: Mutex::new(Some(ChannelReleaser { go, acks: ack_rx })),
            waiters: ends,
        }
    }

    fn releaser(gate: &ChannelGate<C>) -> ChannelReleaser<C> {
        take(&gate.releaser, "the releaser's ends")
    }

    fn waiter(gate: &ChannelGate<C>, index: usize) -> ChannelWaiter<C> {
        take(&gate.waiters[index], "a waiter's ends")
    }

    #[inline]
    fn release(_: &ChannelGate<C>, r: &mut ChannelReleaser<C>) {
        for tx in &r.go {
            send::<C>(tx);
        }
    }

    #[inline]
    fn wait_acks(_: &ChannelGate<C>, r: &mut ChannelReleaser<C>) {
        for _ in 0..r.go.len() {
            recv::<C>(&r.acks);
        }
    }

    #[inline]
    fn wait_release(_: &ChannelGate<C>, w: &mut ChannelWaiter<C>) {
        recv::<C>(&w.go);
    }

    #[inline]
    fn ack(_: &ChannelGate<C>, w: &mut ChannelWaiter<C>) {
        send::<C>(&w.ack);
    }
}
