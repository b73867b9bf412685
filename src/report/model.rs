//! The model: per scenario (criterion group) × strategy × thread count, the
//! throughput in operations per second with criterion's confidence interval,
//! joined with the harness's sidecar (family, CPU time, extras).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use super::Log;
use super::load::{Estimator, Interval, Measurement};
use crate::harness::Family;
use crate::harness::sidecar::Sidecar;

/// One strategy at one thread count.
#[derive(Clone, Debug)]
pub struct Point {
    /// Thread count (the criterion parameter).
    pub threads: usize,
    /// Operations per second, with the confidence interval.
    pub throughput: Interval,
    /// Criterion's time per operation, ns, with the confidence interval.
    pub ns_per_op: Interval,
    /// Which criterion estimate this is.
    pub estimator: Estimator,
    /// The interval's confidence level.
    pub confidence_level: f64,
    /// The harness's sidecar for this id, if one was written.
    pub sidecar: Option<Sidecar>,
    /// Where criterion's result was read from.
    pub source: PathBuf,
}

impl Point {
    /// Worker CPU time per operation from the sidecar, ns.
    pub fn cpu_ns_per_op(&self) -> Option<f64> {
        self.sidecar.as_ref()?.cpu_ns_per_op
    }
}

/// One strategy across the thread axis.
#[derive(Clone, Debug)]
pub struct Series {
    /// The strategy (criterion function id).
    pub strategy: String,
    /// The strategy's family from its sidecars; `None` when no sidecar exists.
    pub family: Option<Family>,
    /// Results by thread count.
    pub points: BTreeMap<usize, Point>,
}

impl Series {
    /// Whether this is a reference line (baseline or no-sharing limit):
    /// drawn and tabulated, never a winner.
    pub fn is_reference(&self) -> bool {
        self.family.is_some_and(Family::is_reference)
    }

    /// Whether this is the no-sharing limit (the chart's dashed line).
    pub fn is_limit(&self) -> bool {
        self.family == Some(Family::NoSharing)
    }

    /// The family's name, or `unknown` without a sidecar.
    pub fn family_name(&self) -> &'static str {
        self.family.map_or("unknown", Family::as_str)
    }
}

/// One criterion group: a scenario (and variant) measured across strategies
/// and thread counts.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// The criterion group id, e.g. `counter/increment/hot`.
    pub id: String,
    /// First id component: the bench target, e.g. `counter`.
    pub workload: String,
    /// Second id component, e.g. `increment`.
    pub name: String,
    /// The rest of the id, e.g. `hot` or `99-1/zipf` (may be empty).
    pub variant: String,
    /// Every thread count any strategy ran at, ascending.
    pub threads: Vec<usize>,
    /// Strategies, fastest first (by throughput at their largest thread count).
    pub series: Vec<Series>,
}

impl Scenario {
    /// The results at `threads`, one per strategy that has one.
    pub fn at(&self, threads: usize) -> impl Iterator<Item = (&Series, &Point)> {
        self.series
            .iter()
            .filter_map(move |s| s.points.get(&threads).map(|p| (s, p)))
    }

    /// A fragment id for links: the group id with `/` and other
    /// punctuation as `-`.
    pub fn anchor(&self) -> String {
        anchor(&self.id)
    }

    /// The chart file stem, the way criterion names group directories
    /// (`counter/increment/hot` -> `counter_increment_hot`). Unique by
    /// construction: only `/` becomes `_`; any other character outside
    /// `[A-Za-z0-9.-]` is escaped as `~` and its UTF-8 bytes in hex
    /// (`zz/b c` -> `zz_b~20c`, `zz/b_c` -> `zz_b~5fc`).
    pub fn file_stem(&self) -> String {
        let mut stem = String::with_capacity(self.id.len());
        for c in self.id.chars() {
            match c {
                c if c.is_ascii_alphanumeric() || matches!(c, '-' | '.') => stem.push(c),
                '/' => stem.push('_'),
                c => {
                    for b in c.encode_utf8(&mut [0; 4]).bytes() {
                        stem.push_str(&format!("~{b:02x}"));
                    }
                }
            }
        }
        stem
    }

    /// Whether any strategy is the no-sharing limit.
    pub fn has_limit(&self) -> bool {
        self.series.iter().any(Series::is_limit)
    }
}

/// A fragment id for a scenario id.
pub fn anchor(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Every scenario, in natural id order.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// Scenarios sorted by id (numbers compared as numbers).
    pub scenarios: Vec<Scenario>,
}

impl Model {
    /// Joins results with their sidecars and groups them into scenarios.
    /// Warns once about results without a sidecar, per scenario about
    /// missing cells, and about sidecars that disagree on a family.
    pub fn build(
        measurements: Vec<Measurement>,
        mut sidecars: HashMap<(String, String, String), Sidecar>,
        log: &mut Log<'_>,
    ) -> Model {
        let mut groups: BTreeMap<String, BTreeMap<String, BTreeMap<usize, Point>>> =
            BTreeMap::new();
        let mut no_sidecar: Vec<String> = Vec::new();
        let joined: Vec<(Measurement, Option<Sidecar>)> = measurements
            .into_iter()
            .map(|m| {
                let key = (m.group.clone(), m.function.clone(), m.parameter.clone());
                let sidecar = sidecars.remove(&key);
                (m, sidecar)
            })
            .collect();
        for (m, sidecar) in drop_stale(joined, log) {
            if sidecar.is_none() {
                no_sidecar.push(format!("{}/{}/{}", m.group, m.function, m.parameter));
            }
            let per_op = Interval {
                point: m.ns_per_iter.point / m.elements as f64,
                lo: m.ns_per_iter.lo / m.elements as f64,
                hi: m.ns_per_iter.hi / m.elements as f64,
            };
            let point = Point {
                threads: m.threads,
                throughput: m.ns_per_iter.per_second(m.elements as f64),
                ns_per_op: per_op,
                estimator: m.estimator,
                confidence_level: m.confidence_level,
                sidecar,
                source: m.source,
            };
            let series = groups
                .entry(m.group)
                .or_default()
                .entry(m.function)
                .or_default();
            if let Some(old) = series.get(&m.threads) {
                // Two parameters spelling one thread count ("4" and "04").
                log.warn(format!(
                    "skipped {}: same thread count as {}",
                    point.source.display(),
                    old.source.display()
                ));
            } else {
                series.insert(m.threads, point);
            }
        }
        if !no_sidecar.is_empty() {
            no_sidecar.sort();
            let shown: Vec<&str> = no_sidecar.iter().take(5).map(String::as_str).collect();
            log.warn(format!(
                "{} results have no sidecar: family unknown, shown in tables and charts but left \
                 out of rule verdicts (e.g. {}{})",
                no_sidecar.len(),
                shown.join(", "),
                if no_sidecar.len() > shown.len() {
                    ", ..."
                } else {
                    ""
                }
            ));
        }

        let mut scenarios: Vec<Scenario> = groups
            .into_iter()
            .map(|(id, strategies)| scenario(id, strategies, log))
            .collect();
        scenarios.sort_by(|a, b| natural_cmp(&a.id, &b.id));
        warn_missing(&scenarios, log);
        Model { scenarios }
    }

    /// Number of results (points) across all scenarios.
    pub fn results(&self) -> usize {
        self.scenarios
            .iter()
            .flat_map(|s| &s.series)
            .map(|s| s.points.len())
            .sum()
    }

    /// Every point, for summaries.
    pub fn points(&self) -> impl Iterator<Item = &Point> {
        self.scenarios
            .iter()
            .flat_map(|s| &s.series)
            .flat_map(|s| s.points.values())
    }
}

/// Keeps, per scenario, only results from the newest bench run that
/// measured it (by the sidecars' run start time): results left in
/// `target/criterion` by an earlier run, with another thread axis or strategy
/// set, must not be compared with fresh ones. Results without a run stamp
/// are kept. Warns once per scenario, naming the skipped ids.
fn drop_stale(
    joined: Vec<(Measurement, Option<Sidecar>)>,
    log: &mut Log<'_>,
) -> Vec<(Measurement, Option<Sidecar>)> {
    let run_of = |s: &Option<Sidecar>| s.as_ref().and_then(|s| s.run_started_ms);
    let mut newest: HashMap<String, u64> = HashMap::new();
    for (m, s) in &joined {
        if let Some(run) = run_of(s) {
            let e = newest.entry(m.group.clone()).or_insert(run);
            *e = (*e).max(run);
        }
    }
    let mut stale: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let kept = joined
        .into_iter()
        .filter(|(m, s)| match (run_of(s), newest.get(&m.group)) {
            (Some(run), Some(&latest)) if run < latest => {
                stale
                    .entry(m.group.clone())
                    .or_default()
                    .push(format!("{}/{}", m.function, m.parameter));
                false
            }
            _ => true,
        })
        .collect();
    for (group, ids) in stale {
        log.warn(format!(
            "skipped {} results in {group} left by an earlier bench run (not re-measured in the \
             newest run): {}",
            ids.len(),
            ids.join(", ")
        ));
    }
    kept
}

fn scenario(
    id: String,
    strategies: BTreeMap<String, BTreeMap<usize, Point>>,
    log: &mut Log<'_>,
) -> Scenario {
    let mut parts = id.splitn(3, '/');
    let workload = parts.next().unwrap_or_default().to_string();
    let name = parts.next().unwrap_or_default().to_string();
    let variant = parts.next().unwrap_or_default().to_string();
    let mut threads = BTreeSet::new();
    let mut series: Vec<Series> = strategies
        .into_iter()
        .map(|(strategy, points)| {
            threads.extend(points.keys().copied());
            let families: BTreeSet<Family> = points
                .values()
                .filter_map(|p| p.sidecar.as_ref().map(|s| s.family))
                .collect();
            if families.len() > 1 {
                let names: Vec<&str> = families.iter().map(|f| f.as_str()).collect();
                log.warn(format!(
                    "{id}/{strategy}: sidecars disagree on the family ({}); using {}",
                    names.join(", "),
                    names[0]
                ));
            }
            Series {
                strategy,
                family: families.into_iter().next(),
                points,
            }
        })
        .collect();
    series.sort_by(|a, b| {
        let last = |s: &Series| s.points.values().next_back().map(|p| p.throughput.point);
        last(b)
            .partial_cmp(&last(a))
            .unwrap_or(Ordering::Equal)
            .then_with(|| a.strategy.cmp(&b.strategy))
    });
    Scenario {
        id,
        workload,
        name,
        variant,
        threads: threads.into_iter().collect(),
        series,
    }
}

/// Warns about gaps: a strategy without a result at a thread count its
/// scenario has, or a strategy its sibling variants have but it lacks.
fn warn_missing(scenarios: &[Scenario], log: &mut Log<'_>) {
    // Only gaps inside a strategy's own series are warned about: a strategy
    // absent from a whole scenario is the bench's design (e.g. hand-off
    // capacities offered for one payload only), and files that could not be
    // read are already named where they were skipped.
    for s in scenarios {
        let gaps: Vec<String> = s
            .series
            .iter()
            .filter_map(|series| {
                let missing: Vec<String> = s
                    .threads
                    .iter()
                    .filter(|t| !series.points.contains_key(t))
                    .map(usize::to_string)
                    .collect();
                (!missing.is_empty())
                    .then(|| format!("{} at {} threads", series.strategy, missing.join(", ")))
            })
            .collect();
        if !gaps.is_empty() {
            log.warn(format!(
                "{}: no result for {}; those cells are blank",
                s.id,
                gaps.join("; ")
            ));
        }
    }
}

/// Compares ids with digit runs as numbers (`t2` < `t10`).
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (trim_zeros(&a[..da]), trim_zeros(&b[..db]));
                let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let n = d.iter().take_while(|c| **c == b'0').count();
    &d[n.min(d.len().saturating_sub(1))..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_compares_numbers() {
        let mut ids = vec!["a/t10", "a/t2", "a/t1", "b", "a/x", "a/t02"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, vec!["a/t1", "a/t2", "a/t02", "a/t10", "a/x", "b"]);
    }

    #[test]
    fn anchors_and_stems() {
        assert_eq!(
            anchor("map/read-heavy/99-1/zipf"),
            "map-read-heavy-99-1-zipf"
        );
        assert_eq!(anchor("A//b c"), "a-b-c");
    }
}
