//! The cost of being cancellable (`lifecycle/cancellable-recv`): one
//! producer sends a round's messages `0..total` through a crossbeam
//! `bounded(64)` channel, one consumer receives them, each receive written
//! the way a cancellable consumer writes it. The cancel never fires: what
//! is measured is the price per message of being able to stop.
//!
//! - `crossbeam-recv`: a plain `recv`, not cancellable at all (the
//!   reference line, family baseline);
//! - `crossbeam-select-cancel`: `select!` over (cancel, jobs), Go's
//!   `select { case <-ctx.Done(): … case m := <-jobs: … }`;
//! - `crossbeam-recv-flag`: `recv`, then a check of an atomic stop flag;
//! - `crossbeam-recv_timeout-poll`: `recv_timeout(1 ms)` in a loop that
//!   checks the stop flag whenever it times out (a blocked consumer notices
//!   a cancel within 1 ms).
//!
//! Invariant: the consumer receives exactly `total` messages per round and
//! none is reported as a cancel; their sum must be that of `0..total`
//! (checked after the round).
//!
//! Contention: producer and consumer meet at the channel's head and tail;
//! an empty or full channel parks one of them. A select also registers the
//! consumer with the cancel channel whenever it blocks. Pool of 2 threads.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::*};
use std::time::Duration;

use crossbeam::channel::{Receiver, RecvTimeoutError, Sender, bounded, select};
use crossbeam::utils::CachePadded;

use crate::handoff::sum_below;
use crate::harness::{Family, Pool, Round, Spec, Strategy, Workload};

/// The channel's capacity.
pub const CAPACITY: usize = 64;

/// How long `crossbeam-recv_timeout-poll` blocks before it checks the flag.
pub const POLL: Duration = Duration::from_millis(1);

/// A consumer's receive that a cancel can interrupt.
pub trait CancellableRecv: Strategy + Sized + 'static {
    /// The cancel signal (never fired in the benchmark).
    type Cancel: Send + Sync + 'static;

    /// A cancel signal, not fired.
    fn cancel() -> Self::Cancel;
    /// The next message, or `None` once cancelled (or disconnected).
    fn recv(rx: &Receiver<u64>, cancel: &Self::Cancel) -> Option<u64>;
}

/// A plain `recv`.
pub struct Plain;
/// `select!` over (cancel, jobs).
pub struct SelectCancel;
/// `recv`, then a stop flag.
pub struct RecvFlag;
/// `recv_timeout` polling a stop flag.
pub struct PollTimeout;

impl Strategy for Plain {
    const NAME: &'static str = "crossbeam-recv";
    const FAMILY: Family = Family::Baseline;
}

impl Strategy for SelectCancel {
    const NAME: &'static str = "crossbeam-select-cancel";
    const FAMILY: Family = Family::Channel;
}

impl Strategy for RecvFlag {
    const NAME: &'static str = "crossbeam-recv-flag";
    const FAMILY: Family = Family::Atomic;
}

impl Strategy for PollTimeout {
    const NAME: &'static str = "crossbeam-recv_timeout-poll";
    const FAMILY: Family = Family::Atomic;
}

impl CancellableRecv for Plain {
    type Cancel = ();
    fn cancel() {}
    #[inline]
    fn recv(rx: &Receiver<u64>, _: &()) -> Option<u64> {
        rx.recv().ok()
    }
}

impl CancellableRecv for SelectCancel {
    /// The done channel: disconnected (its sender dropped) to cancel.
    type Cancel = (Sender<()>, Receiver<()>);
    fn cancel() -> Self::Cancel {
        bounded(0)
    }
    #[inline]
    fn recv(rx: &Receiver<u64>, done: &Self::Cancel) -> Option<u64> {
        select! {
            recv(done.1) -> _ => None,
            recv(rx) -> m => m.ok(),
        }
    }
}

impl CancellableRecv for RecvFlag {
    type Cancel = CachePadded<AtomicBool>;
    fn cancel() -> Self::Cancel {
        CachePadded::new(AtomicBool::new(false))
    }
    #[inline]
    fn recv(rx: &Receiver<u64>, stop: &Self::Cancel) -> Option<u64> {
        let m = rx.recv().ok()?;
        (!stop.load(Acquire)).then_some(m)
    }
}

impl CancellableRecv for PollTimeout {
    type Cancel = CachePadded<AtomicBool>;
    fn cancel() -> Self::Cancel {
        CachePadded::new(AtomicBool::new(false))
    }
    #[inline]
    fn recv(rx: &Receiver<u64>, stop: &Self::Cancel) -> Option<u64> {
        loop {
            match rx.recv_timeout(POLL) {
                Ok(m) => return Some(m),
                Err(RecvTimeoutError::Timeout) if !stop.load(Acquire) => {}
                Err(_) => return None,
            }
        }
    }
}

/// Driver for `lifecycle/cancellable-recv` over `S`: thread 0 produces,
/// thread 1 consumes.
pub struct Consume<S: CancellableRecv> {
    tx: Sender<u64>,
    rx: Receiver<u64>,
    cancel: S::Cancel,
    sum: CachePadded<AtomicU64>,
    cancelled: AtomicU64,
}

/// A pool thread's end of the channel.
pub enum End {
    /// Thread 0.
    Produce(Sender<u64>),
    /// Thread 1.
    Consume(Receiver<u64>),
}

impl<S: CancellableRecv> Consume<S> {
    /// An empty channel and a cancel signal not fired.
    pub fn new() -> Self {
        let (tx, rx) = bounded(CAPACITY);
        Consume {
            tx,
            rx,
            cancel: S::cancel(),
            sum: CachePadded::new(AtomicU64::new(0)),
            cancelled: AtomicU64::new(0),
        }
    }
}

impl<S: CancellableRecv> Default for Consume<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: CancellableRecv> Workload for Consume<S> {
    type Worker = End;

    fn worker(&self, index: usize, threads: usize) -> End {
        assert_eq!(threads, 2, "one producer and one consumer");
        match index {
            0 => End::Produce(self.tx.clone()),
            _ => End::Consume(self.rx.clone()),
        }
    }

    /// Both threads take part in every message: each handles `round.total`.
    #[inline(never)]
    fn run(&self, end: &mut End, round: &Round) {
        match end {
            End::Produce(tx) => {
                for m in 0..round.total {
                    tx.send(m)
                        .expect("the consumer's receiver lives as long as the driver");
                }
            }
            End::Consume(rx) => {
                let mut sum = 0u64;
                for _ in 0..round.total {
                    match S::recv(rx, &self.cancel) {
                        Some(m) => sum = sum.wrapping_add(m),
                        None => {
                            self.cancelled.fetch_add(1, Relaxed);
                            break;
                        }
                    }
                }
                self.sum.store(sum, Relaxed);
            }
        }
    }

    fn after_round(&self, total: u64) {
        let cancelled = self.cancelled.swap(0, Relaxed);
        assert_eq!(cancelled, 0, "the consumer saw a cancel nobody sent");
        let sum = self.sum.swap(0, Relaxed);
        assert_eq!(
            sum,
            sum_below(total),
            "the messages received do not add up to 0..{total}"
        );
    }
}

/// A two-thread pool driving `S`.
pub fn consume<S: CancellableRecv>() -> Pool<Consume<S>> {
    Pool::new(S::NAME, 2, Consume::<S>::new())
}

/// [`consume`]'s benchmark: `S`'s id and family, parameter 2.
pub fn spec<S: CancellableRecv>() -> Spec<impl FnOnce() -> Pool<Consume<S>> + Send + 'static> {
    Spec::of::<S>(2, consume::<S>)
}
