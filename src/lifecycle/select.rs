//! Cancel through a done channel that workers select on with their job
//! channel (Go's `select { case <-ctx.Done(): … case j := <-jobs: … }`):
//! the failing worker drops the cycle's only cancel sender, which
//! disconnects the cancel channel, and every blocked or next select sees it.
//! The feeder selects the same way between sending a job and the cancel.
//! `crossbeam-select`: crossbeam `bounded(1)` channels and `select!`.
//!
//! flume's `Selector` is not offered: with several workers selecting on one
//! job channel in a loop it hung here (threads spinning, the cycle never
//! ending; flume 0.12.0, W = 4), as flume's open issue #135 ("Lost message
//! when selecting on MPMC in loop from multiple threads") describes.
//!
//! Invariant: the cancel sender sits in a `Mutex<Option<_>>`; the failing
//! worker takes and drops it, so the channel disconnects exactly once; a
//! worker whose select finds both a job and the cancel ready may run one
//! more job (the select picks either), as in Go.
//!
//! Contention: every job is a hand-off through the one-slot job channel; a
//! select registers the waiting thread with both channels; the cancel
//! wakes every worker parked in a select, and the feeder.

use std::sync::{Mutex, PoisonError};

use crossbeam::channel::{self as cb, select};

use crate::harness::{Family, Strategy};

use super::cancel::Cancel;

/// crossbeam `select!` over (cancel, jobs); see the module docs.
pub struct CrossbeamSelect;

impl Strategy for CrossbeamSelect {
    const NAME: &'static str = "crossbeam-select";
    const FAMILY: Family = Family::Channel;
}

/// One cycle of [`CrossbeamSelect`].
pub struct CrossbeamCycle {
    jobs: cb::Receiver<u64>,
    done: cb::Receiver<()>,
    cancel: Mutex<Option<cb::Sender<()>>>,
}

impl Cancel for CrossbeamSelect {
    type Cycle = CrossbeamCycle;
    type Feed = cb::Sender<u64>;

    fn cycle(_workers: usize) -> (CrossbeamCycle, cb::Sender<u64>) {
        let (tx, jobs) = cb::bounded(1);
        let (cancel, done) = cb::bounded(0);
        let cycle = CrossbeamCycle {
            jobs,
            done,
            cancel: Mutex::new(Some(cancel)),
        };
        (cycle, tx)
    }

    fn feed(c: &CrossbeamCycle, jobs: cb::Sender<u64>) {
        let mut id = 0u64;
        loop {
            select! {
                send(jobs, id) -> sent => {
                    if sent.is_err() {
                        break;
                    }
                    id += 1;
                }
                recv(c.done) -> _ => break,
            }
        }
    }

    fn next(c: &CrossbeamCycle, _taken: u64) -> Option<u64> {
        select! {
            recv(c.done) -> _ => None,
            recv(c.jobs) -> job => job.ok(),
        }
    }

    fn cancel(c: &CrossbeamCycle) {
        drop(
            c.cancel
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
    }
}
