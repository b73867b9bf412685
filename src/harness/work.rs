//! Private work between shared operations: the contention knob.
//!
//! `hot` does nothing between shared operations, so threads fight over the
//! shared state back to back. `warm` does about 100 ns of private,
//! register-only arithmetic first (calibrated once per process), the way real
//! code computes something before it publishes it; `1us` and `10us` do about
//! 1 µs and 10 µs ([`LEVELS`]), the low-contention end of the winner maps.
//! The work is a dependent multiply-add chain the optimiser cannot remove or
//! vectorise.

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Target duration of one unit of [`Warm`] work.
pub const WARM_TARGET: Duration = Duration::from_nanos(100);

/// The contention levels with private work, mildest contention last: each
/// one's name in benchmark ids and its private work per operation.
pub const LEVELS: [(&str, Duration); 3] = [
    ("warm", WARM_TARGET),
    ("1us", Duration::from_micros(1)),
    ("10us", Duration::from_micros(10)),
];

/// Work a thread does privately before each shared operation. Implementors
/// are zero-sized or `Copy`, reached through generics so that [`Hot`] costs
/// nothing at all.
pub trait PrivateWork: Copy + Send + Sync + 'static {
    /// Do the private work once.
    fn between_ops(&self);
    /// The contention level's name, used in benchmark ids (`hot`, `warm`).
    fn name(&self) -> &'static str;
    /// Steps of the multiply-add chain per operation (0 for [`Hot`]),
    /// recorded in sidecars: the calibration differs a little between runs.
    fn units(&self) -> u32 {
        0
    }
}

/// No private work: maximal contention.
#[derive(Clone, Copy, Debug, Default)]
pub struct Hot;

impl PrivateWork for Hot {
    #[inline(always)]
    fn between_ops(&self) {}
    fn name(&self) -> &'static str {
        "hot"
    }
}

/// Private arithmetic before each shared operation: about [`WARM_TARGET`]
/// (`warm`), or another of the [`LEVELS`].
#[derive(Clone, Copy, Debug)]
pub struct Warm {
    units: u32,
    name: &'static str,
}

impl Warm {
    /// Work calibrated on this machine to take about [`WARM_TARGET`]
    /// (measured once per process, on first use).
    pub fn calibrated() -> Warm {
        Warm::calibrated_to("warm", WARM_TARGET)
    }

    /// Work calibrated to take about `target`, named `name` in benchmark ids
    /// (one of [`LEVELS`]).
    pub fn calibrated_to(name: &'static str, target: Duration) -> Warm {
        Warm {
            units: calibrated_units(target),
            name,
        }
    }

    /// Exactly `units` steps of the multiply-add chain (tests use small ones).
    pub fn with_units(units: u32) -> Warm {
        Warm {
            units,
            name: "warm",
        }
    }
}

impl PrivateWork for Warm {
    #[inline(always)]
    fn between_ops(&self) {
        spin_work(self.units);
    }
    fn name(&self) -> &'static str {
        self.name
    }
    fn units(&self) -> u32 {
        self.units
    }
}

/// `units` steps of a dependent 64-bit multiply-add chain; returns its value
/// so the chain cannot be discarded.
#[inline(always)]
pub fn spin_work(units: u32) -> u64 {
    let mut x = black_box(0x9E37_79B9_7F4A_7C15_u64);
    for _ in 0..units {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
    }
    black_box(x)
}

/// How many [`spin_work`] steps take about `target` on this machine (at
/// least one). The cost of one step is measured once per process, on first
/// use, so every caller asking for the same target gets the same count.
pub fn calibrated_units(target: Duration) -> u32 {
    static SECS_PER_UNIT: OnceLock<f64> = OnceLock::new();
    let per_unit = *SECS_PER_UNIT.get_or_init(unit_cost);
    ((target.as_secs_f64() / per_unit).round() as u32).max(1)
}

/// Seconds per chain step (best of several timings, so a preempted timing
/// does not inflate the unit cost).
fn unit_cost() -> f64 {
    const PROBE: u32 = 200_000;
    let mut best = Duration::MAX;
    for _ in 0..7 {
        let t = Instant::now();
        spin_work(PROBE);
        best = best.min(t.elapsed());
    }
    (best.as_secs_f64() / f64::from(PROBE)).max(f64::MIN_POSITIVE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_is_positive_and_stable_in_process() {
        let a = Warm::calibrated();
        let b = Warm::calibrated();
        assert!(a.units() >= 1);
        assert_eq!(a.units(), b.units());
    }

    #[test]
    fn calibrated_units_grow_with_the_target() {
        let short = calibrated_units(Duration::from_nanos(100));
        let long = calibrated_units(Duration::from_micros(10));
        assert!(short >= 1 && long > short, "{short} vs {long}");
        assert_eq!(Warm::calibrated().units(), short);
        let [(_, a), (n, b), _] = LEVELS;
        assert!(a < b);
        let level = Warm::calibrated_to(n, b);
        assert_eq!((level.name(), level.units() > short), ("1us", true));
    }

    #[test]
    fn spin_work_depends_on_units() {
        assert_ne!(spin_work(1), spin_work(2));
    }
}
