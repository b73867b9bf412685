//! Signal workload: one thread wakes another, and waits to hear back.
//!
//! Two shapes, one trait each:
//! - [`PingPong`] for `signal/ping-pong`: two threads take turns; one
//!   operation is one round trip (ping, then pong).
//! - [`Broadcast`] for `signal/one-to-many`: one releaser wakes P waiters and
//!   waits until every one of them has acknowledged; one operation is one
//!   acknowledged release.
//!
//! One file per primitive implements both: bounded(0)/bounded(1) channels
//! ([`channel`]), `Condvar` + `Mutex` ([`condvar`]), `thread::park`/`unpark`
//! with an atomic flag ([`park`]), spinning on an atomic ([`spin`]) and std
//! `Barrier` ([`barrier`]). A strategy is a zero-sized marker type; the state
//! its threads share is the trait's associated type, built per system.
//!
//! # What every round checks
//!
//! Signalling exists to publish something, so the drivers publish a value
//! before every signal and the woken thread checks it sees that value right
//! after its wait returns: the pinger writes `2k - 1` into a baton and the
//! ponger must read exactly that, the ponger writes `2k` and the pinger must
//! read it; the releaser writes release number `k` and every waiter must read
//! `k`. A wait that returns early, a spurious or duplicated signal, or a
//! releaser that stops waiting for acknowledgements shows up as a stale value
//! and fails the round (`after_round`). The baton is read and written
//! `Relaxed`: the strategy's signal/wait pair alone must order it.
//!
//! A round completes only once every waiter has returned from all of its
//! waits, so a lost wake-up cannot pass: the pool's round timeout turns it
//! into a failure naming the strategy ([`Pool::with_timeout`]).
//!
//! # Latency
//!
//! In instrumented rounds only, the pinger times every round trip and the
//! releaser every acknowledged release into an HDR histogram ([`latency`]);
//! `Workload::extras` returns the latest instrumented round's percentiles,
//! which the bench glue writes into the benchmark id's sidecar file
//! (`target/criterion/syncbench/signal/<shape>/<strategy>/<param>.json`,
//! field `extra.latency_ns`), next to the worker CPU time per operation.

pub mod barrier;
pub mod channel;
pub mod condvar;
pub mod latency;
pub mod park;
pub mod spin;

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crossbeam::utils::CachePadded;

use crate::harness::{Declare, Pool, Round, Spec, Strategy, Workload};
use latency::{Lap, Latency, NoLap};

/// Visits signal strategy types; see [`strategies`].
pub trait Visit {
    /// Visits strategy `S`.
    fn visit<S: PingPong + Broadcast>(&mut self);
}

/// Every signal strategy, in the bench's declaration order: the one list
/// both shapes' benchmarks ([`declare_ping_pong`], [`declare_one_to_many`])
/// and the tests iterate. A new strategy is one line here.
pub fn strategies(v: &mut impl Visit) {
    v.visit::<channel::StdSync0>();
    v.visit::<channel::StdSync1>();
    v.visit::<channel::Crossbeam0>();
    v.visit::<channel::Crossbeam1>();
    v.visit::<channel::Flume0>();
    v.visit::<channel::Flume1>();
    v.visit::<condvar::CondvarFlag>();
    v.visit::<park::ParkUnpark>();
    v.visit::<spin::Spin>();
    v.visit::<barrier::StdBarrier>();
}

/// Declares every strategy's `signal/ping-pong` benchmark.
pub fn declare_ping_pong<D: Declare>(d: &mut D) {
    struct Declarer<'a, D>(&'a mut D);
    impl<D: Declare> Visit for Declarer<'_, D> {
        fn visit<S: PingPong + Broadcast>(&mut self) {
            self.0.declare(ping_pong_spec::<S>());
        }
    }
    strategies(&mut Declarer(d));
}

/// Declares every strategy's `signal/one-to-many` benchmark with `waiters`
/// waiters.
pub fn declare_one_to_many<D: Declare>(waiters: usize, d: &mut D) {
    struct Declarer<'a, D>(&'a mut D, usize);
    impl<D: Declare> Visit for Declarer<'_, D> {
        fn visit<S: PingPong + Broadcast>(&mut self) {
            self.0.declare(one_to_many_spec::<S>(self.1));
        }
    }
    strategies(&mut Declarer(d, waiters));
}

/// Side index of the thread that starts each round trip.
pub const PINGER: usize = 0;
/// Side index of the thread that answers.
pub const PONGER: usize = 1;

/// Two threads signalling each other in turn over two one-way signals.
///
/// Each side signals its peer with [`signal`](PingPong::signal) and waits
/// for its peer's signal with [`wait`](PingPong::wait); a signal is consumed
/// by exactly one wait. The driver never signals twice without a wait in
/// between.
pub trait PingPong: Strategy + Sized + 'static {
    /// What both sides share (two flags, two channels, a barrier).
    type Pair: Send + Sync + 'static;
    /// One side's handle, created on that side's thread before the first
    /// round (a pair of channel ends, the side index).
    type End: 'static;

    /// Fresh shared state, nothing signalled. Not timed.
    fn pair() -> Self::Pair;
    /// The handle of `side` ([`PINGER`] or [`PONGER`]); called once per side,
    /// on that side's thread. Not timed.
    fn end(pair: &Self::Pair, side: usize) -> Self::End;
    /// Wakes the peer (or lets its next wait return at once).
    fn signal(pair: &Self::Pair, end: &mut Self::End);
    /// Blocks (or spins) until the peer has signalled, and consumes that
    /// signal. Everything the peer wrote before signalling is visible when
    /// this returns.
    fn wait(pair: &Self::Pair, end: &mut Self::End);
}

/// One releaser waking `P` waiters, then waiting for all their
/// acknowledgements before it may release again.
pub trait Broadcast: Strategy + Sized + 'static {
    /// What the releaser and the waiters share.
    type Gate: Send + Sync + 'static;
    /// The releaser's handle, created on its thread before the first round.
    type Releaser: 'static;
    /// A waiter's handle, created on its thread before the first round.
    type Waiter: 'static;

    /// Fresh shared state for `waiters` waiters, nothing released. Not timed.
    fn gate(waiters: usize) -> Self::Gate;
    /// The releaser's handle. Not timed.
    fn releaser(gate: &Self::Gate) -> Self::Releaser;
    /// Waiter `index`'s handle (`0..waiters`). Not timed.
    fn waiter(gate: &Self::Gate, index: usize) -> Self::Waiter;
    /// Releases every waiter once.
    fn release(gate: &Self::Gate, releaser: &mut Self::Releaser);
    /// Returns once every waiter has acknowledged the latest release.
    fn wait_acks(gate: &Self::Gate, releaser: &mut Self::Releaser);
    /// Returns once the releaser has released this waiter again; what the
    /// releaser wrote before releasing is visible when it returns.
    fn wait_release(gate: &Self::Gate, waiter: &mut Self::Waiter);
    /// Acknowledges the release this waiter last woke from.
    fn ack(gate: &Self::Gate, waiter: &mut Self::Waiter);
}

/// Driver for `signal/ping-pong`: a two-thread pool, one operation = one
/// round trip started by the pinger.
pub struct RoundTrips<S: PingPong> {
    pair: S::Pair,
    /// What the sides publish before signalling: `2k - 1` (ping `k`), `2k`
    /// (pong `k`).
    baton: CachePadded<AtomicU64>,
    /// Waits that returned before the peer's value was visible.
    stale: AtomicU64,
    latency: Latency,
}

/// Per-thread state of [`RoundTrips`].
pub struct Side<E> {
    end: E,
    side: usize,
    /// Round trips this side has taken part in.
    trips: u64,
}

impl<S: PingPong> RoundTrips<S> {
    /// Fresh shared state.
    pub fn new() -> Self {
        RoundTrips {
            pair: S::pair(),
            baton: CachePadded::new(AtomicU64::new(0)),
            stale: AtomicU64::new(0),
            latency: Latency::new(),
        }
    }

    fn ping<L: Lap>(&self, s: &mut Side<S::End>, n: u64, lap: &mut L) -> u64 {
        let mut stale = 0;
        for _ in 0..n {
            s.trips += 1;
            self.baton.store(2 * s.trips - 1, Relaxed);
            S::signal(&self.pair, &mut s.end);
            S::wait(&self.pair, &mut s.end);
            stale += u64::from(self.baton.load(Relaxed) != 2 * s.trips);
            lap.lap();
        }
        stale
    }

    fn pong(&self, s: &mut Side<S::End>, n: u64) -> u64 {
        let mut stale = 0;
        for _ in 0..n {
            s.trips += 1;
            S::wait(&self.pair, &mut s.end);
            stale += u64::from(self.baton.load(Relaxed) != 2 * s.trips - 1);
            self.baton.store(2 * s.trips, Relaxed);
            S::signal(&self.pair, &mut s.end);
        }
        stale
    }
}

impl<S: PingPong> Default for RoundTrips<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: PingPong> Workload for RoundTrips<S> {
    type Worker = Side<S::End>;

    fn worker(&self, index: usize, threads: usize) -> Self::Worker {
        assert_eq!(threads, 2, "ping-pong runs on exactly two threads");
        Side {
            end: S::end(&self.pair, index),
            side: index,
            trips: 0,
        }
    }

    /// Both sides take part in every round trip: each runs `round.total`
    /// iterations, not an even share.
    #[inline(never)]
    fn run(&self, s: &mut Self::Worker, round: &Round) {
        let n = round.total;
        let stale = match (s.side, round.instrumented) {
            (PINGER, false) => self.ping(s, n, &mut NoLap),
            (PINGER, true) => {
                let mut rec = self.latency.start();
                let stale = self.ping(s, n, &mut rec);
                self.latency.finish(rec);
                stale
            }
            _ => self.pong(s, n),
        };
        if stale > 0 {
            self.stale.fetch_add(stale, Relaxed);
        }
    }

    fn after_round(&self, _total: u64) {
        self.latency.recycle();
        let stale = self.stale.load(Relaxed);
        assert_eq!(
            stale, 0,
            "{stale} waits returned before the peer's signal was visible \
             (woke early, or a signal was duplicated)"
        );
    }

    fn extras(&self) -> Option<serde_json::Value> {
        self.latency.summary()
    }
}

/// A pool driving ping-pong strategy `S` (two threads).
pub fn ping_pong<S: PingPong>() -> Pool<RoundTrips<S>> {
    Pool::new(S::NAME, 2, RoundTrips::<S>::new())
}

/// [`ping_pong`]'s benchmark: `S`'s id and family, parameter 2, the pool.
pub fn ping_pong_spec<S: PingPong>() -> Spec<impl FnOnce() -> Pool<RoundTrips<S>> + Send + 'static>
{
    Spec::of::<S>(2, ping_pong::<S>)
}

/// Driver for `signal/one-to-many`: a pool of `waiters + 1` threads (worker
/// 0 releases, the others wait), one operation = one release of every
/// waiter, acknowledged by all of them.
pub struct Releases<S: Broadcast> {
    gate: S::Gate,
    waiters: usize,
    /// What the releaser publishes before release `k`: `k`.
    generation: CachePadded<AtomicU64>,
    /// Wake-ups that did not see the release they were woken by.
    stale: AtomicU64,
    latency: Latency,
}

/// Per-thread state of [`Releases`].
pub enum Role<R, W> {
    /// Worker 0.
    Releaser {
        /// The strategy's handle.
        handle: R,
        /// Releases so far.
        released: u64,
    },
    /// Workers `1..=waiters`.
    Waiter {
        /// The strategy's handle.
        handle: W,
        /// Releases this waiter has woken from.
        woken: u64,
    },
}

impl<S: Broadcast> Releases<S> {
    /// Fresh shared state for `waiters` waiters (at least one).
    pub fn new(waiters: usize) -> Self {
        assert!(waiters >= 1, "one-to-many needs at least one waiter");
        Releases {
            gate: S::gate(waiters),
            waiters,
            generation: CachePadded::new(AtomicU64::new(0)),
            stale: AtomicU64::new(0),
            latency: Latency::new(),
        }
    }

    fn release<L: Lap>(&self, handle: &mut S::Releaser, released: &mut u64, n: u64, lap: &mut L) {
        for _ in 0..n {
            *released += 1;
            self.generation.store(*released, Relaxed);
            S::release(&self.gate, handle);
            S::wait_acks(&self.gate, handle);
            lap.lap();
        }
    }

    fn wait(&self, handle: &mut S::Waiter, woken: &mut u64, n: u64) -> u64 {
        let mut stale = 0;
        for _ in 0..n {
            *woken += 1;
            S::wait_release(&self.gate, handle);
            stale += u64::from(self.generation.load(Relaxed) != *woken);
            S::ack(&self.gate, handle);
        }
        stale
    }
}

impl<S: Broadcast> Workload for Releases<S> {
    type Worker = Role<S::Releaser, S::Waiter>;

    fn worker(&self, index: usize, threads: usize) -> Self::Worker {
        assert_eq!(threads, self.waiters + 1, "one releaser plus the waiters");
        match index {
            0 => Role::Releaser {
                handle: S::releaser(&self.gate),
                released: 0,
            },
            i => Role::Waiter {
                handle: S::waiter(&self.gate, i - 1),
                woken: 0,
            },
        }
    }

    /// Every thread takes part in every release: each runs `round.total`
    /// iterations, not an even share.
    #[inline(never)]
    fn run(&self, role: &mut Self::Worker, round: &Round) {
        let n = round.total;
        match role {
            Role::Releaser { handle, released } if round.instrumented => {
                let mut rec = self.latency.start();
                self.release(handle, released, n, &mut rec);
                self.latency.finish(rec);
            }
            Role::Releaser { handle, released } => self.release(handle, released, n, &mut NoLap),
            Role::Waiter { handle, woken } => {
                let stale = self.wait(handle, woken, n);
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
            stale, 0,
            "{stale} wake-ups did not see the release they woke from \
             (woke early, or the releaser did not wait for every acknowledgement)"
        );
    }

    fn extras(&self) -> Option<serde_json::Value> {
        self.latency.summary()
    }
}

/// A pool driving broadcast strategy `S` with `waiters` waiters
/// (`waiters + 1` threads).
pub fn one_to_many<S: Broadcast>(waiters: usize) -> Pool<Releases<S>> {
    Pool::new(S::NAME, waiters + 1, Releases::<S>::new(waiters))
}

/// [`one_to_many`]'s benchmark: `S`'s id and family, parameter P (the
/// waiters), the pool.
pub fn one_to_many_spec<S: Broadcast>(
    waiters: usize,
) -> Spec<impl FnOnce() -> Pool<Releases<S>> + Send + 'static> {
    Spec::of::<S>(waiters, move || one_to_many::<S>(waiters))
}
