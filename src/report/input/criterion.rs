//! Discover and load: criterion's `new/benchmark.json` + `new/estimates.json`
//! pairs and, beside each `new/`, the replicated passes the main job saves as
//! criterion baselines `pass-<k>/`; the harness's sidecars (one per pass) and
//! the run fingerprints.
//!
//! Ids come from `benchmark.json` (criterion sanitises directory names, so
//! paths are never parsed). Every file that cannot be used — unreadable,
//! truncated, not JSON, an id that is not `<workload>/<scenario>[/<variant>…]`
//! with a thread-count parameter, an estimate that is NaN, infinite or below
//! [`MIN_NS`] — is skipped with a warning naming it; the rest still make a
//! report. Sidecar values out of physical range are dropped with a warning.
//! Only an input with no results at all is an error.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use rayon::prelude::*;
use serde::Deserialize;

use crate::harness::fingerprint::{Fingerprint, RUN_PREFIX};
use crate::harness::sidecar::{SIDECAR_DIR, Sidecar};
use crate::io::load_json;
use crate::report::log::Log;

/// Deepest directory nesting the walk follows (criterion needs 5 or so).
const MAX_DEPTH: usize = 32;

/// Smallest believable time per iteration, ns (1 ps): no operation of any
/// system is faster, and throughputs derived from smaller ones overflow.
pub const MIN_NS: f64 = 1e-3;

/// Largest believable time or count a sidecar may carry (ns per operation,
/// latency ns): a day.
pub const MAX_NS: f64 = 86_400e9;

/// Most operations one criterion iteration may stand for.
pub const MAX_ELEMENTS: u64 = 1 << 40;

pub use crate::report::input::gotext::MAX_THREADS;

/// Longest id part (group, function, parameter) accepted, bytes.
pub const MAX_ID_LEN: usize = 200;

/// Most results one input may hold (criterion results or bundle results,
/// and as many sidecars).
pub const MAX_RESULTS: usize = 100_000;

/// Why an id is refused, if it is: a part longer than [`MAX_ID_LEN`] bytes
/// or holding a control character.
pub fn bad_id(group: &str, function: &str, parameter: &str) -> Option<String> {
    for (what, part) in [
        ("group", group),
        ("function", function),
        ("parameter", parameter),
    ] {
        if part.len() > MAX_ID_LEN {
            return Some(format!(
                "{what} id is {} bytes, over the {MAX_ID_LEN}-byte cap",
                part.len()
            ));
        }
        if part.chars().any(char::is_control) {
            return Some(format!("{what} id holds a control character"));
        }
    }
    None
}

/// Which of criterion's estimates a throughput comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Estimator {
    /// The linear-regression slope over criterion's linear sampling (preferred).
    Slope,
    /// The mean time per iteration (when criterion used flat sampling).
    Mean,
}

impl Estimator {
    /// The estimate's name in `estimates.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Estimator::Slope => "slope",
            Estimator::Mean => "mean",
        }
    }
}

/// A closed interval `[lo, hi]` around a point estimate.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Interval {
    /// The point estimate.
    pub point: f64,
    /// Lower bound of the confidence interval.
    pub lo: f64,
    /// Upper bound of the confidence interval.
    pub hi: f64,
}

impl Interval {
    /// Whether the two intervals share at least one value.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }

    /// `elements * 1e9 / ns` for every bound: a time-per-iteration interval
    /// in ns becomes a throughput interval in operations per second (bounds
    /// swap).
    pub fn per_second(&self, elements: f64) -> Interval {
        Interval {
            point: elements * 1e9 / self.point,
            lo: elements * 1e9 / self.hi,
            hi: elements * 1e9 / self.lo,
        }
    }
}

/// One criterion result: a benchmark id and its time per iteration.
#[derive(Clone, Debug)]
pub struct Measurement {
    /// Criterion group id, e.g. `counter/increment/hot`.
    pub group: String,
    /// Criterion function id: the strategy.
    pub function: String,
    /// Criterion parameter as written (the thread count).
    pub parameter: String,
    /// The parameter as a thread count.
    pub threads: usize,
    /// Operations per iteration (criterion's `Throughput::Elements`).
    pub elements: u64,
    /// Time per iteration, ns, with its confidence interval.
    pub ns_per_iter: Interval,
    /// Which estimate `ns_per_iter` is.
    pub estimator: Estimator,
    /// The confidence level of the interval (0.95 by default).
    pub confidence_level: f64,
    /// The criterion baseline directory it was read from: `None` for
    /// `new/`, else the baseline's name (`pass-2`).
    pub baseline: Option<String>,
    /// The directory the result was read from.
    pub source: PathBuf,
}

/// Everything loaded from one input directory.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Valid criterion results, sorted by source path.
    pub measurements: Vec<Measurement>,
    /// Sidecars keyed by (group, function, parameter): one per pass and run.
    pub sidecars: HashMap<(String, String, String), Vec<Sidecar>>,
    /// Run fingerprints by workload name.
    pub runs: BTreeMap<String, Fingerprint>,
    /// The Go benchmarks' output (`go/bench.txt`), when the run has one
    /// (see `crate::report::analyse::go`).
    pub go: Option<String>,
    /// When read from a bundle: where it came from, kept when it is packed
    /// again (a report directory's bundle), so that a re-packed bundle is
    /// the same file.
    pub origin: Option<Origin>,
}

/// Where a bundle that was read came from.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    /// The bundle file as given (its results' sources start `<path>:`).
    pub path: String,
    /// When the bundle was written.
    pub created: String,
    /// What it was packed from.
    pub source: String,
}

/// Loads everything under `input`. Errors only when `input` is missing or
/// holds no criterion results; everything else is a warning.
pub fn load(input: &Path, log: &mut Log<'_>) -> Result<Loaded> {
    let run_first = "run `scripts/bench.sh` or `cargo bench` first (or pass --input DIR)";
    if !input.exists() {
        bail!(
            "no criterion results: {} does not exist; {run_first}",
            input.display()
        );
    }
    if !input.is_dir() {
        bail!(
            "no criterion results: {} is not a directory; {run_first}",
            input.display()
        );
    }
    let mut candidates = Vec::new();
    walk(input, 0, &mut candidates, log);
    candidates.sort();
    if candidates.len() > MAX_RESULTS {
        log.warn(format!(
            "{} holds {} criterion results, over the cap of {MAX_RESULTS}: the rest are skipped",
            input.display(),
            candidates.len()
        ));
        candidates.truncate(MAX_RESULTS);
    }
    if candidates.is_empty() {
        bail!(
            "no criterion results under {}; {run_first}",
            input.display()
        );
    }
    log.progress(&format!(
        "report: discovered {} criterion results under {}",
        candidates.len(),
        input.display()
    ));

    let parsed: Vec<Result<Measurement, String>> =
        candidates.par_iter().map(|dir| load_result(dir)).collect();
    let mut measurements = Vec::with_capacity(parsed.len());
    let mut seen: HashMap<(String, String, String, Option<String>), PathBuf> = HashMap::new();
    for r in parsed {
        match r {
            Ok(m) => {
                let key = (
                    m.group.clone(),
                    m.function.clone(),
                    m.parameter.clone(),
                    m.baseline.clone(),
                );
                if let Some(first) = seen.get(&key) {
                    log.warn(format!(
                        "skipped {}: duplicate id {}/{}/{} (kept {})",
                        m.source.display(),
                        m.group,
                        m.function,
                        m.parameter,
                        first.display()
                    ));
                } else {
                    seen.insert(key, m.source.clone());
                    measurements.push(m);
                }
            }
            Err(w) => log.warn(w),
        }
    }
    if measurements.is_empty() {
        bail!(
            "no valid criterion results under {} ({} skipped, see warnings); {run_first}",
            input.display(),
            candidates.len()
        );
    }

    let side_dir = input.join(SIDECAR_DIR);
    let (sidecars, runs) = if side_dir.is_dir() {
        load_sidecars(&side_dir, log)
    } else {
        if side_dir.exists() {
            log.warn(format!(
                "skipped {}: not a directory, so no sidecars (families, CPU time) were read",
                side_dir.display()
            ));
        }
        (HashMap::new(), BTreeMap::new())
    };
    let go = match crate::report::input::gotext::load_text(input) {
        Ok(go) => go,
        Err(e) => {
            log.warn(format!("{e:#}; the Go side is skipped"));
            None
        }
    };
    Ok(Loaded {
        measurements,
        sidecars,
        runs,
        go,
        origin: None,
    })
}

/// Collects every `new/` directory holding criterion's files (either of
/// them: a lone one is reported when loading), and beside it every pass
/// baseline `pass-<k>/`. Symlinks are not followed.
fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>, log: &mut Log<'_>) {
    if depth > MAX_DEPTH {
        log.warn(format!("skipped {}: nested too deep", dir.display()));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            log.warn(format!("skipped {}: cannot list it: {e}", dir.display()));
            return;
        }
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if !kind.is_dir() {
            continue;
        }
        let path = entry.path();
        if depth == 0 && entry.file_name() == SIDECAR_DIR {
            continue;
        }
        let holds =
            |p: &Path| p.join("benchmark.json").exists() || p.join("estimates.json").exists();
        if entry.file_name() == "new" && holds(&path) {
            out.push(path);
            if let Ok(siblings) = std::fs::read_dir(dir) {
                for sib in siblings.flatten() {
                    let name = sib.file_name();
                    let is_pass = name
                        .to_str()
                        .and_then(|n| n.strip_prefix("pass-"))
                        .is_some_and(|k| k.parse::<u32>().is_ok());
                    if is_pass && sib.file_type().is_ok_and(|k| k.is_dir()) && holds(&sib.path()) {
                        out.push(sib.path());
                    }
                }
            }
        } else if entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with("pass-"))
            && holds(&path)
        {
            // A pass baseline: collected beside its `new/`.
        } else {
            walk(&path, depth + 1, out, log);
        }
    }
}

#[derive(Deserialize)]
struct BenchmarkJson {
    group_id: Option<String>,
    function_id: Option<String>,
    value_str: Option<String>,
    throughput: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct EstimatesJson {
    mean: Option<EstimateJson>,
    slope: Option<EstimateJson>,
}

#[derive(Deserialize)]
struct EstimateJson {
    confidence_interval: Option<CiJson>,
    point_estimate: Option<f64>,
}

#[derive(Deserialize)]
struct CiJson {
    confidence_level: Option<f64>,
    lower_bound: Option<f64>,
    upper_bound: Option<f64>,
}

impl EstimateJson {
    /// The estimate as an interval, if it is finite and at least [`MIN_NS`]
    /// throughout (criterion writes NaN as `null`).
    fn interval(&self) -> Option<(Interval, f64)> {
        let ci = self.confidence_interval.as_ref()?;
        let point = self.point_estimate?;
        let (a, b) = (ci.lower_bound?, ci.upper_bound?);
        let ok = |x: f64| x.is_finite() && (MIN_NS..=MAX_NS).contains(&x);
        if !(ok(point) && ok(a) && ok(b)) {
            return None;
        }
        // A bootstrap interval need not contain the point estimate; widen
        // it so it does (never narrower than criterion's).
        let interval = Interval {
            point,
            lo: a.min(b).min(point),
            hi: a.max(b).max(point),
        };
        let level = ci
            .confidence_level
            .filter(|l| l.is_finite() && *l > 0.0 && *l < 1.0)
            .unwrap_or(0.95);
        Some((interval, level))
    }
}

/// Loads one criterion result from its `new/` (or `pass-<k>/`) directory;
/// the error is the warning line.
pub fn load_result(dir: &Path) -> Result<Measurement, String> {
    let bench_path = dir.join("benchmark.json");
    let est_path = dir.join("estimates.json");
    let skip = |path: &Path, why: &str| format!("skipped {}: {why}", path.display());
    let present = |path: &Path, what: &str| -> Result<(), String> {
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() => Ok(()),
            Ok(_) => Err(skip(path, "not a regular file")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(skip(path, &format!("missing ({what})")))
            }
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => Err(skip(
                path,
                "a symlink loop (too many levels of symbolic links)",
            )),
            Err(e) => Err(skip(path, &e.to_string())),
        }
    };
    present(&bench_path, "estimates.json has no id")?;
    present(&est_path, "no estimates for this id")?;
    let baseline = match dir.file_name().and_then(|n| n.to_str()) {
        Some("new") | None => None,
        Some(name) => Some(name.to_string()),
    };
    let b: BenchmarkJson = load_json(&bench_path).map_err(|e| skip(&bench_path, &short(&e)))?;
    let group = b.group_id.unwrap_or_default();
    let parts: Vec<&str> = group.split('/').collect();
    if parts.len() < 2 || parts.iter().any(|p| p.trim().is_empty()) {
        return Err(skip(
            &bench_path,
            &format!("unknown id: group `{group}` is not <workload>/<scenario>[/<variant>...]"),
        ));
    }
    let function = b.function_id.unwrap_or_default();
    if function.trim().is_empty() {
        return Err(skip(
            &bench_path,
            &format!("unknown id: group `{group}` has no function (strategy) id"),
        ));
    }
    let parameter = b.value_str.unwrap_or_default();
    if let Some(why) = bad_id(&group, &function, &parameter) {
        return Err(skip(&bench_path, &format!("unknown id: {why}")));
    }
    let threads = match parameter.trim().parse::<usize>() {
        Ok(t) if (1..=MAX_THREADS).contains(&t) => t,
        _ => {
            return Err(skip(
                &bench_path,
                &format!(
                    "unknown id: {group}/{function}: parameter `{parameter}` is not a thread count"
                ),
            ));
        }
    };
    let elements = match &b.throughput {
        None | Some(serde_json::Value::Null) => 1,
        Some(t) => match t.get("Elements").and_then(|e| e.as_u64()) {
            Some(n) if n > 0 && n <= MAX_ELEMENTS => n,
            _ => {
                return Err(skip(
                    &bench_path,
                    &format!(
                        "{group}/{function}/{parameter}: throughput {t} is not a plausible \
                         operation count (Elements, 1 to 2^40)"
                    ),
                ));
            }
        },
    };

    let e: EstimatesJson = load_json(&est_path).map_err(|e| skip(&est_path, &short(&e)))?;
    let (ns_per_iter, confidence_level, estimator) =
        match (e.slope.as_ref().and_then(EstimateJson::interval), &e.slope) {
            (Some((i, l)), _) => (i, l, Estimator::Slope),
            // No slope (flat sampling): the mean, if valid.
            (None, None) => match e.mean.as_ref().and_then(EstimateJson::interval) {
                Some((i, l)) => (i, l, Estimator::Mean),
                None => {
                    return Err(skip(
                        &est_path,
                        "mean estimate is missing, NaN, infinite or outside 1 ps to a day",
                    ));
                }
            },
            (None, Some(_)) => {
                return Err(skip(
                    &est_path,
                    "slope estimate is NaN, infinite or outside 1 ps to a day",
                ));
            }
        };
    Ok(Measurement {
        group,
        function,
        parameter,
        threads,
        elements,
        ns_per_iter,
        estimator,
        confidence_level,
        baseline,
        source: dir.to_path_buf(),
    })
}

/// Sidecars keyed by id, and run fingerprints by workload.
type SidecarsAndRuns = (
    HashMap<(String, String, String), Vec<Sidecar>>,
    BTreeMap<String, Fingerprint>,
);

fn load_sidecars(side_dir: &Path, log: &mut Log<'_>) -> SidecarsAndRuns {
    let mut files = Vec::new();
    collect_json(side_dir, 0, &mut files, log);
    files.sort();
    let parsed: Vec<(PathBuf, Option<String>, Result<Sidecar, String>)> = files
        .into_par_iter()
        .map(|path| {
            let run = (path.parent() == Some(side_dir))
                .then(|| path.file_name()?.to_str()?.strip_prefix(RUN_PREFIX))
                .flatten()
                .and_then(|n| n.strip_suffix(".json"))
                .map(str::to_string);
            let sidecar = if run.is_some() {
                Err(String::new())
            } else {
                load_json::<Sidecar>(&path)
                    .map_err(|e| format!("skipped sidecar {}: {}", path.display(), short(&e)))
            };
            (path, run, sidecar)
        })
        .collect();
    let mut sidecars: HashMap<(String, String, String), Vec<Sidecar>> = HashMap::new();
    let mut runs = BTreeMap::new();
    for (path, run, sidecar) in parsed {
        if let Some(workload) = run {
            match load_json::<Fingerprint>(&path) {
                Ok(f) => match check_fingerprint(&f) {
                    Ok(()) => {
                        runs.insert(workload, f);
                    }
                    Err(why) => {
                        log.warn(format!("skipped run fingerprint {}: {why}", path.display()))
                    }
                },
                Err(e) => log.warn(format!(
                    "skipped run fingerprint {}: {}",
                    path.display(),
                    short(&e)
                )),
            }
            continue;
        }
        match sidecar {
            Ok(mut s) => {
                for w in sanitize_sidecar(&mut s) {
                    log.warn(format!("sidecar {}: {w}", path.display()));
                }
                sidecars
                    .entry((s.group.clone(), s.function.clone(), s.parameter.clone()))
                    .or_default()
                    .push(s);
            }
            Err(w) => log.warn(w),
        }
    }
    (sidecars, runs)
}

/// Why a run fingerprint is implausible, if it is: CPU counts outside 1 to
/// [`MAX_THREADS`].
pub fn check_fingerprint(f: &Fingerprint) -> Result<(), String> {
    let ok = |n: usize| (1..=MAX_THREADS).contains(&n);
    if !ok(f.logical_cores)
        || !ok(f.available_parallelism)
        || f.physical_cores.is_some_and(|n| !ok(n))
    {
        return Err(format!("CPU counts are not 1 to {MAX_THREADS}"));
    }
    Ok(())
}

/// Drops sidecar values outside physical range (negative, zero where a time
/// must pass, non-finite, beyond [`MAX_NS`]); returns one line per value
/// dropped.
pub fn sanitize_sidecar(s: &mut Sidecar) -> Vec<String> {
    let mut dropped = Vec::new();
    let ok = |x: f64| x.is_finite() && x > 0.0 && x <= MAX_NS;
    if !ok(s.wall_ns_per_op) {
        dropped.push(format!("wall ns/op {} dropped", s.wall_ns_per_op));
        s.wall_ns_per_op = f64::NAN;
    }
    for (name, v) in [
        ("CPU ns/op", &mut s.cpu_ns_per_op),
        ("worker CPU ns/op", &mut s.worker_cpu_ns_per_op),
    ] {
        if let Some(x) = *v
            && !(x.is_finite() && (0.0..=MAX_NS).contains(&x))
        {
            dropped.push(format!("{name} {x} dropped"));
            *v = None;
        }
    }
    if s.finish_ns.iter().any(|&f| f as f64 > MAX_NS) {
        dropped.push("finish times beyond a day dropped".to_string());
        s.finish_ns.clear();
    }
    if let Some(lat) = s
        .extra
        .as_mut()
        .and_then(|e| e.get_mut("latency_ns"))
        .and_then(|l| l.as_object_mut())
    {
        let bad: Vec<String> = lat
            .iter()
            .filter(|(_, v)| {
                !v.as_f64()
                    .is_some_and(|x| x.is_finite() && (0.0..=MAX_NS).contains(&x))
            })
            .map(|(k, _)| k.clone())
            .collect();
        for k in bad {
            let v = lat.remove(&k).unwrap_or_default();
            dropped.push(format!("latency {k} = {v} dropped"));
        }
    }
    dropped
}

fn collect_json(dir: &Path, depth: usize, out: &mut Vec<PathBuf>, log: &mut Log<'_>) {
    if depth > MAX_DEPTH {
        log.warn(format!("skipped {}: nested too deep", dir.display()));
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        log.warn(format!("skipped {}: cannot list it", dir.display()));
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() {
            collect_json(&path, depth + 1, out, log);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// The innermost cause of an error: the file is already named by the caller.
fn short(e: &anyhow::Error) -> String {
    e.root_cause().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_inverts_to_throughput() {
        let ns = Interval {
            point: 10.0,
            lo: 8.0,
            hi: 20.0,
        };
        let t = ns.per_second(1.0);
        assert_eq!(t.point, 1e8);
        assert_eq!(t.lo, 5e7);
        assert_eq!(t.hi, 1.25e8);
        assert!(t.overlaps(&Interval {
            point: 2e8,
            lo: 1.2e8,
            hi: 3e8
        }));
        assert!(!t.overlaps(&Interval {
            point: 2e8,
            lo: 1.3e8,
            hi: 3e8
        }));
    }

    #[test]
    fn estimate_rejects_nan_zero_negative() {
        let est = |p: Option<f64>, lo: Option<f64>, hi: Option<f64>| EstimateJson {
            confidence_interval: Some(CiJson {
                confidence_level: Some(0.95),
                lower_bound: lo,
                upper_bound: hi,
            }),
            point_estimate: p,
        };
        assert!(est(None, Some(1.0), Some(2.0)).interval().is_none());
        assert!(est(Some(0.0), Some(1.0), Some(2.0)).interval().is_none());
        assert!(est(Some(1.5), Some(-1.0), Some(2.0)).interval().is_none());
        assert!(
            est(Some(f64::NAN), Some(1.0), Some(2.0))
                .interval()
                .is_none()
        );
        assert!(
            est(Some(1.5), Some(1.0), Some(f64::INFINITY))
                .interval()
                .is_none()
        );
        let (i, l) = est(Some(3.0), Some(1.0), Some(2.0)).interval().unwrap();
        assert_eq!((i.lo, i.hi, l), (1.0, 3.0, 0.95));
    }
}
