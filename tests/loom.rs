//! Loom model checks of the hand-written synchronization that is benchmarked:
//! the striped counter and thread-local batching. Their atomics come from
//! `syncbench::sync`, which is loom's under `--cfg loom`.
//!
//! Run: `RUSTFLAGS="--cfg loom" cargo test --release --test loom`
#![cfg(loom)]

use loom::thread;
use std::sync::Arc;
use syncbench::counter::Counter;
use syncbench::counter::Gauge;
use syncbench::counter::batch::{BATCH, ThreadLocalBatch};
use syncbench::counter::sharded::ShardedAtomic;

#[test]
fn sharded_increments_are_never_lost() {
    loom::model(|| {
        let c = Arc::new(<ShardedAtomic as Counter>::new(2));
        let handles: Vec<_> = (0..2)
            .map(|i| {
                let c = Arc::clone(&c);
                thread::spawn(move || {
                    let mut cell = Counter::local(&*c, i);
                    for _ in 0..2 {
                        c.increment(&mut cell);
                    }
                    Counter::flush(&*c, &mut cell);
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(Counter::total(&*c), 4);
    });
}

#[test]
fn sharded_reads_never_go_backwards() {
    loom::model(|| {
        let c = Arc::new(<ShardedAtomic as Gauge>::new(2));
        let writer = {
            let c = Arc::clone(&c);
            thread::spawn(move || {
                let mut cell = Gauge::local(&*c, 1);
                c.add(&mut cell);
                c.add(&mut cell);
            })
        };
        let mut cell = Gauge::local(&*c, 0);
        c.add(&mut cell);
        let first = c.read(&mut cell);
        let second = c.read(&mut cell);
        assert!(first >= 1 && second >= first, "{first} then {second}");
        writer.join().unwrap();
        assert_eq!(c.read(&mut cell), 3);
    });
}

#[test]
fn batches_are_fully_flushed() {
    loom::model(|| {
        let c = Arc::new(<ThreadLocalBatch as Counter>::new(2));
        // One full batch plus a remainder per thread: both flush paths run.
        let per_thread = BATCH + 1;
        let handles: Vec<_> = (0..2)
            .map(|i| {
                let c = Arc::clone(&c);
                thread::spawn(move || {
                    let mut batch = c.local(i);
                    for _ in 0..per_thread {
                        c.increment(&mut batch);
                    }
                    c.flush(&mut batch);
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(c.total(), 2 * per_thread);
    });
}
