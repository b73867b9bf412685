//! What criterion cannot record, written next to its output.
//!
//! After criterion has measured a benchmark id, the bench glue runs one
//! instrumented round and writes
//! `<criterion home>/syncbench/<group>/<function>/<parameter>/pass-<k>.json`
//! (criterion home is `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`,
//! else `target/criterion`, as criterion itself decides). The file carries the
//! full, unsanitised ids, so readers never parse directory names. Every
//! pass of a run writes its own file (see [`super::passes`]), so CPU time,
//! finish times and latency percentiles are replicated like throughput.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Family, RoundStats};

/// Directory name of the sidecars under criterion's home.
pub const SIDECAR_DIR: &str = "syncbench";

/// The harness's extra measurements for one benchmark id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sidecar {
    /// Criterion group id, e.g. `counter/increment/hot`.
    pub group: String,
    /// Criterion function id: the strategy, e.g. `std-mutex`.
    pub function: String,
    /// Criterion parameter as written in the id, e.g. `4`.
    pub parameter: String,
    /// Threads the strategy was driven with: the system's own count where it
    /// reports one ([`System::worker_threads`](super::System::worker_threads),
    /// e.g. P + 1 for a hand-off of P producers to one consumer), else the
    /// thread axis value.
    pub threads: usize,
    /// The strategy's family, used by the report's rule-of-thumb verdicts.
    pub family: Family,
    /// `SYNCBENCH_PROFILE` in effect.
    pub profile: String,
    /// Operations in the instrumented round.
    pub ops: u64,
    /// Wall time per operation in the instrumented round, ns.
    pub wall_ns_per_op: f64,
    /// CPU time per operation of every thread the strategy uses, ns: the
    /// pool's workers and any helper thread (an actor's owner, rayon's pool,
    /// pipeline stages). Spinning shows up here even when it adds no
    /// throughput. Absent where the OS gives no per-thread CPU time.
    pub cpu_ns_per_op: Option<f64>,
    /// The pool workers' share of [`Sidecar::cpu_ns_per_op`], ns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_cpu_ns_per_op: Option<f64>,
    /// Per worker: ns from release to its finish (fairness: a wide spread
    /// means some threads were starved while others ran).
    pub finish_ns: Vec<u64>,
    /// Workload-specific measurements (e.g. latency percentiles).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_json::Value>,
    /// The run this id was measured in: when it started, ms since the Unix
    /// epoch (`SYNCBENCH_RUN`; for plain `cargo bench`, the bench process's
    /// start). The report compares only results of one run with each other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_started_ms: Option<u64>,
    /// This pass of the run, from 1.
    #[serde(default = "one")]
    pub pass: u32,
    /// Passes in the run.
    #[serde(default = "one")]
    pub passes: u32,
    /// The criterion baseline directory this pass's estimates were saved in
    /// (`pass-2`); absent: criterion's `new/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// Seed of the pass's strategy order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_seed: Option<u64>,
    /// This strategy's position in the pass's order at this thread count
    /// (0 = measured first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    /// The repair round that measured this pass again (absent: the pass
    /// itself; see [`super::passes`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair: Option<u32>,
    /// Threads the system left behind once dropped (0: every thread it
    /// started exited; see [`super::exit`]); absent where not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads_leaked: Option<i64>,
}

fn one() -> u32 {
    1
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Sidecar {
    /// Builds a sidecar from one instrumented round.
    #[allow(clippy::too_many_arguments)]
    pub fn from_stats(
        group: &str,
        function: &str,
        parameter: &str,
        threads: usize,
        family: Family,
        profile: &str,
        stats: &RoundStats,
        extra: Option<serde_json::Value>,
    ) -> Sidecar {
        let ops = stats.ops.max(1) as f64;
        Sidecar {
            group: group.to_string(),
            function: function.to_string(),
            parameter: parameter.to_string(),
            threads,
            family,
            profile: profile.to_string(),
            ops: stats.ops,
            wall_ns_per_op: stats.wall.as_nanos() as f64 / ops,
            cpu_ns_per_op: stats.cpu.map(|c| c.as_nanos() as f64 / ops),
            worker_cpu_ns_per_op: stats.worker_cpu.map(|c| c.as_nanos() as f64 / ops),
            finish_ns: stats
                .finish
                .iter()
                .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
                .collect(),
            extra,
            run_started_ms: None,
            pass: 1,
            passes: 1,
            baseline: None,
            order_seed: None,
            position: None,
            repair: None,
            threads_leaked: None,
        }
    }

    /// Where this sidecar lives under `criterion_home`.
    pub fn path(&self, criterion_home: &Path) -> PathBuf {
        let mut p = criterion_home.join(SIDECAR_DIR);
        for part in self.group.split('/') {
            p.push(sanitize(part));
        }
        p.push(sanitize(&self.function));
        p.push(sanitize(&self.parameter));
        p.push(format!("pass-{}.json", self.pass));
        p
    }

    /// Writes the sidecar atomically under `criterion_home`.
    pub fn write(&self, criterion_home: &Path) -> anyhow::Result<PathBuf> {
        let path = self.path(criterion_home);
        let json = serde_json::to_vec_pretty(self)?;
        crate::io::write_atomic(&path, &json)?;
        Ok(path)
    }
}

/// Criterion's output directory, decided the way criterion decides it.
pub fn criterion_home() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        PathBuf::from(home)
    } else if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        PathBuf::from(target).join("criterion")
    } else {
        PathBuf::from("target/criterion")
    }
}

fn sanitize(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with('.') {
        format!("_{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn round_trips_and_paths_are_sanitised() {
        let stats = RoundStats {
            ops: 1000,
            wall: Duration::from_micros(50),
            cpu: Some(Duration::from_micros(90)),
            worker_cpu: Some(Duration::from_micros(80)),
            finish: vec![Duration::from_micros(49), Duration::from_micros(50)],
        };
        let s = Sidecar::from_stats(
            "map/read-heavy/99-1/zipf",
            "std mutex <HashMap>",
            "4",
            4,
            Family::Mutex,
            "quick",
            &stats,
            None,
        );
        assert_eq!(s.wall_ns_per_op, 50.0);
        assert_eq!(s.cpu_ns_per_op, Some(90.0));
        let p = s.path(Path::new("/h"));
        assert_eq!(
            p,
            Path::new("/h/syncbench/map/read-heavy/99-1/zipf/std_mutex__HashMap_/4/pass-1.json")
        );
        let back: Sidecar = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        assert_eq!(sanitize(".."), "_..");
    }
}
