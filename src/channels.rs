//! The channel crates under test behind one small trait, so a strategy written
//! once (an actor, a hand-off, a pipeline stage, a signal) runs over each of
//! them with static dispatch. Every method is a direct call to the crate's
//! own blocking fast path.

use std::fmt;
use std::sync::mpsc;

/// How many messages a channel buffers before `send` blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Capacity {
    /// At most this many; 0 is a rendezvous (send waits for a receiver).
    Bounded(usize),
    /// No bound: `send` never blocks.
    Unbounded,
}

impl fmt::Display for Capacity {
    /// `0`, `1`, `64`, … or `unbounded`, as used in benchmark ids.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Capacity::Bounded(n) => write!(f, "{n}"),
            Capacity::Unbounded => f.write_str("unbounded"),
        }
    }
}

/// A multi-producer channel flavour.
pub trait Channel: Send + Sync + 'static {
    /// Name used in strategy ids, e.g. `std-mpsc`, `crossbeam`, `flume`.
    const NAME: &'static str;
    /// Sending half; cloned once per producer thread, outside timed regions.
    type Tx<T: Send + 'static>: Clone + Send + Sync + 'static;
    /// Receiving half.
    type Rx<T: Send + 'static>: Send + 'static;

    /// A new channel, or `None` where the flavour has no such capacity
    /// (std's `channel` is only unbounded, `sync_channel` only bounded).
    fn new<T: Send + 'static>(cap: Capacity) -> Option<(Self::Tx<T>, Self::Rx<T>)>;
    /// Sends `v`, blocking while a bounded channel is full; gives `v` back if
    /// every receiver is gone.
    fn send<T: Send + 'static>(tx: &Self::Tx<T>, v: T) -> Result<(), T>;
    /// Blocks for the next value; `None` once every sender is gone.
    fn recv<T: Send + 'static>(rx: &Self::Rx<T>) -> Option<T>;

    /// The strategy id of this flavour at `cap`, as benchmark ids spell it:
    /// `crossbeam-bounded-64`, `flume-unbounded`. A flavour with a single
    /// kind of capacity names just the capacity (`std-sync_channel-0`).
    fn id(cap: Capacity) -> String {
        match cap {
            Capacity::Bounded(n) => format!("{}-bounded-{n}", Self::NAME),
            Capacity::Unbounded => format!("{}-unbounded", Self::NAME),
        }
    }

    /// A second receiver of the same channel where the flavour is
    /// multi-consumer (MPMC: every message goes to exactly one receiver);
    /// `None` for single-consumer flavours (std's).
    fn clone_rx<T: Send + 'static>(rx: &Self::Rx<T>) -> Option<Self::Rx<T>> {
        let _ = rx;
        None
    }
}

/// `std::sync::mpsc::channel` (unbounded only).
pub struct StdMpsc;
/// `std::sync::mpsc::sync_channel` (bounded only, 0 included).
pub struct StdSync;
/// `crossbeam::channel::{bounded, unbounded}`.
pub struct Crossbeam;
/// `flume::{bounded, unbounded}`.
pub struct Flume;

impl Channel for StdMpsc {
    const NAME: &'static str = "std-mpsc";
    type Tx<T: Send + 'static> = mpsc::Sender<T>;
    type Rx<T: Send + 'static> = mpsc::Receiver<T>;

    fn new<T: Send + 'static>(cap: Capacity) -> Option<(Self::Tx<T>, Self::Rx<T>)> {
        match cap {
            Capacity::Unbounded => Some(mpsc::channel()),
            Capacity::Bounded(_) => None,
        }
    }
    #[inline]
    fn send<T: Send + 'static>(tx: &Self::Tx<T>, v: T) -> Result<(), T> {
        tx.send(v).map_err(|e| e.0)
    }
    #[inline]
    fn recv<T: Send + 'static>(rx: &Self::Rx<T>) -> Option<T> {
        rx.recv().ok()
    }
}

impl Channel for StdSync {
    const NAME: &'static str = "std-sync_channel";
    type Tx<T: Send + 'static> = mpsc::SyncSender<T>;
    type Rx<T: Send + 'static> = mpsc::Receiver<T>;

    fn id(cap: Capacity) -> String {
        format!("{}-{cap}", Self::NAME)
    }

    fn new<T: Send + 'static>(cap: Capacity) -> Option<(Self::Tx<T>, Self::Rx<T>)> {
        match cap {
            Capacity::Bounded(n) => Some(mpsc::sync_channel(n)),
            Capacity::Unbounded => None,
        }
    }
    #[inline]
    fn send<T: Send + 'static>(tx: &Self::Tx<T>, v: T) -> Result<(), T> {
        tx.send(v).map_err(|e| e.0)
    }
    #[inline]
    fn recv<T: Send + 'static>(rx: &Self::Rx<T>) -> Option<T> {
        rx.recv().ok()
    }
}

impl Channel for Crossbeam {
    const NAME: &'static str = "crossbeam";
    type Tx<T: Send + 'static> = crossbeam::channel::Sender<T>;
    type Rx<T: Send + 'static> = crossbeam::channel::Receiver<T>;

    fn new<T: Send + 'static>(cap: Capacity) -> Option<(Self::Tx<T>, Self::Rx<T>)> {
        Some(match cap {
            Capacity::Bounded(n) => crossbeam::channel::bounded(n),
            Capacity::Unbounded => crossbeam::channel::unbounded(),
        })
    }
    #[inline]
    fn send<T: Send + 'static>(tx: &Self::Tx<T>, v: T) -> Result<(), T> {
        tx.send(v).map_err(|e| e.0)
    }
    #[inline]
    fn recv<T: Send + 'static>(rx: &Self::Rx<T>) -> Option<T> {
        rx.recv().ok()
    }
    fn clone_rx<T: Send + 'static>(rx: &Self::Rx<T>) -> Option<Self::Rx<T>> {
        Some(rx.clone())
    }
}

impl Channel for Flume {
    const NAME: &'static str = "flume";
    type Tx<T: Send + 'static> = flume::Sender<T>;
    type Rx<T: Send + 'static> = flume::Receiver<T>;

    fn new<T: Send + 'static>(cap: Capacity) -> Option<(Self::Tx<T>, Self::Rx<T>)> {
        Some(match cap {
            Capacity::Bounded(n) => flume::bounded(n),
            Capacity::Unbounded => flume::unbounded(),
        })
    }
    #[inline]
    fn send<T: Send + 'static>(tx: &Self::Tx<T>, v: T) -> Result<(), T> {
        tx.send(v).map_err(|e| e.0)
    }
    #[inline]
    fn recv<T: Send + 'static>(rx: &Self::Rx<T>) -> Option<T> {
        rx.recv().ok()
    }
    fn clone_rx<T: Send + 'static>(rx: &Self::Rx<T>) -> Option<Self::Rx<T>> {
        Some(rx.clone())
    }
}

/// A thread that owns some state and serves the messages of one channel
/// (an actor). It runs until every sender is gone; dropping the `Owner`
/// drops its own sender and joins the thread, once the handles cloned from
/// [`sender`](Owner::sender) are gone too.
pub struct Owner<C: Channel, T: Send + 'static> {
    tx: Option<C::Tx<T>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl<C: Channel, T: Send + 'static> Owner<C, T> {
    /// Spawns thread `name` running `serve` over the receiving end of a new
    /// channel with capacity `cap` (unbounded where the flavour has no
    /// bounded channel). Not for timed regions: it spawns a thread.
    pub fn spawn(
        name: String,
        cap: Capacity,
        serve: impl FnOnce(C::Rx<T>) + Send + 'static,
    ) -> Self {
        let (tx, rx) = C::new(cap)
            .or_else(|| C::new(Capacity::Unbounded))
            .unwrap_or_else(|| panic!("{} offers no channel", C::NAME));
        let thread = std::thread::Builder::new()
            .name(name)
            .spawn(move || serve(rx))
            .unwrap_or_else(|e| panic!("cannot spawn an owner thread over {}: {e}", C::NAME));
        Owner {
            tx: Some(tx),
            thread: Some(thread),
        }
    }

    /// The owner's mailbox; clone it once per client thread.
    pub fn sender(&self) -> &C::Tx<T> {
        self.tx.as_ref().expect("the sender lives until drop")
    }
}

impl<C: Channel, T: Send + 'static> Drop for Owner<C, T> {
    fn drop(&mut self) {
        // Closing our end (client handles are dropped with their threads)
        // ends the owner's receive loop.
        self.tx = None;
        if let Some(thread) = self.thread.take()
            && !std::thread::panicking()
        {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two receivers of one channel: every message reaches exactly one.
    fn two_receivers<C: Channel>() -> Option<u64> {
        let (tx, rx) = C::new::<u64>(Capacity::Unbounded)?;
        let rx2 = C::clone_rx(&rx)?;
        for i in 0..100 {
            C::send(&tx, i).unwrap();
        }
        drop(tx);
        let h = std::thread::spawn(move || std::iter::from_fn(|| C::recv(&rx2)).sum::<u64>());
        let mine: u64 = std::iter::from_fn(|| C::recv(&rx)).sum();
        Some(mine + h.join().unwrap())
    }

    #[test]
    fn multi_consumer_flavours_clone_their_receiver() {
        assert_eq!(two_receivers::<StdMpsc>(), None);
        assert_eq!(two_receivers::<Crossbeam>(), Some(4950));
        assert_eq!(two_receivers::<Flume>(), Some(4950));
        let (_tx, rx) = StdSync::new::<u64>(Capacity::Bounded(1)).unwrap();
        assert!(StdSync::clone_rx(&rx).is_none());
    }

    fn round_trip<C: Channel>(cap: Capacity) -> Option<()> {
        let (tx, rx) = C::new::<u32>(cap)?;
        let h = std::thread::spawn(move || (0..100).map(|_| C::recv(&rx).unwrap()).sum::<u32>());
        for i in 0..100 {
            C::send(&tx, i).unwrap();
        }
        assert_eq!(h.join().unwrap(), 4950, "{} {cap}", C::NAME);
        Some(())
    }

    #[test]
    fn every_flavour_delivers_in_order_and_reports_its_capacities() {
        for cap in [
            Capacity::Bounded(0),
            Capacity::Bounded(1),
            Capacity::Bounded(64),
            Capacity::Unbounded,
        ] {
            assert_eq!(
                round_trip::<StdMpsc>(cap).is_some(),
                cap == Capacity::Unbounded
            );
            assert_eq!(
                round_trip::<StdSync>(cap).is_some(),
                cap != Capacity::Unbounded
            );
            assert!(round_trip::<Crossbeam>(cap).is_some());
            assert!(round_trip::<Flume>(cap).is_some());
        }
        assert_eq!(StdMpsc::id(Capacity::Unbounded), "std-mpsc-unbounded");
        assert_eq!(StdSync::id(Capacity::Bounded(0)), "std-sync_channel-0");
        assert_eq!(Crossbeam::id(Capacity::Bounded(64)), "crossbeam-bounded-64");
        assert_eq!(Flume::id(Capacity::Unbounded), "flume-unbounded");
        assert_eq!(Capacity::Bounded(64).to_string(), "64");
        assert_eq!(Capacity::Unbounded.to_string(), "unbounded");
    }
}
