//! `tasks/counter/*` and `tasks/map/*`: shared state behind a lock, touched
//! by many tasks.
//!
//! One operation is one update: `+= 1` on the counter, or `+= 1` on one of
//! [`KEYS`] prefilled entries of the map (a task's own xorshift stream picks
//! the key; the map never grows, so no update allocates). Two critical
//! sections:
//! - `no-await`: the update and nothing else. Every strategy runs it; for
//!   std and parking_lot locks the future is ready on its first poll.
//! - `across-yield`: the guard is held across `tokio::task::yield_now()`,
//!   standing for any `.await` inside the critical section. Only the async
//!   locks ([`AcrossYield`]) can do this: a std or parking_lot guard is not
//!   `Send`, so a task holding one across an `.await` cannot be spawned on a
//!   multi-thread runtime (and on a current_thread one it would deadlock the
//!   moment a second task wants the lock). The report shows those cells as
//!   "not applicable (guard not Send across .await)".
//!
//! Every round checks the total: the counter (or the sum over the map's
//! values) must have grown by exactly the round's operations.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use dashmap::DashMap;
use foldhash::fast::FixedState;

use super::runtime::{Flavor, TaskWork, Tasks};
use crate::harness::{Declare, Family, Round, Spec, Strategy};

/// Entries of the map.
pub const KEYS: usize = 1024;

/// Tasks per runtime worker thread.
pub const TASKS_PER_WORKER: usize = 4;

/// Shared state updated by tasks.
pub trait SharedState: Strategy + Send + Sync + Sized + 'static {
    /// Fresh state (counter at zero, map prefilled with zeros).
    fn new() -> Self;
    /// One update of `key` (ignored by counters), no `.await` inside the
    /// critical section.
    fn update(&self, key: usize) -> impl Future<Output = ()> + Send;
    /// The total of every update so far. Not timed.
    fn sum(&self) -> u64;
}

/// An async lock: may hold its guard across an `.await`.
pub trait AcrossYield: SharedState {
    /// One update with the guard held across `yield_now().await`.
    fn update_across_yield(&self, key: usize) -> impl Future<Output = ()> + Send;
}

/// Visits shared-state strategy types.
pub trait Visit {
    /// A strategy whose guard must not be held across `.await`.
    fn sync<S: SharedState>(&mut self);
    /// An async lock (runs both critical sections).
    fn lock<S: AcrossYield>(&mut self);
}

/// The counter strategies: the one list the bench and the tests iterate.
pub fn counter_strategies(v: &mut impl Visit) {
    v.sync::<StdMutexCounter>();
    v.sync::<PlMutexCounter>();
    v.lock::<TokioMutexCounter>();
    v.lock::<TokioRwLockCounter>();
    v.sync::<AtomicCounter>();
}

/// The map strategies.
pub fn map_strategies(v: &mut impl Visit) {
    v.sync::<StdMutexMap>();
    v.sync::<PlMutexMap>();
    v.lock::<TokioMutexMap>();
    v.lock::<TokioRwLockMap>();
    v.sync::<DashMapMap>();
}

/// The critical section of a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// `no-await`.
    NoAwait,
    /// `across-yield`.
    AcrossYield,
}

impl Section {
    /// The group segment.
    pub fn name(self) -> &'static str {
        match self {
            Section::NoAwait => "no-await",
            Section::AcrossYield => "across-yield",
        }
    }
}

/// Which shared state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// [`counter_strategies`].
    Counter,
    /// [`map_strategies`].
    Map,
}

/// Declares `section`'s benchmark of every `state` strategy on `flavor`:
/// every strategy for `no-await`, the async locks only for `across-yield`.
pub fn declare<D: Declare>(state: State, section: Section, flavor: Flavor, d: &mut D) {
    let mut v = Declarer { d, section, flavor };
    match state {
        State::Counter => counter_strategies(&mut v),
        State::Map => map_strategies(&mut v),
    }
}

/// The [`Visit`] behind [`declare`].
pub struct Declarer<'a, D> {
    d: &'a mut D,
    section: Section,
    flavor: Flavor,
}

impl<D: Declare> Visit for Declarer<'_, D> {
    fn sync<S: SharedState>(&mut self) {
        if self.section == Section::NoAwait {
            let flavor = self.flavor;
            self.d.declare(Spec::of::<S>(flavor.workers(), move || {
                system::<S, NoAwait>(flavor)
            }));
        }
    }

    fn lock<S: AcrossYield>(&mut self) {
        let flavor = self.flavor;
        match self.section {
            Section::NoAwait => self.d.declare(Spec::of::<S>(flavor.workers(), move || {
                system::<S, NoAwait>(flavor)
            })),
            Section::AcrossYield => self.d.declare(Spec::of::<S>(flavor.workers(), move || {
                system::<S, HoldAcrossYield>(flavor)
            })),
        }
    }
}

/// How a task performs one update of `S`.
pub trait Op<S>: Send + Sync + 'static {
    /// One update.
    fn op(s: &S, key: usize) -> impl Future<Output = ()> + Send;
}

/// [`SharedState::update`].
pub struct NoAwait;
/// [`AcrossYield::update_across_yield`].
pub struct HoldAcrossYield;

impl<S: SharedState> Op<S> for NoAwait {
    #[inline]
    fn op(s: &S, key: usize) -> impl Future<Output = ()> + Send {
        s.update(key)
    }
}

impl<S: AcrossYield> Op<S> for HoldAcrossYield {
    #[inline]
    fn op(s: &S, key: usize) -> impl Future<Output = ()> + Send {
        s.update_across_yield(key)
    }
}

/// The tasks' work: `S` updated through `O`.
pub struct Updates<S, O> {
    state: S,
    /// Operations of every round so far.
    expected: AtomicU64,
    _op: std::marker::PhantomData<fn() -> O>,
}

impl<S: SharedState, O: Op<S>> TaskWork for Updates<S, O> {
    /// The task's xorshift state.
    type Task = u64;

    fn task(&self, index: usize, _tasks: usize) -> u64 {
        0x9E37_79B9_7F4A_7C15 ^ (index as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    async fn run(&self, x: &mut u64, round: &Round) {
        for _ in 0..round.ops {
            *x ^= *x << 13;
            *x ^= *x >> 7;
            *x ^= *x << 17;
            O::op(&self.state, (*x as usize) % KEYS).await;
        }
    }

    fn after_round(&self, total: u64) {
        let want = self.expected.fetch_add(total, Relaxed) + total;
        let got = self.state.sum();
        assert_eq!(got, want, "{}: {got} updates counted, {want} made", S::NAME);
    }
}

/// `S` on `flavor`, [`TASKS_PER_WORKER`] tasks per worker.
pub fn system<S: SharedState, O: Op<S>>(flavor: Flavor) -> Tasks<Updates<S, O>> {
    Tasks::new(
        S::NAME,
        flavor,
        flavor.workers() * TASKS_PER_WORKER,
        Updates {
            state: S::new(),
            expected: AtomicU64::new(0),
            _op: std::marker::PhantomData,
        },
    )
}

macro_rules! strategy {
    ($t:ident, $name:literal, $family:ident) => {
        impl Strategy for $t {
            const NAME: &'static str = $name;
            const FAMILY: Family = Family::$family;
        }
    };
}

/// `std::sync::Mutex<u64>`.
pub struct StdMutexCounter(std::sync::Mutex<u64>);
strategy!(StdMutexCounter, "std-mutex", Mutex);
impl SharedState for StdMutexCounter {
    fn new() -> Self {
        Self(std::sync::Mutex::new(0))
    }
    async fn update(&self, _key: usize) {
        *self.0.lock().unwrap() += 1;
    }
    fn sum(&self) -> u64 {
        *self.0.lock().unwrap()
    }
}

/// `parking_lot::Mutex<u64>`.
pub struct PlMutexCounter(parking_lot::Mutex<u64>);
strategy!(PlMutexCounter, "parking_lot-mutex", Mutex);
impl SharedState for PlMutexCounter {
    fn new() -> Self {
        Self(parking_lot::Mutex::new(0))
    }
    async fn update(&self, _key: usize) {
        *self.0.lock() += 1;
    }
    fn sum(&self) -> u64 {
        *self.0.lock()
    }
}

/// `tokio::sync::Mutex<u64>`.
pub struct TokioMutexCounter(tokio::sync::Mutex<u64>);
strategy!(TokioMutexCounter, "tokio-mutex", AsyncLock);
impl SharedState for TokioMutexCounter {
    fn new() -> Self {
        Self(tokio::sync::Mutex::new(0))
    }
    async fn update(&self, _key: usize) {
        *self.0.lock().await += 1;
    }
    fn sum(&self) -> u64 {
        *self.0.try_lock().expect("idle after a round")
    }
}
impl AcrossYield for TokioMutexCounter {
    async fn update_across_yield(&self, _key: usize) {
        let mut g = self.0.lock().await;
        *g += 1;
        tokio::task::yield_now().await;
    }
}

/// `tokio::sync::RwLock<u64>` (every update takes the write lock).
pub struct TokioRwLockCounter(tokio::sync::RwLock<u64>);
strategy!(TokioRwLockCounter, "tokio-rwlock", AsyncLock);
impl SharedState for TokioRwLockCounter {
    fn new() -> Self {
        Self(tokio::sync::RwLock::new(0))
    }
    async fn update(&self, _key: usize) {
        *self.0.write().await += 1;
    }
    fn sum(&self) -> u64 {
        *self.0.try_read().expect("idle after a round")
    }
}
impl AcrossYield for TokioRwLockCounter {
    async fn update_across_yield(&self, _key: usize) {
        let mut g = self.0.write().await;
        *g += 1;
        tokio::task::yield_now().await;
    }
}

/// `AtomicU64::fetch_add`.
pub struct AtomicCounter(AtomicU64);
strategy!(AtomicCounter, "atomic-fetch_add", Atomic);
impl SharedState for AtomicCounter {
    fn new() -> Self {
        Self(AtomicU64::new(0))
    }
    async fn update(&self, _key: usize) {
        self.0.fetch_add(1, Relaxed);
    }
    fn sum(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

type Map = HashMap<u64, u64, FixedState>;

fn prefilled() -> Map {
    let mut m = Map::with_capacity_and_hasher(KEYS, FixedState::default());
    for k in 0..KEYS as u64 {
        m.insert(k, 0);
    }
    m
}

#[inline]
fn bump(m: &mut Map, key: usize) {
    *m.get_mut(&(key as u64)).expect("prefilled") += 1;
}

/// `std::sync::Mutex<HashMap>`.
pub struct StdMutexMap(std::sync::Mutex<Map>);
strategy!(StdMutexMap, "std-mutex", Mutex);
impl SharedState for StdMutexMap {
    fn new() -> Self {
        Self(std::sync::Mutex::new(prefilled()))
    }
    async fn update(&self, key: usize) {
        bump(&mut self.0.lock().unwrap(), key);
    }
    fn sum(&self) -> u64 {
        self.0.lock().unwrap().values().sum()
    }
}

/// `parking_lot::Mutex<HashMap>`.
pub struct PlMutexMap(parking_lot::Mutex<Map>);
strategy!(PlMutexMap, "parking_lot-mutex", Mutex);
impl SharedState for PlMutexMap {
    fn new() -> Self {
        Self(parking_lot::Mutex::new(prefilled()))
    }
    async fn update(&self, key: usize) {
        bump(&mut self.0.lock(), key);
    }
    fn sum(&self) -> u64 {
        self.0.lock().values().sum()
    }
}

/// `tokio::sync::Mutex<HashMap>`.
pub struct TokioMutexMap(tokio::sync::Mutex<Map>);
strategy!(TokioMutexMap, "tokio-mutex", AsyncLock);
impl SharedState for TokioMutexMap {
    fn new() -> Self {
        Self(tokio::sync::Mutex::new(prefilled()))
    }
    async fn update(&self, key: usize) {
        bump(&mut *self.0.lock().await, key);
    }
    fn sum(&self) -> u64 {
        self.0
            .try_lock()
            .expect("idle after a round")
            .values()
            .sum()
    }
}
impl AcrossYield for TokioMutexMap {
    async fn update_across_yield(&self, key: usize) {
        let mut g = self.0.lock().await;
        bump(&mut g, key);
        tokio::task::yield_now().await;
    }
}

/// `tokio::sync::RwLock<HashMap>` (write lock per update).
pub struct TokioRwLockMap(tokio::sync::RwLock<Map>);
strategy!(TokioRwLockMap, "tokio-rwlock", AsyncLock);
impl SharedState for TokioRwLockMap {
    fn new() -> Self {
        Self(tokio::sync::RwLock::new(prefilled()))
    }
    async fn update(&self, key: usize) {
        bump(&mut *self.0.write().await, key);
    }
    fn sum(&self) -> u64 {
        self.0
            .try_read()
            .expect("idle after a round")
            .values()
            .sum()
    }
}
impl AcrossYield for TokioRwLockMap {
    async fn update_across_yield(&self, key: usize) {
        let mut g = self.0.write().await;
        bump(&mut g, key);
        tokio::task::yield_now().await;
    }
}

/// `DashMap` (sharded locks; its guards are not held across `.await`).
pub struct DashMapMap(DashMap<u64, u64, FixedState>);
strategy!(DashMapMap, "dashmap", Sharded);
impl SharedState for DashMapMap {
    fn new() -> Self {
        let m = DashMap::with_capacity_and_hasher(KEYS, FixedState::default());
        for k in 0..KEYS as u64 {
            m.insert(k, 0);
        }
        Self(m)
    }
    async fn update(&self, key: usize) {
        *self.0.get_mut(&(key as u64)).expect("prefilled") += 1;
    }
    fn sum(&self) -> u64 {
        self.0.iter().map(|e| *e.value()).sum()
    }
}
