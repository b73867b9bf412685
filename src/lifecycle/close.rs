//! Cancel by closing the job channel: the failing worker reports its error
//! on an error channel; the feeder, which `select!`s between sending the
//! next job and that error (errgroup's `ctx.Done()`), stops and drops the
//! job sender; every worker's `for job in jobs` loop ends once the channel
//! is drained and disconnected. The workers never look at a cancel signal.
//!
//! Crossbeam channels: jobs `bounded(1)` (a failure lets at most the one
//! queued job run after it), errors `bounded(1)`.
//!
//! Invariant: only the feeder holds the job sender, so dropping it is the
//! one close; a worker stops only on disconnection (or its own failure).
//!
//! Contention: every job is a hand-off through the one-slot channel (the
//! feeder and the workers meet at its slot; idle workers park); the
//! failure costs a wake-up of the feeder, then one of every parked worker.

use crossbeam::channel::{Receiver, Sender, bounded, select};

use crate::harness::{Family, Strategy};

use super::cancel::Cancel;

/// See the module docs.
pub struct Close;

impl Strategy for Close {
    const NAME: &'static str = "crossbeam-close";
    const FAMILY: Family = Family::Channel;
}

/// One cycle's channels: the job receiver and the error channel.
pub struct Channels {
    jobs: Receiver<u64>,
    errors: (Sender<()>, Receiver<()>),
}

impl Cancel for Close {
    type Cycle = Channels;
    type Feed = Sender<u64>;

    fn cycle(_workers: usize) -> (Channels, Sender<u64>) {
        let (tx, jobs) = bounded(1);
        let errors = bounded(1);
        (Channels { jobs, errors }, tx)
    }

    fn feed(c: &Channels, jobs: Sender<u64>) {
        let mut id = 0u64;
        loop {
            select! {
                send(jobs, id) -> sent => {
                    if sent.is_err() {
                        break;
                    }
                    id += 1;
                }
                recv(c.errors.1) -> _ => break,
            }
        }
        // `jobs` drops here: the close every worker is waiting for.
    }

    fn next(c: &Channels, _taken: u64) -> Option<u64> {
        c.jobs.recv().ok()
    }

    fn cancel(c: &Channels) {
        let _ = c.errors.0.try_send(());
    }
}
