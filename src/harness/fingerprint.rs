//! The run fingerprint: which machine, toolchain and crate versions produced a
//! set of measurements.
//!
//! Bench targets call [`Fingerprint::collect`] once per run and store it as
//! `<criterion home>/syncbench/run-<workload>.json` ([`Fingerprint::write_run`]);
//! the report merges those files into `machine.json`, so the report describes
//! the machine where the benches ran, not the one that rendered it. The
//! `rustc -V` line and the strategy crates' versions are captured at build
//! time by `build.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::harness::sidecar::SIDECAR_DIR;

/// File-name prefix of run fingerprints inside the sidecar directory.
pub const RUN_PREFIX: &str = "run-";

/// What was measured on, and with what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// CPU brand string, e.g. `AMD EPYC 7B13`.
    pub cpu_model: String,
    /// Logical CPUs the OS reports.
    pub logical_cores: usize,
    /// Physical cores, where the OS says.
    pub physical_cores: Option<usize>,
    /// CPUs this process may run on (affinity / cgroup limits applied).
    pub available_parallelism: usize,
    /// CPU architecture, e.g. `x86_64`.
    pub arch: String,
    /// Operating system, e.g. `Linux (Ubuntu 24.04)`.
    pub os: String,
    /// Kernel version, e.g. `6.8.0-48-generic`.
    pub kernel: String,
    /// `rustc -V` of the compiler that built the benches.
    pub rustc: String,
    /// Locked versions of the crates whose primitives are under test.
    pub crates: BTreeMap<String, String>,
    /// When the fingerprint was taken, UTC, ISO 8601.
    pub date: String,
    /// `SYNCBENCH_PROFILE` of the run.
    pub profile: String,
}

impl Fingerprint {
    /// Fingerprints the current machine and build for a run under `profile`.
    pub fn collect(profile: &str) -> Fingerprint {
        use sysinfo::{CpuRefreshKind, RefreshKind, System};
        let sys =
            System::new_with_specifics(RefreshKind::nothing().with_cpu(CpuRefreshKind::nothing()))
                .ok();
        let cpus = sys.as_ref().map(|s| s.cpus()).unwrap_or_default();
        let cpu_model = cpus
            .iter()
            .map(|c| c.brand().trim())
            .find(|b| !b.is_empty())
            .unwrap_or("unknown")
            .to_string();
        let available_parallelism = crate::harness::threads::available_parallelism();
        let logical_cores = if cpus.is_empty() {
            available_parallelism
        } else {
            cpus.len()
        };
        let or_unknown = |r: Result<String, _>| r.unwrap_or_else(|_| "unknown".to_string());
        Fingerprint {
            cpu_model,
            logical_cores,
            physical_cores: System::physical_core_count().ok(),
            available_parallelism,
            arch: std::env::consts::ARCH.to_string(),
            os: or_unknown(System::long_os_version()),
            kernel: or_unknown(System::kernel_version()),
            rustc: env!("SYNCBENCH_RUSTC_VERSION").to_string(),
            crates: crate_versions(),
            date: utc_now(),
            profile: profile.to_string(),
        }
    }

    /// Where the fingerprint of bench target `workload` lives under
    /// `criterion_home`.
    pub fn run_path(criterion_home: &Path, workload: &str) -> PathBuf {
        criterion_home
            .join(SIDECAR_DIR)
            .join(format!("{RUN_PREFIX}{workload}.json"))
    }

    /// Writes the fingerprint of bench target `workload` atomically.
    pub fn write_run(&self, criterion_home: &Path, workload: &str) -> anyhow::Result<PathBuf> {
        let path = Self::run_path(criterion_home, workload);
        crate::io::write_atomic(&path, &serde_json::to_vec_pretty(self)?)?;
        Ok(path)
    }

    /// The fields that name the machine and toolchain (everything but date
    /// and profile), for "same machine?" comparisons. Returns the names of
    /// the fields that differ.
    pub fn differences(&self, other: &Fingerprint) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.cpu_model != other.cpu_model {
            out.push("cpu_model");
        }
        if self.logical_cores != other.logical_cores {
            out.push("logical_cores");
        }
        if self.physical_cores != other.physical_cores {
            out.push("physical_cores");
        }
        if self.available_parallelism != other.available_parallelism {
            out.push("available_parallelism");
        }
        if self.arch != other.arch {
            out.push("arch");
        }
        if self.os != other.os {
            out.push("os");
        }
        if self.kernel != other.kernel {
            out.push("kernel");
        }
        if self.rustc != other.rustc {
            out.push("rustc");
        }
        if self.crates != other.crates {
            out.push("crates");
        }
        out
    }
}

/// The strategy crates' versions captured by `build.rs`.
fn crate_versions() -> BTreeMap<String, String> {
    env!("SYNCBENCH_CRATE_VERSIONS")
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Now, UTC, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format_utc(secs)
}

/// Formats seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day)
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_as_iso_utc() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(1_767_225_599), "2025-12-31T23:59:59Z");
    }

    #[test]
    fn collects_this_machine_and_build() {
        let f = Fingerprint::collect("quick");
        assert!(f.logical_cores >= 1 && f.available_parallelism >= 1);
        assert!(f.rustc.starts_with("rustc "), "{}", f.rustc);
        assert!(f.crates.contains_key("parking_lot"), "{:?}", f.crates);
        assert!(!f.crates.contains_key("serde"), "{:?}", f.crates);
        assert_eq!(f.profile, "quick");
        assert!(f.differences(&f.clone()).is_empty());
        let mut other = f.clone();
        other.cpu_model.push('!');
        other.date = "then".into();
        assert_eq!(f.differences(&other), vec!["cpu_model"]);
    }
}
