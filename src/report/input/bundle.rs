//! A portable result bundle: one run in one JSON file.
//!
//! `report bundle --input target/criterion --out run.syncbench.json` packs
//! everything the report reads from a criterion tree — every result
//! (`new/` and the `pass-<k>/` baselines, as the time-per-iteration interval
//! criterion estimated), every sidecar (CPU time, finish times, latency
//! extras) and the run fingerprints of each bench target — with the suite's
//! version. The file can be sent around and rendered anywhere: every place
//! the report takes an input (`--input`, either side of `report diff A B`,
//! the inputs of a merge) accepts a bundle as well as a criterion tree
//! ([`crate::report::input::load`]).
//!
//! A bundle is checked when read: a file that is not JSON or ends early is
//! reported as truncated or not a bundle; a bundle of a newer format, or
//! written by a syncbench release whose results may mean something else
//! ([`compatible`]), is refused with both versions named. Inside a valid
//! bundle, results and sidecars pass the same plausibility checks as files
//! of a criterion tree, and bad ones are skipped with a warning.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::harness::fingerprint::{Fingerprint, utc_now};
use crate::harness::sidecar::Sidecar;
use crate::report::input::criterion::{
    self as load, Estimator, Interval, Loaded, MAX_ELEMENTS, MAX_NS, MAX_RESULTS, MAX_THREADS,
    MIN_NS, Measurement, Origin,
};
use crate::report::log::Log;

/// The `format` field of every bundle.
pub const FORMAT: &str = "syncbench-bundle";

/// The bundle layout's version; a reader refuses newer ones.
pub const FORMAT_VERSION: u32 = 1;

/// The version of the suite writing and reading bundles.
pub const SUITE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The file name ending the README suggests (any name is accepted).
pub const SUFFIX: &str = ".syncbench.json";

/// What the reader checks before anything else.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    format_version: Option<u32>,
    suite_version: Option<String>,
}

/// A bundle on disk.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Bundle {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// `CARGO_PKG_VERSION` of the writer.
    pub suite_version: String,
    /// When the bundle was written, UTC.
    pub created: String,
    /// The criterion tree it was packed from, as given.
    pub source: String,
    /// Run fingerprints by bench target.
    pub runs: BTreeMap<String, Fingerprint>,
    /// Every criterion result (at most [`MAX_RESULTS`] are read).
    #[serde(deserialize_with = "capped")]
    pub results: Vec<BundledResult>,
    /// Every sidecar, as a JSON object (a value dropped as implausible when
    /// loading is `null`; at most [`MAX_RESULTS`] are read).
    #[serde(deserialize_with = "capped")]
    pub sidecars: Vec<serde_json::Value>,
    /// The Go benchmarks' output of the run (`go/bench.txt`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub go: Option<String>,
}

/// A list of at most [`MAX_RESULTS`] items: a longer one is refused as soon
/// as the item over the cap is reached, before it is read.
fn capped<'de, D, T>(d: D) -> std::result::Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Capped<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Capped<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a list of at most {MAX_RESULTS} items")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> std::result::Result<Vec<T>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            while let Some(x) = seq.next_element()? {
                if out.len() == MAX_RESULTS {
                    return Err(serde::de::Error::custom(format!(
                        "more than {MAX_RESULTS} items in a list, over the cap"
                    )));
                }
                out.push(x);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Capped(std::marker::PhantomData))
}

/// One criterion result in a bundle.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BundledResult {
    /// Criterion group id.
    pub group: String,
    /// Criterion function id (the strategy).
    pub function: String,
    /// Criterion parameter (the thread count as written).
    pub parameter: String,
    /// Operations per iteration.
    pub elements: u64,
    /// `slope` or `mean`.
    pub estimator: String,
    /// Confidence level of the interval.
    pub confidence_level: f64,
    /// Time per iteration, ns: point, lower and upper bound.
    pub ns: [f64; 3],
    /// The pass baseline (`pass-2`), absent for `new/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// Where it was read from, relative to the criterion tree.
    pub source: String,
}

/// Packs what was loaded from `input` into a bundle.
pub fn pack(input: &Path, loaded: &Loaded) -> Result<Bundle> {
    let results = loaded
        .measurements
        .iter()
        .map(|m| BundledResult {
            group: m.group.clone(),
            function: m.function.clone(),
            parameter: m.parameter.clone(),
            elements: m.elements,
            estimator: m.estimator.as_str().to_string(),
            confidence_level: m.confidence_level,
            ns: [m.ns_per_iter.point, m.ns_per_iter.lo, m.ns_per_iter.hi],
            baseline: m.baseline.clone(),
            source: match &loaded.origin {
                Some(o) => {
                    let s = m.source.display().to_string();
                    s.strip_prefix(&format!("{}:", o.path))
                        .map_or(s.clone(), str::to_string)
                }
                None => m
                    .source
                    .strip_prefix(input)
                    .unwrap_or(&m.source)
                    .display()
                    .to_string(),
            },
        })
        .collect();
    let mut keys: Vec<&(String, String, String)> = loaded.sidecars.keys().collect();
    keys.sort();
    let mut sidecars = Vec::new();
    for k in keys {
        for s in &loaded.sidecars[k] {
            sidecars.push(serde_json::to_value(s)?);
        }
    }
    Ok(Bundle {
        format: FORMAT.to_string(),
        format_version: FORMAT_VERSION,
        suite_version: SUITE_VERSION.to_string(),
        created: loaded
            .origin
            .as_ref()
            .map_or_else(utc_now, |o| o.created.clone()),
        source: loaded
            .origin
            .as_ref()
            .map_or_else(|| input.display().to_string(), |o| o.source.clone()),
        runs: loaded.runs.clone(),
        results,
        sidecars,
        go: loaded.go.clone(),
    })
}

/// Whether a bundle written by suite version `theirs` can be read by this
/// one: the same major version and, before 1.0, the same minor version.
pub fn compatible(theirs: &str) -> bool {
    let parts = |v: &str| -> Option<(u64, u64)> {
        let mut it = v.trim().split('.');
        Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
    };
    match (parts(theirs), parts(SUITE_VERSION)) {
        (Some((a, b)), Some((c, d))) => a == c && (a > 0 || b == d),
        _ => false,
    }
}

/// Whether `path` is a bundle: a regular file of at most
/// [`crate::io::BUNDLE_CAP`] bytes, JSON whose top-level `"format"` is
/// [`FORMAT`] wherever that key comes (parsed, not a byte window); used to
/// tell bundles from `results.json` files.
pub fn looks_like_bundle(path: &Path) -> bool {
    sniff(path).is_ok()
}

/// Why `path` is not a bundle, if it is not ([`looks_like_bundle`]): the
/// message names the file (not a regular file, over the cap,
/// gzip-compressed, not JSON, another `"format"`).
pub fn sniff(path: &Path) -> Result<()> {
    use std::io::{BufReader, Read};
    let shown = path.display();
    let f = crate::io::open_regular(path)?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    if len > crate::io::BUNDLE_CAP {
        bail!(
            "{shown} is larger than the {} cap for a bundle",
            crate::io::mib(crate::io::BUNDLE_CAP)
        );
    }
    let mut r = BufReader::new(f.take(crate::io::BUNDLE_CAP));
    let head =
        std::io::BufRead::fill_buf(&mut r).with_context(|| format!("cannot read {shown}"))?;
    if head.starts_with(&GZIP_MAGIC) {
        bail!("{shown} is gzip-compressed: gunzip it first");
    }
    let header: Header =
        serde_json::from_reader(r).map_err(|e| anyhow::anyhow!("{shown} is not JSON ({e})"))?;
    if header.format.as_deref() != Some(FORMAT) {
        bail!("{shown} is not a syncbench bundle (its \"format\" is not \"{FORMAT}\")");
    }
    Ok(())
}

/// The first bytes of a gzip file.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Reads a bundle file into what [`load::load`] gives for a criterion tree.
/// The file is read through [`crate::io::read_bounded`] (a regular file of
/// at most [`crate::io::BUNDLE_CAP`] bytes); a bundle of more than
/// [`MAX_RESULTS`] results or sidecars is refused.
pub fn read(path: &Path, log: &mut Log<'_>) -> Result<Loaded> {
    let bytes = crate::io::read_bounded(path, crate::io::BUNDLE_CAP)
        .with_context(|| format!("cannot read the bundle {}", path.display()))?;
    let shown = path.display();
    if bytes.starts_with(&GZIP_MAGIC) {
        bail!("{shown} is gzip-compressed: gunzip it first (bundles are read as plain JSON)");
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        bail!("{shown} is empty: not a syncbench bundle (re-create it with `report bundle`)");
    }
    let header: Header = serde_json::from_slice(&bytes).map_err(|e| {
        if e.is_eof() {
            anyhow::anyhow!(
                "{shown} is truncated ({e}): the bundle ends early; copy it again or re-create \
                 it with `report bundle`"
            )
        } else {
            anyhow::anyhow!(
                "{shown} is not a syncbench bundle ({e}); bundles are written by \
                 `report bundle --input DIR --out FILE`"
            )
        }
    })?;
    if header.format.as_deref() != Some(FORMAT) {
        bail!(
            "{shown} is not a syncbench bundle (its \"format\" is {}, expected \"{FORMAT}\")",
            header
                .format
                .map_or("missing".into(), |f| format!("\"{f}\""))
        );
    }
    let version = header.format_version.unwrap_or(0);
    let suite = header.suite_version.unwrap_or_else(|| "unknown".into());
    if version > FORMAT_VERSION || version == 0 {
        bail!(
            "{shown} has bundle format {version}, which this report (syncbench {SUITE_VERSION}, \
             bundle format {FORMAT_VERSION}) cannot read; it was written by syncbench {suite}"
        );
    }
    if !compatible(&suite) {
        bail!(
            "{shown} was written by syncbench {suite}, incompatible with this report \
             (syncbench {SUITE_VERSION}): results of another suite version may measure \
             something else; render it with syncbench {suite}, or re-run the benches"
        );
    }
    let bundle: Bundle = serde_json::from_slice(&bytes).map_err(|e| {
        let why = if e.to_string().contains("over the cap") {
            format!(
                "{shown} holds more than {MAX_RESULTS} results or sidecars, over what one \
                 report reads (split the run, or render fewer targets)"
            )
        } else {
            format!("{shown} is a damaged syncbench bundle")
        };
        anyhow::Error::new(e).context(why)
    })?;
    from_bundle(path, bundle, log)
}

fn from_bundle(path: &Path, bundle: Bundle, log: &mut Log<'_>) -> Result<Loaded> {
    let shown = path.display().to_string();
    let mut measurements = Vec::with_capacity(bundle.results.len());
    let mut seen: HashMap<(String, String, String, Option<String>), ()> = HashMap::new();
    for r in bundle.results {
        let id = format!(
            "{}/{}/{}",
            shorten(&r.group),
            shorten(&r.function),
            shorten(&r.parameter)
        );
        let skip = |why: &str| format!("skipped {id} in bundle {shown}: {why}");
        match check(&r) {
            Err(why) => {
                log.warn(skip(&why));
                continue;
            }
            Ok((threads, estimator, ns)) => {
                let key = (
                    r.group.clone(),
                    r.function.clone(),
                    r.parameter.clone(),
                    r.baseline.clone(),
                );
                if seen.insert(key, ()).is_some() {
                    log.warn(skip("duplicate id"));
                    continue;
                }
                measurements.push(Measurement {
                    source: PathBuf::from(format!("{shown}:{}", r.source)),
                    group: r.group,
                    function: r.function,
                    parameter: r.parameter,
                    threads,
                    elements: r.elements,
                    ns_per_iter: ns,
                    estimator,
                    confidence_level: r.confidence_level,
                    baseline: r.baseline,
                });
            }
        }
    }
    if measurements.is_empty() {
        bail!("no valid results in the bundle {shown} (see warnings)");
    }
    measurements.sort_by(|a, b| a.source.cmp(&b.source));
    let mut sidecars: HashMap<(String, String, String), Vec<Sidecar>> = HashMap::new();
    for (i, mut v) in bundle.sidecars.into_iter().enumerate() {
        // A wall time dropped when the tree was loaded is `null`: keep it
        // dropped (NaN) rather than refuse the sidecar.
        let dropped_wall = v.get("wall_ns_per_op").is_some_and(|w| w.is_null());
        if dropped_wall && let Some(o) = v.as_object_mut() {
            o.insert("wall_ns_per_op".into(), serde_json::json!(1.0));
        }
        match serde_json::from_value::<Sidecar>(v) {
            Ok(mut s) => {
                for w in load::sanitize_sidecar(&mut s) {
                    log.warn(format!("sidecar {i} in bundle {shown}: {w}"));
                }
                if dropped_wall {
                    s.wall_ns_per_op = f64::NAN;
                }
                sidecars
                    .entry((s.group.clone(), s.function.clone(), s.parameter.clone()))
                    .or_default()
                    .push(s);
            }
            Err(e) => log.warn(format!("skipped sidecar {i} in bundle {shown}: {e}")),
        }
    }
    let mut runs = bundle.runs;
    runs.retain(|workload, f| match load::check_fingerprint(f) {
        Ok(()) => true,
        Err(why) => {
            log.warn(format!(
                "skipped the run fingerprint of {workload} in bundle {shown}: {why}"
            ));
            false
        }
    });
    Ok(Loaded {
        measurements,
        sidecars,
        runs,
        go: bundle.go,
        origin: Some(Origin {
            path: shown,
            created: bundle.created,
            source: bundle.source,
        }),
    })
}

/// An id part as warnings show it: cut to [`load::MAX_ID_LEN`] bytes (a
/// part that long is refused anyway), so a huge id cannot flood the log.
fn shorten(part: &str) -> std::borrow::Cow<'_, str> {
    if part.len() <= load::MAX_ID_LEN {
        return part.into();
    }
    let cut = (0..=load::MAX_ID_LEN)
        .rev()
        .find(|&i| part.is_char_boundary(i))
        .unwrap_or(0);
    format!("{}...", &part[..cut]).into()
}

/// The same checks a criterion file gets in [`load::load_result`].
fn check(r: &BundledResult) -> Result<(usize, Estimator, Interval), String> {
    let parts: Vec<&str> = r.group.split('/').collect();
    if parts.len() < 2 || parts.iter().any(|p| p.trim().is_empty()) {
        return Err("group is not <workload>/<scenario>[/<variant>...]".into());
    }
    if r.function.trim().is_empty() {
        return Err("no function (strategy) id".into());
    }
    if let Some(why) = load::bad_id(&r.group, &r.function, &r.parameter) {
        return Err(why);
    }
    let threads = match r.parameter.trim().parse::<usize>() {
        Ok(t) if (1..=MAX_THREADS).contains(&t) => t,
        _ => {
            return Err(format!(
                "parameter is not a thread count (1 to {MAX_THREADS})"
            ));
        }
    };
    if r.elements == 0 || r.elements > MAX_ELEMENTS {
        return Err("elements is not 1 to 2^40".into());
    }
    let estimator = match r.estimator.as_str() {
        "slope" => Estimator::Slope,
        "mean" => Estimator::Mean,
        other => return Err(format!("unknown estimator `{other}`")),
    };
    let ok = |x: f64| x.is_finite() && (MIN_NS..=MAX_NS).contains(&x);
    let [point, lo, hi] = r.ns;
    if !(ok(point) && ok(lo) && ok(hi)) || lo > point || point > hi {
        return Err("time per iteration is not a valid interval within 1 ps to a day".into());
    }
    if !(r.confidence_level > 0.0 && r.confidence_level < 1.0) {
        return Err("confidence level is not between 0 and 1".into());
    }
    Ok((threads, estimator, Interval { point, lo, hi }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_before_one_need_the_same_minor() {
        assert!(compatible(SUITE_VERSION));
        let (major, rest) = SUITE_VERSION.split_once('.').unwrap();
        let minor: u64 = rest.split('.').next().unwrap().parse().unwrap();
        assert!(compatible(&format!("{major}.{minor}.99")));
        assert!(!compatible(&format!("{major}.{}.0", minor + 1)));
        assert!(!compatible(&format!(
            "{}.0.0",
            major.parse::<u64>().unwrap() + 1
        )));
        assert!(!compatible("garbage"));
    }
}
