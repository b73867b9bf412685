//! `tasks/handoff/{spsc,mpsc}` and `tasks/bridge/thread-to-task`: moving
//! `u64`s between tasks, and from a plain thread into a task.
//!
//! One operation is one message. Producers tag each message with their
//! index and a sequence number; the consumer checks that every producer's
//! messages arrive exactly once and in order, and the round that the number
//! received equals the number sent.
//!
//! Shapes (parameter = runtime worker threads):
//! - `spsc`: one producer task, one consumer task;
//! - `mpsc`: [`TASKS_PER_WORKER`] producer tasks per worker, one consumer;
//! - `bridge`: one plain std thread produces with the channel's blocking
//!   send (tokio `blocking_send`, flume `send`, async-channel
//!   `send_blocking`), one task consumes with the async receive. The thread
//!   is spawned once; the consumer task releases it each round with a count
//!   (one std-channel message per round, inside the timed region, the same
//!   for every flavour).
//!
//! Flavours: tokio `mpsc` bounded and unbounded, flume's async API and
//! async-channel, bounded ([`CAP`]) and unbounded, named like `handoff`'s
//! blocking figures (`flume-bounded-64` there, `flume-async-bounded-64`
//! here).

use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread::JoinHandle;

use super::runtime::{Flavor, TaskWork, Tasks};
use super::shared::TASKS_PER_WORKER;
use crate::harness::{Declare, Family, Round, Spec};

/// Capacity of the bounded flavours (as in `handoff`'s `…-bounded-64`).
pub const CAP: usize = 64;

/// An async channel flavour.
pub trait AsyncChannel: Send + Sync + 'static {
    /// The strategy id, capacity included.
    fn name() -> String;
    /// Sending end (cloned per producer).
    type Tx: Clone + Send + Sync + 'static;
    /// Receiving end.
    type Rx: Send + 'static;
    /// A fresh channel.
    fn channel() -> (Self::Tx, Self::Rx);
    /// Sends `v`, waiting for room.
    fn send(tx: &Self::Tx, v: u64) -> impl Future<Output = ()> + Send;
    /// Receives one message.
    fn recv(rx: &mut Self::Rx) -> impl Future<Output = u64> + Send;
}

/// A flavour whose sender can also block a plain thread.
pub trait Bridge: AsyncChannel {
    /// The strategy id of the bridge.
    fn bridge_name() -> String;
    /// Sends `v` from a thread outside the runtime, blocking for room.
    /// `false` once the receiver is gone.
    fn send_blocking(tx: &Self::Tx, v: u64) -> bool;
}

/// Visits channel flavours.
pub trait Visit {
    /// Flavour `C`.
    fn visit<C: AsyncChannel>(&mut self);
    /// A flavour that also bridges a thread into a task.
    fn bridge<C: Bridge>(&mut self);
}

/// Every flavour: the one list the bench and the tests iterate.
pub fn strategies(v: &mut impl Visit) {
    v.bridge::<TokioBounded>();
    v.visit::<TokioUnbounded>();
    v.bridge::<FlumeAsync<true>>();
    v.visit::<FlumeAsync<false>>();
    v.bridge::<AsyncChan<true>>();
    v.visit::<AsyncChan<false>>();
}

/// A hand-off shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One producer task.
    Spsc,
    /// [`TASKS_PER_WORKER`] producer tasks per worker.
    Mpsc,
}

/// Declares every flavour's `shape` benchmark on `flavor`.
pub fn declare<D: Declare>(shape: Shape, flavor: Flavor, d: &mut D) {
    struct V<'a, D>(&'a mut D, Shape, Flavor);
    impl<D: Declare> Visit for V<'_, D> {
        fn visit<C: AsyncChannel>(&mut self) {
            let (shape, flavor) = (self.1, self.2);
            self.0.declare(Spec::named(
                C::name(),
                Family::Channel,
                flavor.workers(),
                move || handoff::<C>(shape, flavor),
            ));
        }
        fn bridge<C: Bridge>(&mut self) {
            self.visit::<C>();
        }
    }
    strategies(&mut V(d, shape, flavor));
}

/// Declares every bridge's benchmark on `flavor`.
pub fn declare_bridges<D: Declare>(flavor: Flavor, d: &mut D) {
    struct V<'a, D>(&'a mut D, Flavor);
    impl<D: Declare> Visit for V<'_, D> {
        fn visit<C: AsyncChannel>(&mut self) {}
        fn bridge<C: Bridge>(&mut self) {
            let flavor = self.1;
            self.0.declare(Spec::named(
                C::bridge_name(),
                Family::Channel,
                flavor.workers(),
                move || bridge::<C>(flavor),
            ));
        }
    }
    strategies(&mut V(d, flavor));
}

const SEQ_BITS: u32 = 40;

/// Per-producer sequence checking on the consumer side.
pub struct Ledger {
    next: Vec<u64>,
    bad: u64,
}

impl Ledger {
    fn new(producers: usize) -> Ledger {
        Ledger {
            next: vec![0; producers],
            bad: 0,
        }
    }

    #[inline]
    fn take(&mut self, v: u64) {
        let p = (v >> SEQ_BITS) as usize;
        let seq = v & ((1 << SEQ_BITS) - 1);
        match self.next.get_mut(p) {
            Some(n) if *n == seq => *n += 1,
            _ => self.bad += 1,
        }
    }
}

/// The tasks' work for `spsc`/`mpsc`: task 0 consumes, the others produce.
pub struct Messages<C: AsyncChannel> {
    tx: C::Tx,
    rx: Mutex<Option<C::Rx>>,
    producers: usize,
    received: AtomicU64,
    bad: AtomicU64,
    expected: AtomicU64,
}

/// A task of [`Messages`].
pub enum End<C: AsyncChannel> {
    /// Task 0.
    Consumer(C::Rx, Ledger),
    /// Tasks `1..`: its index among producers, its next sequence number.
    Producer(C::Tx, u64, u64),
}

impl<C: AsyncChannel> TaskWork for Messages<C> {
    type Task = End<C>;

    fn task(&self, index: usize, tasks: usize) -> End<C> {
        assert_eq!(tasks, self.producers + 1);
        match index {
            0 => End::Consumer(
                self.rx.lock().unwrap().take().expect("one consumer"),
                Ledger::new(self.producers),
            ),
            i => End::Producer(self.tx.clone(), i as u64 - 1, 0),
        }
    }

    async fn run(&self, end: &mut End<C>, round: &Round) {
        match end {
            End::Consumer(rx, ledger) => {
                for _ in 0..round.total {
                    ledger.take(C::recv(rx).await);
                }
                self.received.fetch_add(round.total, Relaxed);
                self.bad.store(ledger.bad, Relaxed);
            }
            End::Producer(tx, p, seq) => {
                let share = Round::share(round.total, *p as usize, self.producers);
                for _ in 0..share {
                    C::send(tx, (*p << SEQ_BITS) | *seq).await;
                    *seq += 1;
                }
            }
        }
    }

    fn after_round(&self, total: u64) {
        let want = self.expected.fetch_add(total, Relaxed) + total;
        let got = self.received.load(Relaxed);
        assert_eq!(
            got,
            want,
            "{}: {got} messages received, {want} sent",
            C::name()
        );
        let bad = self.bad.load(Relaxed);
        assert_eq!(
            bad,
            0,
            "{}: {bad} messages duplicated, lost or out of order",
            C::name()
        );
    }
}

/// `C` in `shape` on `flavor`.
pub fn handoff<C: AsyncChannel>(shape: Shape, flavor: Flavor) -> Tasks<Messages<C>> {
    let producers = match shape {
        Shape::Spsc => 1,
        Shape::Mpsc => TASKS_PER_WORKER * flavor.workers(),
    };
    let (tx, rx) = C::channel();
    Tasks::new(
        C::name(),
        flavor,
        producers + 1,
        Messages {
            tx,
            rx: Mutex::new(Some(rx)),
            producers,
            received: AtomicU64::new(0),
            bad: AtomicU64::new(0),
            expected: AtomicU64::new(0),
        },
    )
}

/// The bridge's work: one consumer task; a producer thread.
pub struct Bridged<C: Bridge> {
    go: Mutex<Option<std::sync::mpsc::Sender<u64>>>,
    rx: Mutex<Option<C::Rx>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    received: AtomicU64,
    bad: AtomicU64,
    expected: AtomicU64,
}

impl<C: Bridge> TaskWork for Bridged<C> {
    type Task = (C::Rx, Ledger, std::sync::mpsc::Sender<u64>);

    fn task(&self, _index: usize, tasks: usize) -> Self::Task {
        assert_eq!(tasks, 1);
        (
            self.rx.lock().unwrap().take().expect("one consumer"),
            Ledger::new(1),
            self.go.lock().unwrap().take().expect("one releaser"),
        )
    }

    async fn run(&self, (rx, ledger, go): &mut Self::Task, round: &Round) {
        go.send(round.total).expect("the producer thread is alive");
        for _ in 0..round.total {
            ledger.take(C::recv(rx).await);
        }
        self.received.fetch_add(round.total, Relaxed);
        self.bad.store(ledger.bad, Relaxed);
    }

    fn after_round(&self, total: u64) {
        let want = self.expected.fetch_add(total, Relaxed) + total;
        let got = self.received.load(Relaxed);
        let name = C::bridge_name();
        assert_eq!(got, want, "{name}: {got} messages received, {want} sent");
        let bad = self.bad.load(Relaxed);
        assert_eq!(
            bad, 0,
            "{name}: {bad} messages duplicated, lost or out of order"
        );
    }
}

impl<C: Bridge> Drop for Bridged<C> {
    fn drop(&mut self) {
        // The receiver and the release channel are gone with the task: the
        // thread's next receive or send fails and it returns.
        drop(self.go.get_mut().unwrap_or_else(|e| e.into_inner()).take());
        drop(self.rx.get_mut().unwrap_or_else(|e| e.into_inner()).take());
        if let Some(h) = self
            .thread
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            let _ = h.join();
        }
    }
}

/// `C`'s bridge on `flavor`: a producer thread, a consumer task.
pub fn bridge<C: Bridge>(flavor: Flavor) -> Tasks<Bridged<C>> {
    let (tx, rx) = C::channel();
    let (go, went) = std::sync::mpsc::channel::<u64>();
    let name = C::bridge_name();
    let thread = std::thread::Builder::new()
        .name(format!("{name}-producer"))
        .spawn(move || {
            let mut seq = 0u64;
            while let Ok(n) = went.recv() {
                for _ in 0..n {
                    if !C::send_blocking(&tx, seq) {
                        return;
                    }
                    seq += 1;
                }
            }
        })
        .unwrap_or_else(|e| panic!("{name}: cannot spawn the producer thread: {e}"));
    Tasks::new(
        name,
        flavor,
        1,
        Bridged::<C> {
            go: Mutex::new(Some(go)),
            rx: Mutex::new(Some(rx)),
            thread: Mutex::new(Some(thread)),
            received: AtomicU64::new(0),
            bad: AtomicU64::new(0),
            expected: AtomicU64::new(0),
        },
    )
    .with_extra_threads(1)
}

/// tokio `mpsc::channel(CAP)`.
pub struct TokioBounded;
impl AsyncChannel for TokioBounded {
    fn name() -> String {
        format!("tokio-mpsc-bounded-{CAP}")
    }
    type Tx = tokio::sync::mpsc::Sender<u64>;
    type Rx = tokio::sync::mpsc::Receiver<u64>;
    fn channel() -> (Self::Tx, Self::Rx) {
        tokio::sync::mpsc::channel(CAP)
    }
    async fn send(tx: &Self::Tx, v: u64) {
        tx.send(v).await.expect("receiver alive");
    }
    async fn recv(rx: &mut Self::Rx) -> u64 {
        rx.recv().await.expect("senders alive")
    }
}
impl Bridge for TokioBounded {
    fn bridge_name() -> String {
        format!("tokio-mpsc-blocking_send-{CAP}")
    }
    fn send_blocking(tx: &Self::Tx, v: u64) -> bool {
        tx.blocking_send(v).is_ok()
    }
}

/// tokio `mpsc::unbounded_channel()`.
pub struct TokioUnbounded;
impl AsyncChannel for TokioUnbounded {
    fn name() -> String {
        "tokio-mpsc-unbounded".to_string()
    }
    type Tx = tokio::sync::mpsc::UnboundedSender<u64>;
    type Rx = tokio::sync::mpsc::UnboundedReceiver<u64>;
    fn channel() -> (Self::Tx, Self::Rx) {
        tokio::sync::mpsc::unbounded_channel()
    }
    async fn send(tx: &Self::Tx, v: u64) {
        tx.send(v).expect("receiver alive");
    }
    async fn recv(rx: &mut Self::Rx) -> u64 {
        rx.recv().await.expect("senders alive")
    }
}

/// flume's async API: `send_async` / `recv_async`; bounded ([`CAP`]) or not.
pub struct FlumeAsync<const BOUNDED: bool>;
impl<const BOUNDED: bool> AsyncChannel for FlumeAsync<BOUNDED> {
    fn name() -> String {
        if BOUNDED {
            format!("flume-async-bounded-{CAP}")
        } else {
            "flume-async-unbounded".to_string()
        }
    }
    type Tx = flume::Sender<u64>;
    type Rx = flume::Receiver<u64>;
    fn channel() -> (Self::Tx, Self::Rx) {
        if BOUNDED {
            flume::bounded(CAP)
        } else {
            flume::unbounded()
        }
    }
    async fn send(tx: &Self::Tx, v: u64) {
        tx.send_async(v).await.expect("receiver alive");
    }
    async fn recv(rx: &mut Self::Rx) -> u64 {
        rx.recv_async().await.expect("senders alive")
    }
}
impl<const BOUNDED: bool> Bridge for FlumeAsync<BOUNDED> {
    fn bridge_name() -> String {
        format!("flume-send-recv_async-{CAP}")
    }
    fn send_blocking(tx: &Self::Tx, v: u64) -> bool {
        tx.send(v).is_ok()
    }
}

/// async-channel, bounded ([`CAP`]) or not.
pub struct AsyncChan<const BOUNDED: bool>;
impl<const BOUNDED: bool> AsyncChannel for AsyncChan<BOUNDED> {
    fn name() -> String {
        if BOUNDED {
            format!("async-channel-bounded-{CAP}")
        } else {
            "async-channel-unbounded".to_string()
        }
    }
    type Tx = async_channel::Sender<u64>;
    type Rx = async_channel::Receiver<u64>;
    fn channel() -> (Self::Tx, Self::Rx) {
        if BOUNDED {
            async_channel::bounded(CAP)
        } else {
            async_channel::unbounded()
        }
    }
    async fn send(tx: &Self::Tx, v: u64) {
        tx.send(v).await.expect("receiver alive");
    }
    async fn recv(rx: &mut Self::Rx) -> u64 {
        rx.recv().await.expect("senders alive")
    }
}
impl<const BOUNDED: bool> Bridge for AsyncChan<BOUNDED> {
    fn bridge_name() -> String {
        format!("async-channel-send_blocking-{CAP}")
    }
    fn send_blocking(tx: &Self::Tx, v: u64) -> bool {
        tx.send_blocking(v).is_ok()
    }
}
