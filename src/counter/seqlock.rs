//! A seqlock, written with atomics only: a sequence number and the four
//! fields of the [`Record`], each an `AtomicU64`, on one cache line.
//!
//! Invariant: the sequence is even while no write is in progress and odd
//! during one; it grows by two per write, so `sequence / 2` is the number of
//! completed writes (the record's version). A reader returns fields only if
//! the sequence was even before it read them and unchanged after, so no
//! write overlapped its reads.
//!
//! Writer (writers exclude each other through the sequence itself):
//! 1. compare-exchange the sequence from an even `s` to `s + 1`, `Acquire`
//!    on success: the previous writer's `Release` store of `s` happens-before
//!    this writer, so its field stores are ordered after that writer's, and
//!    no two writers are ever between steps 1 and 4 at once;
//! 2. `fence(Release)`: orders the odd sequence before the field stores, for
//!    any reader that sees one of those stores (step b below);
//! 3. store the fields, `Relaxed`;
//! 4. store `s + 2`, `Release`: publishes the fields to readers that see it.
//!
//! Reader:
//! a. load the sequence `s1`, `Acquire` (pairs with step 4: every field store
//!    of writes up to `s1` is visible, so no field reads an older value);
//!    retry if `s1` is odd;
//! b. load the fields, `Relaxed`, then `fence(Acquire)`: if any load read a
//!    store of a later write, this fence synchronizes-with that write's
//!    step 2, so its odd sequence (step 1) happens-before the next load;
//! c. load the sequence `s2`, `Relaxed`: by (b) it reads that odd value or
//!    later, so `s2 != s1` whenever some field came from a later write;
//!    retry if they differ.
//!
//! So a returned record is the whole write `s1 / 2`: never torn, never
//! older than a write whose completion the reader has seen. Every access is
//! atomic, so a read that overlaps a write is a retry, not a data race: no
//! `unsafe` is needed (the price: the fields cannot be a plain struct
//! copied with `memcpy`).
//!
//! Contention: readers only load, so they share the cache line and never
//! write it: read throughput grows with cores, unlike an RwLock whose
//! readers write its lock word. A write invalidates the line in every
//! reader's cache, and readers that overlap it retry. Waiting (a reader on
//! an odd sequence, a writer on another writer) goes through crossbeam's
//! `Backoff::snooze`, which yields once it has spun a while: a writer
//! preempted between steps 1 and 4 stalls every reader until it runs again.
//!
//! Its atomics, fences and backoff come from [`crate::primitive`], so
//! `tests/loom.rs` model-checks this very code (no torn read, writers
//! exclude each other).

use crossbeam::utils::CachePadded;

use crate::harness::{Family, Strategy};
use crate::primitive::backoff::Backoff;
use crate::sync::{AtomicU64, Ordering::*, fence};

use super::{Record, Register};

/// Sequence number plus four atomic fields; see the module docs.
#[derive(Debug)]
pub struct SeqLock {
    inner: CachePadded<Inner>,
}

#[derive(Debug)]
struct Inner {
    seq: AtomicU64,
    fields: [AtomicU64; 4],
}

impl SeqLock {
    /// A seqlock holding version 0.
    pub fn with_record(record: Record) -> SeqLock {
        SeqLock {
            inner: CachePadded::new(Inner {
                seq: AtomicU64::new(2 * record.version),
                fields: record.fields().map(AtomicU64::new),
            }),
        }
    }

    /// Takes the write side: the sequence from even `s` to `s + 1`; returns `s`.
    #[inline]
    fn begin_write(&self) -> u64 {
        let seq = &self.inner.seq;
        let backoff = Backoff::new();
        let mut s = seq.load(Relaxed);
        loop {
            if s & 1 == 0 {
                match seq.compare_exchange_weak(s, s + 1, Acquire, Relaxed) {
                    Ok(_) => return s,
                    Err(now) => {
                        s = now;
                        backoff.spin();
                    }
                }
            } else {
                // Another writer is between its steps 1 and 4.
                backoff.snooze();
                s = seq.load(Relaxed);
            }
        }
    }
}

impl Strategy for SeqLock {
    const NAME: &'static str = "seqlock";
    const FAMILY: Family = Family::Snapshot;
}

impl Register for SeqLock {
    type Local = ();

    fn new(_threads: usize) -> Self {
        SeqLock::with_record(Record::default())
    }

    fn local(&self, _index: usize) {}

    #[inline]
    fn read(&self, _: &mut ()) -> Record {
        let Inner { seq, fields } = &*self.inner;
        let backoff = Backoff::new();
        loop {
            let s1 = seq.load(Acquire);
            if s1 & 1 == 0 {
                let got = [
                    fields[0].load(Relaxed),
                    fields[1].load(Relaxed),
                    fields[2].load(Relaxed),
                    fields[3].load(Relaxed),
                ];
                fence(Acquire);
                if seq.load(Relaxed) == s1 {
                    return Record::from_fields(got);
                }
            }
            // A write is in progress or overlapped the reads.
            backoff.snooze();
        }
    }

    #[inline]
    fn write(&self, _: &mut ()) {
        let s = self.begin_write();
        fence(Release);
        let next = Record::of(s / 2 + 1);
        for (field, value) in self.inner.fields.iter().zip(next.fields()) {
            field.store(value, Relaxed);
        }
        self.inner.seq.store(s + 2, Release);
    }
}
