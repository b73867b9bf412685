//! The count owned by one thread that receives increments over a channel:
//! "share memory by communicating", as an actor.
//!
//! Invariant: only the owner thread touches the count; every increment is a
//! message, applied in each sender's order. A thread's `flush` sends a sync
//! request and waits for the reply, so when it returns the owner has applied
//! every increment that thread sent.
//! Contention: senders fight over the channel's tail (and its allocation for
//! unbounded channels); the single owner applies messages one at a time, so
//! throughput is capped by one core however many senders there are, and the
//! owner is one more runnable thread competing for the cores.
//!
//! The mailbox is unbounded, as actor mailboxes usually are: senders never
//! block, and the timed region ends only once the owner has caught up.

use crate::channels::{Capacity, Channel, Crossbeam, Flume, Owner, StdMpsc};
use crate::harness::{Family, Strategy};

use super::Counter;

/// A message to the owner thread.
pub enum Msg<M: Channel> {
    /// Add one to the count.
    Increment,
    /// Reply with the count once every earlier message from this sender is applied.
    Sync(M::Tx<u64>),
}

/// A counter owned by a thread, fed over mailbox flavour `M`.
pub struct Actor<M: Channel> {
    owner: Owner<M, Msg<M>>,
}

/// Counter actor over `std::sync::mpsc`.
pub type StdMpscActor = Actor<StdMpsc>;
/// Counter actor over crossbeam-channel.
pub type CrossbeamActor = Actor<Crossbeam>;
/// Counter actor over flume.
pub type FlumeActor = Actor<Flume>;

impl Strategy for Actor<StdMpsc> {
    const NAME: &'static str = "actor-std-mpsc";
    const FAMILY: Family = Family::Channel;
}

impl Strategy for Actor<Crossbeam> {
    const NAME: &'static str = "actor-crossbeam";
    const FAMILY: Family = Family::Channel;
}

impl Strategy for Actor<Flume> {
    const NAME: &'static str = "actor-flume";
    const FAMILY: Family = Family::Channel;
}

/// A sender's handle: its own sender clone and reply channel.
pub struct ActorHandle<M: Channel> {
    tx: M::Tx<Msg<M>>,
    reply_tx: M::Tx<u64>,
    reply_rx: M::Rx<u64>,
}

impl<M: Channel> Actor<M> {
    fn spawn() -> Self {
        let serve = |rx: M::Rx<Msg<M>>| {
            let mut count = 0u64;
            while let Some(msg) = M::recv(&rx) {
                match msg {
                    Msg::Increment => count += 1,
                    Msg::Sync(reply) => {
                        // The requester may be gone if its thread panicked.
                        let _ = M::send(&reply, count);
                    }
                }
            }
        };
        Actor {
            owner: Owner::spawn(format!("actor-{}", M::NAME), Capacity::Unbounded, serve),
        }
    }

    fn sync(tx: &M::Tx<Msg<M>>, reply_tx: &M::Tx<u64>, reply_rx: &M::Rx<u64>) -> u64 {
        if M::send(tx, Msg::Sync(reply_tx.clone())).is_err() {
            panic!("{}: the owner thread is gone", M::NAME);
        }
        M::recv(reply_rx).unwrap_or_else(|| panic!("{}: the owner thread is gone", M::NAME))
    }

    fn sender(&self) -> &M::Tx<Msg<M>> {
        self.owner.sender()
    }
}

impl<M: Channel> Counter for Actor<M>
where
    Actor<M>: Strategy,
{
    type Local = ActorHandle<M>;

    fn new(_threads: usize) -> Self {
        Self::spawn()
    }

    fn local(&self, _index: usize) -> ActorHandle<M> {
        let (reply_tx, reply_rx) = mailbox::<M, u64>();
        ActorHandle {
            tx: self.sender().clone(),
            reply_tx,
            reply_rx,
        }
    }

    #[inline]
    fn increment(&self, h: &mut ActorHandle<M>) {
        if M::send(&h.tx, Msg::Increment).is_err() {
            panic!("{}: the owner thread is gone", M::NAME);
        }
    }

    fn flush(&self, h: &mut ActorHandle<M>) {
        Self::sync(&h.tx, &h.reply_tx, &h.reply_rx);
    }

    fn total(&self) -> u64 {
        let (reply_tx, reply_rx) = mailbox::<M, u64>();
        Self::sync(self.sender(), &reply_tx, &reply_rx)
    }
}

/// An unbounded channel of flavour `M`; actors are only offered over
/// flavours that have one.
fn mailbox<M: Channel, T: Send + 'static>() -> (M::Tx<T>, M::Rx<T>) {
    M::new(Capacity::Unbounded)
        .unwrap_or_else(|| panic!("{} has no unbounded channel for an actor mailbox", M::NAME))
}
