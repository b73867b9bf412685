//! The map owned by one thread that serves requests over a channel, each
//! answered on the requester's own reply channel: "share memory by
//! communicating".
//!
//! Invariant: only the owner thread touches the map; it handles one request
//! at a time, in arrival order (each requester's requests in the order sent).
//! Every operation, writes included, is a request and a reply, so like every
//! other strategy an operation is complete, and its result known, when it
//! returns (the canonical request/reply actor; fire-and-forget writes would
//! return before the write is applied).
//! Requests carry plain data (the requester's index, the operation); the
//! owner keeps each requester's reply sender, registered outside the timed
//! region, so no channel endpoint is cloned or allocated per operation. The
//! mailbox is bounded at the thread count: a requester has at most one
//! request in flight, so a send never blocks on a full mailbox.
//! Contention: requesters fight over the mailbox's tail, and the owner
//! serialises everything on one core; each operation costs two channel
//! hand-offs, and a wake-up whenever the owner or the requester had gone to
//! sleep. The owner is one more runnable thread competing for the cores.
//! The key distribution hardly matters: the owner sees one stream.

use crate::channels::{Capacity, Channel, Crossbeam, Owner};
use crate::harness::{Family, Strategy};

use super::mutex::add_one;
use super::{Map, std_map};

/// One map operation, as sent to the owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// Look up a key.
    Get(u64),
    /// Set a key to a value.
    Insert(u64, u64),
    /// Remove a key.
    Remove(u64),
    /// Add one to a key's value.
    Update(u64),
}

/// A message to the owner thread.
pub enum Msg<M: Channel> {
    /// Requester `from` asks for `Request`; the owner replies on the
    /// channel `from` registered.
    Op(usize, Request),
    /// Requester `index` will receive its replies on this sender.
    Register(usize, M::Tx<Option<u64>>),
    /// Reply with every entry (for the checks, not timed).
    Dump(M::Tx<Vec<(u64, u64)>>),
}

/// A map owned by a thread, served over channel flavour `M`.
pub struct Actor<M: Channel> {
    owner: Owner<M, Msg<M>>,
}

/// The map actor over crossbeam-channel (bounded mailbox, bounded(1) replies).
pub type CrossbeamActor = Actor<Crossbeam>;

impl Strategy for Actor<Crossbeam> {
    const NAME: &'static str = "actor-crossbeam";
    const FAMILY: Family = Family::Channel;
}

/// A requester's handle: its index, a mailbox sender, its reply receiver.
pub struct ActorHandle<M: Channel> {
    index: usize,
    tx: M::Tx<Msg<M>>,
    replies: M::Rx<Option<u64>>,
}

/// A bounded channel of capacity `cap` where the flavour has one, else unbounded.
fn channel<M: Channel, T: Send + 'static>(cap: usize) -> (M::Tx<T>, M::Rx<T>) {
    M::new(Capacity::Bounded(cap))
        .or_else(|| M::new(Capacity::Unbounded))
        .unwrap_or_else(|| panic!("{} offers no channel", M::NAME))
}

fn gone(flavour: &str) -> ! {
    panic!("{flavour}: the map's owner thread is gone")
}

impl<M: Channel> Actor<M> {
    fn spawn(entries: &[(u64, u64)], capacity: usize, threads: usize) -> Self {
        let mut map = std_map(entries, capacity);
        let serve = move |rx: M::Rx<Msg<M>>| {
            let mut replies: Vec<Option<M::Tx<Option<u64>>>> = Vec::new();
            while let Some(msg) = M::recv(&rx) {
                match msg {
                    Msg::Op(from, request) => {
                        let result = match request {
                            Request::Get(k) => map.get(&k).copied(),
                            Request::Insert(k, v) => map.insert(k, v),
                            Request::Remove(k) => map.remove(&k),
                            Request::Update(k) => add_one(&mut map, k),
                        };
                        let reply = replies.get(from).and_then(Option::as_ref);
                        // A requester that never registered, or whose
                        // thread has gone, gets no answer.
                        if let Some(reply) = reply {
                            let _ = M::send(reply, result);
                        }
                    }
                    Msg::Register(index, reply) => {
                        if replies.len() <= index {
                            replies.resize_with(index + 1, || None);
                        }
                        replies[index] = Some(reply);
                    }
                    Msg::Dump(reply) => {
                        let _ = M::send(&reply, map.iter().map(|(&k, &v)| (k, v)).collect());
                    }
                }
            }
        };
        Actor {
            owner: Owner::spawn(
                format!("map-actor-{}", M::NAME),
                Capacity::Bounded(threads),
                serve,
            ),
        }
    }

    fn sender(&self) -> &M::Tx<Msg<M>> {
        self.owner.sender()
    }

    #[inline]
    fn call(h: &ActorHandle<M>, request: Request) -> Option<u64> {
        if M::send(&h.tx, Msg::Op(h.index, request)).is_err() {
            gone(M::NAME);
        }
        M::recv(&h.replies).unwrap_or_else(|| gone(M::NAME))
    }
}

impl<M: Channel> Map for Actor<M>
where
    Actor<M>: Strategy,
{
    type Local = ActorHandle<M>;

    fn new(entries: &[(u64, u64)], capacity: usize, threads: usize) -> Self {
        Self::spawn(entries, capacity, threads)
    }

    fn local(&self, index: usize) -> ActorHandle<M> {
        let (reply_tx, replies) = channel::<M, Option<u64>>(1);
        let tx = self.sender().clone();
        // Sent before any request from this handle, so the owner has the
        // reply path before it needs it.
        if M::send(&tx, Msg::Register(index, reply_tx)).is_err() {
            gone(M::NAME);
        }
        ActorHandle { index, tx, replies }
    }

    #[inline]
    fn get(&self, h: &mut ActorHandle<M>, key: u64) -> Option<u64> {
        Self::call(h, Request::Get(key))
    }
    #[inline]
    fn insert(&self, h: &mut ActorHandle<M>, key: u64, value: u64) -> Option<u64> {
        Self::call(h, Request::Insert(key, value))
    }
    #[inline]
    fn remove(&self, h: &mut ActorHandle<M>, key: u64) -> Option<u64> {
        Self::call(h, Request::Remove(key))
    }
    #[inline]
    fn update(&self, h: &mut ActorHandle<M>, key: u64) -> Option<u64> {
        Self::call(h, Request::Update(key))
    }

    fn entries(&self) -> Vec<(u64, u64)> {
        let (reply_tx, reply_rx) = channel::<M, Vec<(u64, u64)>>(1);
        if M::send(self.sender(), Msg::Dump(reply_tx)).is_err() {
            gone(M::NAME);
        }
        M::recv(&reply_rx).unwrap_or_else(|| gone(M::NAME))
    }
}
