//! Per-operation latency for instrumented rounds, as an HDR histogram.
//!
//! Only the extras pass pays for it: the driver's op loop is generic over
//! [`Lap`], so plain rounds run with [`NoLap`] (a no-op the compiler removes)
//! and instrumented rounds with a [`Recorder`] (one `Instant::now()` and one
//! histogram increment per operation).
//!
//! No allocation and no histogram reset happens inside a timed region in the
//! steady state: [`Latency`] keeps a clean spare histogram that an
//! instrumented round takes at its start, hands the filled one back at its
//! end, and [`Latency::recycle`] (called from `after_round`, untimed) resets
//! the previous one into the next spare.
//!
//! The summary is the latest instrumented round's, so its `count` equals the
//! sidecar's `ops`.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use hdrhistogram::Histogram;
use serde_json::{Value, json};

/// Highest latency the histogram resolves, ns (100 s); longer laps are
/// clamped to it and still counted.
pub const MAX_TRACKED_NS: u64 = 100_000_000_000;

/// Significant decimal digits kept per value (0.1 % resolution).
pub const SIGNIFICANT_DIGITS: u8 = 3;

/// Something the op loop calls once per completed operation.
pub trait Lap {
    /// Marks the end of one operation (and the start of the next).
    fn lap(&mut self);
}

/// The non-instrumented lap: does nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoLap;

impl Lap for NoLap {
    #[inline(always)]
    fn lap(&mut self) {}
}

/// Records the time between successive laps, ns.
pub struct Recorder {
    hist: Histogram<u64>,
    prev: Instant,
}

impl Lap for Recorder {
    #[inline]
    fn lap(&mut self) {
        let now = Instant::now();
        let ns = u64::try_from(now.duration_since(self.prev).as_nanos()).unwrap_or(u64::MAX);
        self.hist.saturating_record(ns);
        self.prev = now;
    }
}

impl Recorder {
    /// Records one latency measured by the caller (the lifecycle workload's
    /// failure-to-stopped time), ns.
    #[inline]
    pub fn record(&mut self, ns: u64) {
        self.hist.saturating_record(ns);
    }
}

/// The latency histograms of one system; see the module docs.
pub struct Latency {
    slots: Mutex<Slots>,
}

struct Slots {
    /// Clean, ready for the next instrumented round.
    spare: Option<Histogram<u64>>,
    /// The latest instrumented round's.
    last: Option<Histogram<u64>>,
    /// The one `last` replaced, waiting to be reset.
    stale: Option<Histogram<u64>>,
}

impl Default for Latency {
    fn default() -> Self {
        Latency::new()
    }
}

impl Latency {
    /// No rounds recorded yet; allocates one clean histogram (not timed).
    pub fn new() -> Latency {
        Latency {
            slots: Mutex::new(Slots {
                spare: Some(new_histogram()),
                last: None,
                stale: None,
            }),
        }
    }

    /// A recorder for one instrumented round, with its clock started.
    pub fn start(&self) -> Recorder {
        let hist = self.slots().spare.take().unwrap_or_else(new_histogram);
        Recorder {
            hist,
            prev: Instant::now(),
        }
    }

    /// Keeps `rec`'s histogram as the latest round's.
    pub fn finish(&self, rec: Recorder) {
        let mut s = self.slots();
        let previous = s.last.replace(rec.hist);
        // Dropped only if `recycle` was skipped, i.e. never in the harness.
        s.stale = previous;
    }

    /// Prepares the next round's clean histogram. Not timed: call it from
    /// `Workload::after_round`.
    pub fn recycle(&self) {
        let mut s = self.slots();
        if s.spare.is_none() {
            s.spare = Some(match s.stale.take() {
                Some(mut h) => {
                    h.reset();
                    h
                }
                None => new_histogram(),
            });
        }
    }

    /// The latest instrumented round's summary as
    /// `{"latency_ns": {"count", "p50", "p90", "p99", "p999", "max"}}`
    /// (integers, ns), or `None` if no instrumented round has run.
    pub fn summary(&self) -> Option<Value> {
        let s = self.slots();
        let h = s.last.as_ref()?;
        Some(json!({
            "latency_ns": {
                "count": h.len(),
                "p50": h.value_at_quantile(0.50),
                "p90": h.value_at_quantile(0.90),
                "p99": h.value_at_quantile(0.99),
                "p999": h.value_at_quantile(0.999),
                "max": h.max(),
            }
        }))
    }

    fn slots(&self) -> MutexGuard<'_, Slots> {
        // Only ever locked briefly by one thread at a time; a panic elsewhere
        // cannot leave the slots inconsistent.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, MAX_TRACKED_NS, SIGNIFICANT_DIGITS)
        .expect("constant histogram bounds are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(v: &Value, name: &str) -> u64 {
        v["latency_ns"][name].as_u64().unwrap()
    }

    #[test]
    fn summary_is_the_latest_rounds_and_recycling_resets() {
        let lat = Latency::new();
        assert!(lat.summary().is_none());
        for laps in [5u64, 3, 7] {
            let mut rec = lat.start();
            for _ in 0..laps {
                rec.lap();
            }
            lat.finish(rec);
            lat.recycle();
            let s = lat.summary().unwrap();
            assert_eq!(field(&s, "count"), laps);
            let p: Vec<u64> = ["p50", "p90", "p99", "p999", "max"]
                .iter()
                .map(|k| field(&s, k))
                .collect();
            assert!(p.windows(2).all(|w| w[0] <= w[1]), "{s}");
        }
    }

    #[test]
    fn no_lap_records_nothing() {
        let mut l = NoLap;
        l.lap();
        let lat = Latency::new();
        lat.recycle();
        assert!(lat.summary().is_none());
    }
}
