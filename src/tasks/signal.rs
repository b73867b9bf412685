//! `tasks/signal/*` and `tasks/cancel`: one task wakes others and hears back.
//!
//! - `ping-pong`: two tasks take turns; one operation is one round trip.
//!   Flavours: two `Notify`s (`notify_one` keeps a permit, so no wake-up is
//!   lost), a request over a tokio `mpsc` (capacity 1) answered on a fresh
//!   `oneshot` (the idiomatic request/reply; the oneshot is allocated per
//!   round trip, as it is in real use), two `watch` channels.
//! - `one-to-many`: one releaser task wakes W waiter tasks
//!   ([`TASKS_PER_WORKER`] per worker) and waits for all their
//!   acknowledgements; one operation is one acknowledged release. Release
//!   flavours: `Notify::notify_waiters` (each waiter enables its `Notified`
//!   before it checks the generation, so none is missed), `watch`,
//!   `broadcast`. The acknowledgement is the same for every flavour: an
//!   atomic countdown whose last decrement calls `notify_one` on the
//!   releaser's `Notify`.
//! - `cancel`: one canceller and W worker tasks; one operation is "cancel,
//!   then every worker has seen it and stopped" (the same countdown).
//!   Flavours: tokio-util `CancellationToken`, `watch` (a generation
//!   number), and dropping an async-channel `Sender` (every receiver's
//!   `recv` then fails). A token and a channel serve once, so the canceller
//!   stores the next generation's one before it cancels the current one
//!   (one allocation per operation, inherent in single-use cancellation).
//!
//! What every round checks: the pinger writes `2k - 1` into a baton and the
//! ponger must read it after its wait, the ponger writes `2k` and the pinger
//! must read it (the oneshot and watch flavours also carry `k` and it is
//! checked); every waiter must see release number `k`; every worker must
//! see cancellation `k`. A stale value fails the round; a lost wake-up
//! hangs it, and the round timeout fails it naming the strategy.
//!
//! In instrumented rounds the driving task times every round trip, release
//! or cancel-to-all-stopped into an HDR histogram ([`Latency`]); the sidecar
//! carries the percentiles in `extra.latency_ns`, as `signal` does.

use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::*};

use crossbeam::utils::CachePadded;
use tokio::sync::{Notify, broadcast, mpsc, oneshot, watch};
use tokio_util::sync::CancellationToken;

use super::runtime::{Flavor, TaskWork, Tasks};
use super::shared::TASKS_PER_WORKER;
use crate::harness::{Declare, Family, Round, Spec, Strategy};
use crate::signal::latency::{Lap, Latency, NoLap};

// ---------------------------------------------------------------- ping-pong

/// A two-task signalling pair.
pub trait PingPong: Strategy + Send + Sync + Sized + 'static {
    /// Pinger's handle.
    type Pinger: Send + 'static;
    /// Ponger's handle.
    type Ponger: Send + 'static;
    /// Fresh state and both ends.
    fn new() -> (Self, Self::Pinger, Self::Ponger);
    /// Sends ping `k` and waits for its pong; returns the value the pong
    /// carried (`k` where it carries one).
    fn ping(&self, end: &mut Self::Pinger, k: u64) -> impl Future<Output = u64> + Send;
    /// Waits for the next ping, calls `answer` with the number the ping
    /// carried (`None` for a flavour that carries none), then sends the pong.
    fn pong(
        &self,
        end: &mut Self::Ponger,
        answer: impl FnOnce(Option<u64>) + Send,
    ) -> impl Future<Output = ()> + Send;
}

/// Visits ping-pong strategies.
pub trait VisitPingPong {
    /// Strategy `S`.
    fn visit<S: PingPong>(&mut self);
}

/// The ping-pong strategies: the one list the bench and the tests iterate.
pub fn ping_pong_strategies(v: &mut impl VisitPingPong) {
    v.visit::<NotifyPair>();
    v.visit::<OneshotReply>();
    v.visit::<WatchPair>();
}

/// Declares every ping-pong strategy on `flavor`.
pub fn declare_ping_pong<D: Declare>(flavor: Flavor, d: &mut D) {
    struct V<'a, D>(&'a mut D, Flavor);
    impl<D: Declare> VisitPingPong for V<'_, D> {
        fn visit<S: PingPong>(&mut self) {
            let f = self.1;
            self.0
                .declare(Spec::of::<S>(f.workers(), move || ping_pong::<S>(f)));
        }
    }
    ping_pong_strategies(&mut V(d, flavor));
}

/// Both ends of a ping-pong pair until their tasks take them.
type Ends<S> = (
    Option<<S as PingPong>::Pinger>,
    Option<<S as PingPong>::Ponger>,
);

/// The two tasks' work.
pub struct RoundTrips<S: PingPong> {
    s: S,
    ends: Mutex<Ends<S>>,
    baton: CachePadded<AtomicU64>,
    stale: AtomicU64,
    latency: Latency,
}

/// A side of [`RoundTrips`]: its handle and round trips so far.
pub enum Side<S: PingPong> {
    /// Task 0.
    Pinger(S::Pinger, u64),
    /// Task 1.
    Ponger(S::Ponger, u64),
}

impl<S: PingPong> RoundTrips<S> {
    async fn pings<L: Lap>(
        &self,
        end: &mut S::Pinger,
        trips: &mut u64,
        n: u64,
        lap: &mut L,
    ) -> u64 {
        let mut stale = 0;
        for _ in 0..n {
            *trips += 1;
            let k = *trips;
            self.baton.store(2 * k - 1, Relaxed);
            let got = self.s.ping(end, k).await;
            stale += u64::from(self.baton.load(Relaxed) != 2 * k || got != k);
            lap.lap();
        }
        stale
    }
}

impl<S: PingPong> TaskWork for RoundTrips<S> {
    type Task = Side<S>;

    fn task(&self, index: usize, tasks: usize) -> Side<S> {
        assert_eq!(tasks, 2, "ping-pong runs two tasks");
        let mut ends = self.ends.lock().unwrap();
        match index {
            0 => Side::Pinger(ends.0.take().expect("one pinger"), 0),
            _ => Side::Ponger(ends.1.take().expect("one ponger"), 0),
        }
    }

    async fn run(&self, side: &mut Side<S>, round: &Round) {
        let n = round.total;
        let stale = match side {
            Side::Pinger(end, trips) if round.instrumented => {
                let mut rec = self.latency.start();
                let stale = self.pings(end, trips, n, &mut rec).await;
                self.latency.finish(rec);
                stale
            }
            Side::Pinger(end, trips) => self.pings(end, trips, n, &mut NoLap).await,
            Side::Ponger(end, trips) => {
                let mut stale = 0;
                for _ in 0..n {
                    *trips += 1;
                    let k = *trips;
                    let baton = &self.baton;
                    let mut seen = 0;
                    self.s
                        .pong(end, |got| {
                            seen = u64::from(
                                baton.load(Relaxed) != 2 * k - 1 || got.is_some_and(|g| g != k),
                            );
                            baton.store(2 * k, Relaxed);
                        })
                        .await;
                    stale += seen;
                }
                stale
            }
        };
        if stale > 0 {
            self.stale.fetch_add(stale, Relaxed);
        }
    }

    fn after_round(&self, _total: u64) {
        self.latency.recycle();
        let stale = self.stale.load(Relaxed);
        assert_eq!(stale, 0, "{}: {stale} waits saw a stale value", S::NAME);
    }

    fn extras(&self) -> Option<serde_json::Value> {
        self.latency.summary()
    }
}

/// `S`'s ping-pong on `flavor`.
pub fn ping_pong<S: PingPong>(flavor: Flavor) -> Tasks<RoundTrips<S>> {
    let (s, pinger, ponger) = S::new();
    Tasks::new(
        S::NAME,
        flavor,
        2,
        RoundTrips {
            s,
            ends: Mutex::new((Some(pinger), Some(ponger))),
            baton: CachePadded::new(AtomicU64::new(0)),
            stale: AtomicU64::new(0),
            latency: Latency::new(),
        },
    )
}

/// Two `Notify`s.
pub struct NotifyPair {
    ping: Notify,
    pong: Notify,
}
impl Strategy for NotifyPair {
    const NAME: &'static str = "tokio-notify";
    const FAMILY: Family = Family::Park;
}
impl PingPong for NotifyPair {
    type Pinger = ();
    type Ponger = ();
    fn new() -> (Self, (), ()) {
        (
            NotifyPair {
                ping: Notify::new(),
                pong: Notify::new(),
            },
            (),
            (),
        )
    }
    async fn ping(&self, _: &mut (), k: u64) -> u64 {
        self.ping.notify_one();
        self.pong.notified().await;
        k
    }
    async fn pong(&self, end: &mut (), answer: impl FnOnce(Option<u64>) + Send) {
        self.ping.notified().await;
        let _ = end;
        // Only the baton carries a value.
        answer(None);
        self.pong.notify_one();
    }
}

/// A request over tokio `mpsc` (capacity 1) answered on a fresh `oneshot`.
pub struct OneshotReply;
impl Strategy for OneshotReply {
    const NAME: &'static str = "tokio-oneshot";
    const FAMILY: Family = Family::Channel;
}
impl PingPong for OneshotReply {
    type Pinger = mpsc::Sender<(u64, oneshot::Sender<u64>)>;
    type Ponger = mpsc::Receiver<(u64, oneshot::Sender<u64>)>;
    fn new() -> (Self, Self::Pinger, Self::Ponger) {
        let (tx, rx) = mpsc::channel(1);
        (OneshotReply, tx, rx)
    }
    async fn ping(&self, tx: &mut Self::Pinger, k: u64) -> u64 {
        let (reply, answer) = oneshot::channel();
        tx.send((k, reply)).await.expect("ponger alive");
        answer.await.expect("ponger answers")
    }
    async fn pong(&self, rx: &mut Self::Ponger, answer: impl FnOnce(Option<u64>) + Send) {
        let (k, reply) = rx.recv().await.expect("pinger alive");
        answer(Some(k));
        let _ = reply.send(k);
    }
}

/// Two `watch` channels carrying the round-trip number.
pub struct WatchPair;
impl Strategy for WatchPair {
    const NAME: &'static str = "tokio-watch";
    const FAMILY: Family = Family::Channel;
}
impl PingPong for WatchPair {
    type Pinger = (watch::Sender<u64>, watch::Receiver<u64>);
    type Ponger = (watch::Receiver<u64>, watch::Sender<u64>);
    fn new() -> (Self, Self::Pinger, Self::Ponger) {
        let (ping_tx, ping_rx) = watch::channel(0);
        let (pong_tx, pong_rx) = watch::channel(0);
        (WatchPair, (ping_tx, pong_rx), (ping_rx, pong_tx))
    }
    async fn ping(&self, (tx, rx): &mut Self::Pinger, k: u64) -> u64 {
        tx.send_replace(k);
        rx.changed().await.expect("ponger alive");
        *rx.borrow_and_update()
    }
    async fn pong(&self, (rx, tx): &mut Self::Ponger, answer: impl FnOnce(Option<u64>) + Send) {
        rx.changed().await.expect("pinger alive");
        let k = *rx.borrow_and_update();
        answer(Some(k));
        tx.send_replace(k);
    }
}

// -------------------------------------------------------------- one-to-many

/// The acknowledgement every one-to-many and cancel flavour shares: an
/// atomic countdown whose last decrement wakes the driver.
pub struct Acks {
    pending: CachePadded<AtomicUsize>,
    all: Notify,
}

impl Acks {
    fn new() -> Acks {
        Acks {
            pending: CachePadded::new(AtomicUsize::new(0)),
            all: Notify::new(),
        }
    }

    fn arm(&self, n: usize) {
        self.pending.store(n, Release);
    }

    fn ack(&self) {
        if self.pending.fetch_sub(1, AcqRel) == 1 {
            self.all.notify_one();
        }
    }

    async fn wait(&self) {
        self.all.notified().await;
    }
}

/// One task releasing many.
pub trait Release: Strategy + Send + Sync + Sized + 'static {
    /// The releaser's handle.
    type Releaser: Send + 'static;
    /// A waiter's handle.
    type Waiter: Send + 'static;
    /// Fresh state for `waiters` waiters, and the releaser's handle.
    fn new(waiters: usize) -> (Self, Self::Releaser);
    /// A waiter's handle (from the releaser's state before the first round).
    fn waiter(&self) -> Self::Waiter;
    /// Publishes release number `k` and wakes every waiter.
    fn release(&self, r: &mut Self::Releaser, k: u64);
    /// Waits for the release after `seen`; returns its number.
    fn wait(&self, w: &mut Self::Waiter, seen: u64) -> impl Future<Output = u64> + Send;
}

/// Visits release strategies.
pub trait VisitRelease {
    /// Strategy `S`.
    fn visit<S: Release>(&mut self);
}

/// The one-to-many strategies.
pub fn one_to_many_strategies(v: &mut impl VisitRelease) {
    v.visit::<NotifyWaiters>();
    v.visit::<WatchRelease>();
    v.visit::<BroadcastRelease>();
}

/// The cancel strategies.
pub fn cancel_strategies(v: &mut impl VisitRelease) {
    v.visit::<TokenCancel>();
    v.visit::<WatchCancel>();
    v.visit::<DropSender>();
}

/// Which release scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Releasing {
    /// [`one_to_many_strategies`].
    OneToMany,
    /// [`cancel_strategies`].
    Cancel,
}

/// Declares `which`'s strategies on `flavor`, [`TASKS_PER_WORKER`] waiters
/// per worker.
pub fn declare_release<D: Declare>(which: Releasing, flavor: Flavor, d: &mut D) {
    let mut v = V(d, flavor);
    match which {
        Releasing::OneToMany => one_to_many_strategies(&mut v),
        Releasing::Cancel => cancel_strategies(&mut v),
    }
}

/// The [`VisitRelease`] behind [`declare_release`].
pub struct V<'a, D>(&'a mut D, Flavor);
impl<D: Declare> VisitRelease for V<'_, D> {
    fn visit<S: Release>(&mut self) {
        let f = self.1;
        self.0.declare(Spec::of::<S>(f.workers(), move || {
            one_to_many::<S>(f, TASKS_PER_WORKER * f.workers())
        }));
    }
}

/// The tasks' work: task 0 releases, the others wait.
pub struct Releases<S: Release> {
    s: S,
    releaser: Mutex<Option<S::Releaser>>,
    acks: Acks,
    waiters: usize,
    /// The release number published before each release.
    generation: CachePadded<AtomicU64>,
    stale: AtomicU64,
    latency: Latency,
}

/// A task of [`Releases`].
pub enum Role<S: Release> {
    /// Task 0, and releases so far.
    Releaser(S::Releaser, u64),
    /// Tasks `1..`, and the latest release seen.
    Waiter(S::Waiter, u64),
}

impl<S: Release> Releases<S> {
    async fn releases<L: Lap>(&self, r: &mut S::Releaser, k: &mut u64, n: u64, lap: &mut L) {
        for _ in 0..n {
            *k += 1;
            self.generation.store(*k, Relaxed);
            self.acks.arm(self.waiters);
            self.s.release(r, *k);
            self.acks.wait().await;
            lap.lap();
        }
    }
}

impl<S: Release> TaskWork for Releases<S> {
    type Task = Role<S>;

    fn task(&self, index: usize, tasks: usize) -> Role<S> {
        assert_eq!(tasks, self.waiters + 1);
        match index {
            0 => Role::Releaser(
                self.releaser.lock().unwrap().take().expect("one releaser"),
                0,
            ),
            _ => Role::Waiter(self.s.waiter(), 0),
        }
    }

    async fn run(&self, role: &mut Role<S>, round: &Round) {
        let n = round.total;
        match role {
            Role::Releaser(r, k) if round.instrumented => {
                let mut rec = self.latency.start();
                self.releases(r, k, n, &mut rec).await;
                self.latency.finish(rec);
            }
            Role::Releaser(r, k) => self.releases(r, k, n, &mut NoLap).await,
            Role::Waiter(w, seen) => {
                let mut stale = 0;
                for _ in 0..n {
                    let k = self.s.wait(w, *seen).await;
                    stale += u64::from(k != *seen + 1 || self.generation.load(Relaxed) != k);
                    *seen += 1;
                    self.acks.ack();
                }
                if stale > 0 {
                    self.stale.fetch_add(stale, Relaxed);
                }
            }
        }
    }

    fn after_round(&self, _total: u64) {
        self.latency.recycle();
        let stale = self.stale.load(Relaxed);
        assert_eq!(
            stale,
            0,
            "{}: {stale} wake-ups saw a stale release",
            S::NAME
        );
    }

    fn extras(&self) -> Option<serde_json::Value> {
        self.latency.summary()
    }
}

/// `S` with `waiters` waiter tasks on `flavor`.
pub fn one_to_many<S: Release>(flavor: Flavor, waiters: usize) -> Tasks<Releases<S>> {
    let (s, releaser) = S::new(waiters);
    Tasks::new(
        S::NAME,
        flavor,
        waiters + 1,
        Releases {
            s,
            releaser: Mutex::new(Some(releaser)),
            acks: Acks::new(),
            waiters,
            generation: CachePadded::new(AtomicU64::new(0)),
            stale: AtomicU64::new(0),
            latency: Latency::new(),
        },
    )
}

/// `Notify::notify_waiters` with a generation counter.
pub struct NotifyWaiters {
    notify: Notify,
    generation: CachePadded<AtomicU64>,
}
impl Strategy for NotifyWaiters {
    const NAME: &'static str = "tokio-notify";
    const FAMILY: Family = Family::Park;
}
impl Release for NotifyWaiters {
    type Releaser = ();
    type Waiter = ();
    fn new(_: usize) -> (Self, ()) {
        (
            NotifyWaiters {
                notify: Notify::new(),
                generation: CachePadded::new(AtomicU64::new(0)),
            },
            (),
        )
    }
    fn waiter(&self) {}
    fn release(&self, _: &mut (), k: u64) {
        self.generation.store(k, Release);
        self.notify.notify_waiters();
    }
    async fn wait(&self, _: &mut (), seen: u64) -> u64 {
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let k = self.generation.load(Acquire);
            if k != seen {
                return k;
            }
            notified.await;
        }
    }
}

/// `watch` carrying the release number.
pub struct WatchRelease(watch::Sender<u64>);
impl Strategy for WatchRelease {
    const NAME: &'static str = "tokio-watch";
    const FAMILY: Family = Family::Channel;
}
impl Release for WatchRelease {
    type Releaser = ();
    type Waiter = watch::Receiver<u64>;
    fn new(_: usize) -> (Self, ()) {
        (WatchRelease(watch::channel(0).0), ())
    }
    fn waiter(&self) -> watch::Receiver<u64> {
        self.0.subscribe()
    }
    fn release(&self, _: &mut (), k: u64) {
        self.0.send_replace(k);
    }
    async fn wait(&self, rx: &mut watch::Receiver<u64>, _seen: u64) -> u64 {
        rx.changed().await.expect("releaser alive");
        *rx.borrow_and_update()
    }
}

/// `broadcast` (capacity 1: a waiter never lags, as the releaser waits for
/// every acknowledgement).
pub struct BroadcastRelease(broadcast::Sender<u64>);
impl Strategy for BroadcastRelease {
    const NAME: &'static str = "tokio-broadcast";
    const FAMILY: Family = Family::Channel;
}
impl Release for BroadcastRelease {
    type Releaser = ();
    type Waiter = broadcast::Receiver<u64>;
    fn new(_: usize) -> (Self, ()) {
        (BroadcastRelease(broadcast::channel(1).0), ())
    }
    fn waiter(&self) -> broadcast::Receiver<u64> {
        self.0.subscribe()
    }
    fn release(&self, _: &mut (), k: u64) {
        self.0.send(k).expect("waiters alive");
    }
    async fn wait(&self, rx: &mut broadcast::Receiver<u64>, _seen: u64) -> u64 {
        rx.recv().await.expect("releaser alive, no lag")
    }
}

// ------------------------------------------------------------------- cancel

/// tokio-util `CancellationToken`: the canceller stores the next
/// generation's token, then cancels the current one.
pub struct TokenCancel {
    next: Mutex<(u64, CancellationToken)>,
}
impl Strategy for TokenCancel {
    const NAME: &'static str = "cancellation-token";
    const FAMILY: Family = Family::Park;
}
impl Release for TokenCancel {
    /// The current generation's token.
    type Releaser = CancellationToken;
    /// The token this worker waits on, and its generation.
    type Waiter = (u64, CancellationToken);
    fn new(_: usize) -> (Self, CancellationToken) {
        let t = CancellationToken::new();
        (
            TokenCancel {
                next: Mutex::new((1, t.clone())),
            },
            t,
        )
    }
    fn waiter(&self) -> Self::Waiter {
        self.next.lock().unwrap().clone()
    }
    fn release(&self, current: &mut CancellationToken, k: u64) {
        let next = CancellationToken::new();
        *self.next.lock().unwrap() = (k + 1, next.clone());
        std::mem::replace(current, next).cancel();
    }
    async fn wait(&self, w: &mut Self::Waiter, _seen: u64) -> u64 {
        w.1.cancelled().await;
        let k = w.0;
        *w = self.next.lock().unwrap().clone();
        k
    }
}

/// `watch` carrying the cancellation number.
pub struct WatchCancel(watch::Sender<u64>);
impl Strategy for WatchCancel {
    const NAME: &'static str = "watch";
    const FAMILY: Family = Family::Channel;
}
impl Release for WatchCancel {
    type Releaser = ();
    type Waiter = watch::Receiver<u64>;
    fn new(_: usize) -> (Self, ()) {
        (WatchCancel(watch::channel(0).0), ())
    }
    fn waiter(&self) -> watch::Receiver<u64> {
        self.0.subscribe()
    }
    fn release(&self, _: &mut (), k: u64) {
        self.0.send_replace(k);
    }
    async fn wait(&self, rx: &mut watch::Receiver<u64>, _seen: u64) -> u64 {
        rx.changed().await.expect("canceller alive");
        *rx.borrow_and_update()
    }
}

/// Dropping the only async-channel `Sender`: every receiver's `recv` fails.
pub struct DropSender {
    next: Mutex<(u64, async_channel::Receiver<()>)>,
}
impl Strategy for DropSender {
    const NAME: &'static str = "drop-sender";
    const FAMILY: Family = Family::Channel;
}
impl Release for DropSender {
    /// The current generation's sender.
    type Releaser = async_channel::Sender<()>;
    /// The receiver this worker waits on, and its generation.
    type Waiter = (u64, async_channel::Receiver<()>);
    fn new(_: usize) -> (Self, Self::Releaser) {
        let (tx, rx) = async_channel::bounded(1);
        (
            DropSender {
                next: Mutex::new((1, rx)),
            },
            tx,
        )
    }
    fn waiter(&self) -> Self::Waiter {
        self.next.lock().unwrap().clone()
    }
    fn release(&self, current: &mut Self::Releaser, k: u64) {
        let (tx, rx) = async_channel::bounded(1);
        *self.next.lock().unwrap() = (k + 1, rx);
        drop(std::mem::replace(current, tx));
    }
    async fn wait(&self, w: &mut Self::Waiter, _seen: u64) -> u64 {
        let closed = w.1.recv().await.is_err();
        assert!(closed, "nothing is ever sent");
        let k = w.0;
        *w = self.next.lock().unwrap().clone();
        k
    }
}
