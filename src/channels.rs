//! The channel crates under test behind one small trait, so a strategy written
//! once (an actor, a pipeline stage) runs over each of them with static
//! dispatch. Every method is a direct call to the crate's own fast path.

use std::sync::mpsc;

/// An unbounded multi-producer channel flavour.
pub trait Mailbox: Send + Sync + 'static {
    /// Name used in strategy ids, e.g. `std-mpsc`, `crossbeam`, `flume`.
    const NAME: &'static str;
    /// Sending half; cloned once per producer thread, outside timed regions.
    type Tx<T: Send + 'static>: Clone + Send + Sync + 'static;
    /// Receiving half.
    type Rx<T: Send + 'static>: Send + 'static;

    /// A new unbounded channel.
    fn unbounded<T: Send + 'static>() -> (Self::Tx<T>, Self::Rx<T>);
    /// Sends `v`; gives it back if every receiver is gone.
    fn send<T: Send + 'static>(tx: &Self::Tx<T>, v: T) -> Result<(), T>;
    /// Blocks for the next value; `None` once every sender is gone.
    fn recv<T: Send + 'static>(rx: &Self::Rx<T>) -> Option<T>;
}

/// `std::sync::mpsc::channel`.
pub struct StdMpsc;
/// `crossbeam::channel::unbounded`.
pub struct Crossbeam;
/// `flume::unbounded`.
pub struct Flume;

impl Mailbox for StdMpsc {
    const NAME: &'static str = "std-mpsc";
    type Tx<T: Send + 'static> = mpsc::Sender<T>;
    type Rx<T: Send + 'static> = mpsc::Receiver<T>;

    fn unbounded<T: Send + 'static>() -> (Self::Tx<T>, Self::Rx<T>) {
        mpsc::channel()
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

impl Mailbox for Crossbeam {
    const NAME: &'static str = "crossbeam";
    type Tx<T: Send + 'static> = crossbeam::channel::Sender<T>;
    type Rx<T: Send + 'static> = crossbeam::channel::Receiver<T>;

    fn unbounded<T: Send + 'static>() -> (Self::Tx<T>, Self::Rx<T>) {
        crossbeam::channel::unbounded()
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

impl Mailbox for Flume {
    const NAME: &'static str = "flume";
    type Tx<T: Send + 'static> = flume::Sender<T>;
    type Rx<T: Send + 'static> = flume::Receiver<T>;

    fn unbounded<T: Send + 'static>() -> (Self::Tx<T>, Self::Rx<T>) {
        flume::unbounded()
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
