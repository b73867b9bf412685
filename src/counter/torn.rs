//! DELIBERATELY WRONG, never benchmarked: the four [`Record`] fields as four
//! independent atomics, with nothing tying them together. It is the negative
//! control of `counter/read-mostly-struct`: `tests/counter.rs` runs it under
//! contention and requires the round check to report torn reads, and
//! `tests/loom.rs` requires loom to find a torn read, so a check that cannot
//! see tearing cannot pass unnoticed.
//!
//! What goes wrong: every single load and store is atomic, but a read is
//! four loads, and a write (a ticket `fetch_add`, then four stores) can land
//! between any two of them, so a reader can return, say, the new `version`
//! with the old `double`. Concurrent writers also interleave their stores,
//! so even the resting state can mix two writes. `Release`/`Acquire` on
//! every access does not help: orderings order each thread's accesses, they
//! do not make four accesses one.
//!
//! Its atomics come from [`crate::sync`], so loom models this very code.

use crate::harness::{Family, Strategy};
use crate::sync::{AtomicU64, Ordering::*};

use super::{Record, Register};

/// Four independent atomic fields; see the module docs. Not in any
/// strategy list.
#[derive(Debug)]
pub struct PerFieldAtomics {
    /// The last version handed to a writer.
    ticket: AtomicU64,
    fields: [AtomicU64; 4],
}

impl Strategy for PerFieldAtomics {
    const NAME: &'static str = "per-field-atomics";
    const FAMILY: Family = Family::Atomic;
}

impl Register for PerFieldAtomics {
    type Local = ();

    fn new(_threads: usize) -> Self {
        PerFieldAtomics {
            ticket: AtomicU64::new(0),
            fields: Record::default().fields().map(AtomicU64::new),
        }
    }

    fn local(&self, _index: usize) {}

    #[inline]
    fn read(&self, _: &mut ()) -> Record {
        Record::from_fields([
            self.fields[0].load(Acquire),
            self.fields[1].load(Acquire),
            self.fields[2].load(Acquire),
            self.fields[3].load(Acquire),
        ])
    }

    #[inline]
    fn write(&self, _: &mut ()) {
        let version = self.ticket.fetch_add(1, Relaxed) + 1;
        for (field, value) in self.fields.iter().zip(Record::of(version).fields()) {
            field.store(value, Release);
        }
    }
}
