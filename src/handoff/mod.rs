//! Hand-off workload: moving owned values from producer threads to consumer
//! threads ("channel: transferring ownership").
//!
//! One trait, [`Queue`], is implemented once per primitive (one small file
//! each); the driver here, [`Handoff`], owns the message loop and checks every
//! round's answer; [`strategies`] lists the flavours once, for the bench
//! target and the tests. Shapes ([`Shape`]): SPSC (1 : 1), MPSC (P : 1) and MPMC
//! (P : P). Payloads ([`Payload`]): a `u64`, and a heap-owning 64-byte
//! `Vec<u8>` that the producer allocates and the consumer frees, so ownership
//! transfer is real.
//!
//! # Round protocol
//!
//! A round of `total` messages numbers them `0..total`. Producer `i` of `P`
//! sends the contiguous run of sequence numbers starting at
//! `i * (total / P) + min(i, total % P)` of length [`Round::share`]`(total, i, P)`;
//! consumer `j` of `C` receives exactly `Round::share(total, j, C)` messages,
//! whichever producer sent them. The shares add up to `total` on both sides,
//! so every consumer finishes exactly when every message has been delivered:
//! no per-message shared counter, no sentinel, and the per-message
//! bookkeeping (a wrapping add and a multiply-add on the consumer) is the
//! same for every strategy.
//!
//! # Checks (outside the timed region)
//!
//! Consumers sum the sequence numbers they received and their squares; after
//! the round both sums must equal those of `0..total`. The count per
//! consumer is fixed by construction, so a lost message leaves a consumer
//! waiting and the round times out naming the strategy (never a hang), and a
//! duplicated or corrupted message displaces a real one and changes the sums.

pub mod arrayqueue;
pub mod channel;
pub mod locked_rx;
pub mod mutex;
pub mod segqueue;

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crossbeam::utils::CachePadded;

pub use crate::channels::Capacity;
use crate::channels::{Crossbeam, Flume, StdMpsc, StdSync};
use crate::harness::{Declare, Family, Pool, Round, Spec, Workload};

/// Every hand-off flavour that offers capacity `cap` in `shape`, with
/// payload `M`, in the bench's declaration order: the one list the bench
/// target and the tests iterate. A new flavour is one line here.
pub fn strategies<M: Payload>(shape: Shape, cap: Capacity, d: &mut impl Declare) {
    fn flavour<Q: Queue, M: Payload>(d: &mut impl Declare, shape: Shape, cap: Capacity) {
        if Q::offers(cap, shape.multi_consumer()) {
            d.declare(spec::<Q, M>(shape, cap));
        }
    }
    flavour::<channel::Chan<StdMpsc>, M>(d, shape, cap);
    flavour::<channel::Chan<StdSync>, M>(d, shape, cap);
    flavour::<channel::Chan<Crossbeam>, M>(d, shape, cap);
    flavour::<channel::Chan<Flume>, M>(d, shape, cap);
    flavour::<mutex::MutexCondvar, M>(d, shape, cap);
    flavour::<arrayqueue::ArrayQueueSpin, M>(d, shape, cap);
    flavour::<segqueue::SegQueueSpin, M>(d, shape, cap);
}

/// A queue flavour that moves owned values from producers to consumers.
///
/// A flavour is a marker type; the queue itself is [`Queue::Shared`], generic
/// over the message type (as [`Channel`](crate::channels::Channel) is), so one
/// flavour serves both payloads and both pipeline links. Per-thread handles
/// (a sender or receiver clone) are made outside the timed region.
pub trait Queue: 'static {
    /// The primitive family the report groups this flavour under.
    const FAMILY: Family;
    /// The queue shared by every thread.
    type Shared<T: Send + 'static>: Send + Sync + 'static;
    /// A producer's handle.
    type Producer<T: Send + 'static>: Send + 'static;
    /// A consumer's handle.
    type Consumer<T: Send + 'static>: Send + 'static;

    /// The strategy id at capacity `cap`, e.g. `crossbeam-bounded-64`.
    fn name(cap: Capacity) -> String;
    /// Whether the flavour offers capacity `cap`, and, if `multi_consumer`,
    /// several consumers sharing the queue (std's receivers are
    /// single-consumer; a lock-based or array queue has no rendezvous).
    fn offers(cap: Capacity, multi_consumer: bool) -> bool;
    /// A new, empty queue with capacity `cap`; panics if not offered.
    fn new<T: Send + 'static>(cap: Capacity) -> Self::Shared<T>;
    /// A producer's handle; called once per producer thread.
    fn producer<T: Send + 'static>(q: &Self::Shared<T>) -> Self::Producer<T>;
    /// A consumer's handle; called once per consumer thread.
    fn consumer<T: Send + 'static>(q: &Self::Shared<T>) -> Self::Consumer<T>;
    /// Hands `v` over, waiting while a bounded queue is full.
    fn send<T: Send + 'static>(q: &Self::Shared<T>, p: &mut Self::Producer<T>, v: T);
    /// Takes the next value, waiting while the queue is empty.
    fn recv<T: Send + 'static>(q: &Self::Shared<T>, c: &mut Self::Consumer<T>) -> T;
}

/// A message type: built from a sequence number by the producer, opened
/// back into it by the consumer.
pub trait Payload: Send + 'static {
    /// The payload's name in benchmark groups (`u64`, `vec64`).
    const NAME: &'static str;
    /// The message carrying sequence number `seq`.
    fn wrap(seq: u64) -> Self;
    /// The sequence number this message carries; consumes (and, for heap
    /// payloads, frees) the message.
    fn open(self) -> u64;
}

impl Payload for u64 {
    const NAME: &'static str = "u64";
    #[inline(always)]
    fn wrap(seq: u64) -> u64 {
        seq
    }
    #[inline(always)]
    fn open(self) -> u64 {
        self
    }
}

/// Length of the heap payload, in bytes.
pub const HEAP_PAYLOAD_LEN: usize = 64;

/// A `Vec<u8>` of [`HEAP_PAYLOAD_LEN`] bytes, allocated by the producer and
/// freed by the consumer; the sequence number is in its first 8 bytes.
impl Payload for Vec<u8> {
    const NAME: &'static str = "vec64";
    #[inline]
    fn wrap(seq: u64) -> Vec<u8> {
        let mut v = vec![0u8; HEAP_PAYLOAD_LEN];
        v[..8].copy_from_slice(&seq.to_le_bytes());
        v
    }
    #[inline]
    fn open(self) -> u64 {
        let head: [u8; 8] = self[..8].try_into().expect("a payload is 64 bytes");
        u64::from_le_bytes(head)
    }
}

/// Who talks to whom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One producer, one consumer.
    Spsc,
    /// P producers, one consumer.
    Mpsc(usize),
    /// P producers, P consumers.
    Mpmc(usize),
}

impl Shape {
    /// The shape's name in benchmark groups.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Spsc => "spsc",
            Shape::Mpsc(_) => "mpsc",
            Shape::Mpmc(_) => "mpmc",
        }
    }

    /// Producer threads.
    pub fn producers(self) -> usize {
        match self {
            Shape::Spsc => 1,
            Shape::Mpsc(p) | Shape::Mpmc(p) => p.max(1),
        }
    }

    /// Consumer threads.
    pub fn consumers(self) -> usize {
        match self {
            Shape::Spsc | Shape::Mpsc(_) => 1,
            Shape::Mpmc(p) => p.max(1),
        }
    }

    /// Whether consumers share the queue: MPMC, even at P = 1 (a
    /// single-consumer flavour has no MPMC point at all).
    pub fn multi_consumer(self) -> bool {
        matches!(self, Shape::Mpmc(_))
    }

    /// The benchmark parameter: P (1 for SPSC).
    pub fn parameter(self) -> usize {
        self.producers()
    }

    /// Threads in the pool: producers plus consumers (2, P + 1, 2P).
    pub fn threads(self) -> usize {
        self.producers() + self.consumers()
    }
}

/// A worker's role in a hand-off round.
pub enum Role<P, C> {
    /// Producer `index` of the shape's producers, with its handle.
    Producer {
        /// Index among the producers.
        index: usize,
        /// The producer's queue handle.
        handle: P,
    },
    /// Consumer `index` of the shape's consumers, with its handle.
    Consumer {
        /// Index among the consumers.
        index: usize,
        /// The consumer's queue handle.
        handle: C,
    },
}

/// Driver for `handoff/<shape>/<payload>`: one operation is one message
/// delivered from a producer to a consumer. See the module docs.
pub struct Handoff<Q: Queue, M: Payload> {
    queue: Q::Shared<M>,
    shape: Shape,
    sum: CachePadded<AtomicU64>,
    squares: CachePadded<AtomicU64>,
}

impl<Q: Queue, M: Payload> Handoff<Q, M> {
    /// An empty queue of capacity `cap` for `shape`; panics if the flavour
    /// does not offer that capacity with that many consumers.
    pub fn new(shape: Shape, cap: Capacity) -> Self {
        assert!(
            Q::offers(cap, shape.multi_consumer()),
            "{} does not offer {}",
            Q::name(cap),
            shape.name()
        );
        Handoff {
            queue: Q::new(cap),
            shape,
            sum: CachePadded::new(AtomicU64::new(0)),
            squares: CachePadded::new(AtomicU64::new(0)),
        }
    }
}

impl<Q: Queue, M: Payload> Workload for Handoff<Q, M> {
    type Worker = Role<Q::Producer<M>, Q::Consumer<M>>;

    fn worker(&self, index: usize, _threads: usize) -> Self::Worker {
        let producers = self.shape.producers();
        if index < producers {
            Role::Producer {
                index,
                handle: Q::producer(&self.queue),
            }
        } else {
            Role::Consumer {
                index: index - producers,
                handle: Q::consumer(&self.queue),
            }
        }
    }

    #[inline(never)]
    fn run(&self, role: &mut Self::Worker, round: &Round) {
        match role {
            Role::Producer { index, handle } => {
                let (first, n) = run_of(round.total, *index, self.shape.producers());
                for seq in first..first + n {
                    Q::send(&self.queue, handle, M::wrap(seq));
                }
            }
            Role::Consumer { index, handle } => {
                let n = Round::share(round.total, *index, self.shape.consumers());
                let (mut sum, mut squares) = (0u64, 0u64);
                for _ in 0..n {
                    let seq = Q::recv(&self.queue, handle).open();
                    sum = sum.wrapping_add(seq);
                    squares = squares.wrapping_add(seq.wrapping_mul(seq));
                }
                self.sum.fetch_add(sum, Relaxed);
                self.squares.fetch_add(squares, Relaxed);
            }
        }
    }

    fn after_round(&self, total: u64) {
        let sum = self.sum.swap(0, Relaxed);
        let squares = self.squares.swap(0, Relaxed);
        let (want_sum, want_squares) = (sum_below(total), sum_of_squares_below(total));
        assert!(
            sum == want_sum && squares == want_squares,
            "consumers' checksums differ from the {total} messages sent \
             (a message was lost, duplicated or corrupted): \
             sum {sum} (want {want_sum}), sum of squares {squares} (want {want_squares})"
        );
    }
}

/// A pool running flavour `Q` at capacity `cap` in `shape` with payload `M`:
/// producers are workers `0..P`, consumers the rest. Its name (used in
/// failure messages) is the strategy id.
pub fn handoff<Q: Queue, M: Payload>(shape: Shape, cap: Capacity) -> Pool<Handoff<Q, M>> {
    Pool::new(
        Q::name(cap),
        shape.threads(),
        Handoff::<Q, M>::new(shape, cap),
    )
}

/// [`handoff`]'s benchmark: flavour `Q`'s id at `cap` and family, the
/// parameter P, and the pool.
pub fn spec<Q: Queue, M: Payload>(
    shape: Shape,
    cap: Capacity,
) -> Spec<impl FnOnce() -> Pool<Handoff<Q, M>> + Send + 'static> {
    Spec::named(Q::name(cap), Q::FAMILY, shape.parameter(), move || {
        handoff::<Q, M>(shape, cap)
    })
}

/// Producer `index` of `producers`: its first sequence number and how many
/// it sends in a round of `total`.
pub fn run_of(total: u64, index: usize, producers: usize) -> (u64, u64) {
    let (i, p) = (index as u64, producers as u64);
    (
        i * (total / p) + i.min(total % p),
        Round::share(total, index, producers),
    )
}

/// `0 + 1 + … + (n - 1)`, wrapping at 2^64.
pub fn sum_below(n: u64) -> u64 {
    let n = u128::from(n);
    (n * n.saturating_sub(1) / 2) as u64
}

/// `0² + 1² + … + (n - 1)²`, wrapping at 2^64 (exact for n < 2^42, far more
/// operations than any round performs).
pub fn sum_of_squares_below(n: u64) -> u64 {
    assert!(n < 1 << 42, "round of {n} operations is too large to check");
    let n = u128::from(n);
    (n.saturating_sub(1) * n * (2 * n).saturating_sub(1) / 6) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_every_sequence_number_once() {
        for producers in 1..9 {
            for total in [0, 1, 7, 8, 1000, 1001] {
                let mut next = 0;
                for i in 0..producers {
                    let (first, n) = run_of(total, i, producers);
                    assert_eq!(first, next, "{total} over {producers}, producer {i}");
                    next += n;
                }
                assert_eq!(next, total);
            }
        }
    }

    #[test]
    fn closed_forms_match_the_loops() {
        for n in [0u64, 1, 2, 3, 10, 1000, 123_457] {
            let sum = (0..n).fold(0u64, |a, k| a.wrapping_add(k));
            let sq = (0..n).fold(0u64, |a, k| a.wrapping_add(k.wrapping_mul(k)));
            assert_eq!(sum_below(n), sum, "{n}");
            assert_eq!(sum_of_squares_below(n), sq, "{n}");
        }
        // Past 2^64 the closed form must wrap like the consumers' sums do.
        let n = 5_000_000u64;
        let sq = (0..n).fold(0u64, |a, k| a.wrapping_add(k.wrapping_mul(k)));
        assert_eq!(sum_of_squares_below(n), sq);
    }

    #[test]
    fn heap_payload_round_trips_and_owns_64_bytes() {
        let v = <Vec<u8> as Payload>::wrap(0xDEAD_BEEF_0123);
        assert_eq!(v.len(), HEAP_PAYLOAD_LEN);
        assert_eq!(v.open(), 0xDEAD_BEEF_0123);
        assert_eq!(<u64 as Payload>::wrap(7).open(), 7);
    }

    #[test]
    fn shapes_count_their_threads() {
        assert_eq!(Shape::Spsc.threads(), 2);
        assert_eq!(Shape::Mpsc(4).threads(), 5);
        assert_eq!(Shape::Mpmc(4).threads(), 8);
        assert_eq!(Shape::Mpmc(4).parameter(), 4);
        assert_eq!(Shape::Spsc.parameter(), 1);
    }
}
