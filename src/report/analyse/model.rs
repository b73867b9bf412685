//! The model: per scenario (criterion group) × strategy × thread count, the
//! throughput in operations per second over the run's passes (see
//! [`crate::report::analyse::stats`]), joined with the harness's sidecars (family, CPU time,
//! extras), one per pass.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use crate::harness::Family;
use crate::harness::sidecar::Sidecar;
use crate::report::analyse::stats::{self, PassEstimate, Spread};
use crate::report::input::criterion::{Estimator, Interval, Measurement};
use crate::report::log::Log;

/// One strategy at one thread count.
#[derive(Clone, Debug)]
pub struct Point {
    /// Thread count (the criterion parameter).
    pub threads: usize,
    /// Operations per second over the passes: the geometric mean, with the
    /// envelope of every pass's confidence interval.
    pub throughput: Interval,
    /// Time per operation, ns, the same way.
    pub ns_per_op: Interval,
    /// Which criterion estimate this is.
    pub estimator: Estimator,
    /// The interval's confidence level.
    pub confidence_level: f64,
    /// The harness's sidecar of the first pass, if one was written.
    pub sidecar: Option<Sidecar>,
    /// Where criterion's result was read from (the first pass).
    pub source: PathBuf,
    /// Every pass of the run: its time per operation and its sidecar.
    pub passes: Vec<PassPoint>,
    /// The run (its start, ms since the epoch), when sidecars say.
    pub run: Option<u64>,
    /// Passes the run meant to make (from the sidecars; 1 without).
    pub planned_passes: u32,
    /// From an earlier run than the newest one of its scenario: shown, never
    /// compared.
    pub stale: bool,
}

/// One pass of one strategy at one thread count.
#[derive(Clone, Debug)]
pub struct PassPoint {
    /// The pass, from 1.
    pub pass: u32,
    /// Criterion's time per operation in this pass, ns, with its interval.
    pub ns_per_op: Interval,
    /// The pass's sidecar.
    pub sidecar: Option<Sidecar>,
}

/// Passes every id gets before any is screened (see
/// [`crate::report::analyse::screen`]).
pub const SCREEN_AFTER: u32 = crate::harness::settings::SCREEN_AFTER_PASSES;

impl Point {
    /// Whether `point` has the shape of a result left out of its cell's
    /// later passes (screened far behind, or out of contention on a look;
    /// see `crate::report::analyse::settle`): exactly the first `k` passes,
    /// `k` at least [`SCREEN_AFTER`], of a run that planned more, in a cell
    /// where another result has `most` passes, more than it. (An
    /// interrupted run leaves every result of a target short, and is
    /// reported as such.)
    pub fn is_screened(&self, most: usize) -> bool {
        let k = self.passes.len();
        k >= SCREEN_AFTER as usize
            && (self.planned_passes as usize) > k
            && most > k
            && self.passes.iter().map(|p| p.pass as usize).eq(1..=k)
    }

    /// Whether `point` has the shape of a result whose cell stopped getting
    /// passes on a look (see `crate::report::analyse::settle`): exactly the
    /// first `k` passes, `k` at least three, fewer than planned,
    /// and no result of its cell has more (`most`).
    pub fn is_settled_early(&self, most: usize) -> bool {
        let k = self.passes.len();
        k >= crate::harness::settings::LOOK_AFTER_PASSES as usize
            && (self.planned_passes as usize) > k
            && most == k
            && self.passes.iter().map(|p| p.pass as usize).eq(1..=k)
    }

    /// CPU time per operation of every thread the strategy uses, ns: the
    /// median over passes.
    pub fn cpu_ns_per_op(&self) -> Option<f64> {
        self.cpu().map(|s| s.median)
    }

    /// CPU time per operation across passes.
    pub fn cpu(&self) -> Option<Spread> {
        self.side(|s| s.cpu_ns_per_op)
    }

    /// Any sidecar value across passes.
    pub fn side(&self, f: impl Fn(&Sidecar) -> Option<f64>) -> Option<Spread> {
        if self.passes.is_empty() {
            return Spread::of(self.sidecar.as_ref().and_then(&f));
        }
        Spread::of(
            self.passes
                .iter()
                .filter_map(|p| p.sidecar.as_ref().and_then(&f)),
        )
    }

    /// Each pass's estimate, for [`stats::compare`]; one pass built from the
    /// point itself when it has none.
    pub fn estimates(&self) -> Vec<PassEstimate> {
        if self.passes.is_empty() {
            return vec![PassEstimate {
                pass: 1,
                ns: self.ns_per_op,
            }];
        }
        self.passes
            .iter()
            .map(|p| PassEstimate {
                pass: p.pass,
                ns: p.ns_per_op,
            })
            .collect()
    }

    /// Passes measured.
    pub fn pass_count(&self) -> usize {
        self.passes.len().max(1)
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
        bound_stem(stem, &self.id)
    }

    /// Whether any strategy is the no-sharing limit.
    pub fn has_limit(&self) -> bool {
        self.series.iter().any(Series::is_limit)
    }
}

/// Longest chart file stem: with a suffix (`-cost`, `.svg`) a chart's file
/// name stays far below the 255 bytes file systems allow.
pub const MAX_STEM: usize = 120;

/// A stem over [`MAX_STEM`] bytes, cut to 100 and followed by `~~` and a
/// 64-bit FNV-1a hash of the whole id: a stem written in full never holds
/// `~~` (every `~` there starts an escape of two hex digits), so a bounded
/// stem never equals one in full, and two of them differ unless their
/// hashes collide. Stems of up to [`MAX_STEM`] bytes are unchanged.
fn bound_stem(mut stem: String, id: &str) -> String {
    if stem.len() <= MAX_STEM {
        return stem;
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    // The stem is ASCII: any byte index is a char boundary.
    stem.truncate(100);
    stem.push_str(&format!("~~{hash:016x}"));
    stem
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
    /// Joins results with their sidecars, gathers each id's passes of its
    /// newest run, and groups them into scenarios. Warns once about results
    /// without a sidecar, about incomplete runs, per scenario about results
    /// of older runs and missing cells, and about sidecars that disagree on
    /// a family.
    pub fn build(
        measurements: Vec<Measurement>,
        mut sidecars: HashMap<(String, String, String), Vec<Sidecar>>,
        log: &mut Log<'_>,
    ) -> Model {
        let mut groups: BTreeMap<String, BTreeMap<String, BTreeMap<usize, Point>>> =
            BTreeMap::new();
        let mut no_sidecar: Vec<String> = Vec::new();
        // Every baseline of one id together.
        let mut ids: BTreeMap<(String, String, String), Vec<Measurement>> = BTreeMap::new();
        for m in measurements {
            ids.entry((m.group.clone(), m.function.clone(), m.parameter.clone()))
                .or_default()
                .push(m);
        }
        for (key, ms) in ids {
            let cars = sidecars.remove(&key).unwrap_or_default();
            let Some(point) = join(ms, cars) else {
                continue;
            };
            if point.sidecar.is_none() {
                no_sidecar.push(format!("{}/{}/{}", key.0, key.1, key.2));
            }
            let series = groups.entry(key.0).or_default().entry(key.1).or_default();
            if let Some(old) = series.get(&point.threads) {
                // Two parameters spelling one thread count ("4" and "04").
                log.warn(format!(
                    "skipped {}: same thread count as {}",
                    point.source.display(),
                    old.source.display()
                ));
            } else {
                series.insert(point.threads, point);
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
        let screened = screened_count(&groups);
        if screened > 0 {
            log.progress(&format!(
                "report: {screened} results were left out of their cell's later passes after \
                 pass {} or later (far behind their cell's best, or out of contention), decided \
                 on the passes they have",
                SCREEN_AFTER
            ));
        }
        mark_stale(&mut groups, log);

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

/// How many results the main job left out of their cell's later passes
/// ([`Point::is_screened`]).
fn screened_count(groups: &BTreeMap<String, BTreeMap<String, BTreeMap<usize, Point>>>) -> usize {
    let mut screened = 0;
    for strategies in groups.values() {
        let most = |t: usize| {
            strategies
                .values()
                .filter_map(|s| s.get(&t))
                .map(Point::pass_count)
                .max()
                .unwrap_or(0)
        };
        for points in strategies.values() {
            for (&t, p) in points {
                screened += usize::from(p.is_screened(most(t)));
            }
        }
    }
    screened
}

/// One id's point: the passes of the newest run its sidecars name, each
/// read from the criterion baseline its sidecar names (`new/` without one).
/// Without sidecars, criterion's `new/` alone, as one pass.
fn join(ms: Vec<Measurement>, cars: Vec<Sidecar>) -> Option<Point> {
    let find = |baseline: &Option<String>| ms.iter().find(|m| &m.baseline == baseline);
    // The newest run with at least one pass whose estimates exist.
    let run = cars
        .iter()
        .filter(|c| find(&c.baseline).is_some())
        .map(|c| c.run_started_ms)
        .max();
    let mut chosen: Vec<(&Measurement, Option<&Sidecar>, u32)> = match run {
        Some(run) => {
            let mut v: Vec<(&Measurement, Option<&Sidecar>, u32)> = cars
                .iter()
                .filter(|c| c.run_started_ms == run)
                .filter_map(|c| find(&c.baseline).map(|m| (m, Some(c), c.pass)))
                .collect();
            v.sort_by_key(|&(_, _, pass)| pass);
            v.dedup_by_key(|&mut (_, _, pass)| pass);
            v
        }
        None => find(&None).map(|m| vec![(m, None, 1)]).unwrap_or_default(),
    };
    if chosen.is_empty() {
        // Only pass baselines and no sidecar naming them: use the newest
        // pass alone, unpaired.
        let m = ms.iter().max_by_key(|m| m.baseline.clone())?;
        chosen.push((m, None, 1));
    }
    let (first, first_car, _) = chosen[0];
    let per_op = |m: &Measurement| Interval {
        point: m.ns_per_iter.point / m.elements as f64,
        lo: m.ns_per_iter.lo / m.elements as f64,
        hi: m.ns_per_iter.hi / m.elements as f64,
    };
    let passes: Vec<PassPoint> = chosen
        .iter()
        .map(|&(m, car, pass)| PassPoint {
            pass,
            ns_per_op: per_op(m),
            sidecar: car.cloned(),
        })
        .collect();
    let estimates: Vec<PassEstimate> = passes
        .iter()
        .map(|p| PassEstimate {
            pass: p.pass,
            ns: p.ns_per_op,
        })
        .collect();
    let ns_per_op = stats::combine(&estimates)?;
    Some(Point {
        threads: first.threads,
        throughput: ns_per_op.per_second(1.0),
        ns_per_op,
        estimator: first.estimator,
        confidence_level: first.confidence_level,
        sidecar: first_car.cloned(),
        source: first.source.clone(),
        passes,
        run: first_car.and_then(|c| c.run_started_ms),
        planned_passes: first_car.map_or(1, |c| c.passes.max(1)),
        stale: false,
    })
}

/// Marks, per scenario, the results of runs older than the newest one that
/// measured it: they stay in tables and charts, flagged, but are never
/// compared with the newest run's (a re-run of one strategy would otherwise
/// be judged against another day's neighbours). Results without a run stamp
/// are taken as current. Warns once per scenario, naming them.
fn mark_stale(
    groups: &mut BTreeMap<String, BTreeMap<String, BTreeMap<usize, Point>>>,
    log: &mut Log<'_>,
) {
    for (group, strategies) in groups.iter_mut() {
        let Some(newest) = strategies
            .values()
            .flat_map(|s| s.values())
            .filter_map(|p| p.run)
            .max()
        else {
            continue;
        };
        let mut older = Vec::new();
        for (strategy, points) in strategies.iter_mut() {
            for (t, p) in points.iter_mut() {
                if p.run.is_some_and(|r| r < newest) {
                    p.stale = true;
                    older.push(format!("{strategy}/{t}"));
                }
            }
        }
        if !older.is_empty() {
            log.warn(format!(
                "{group}: {} results come from an earlier bench run than the newest one; they \
                 are shown (marked \"older run\") but not compared: {}",
                older.len(),
                older.join(", ")
            ));
        }
    }
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

/// Current contenders at `threads` (no reference lines, no older runs),
/// best point estimate first.
pub fn ranked(scenario: &Scenario, threads: usize) -> Vec<(&Series, &Point)> {
    let mut v: Vec<(&Series, &Point)> = scenario
        .at(threads)
        .filter(|(s, p)| !s.is_reference() && !p.stale)
        .collect();
    v.sort_by(|a, b| by_throughput(a.1, b.1).then_with(|| a.0.strategy.cmp(&b.0.strategy)));
    v
}

/// Descending by point estimate.
pub fn by_throughput(a: &Point, b: &Point) -> Ordering {
    b.throughput
        .point
        .partial_cmp(&a.throughput.point)
        .unwrap_or(Ordering::Equal)
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
