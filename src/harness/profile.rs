//! The profile switch: the one place that sets warm-up, measurement time,
//! sample size and resampling for every workload.
//!
//! `SYNCBENCH_PROFILE=quick` trades precision for time; `full` (the default)
//! is what the committed reference report is generated with (the variable is
//! read and checked in [`super::settings`]). Command-line flags given to
//! criterion (`--warm-up-time`, `--measurement-time`, `--sample-size`,
//! `--nresamples`) still override these.

use std::time::Duration;

use super::settings::{SettingError, Vars};

pub use super::settings::{PLOTS_VAR, PROFILE_VAR, Profile};

/// Criterion settings and the harness's own extras pass, the same for every
/// workload.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Criterion warm-up time per benchmark id.
    pub warm_up: Duration,
    /// Criterion measurement time per benchmark id.
    pub measurement: Duration,
    /// Criterion samples per benchmark id (criterion's minimum is 10).
    pub sample_size: usize,
    /// Bootstrap resamples for confidence intervals.
    pub nresamples: usize,
    /// Target duration of the instrumented round that records CPU time and
    /// per-thread finish times next to criterion's output.
    pub extras_round: Duration,
    /// Whether criterion draws its own per-id plots (its HTML report). They
    /// cost a tenth of a second or more per id, which the replicated passes
    /// spend on measuring instead; `SYNCBENCH_CRITERION_PLOTS=1` turns them on
    /// ([`Settings::from_vars`]).
    pub criterion_plots: bool,
}

impl Settings {
    /// The settings under `profile`, with [`Settings::criterion_plots`] from
    /// `SYNCBENCH_CRITERION_PLOTS` in `vars` ([`Vars::criterion_plots`]).
    pub fn from_vars(profile: Profile, vars: &Vars) -> Result<Settings, SettingError> {
        Ok(Settings {
            criterion_plots: vars.criterion_plots()?,
            ..Settings::new(profile)
        })
    }

    /// The settings under `profile`, criterion's own plots off.
    pub fn new(profile: Profile) -> Settings {
        let ms = Duration::from_millis;
        // Tuning goes here, and nowhere else. These are the settings of ONE
        // pass: the main job runs several (see
        // `super::passes::default_passes`), so windows are short and many
        // rather than one long one. Run-to-run drift on a shared VM (a
        // median 10 % a point, 30-65 % at the 90th percentile) is far larger
        // than the noise inside one window, and only passes that lie
        // minutes apart measure it: the interval of a cell's verdict is a t
        // interval over its passes, whose quantile falls from 12.7 with two
        // passes to 4.3 with three and 2.4 with seven. So both profiles
        // spend their time on passes rather than on long windows: `full`'s
        // 20 ms of warm-up and 60 ms of measurement hold 15 samples of at
        // least 0.5 ms each (`quick`'s 15 and 45 ms, 10 samples), tens of
        // thousands of operations for all but the blocking hand-offs (a
        // futex wake-up costs ~45 µs on the reference VM, so even a
        // rendezvous channel moves about 1,000 messages a window).
        // Measured on the 2-core reference VM (reports/RUNS.md, "Time
        // budget"), one id costs its warm-up and measurement plus
        // `crate::report::analyse::plan::overhead_s` (criterion's analysis,
        // the instrumented round, per-round checks; more for `map`, whose
        // checks compare the whole map after every sample, and far more for
        // the maps past the cache, whose prefill is the cost). `full`
        // differs from `quick` in its window, samples and instrumented
        // round, and in the passes, budget and repairs of the main job
        // (`super::settings`).
        match profile {
            Profile::Quick => Settings {
                warm_up: ms(15),
                measurement: ms(45),
                sample_size: 10,
                nresamples: 2_000,
                extras_round: ms(5),
                criterion_plots: false,
            },
            Profile::Full => Settings {
                warm_up: ms(20),
                measurement: ms(60),
                sample_size: 15,
                nresamples: 2_000,
                extras_round: ms(10),
                criterion_plots: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_profiles_and_names_unknown_ones() {
        assert_eq!("quick".parse::<Profile>().unwrap(), Profile::Quick);
        assert_eq!("full".parse::<Profile>().unwrap(), Profile::Full);
        let e = "fast".parse::<Profile>().unwrap_err().to_string();
        assert!(
            e.contains("SYNCBENCH_PROFILE") && e.contains("`fast`"),
            "{e}"
        );
    }

    #[test]
    fn criterion_plots_come_from_the_variable() {
        let vars = |v: &str| Vars::from_pairs([(PLOTS_VAR, v)]);
        assert!(
            Settings::from_vars(Profile::Quick, &vars("1"))
                .unwrap()
                .criterion_plots
        );
        assert_eq!(
            Settings::from_vars(Profile::Full, &vars("")).unwrap(),
            Settings::new(Profile::Full)
        );
        assert!(Settings::from_vars(Profile::Full, &vars("on")).is_err());
    }

    #[test]
    fn quick_is_no_dearer_than_full() {
        let q = Settings::new(Profile::Quick);
        let f = Settings::new(Profile::Full);
        assert!(q.warm_up + q.measurement <= f.warm_up + f.measurement);
        assert!(q.sample_size <= f.sample_size && q.extras_round <= f.extras_round);
        assert_ne!(q, f);
        assert!(q.sample_size >= 10 && f.sample_size >= 10);
    }
}
