//! `std::sync::Mutex<VecDeque<T>>` with two `std::sync::Condvar`s (not
//! empty, not full): the blocking queue written by hand, bounded or
//! unbounded.
//!
//! Invariant: the deque, and the counts of threads waiting on each condvar,
//! are only touched with the lock held; a bounded queue never holds more
//! than its capacity. A thread waits in a `while` loop, so spurious or stolen
//! wake-ups only cost a retry.
//!
//! Written the way careful users write it: the deque is allocated up front
//! when bounded, and a send or receive notifies only when the waiter count
//! it read under the lock says someone sleeps. (std's futex `Condvar` makes
//! a wake-up system call on every `notify_one`, sleeper or not.) The
//! notification is issued after the lock is released, so the woken thread
//! does not immediately block on it.
//!
//! Contention: every send and receive, from every thread, takes the one lock;
//! the lock word, the deque's head and tail and the waiter counts share the
//! lock's cache lines, and a contended lock or an empty/full queue parks
//! threads (a futex sleep and wake-up each). Capacity 0 is not offered: a
//! rendezvous needs a second handshake this design does not have.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};

use crate::channels::Capacity;
use crate::harness::Family;

use super::Queue;

/// The `Mutex<VecDeque>` + `Condvar` flavour; see the module docs.
pub struct MutexCondvar;

/// The queue: deque and waiter counts behind one lock, two condvars.
pub struct MutexQueue<T> {
    state: Mutex<State<T>>,
    not_empty: Condvar,
    not_full: Condvar,
    /// `None` when unbounded.
    cap: Option<usize>,
}

struct State<T> {
    items: VecDeque<T>,
    /// Consumers waiting on `not_empty`.
    waiting_consumers: usize,
    /// Producers waiting on `not_full`.
    waiting_producers: usize,
}

impl<T> MutexQueue<T> {
    /// An empty queue holding at most `cap` values (`None`: no bound).
    pub fn new(cap: Option<usize>) -> Self {
        assert!(cap != Some(0), "a Mutex<VecDeque> queue has no rendezvous");
        MutexQueue {
            state: Mutex::new(State {
                items: VecDeque::with_capacity(cap.unwrap_or(0)),
                waiting_consumers: 0,
                waiting_producers: 0,
            }),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            cap,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // Poisoning only follows a panic while locked, which the harness
        // reports on its own; no user code runs under the lock, so the deque
        // and the counts are still consistent.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends `v`, waiting while the queue is full.
    #[inline]
    pub fn push(&self, v: T) {
        let mut st = self.lock();
        if let Some(cap) = self.cap {
            while st.items.len() >= cap {
                st.waiting_producers += 1;
                st = self.not_full.wait(st).unwrap_or_else(|e| e.into_inner());
                st.waiting_producers -= 1;
            }
        }
        st.items.push_back(v);
        let wake = st.waiting_consumers > 0;
        drop(st);
        if wake {
            self.not_empty.notify_one();
        }
    }

    /// Removes the oldest value, waiting while the queue is empty.
    #[inline]
    pub fn pop(&self) -> T {
        let mut st = self.lock();
        loop {
            if let Some(v) = st.items.pop_front() {
                let wake = st.waiting_producers > 0;
                drop(st);
                if wake {
                    self.not_full.notify_one();
                }
                return v;
            }
            st.waiting_consumers += 1;
            st = self.not_empty.wait(st).unwrap_or_else(|e| e.into_inner());
            st.waiting_consumers -= 1;
        }
    }
}

impl Queue for MutexCondvar {
    const FAMILY: Family = Family::Mutex;
    type Shared<T: Send + 'static> = MutexQueue<T>;
    type Producer<T: Send + 'static> = ();
    type Consumer<T: Send + 'static> = ();

    fn name(cap: Capacity) -> String {
        match cap {
            Capacity::Bounded(n) => format!("mutex-condvar-bounded-{n}"),
            Capacity::Unbounded => "mutex-condvar-unbounded".to_string(),
        }
    }

    fn offers(cap: Capacity, _multi_consumer: bool) -> bool {
        cap != Capacity::Bounded(0)
    }

    fn new<T: Send + 'static>(cap: Capacity) -> MutexQueue<T> {
        MutexQueue::new(match cap {
            Capacity::Bounded(n) => Some(n),
            Capacity::Unbounded => None,
        })
    }

    fn producer<T: Send + 'static>(_: &MutexQueue<T>) {}

    fn consumer<T: Send + 'static>(_: &MutexQueue<T>) {}

    #[inline]
    fn send<T: Send + 'static>(q: &MutexQueue<T>, _: &mut (), v: T) {
        q.push(v);
    }

    #[inline]
    fn recv<T: Send + 'static>(q: &MutexQueue<T>, _: &mut ()) -> T {
        q.pop()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn a_bounded_queue_blocks_its_producer_until_a_pop() {
        let q = Arc::new(MutexQueue::new(Some(1)));
        q.push(1u64);
        let producer = {
            let q = Arc::clone(&q);
            std::thread::spawn(move || q.push(2))
        };
        assert_eq!(q.pop(), 1);
        producer.join().unwrap();
        assert_eq!(q.pop(), 2);
        assert!(q.lock().items.is_empty());
    }
}
