//! The "what to use" answers as text: each regime's answer with where it
//! holds and its margins, the strategies to avoid, a rule restated on a
//! situation's cells. The answers themselves are computed in
//! [`crate::report::analyse::advice`]; this file only words them.

use std::collections::{BTreeMap, BTreeSet};

use crate::report::analyse::advice::robust::{At, MapSize, Robust, Sized};
use crate::report::analyse::advice::{Answer, Avoid, Guide, Part, RegimeAnswer, RuleNote};
use crate::report::analyse::decide::fmt_ratio;

/// `1.8x`, or `1.3-2.1x` for a range.
pub fn span(values: &[f64]) -> Option<String> {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if values.is_empty() {
        None
    } else if fmt_ratio(lo) == fmt_ratio(hi) {
        Some(fmt_ratio(lo))
    } else {
        Some(format!(
            "{}-{}",
            fmt_ratio(lo).trim_end_matches('x'),
            fmt_ratio(hi)
        ))
    }
}

fn threads_text(ts: &BTreeSet<usize>) -> String {
    let v: Vec<String> = ts.iter().map(usize::to_string).collect();
    let word = if ts.len() == 1 && ts.contains(&1) {
        "thread"
    } else {
        "threads"
    };
    format!("at {} {word}", v.join(", "))
}

impl RegimeAnswer {
    /// Where `part` holds within this regime, or `None` when it covers the
    /// whole regime: the short names of the scenarios it covers (one shared
    /// component when it covers exactly the scenarios that have it, e.g.
    /// `zipf`), or the thread counts when it covers every scenario at some
    /// of them, or both (`hot at 4 threads`).
    pub fn where_text(&self, part: &Part) -> Option<String> {
        if part.cells.len() == self.cells.len() {
            return None;
        }
        let mut all: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
        let mut order: Vec<&str> = Vec::new();
        for c in &self.cells {
            if !all.contains_key(c.label.as_str()) {
                order.push(&c.label);
            }
            all.entry(&c.label).or_default().insert(c.threads);
        }
        let mut mine: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
        for c in &part.cells {
            mine.entry(&c.label).or_default().insert(c.threads);
        }
        let whole = |l: &str| mine.get(l) == all.get(l);
        // Every scenario at the same thread counts, not all of them.
        if mine.len() == all.len() {
            let first = mine.values().next().cloned().unwrap_or_default();
            if mine.values().all(|t| *t == first) {
                return Some(threads_text(&first));
            }
        }
        if mine.keys().all(|l| whole(l)) {
            let labels: Vec<&str> = order
                .iter()
                .copied()
                .filter(|l| mine.contains_key(l))
                .collect();
            if let Some(shared) = shared_component(&labels, &order) {
                return Some(shared);
            }
            return Some(labels.join(", "));
        }
        let parts: Vec<String> = order
            .iter()
            .filter_map(|l| {
                let t = mine.get(l)?;
                Some(if whole(l) {
                    l.to_string()
                } else {
                    format!("{l} {}", threads_text(t))
                })
            })
            .collect();
        Some(parts.join(", "))
    }

    /// The answer as text with `**winner**` and `` `code` `` spans, `-`
    /// when the regime has no decided cell: one part alone, else every part
    /// with where it holds, joined by `; `.
    pub fn text(&self) -> String {
        if self.parts.is_empty() {
            return "-".to_string();
        }
        let texts: Vec<String> = self
            .parts
            .iter()
            .map(|p| {
                let mut details: Vec<String> = Vec::new();
                if let Some(w) = self.where_text(p) {
                    details.push(w);
                }
                details.extend(part_details(p));
                let head = match &p.answer {
                    Answer::Winner(w) => format!("**{w}**"),
                    Answer::Family(f, v) => format!("**any {f}**: {}", code_list(v)),
                    Answer::Equivalent(v) => format!("any of {}", short_list(v)),
                    Answer::AnyOf(v) => format!("unclear: {}", short_list(v)),
                    Answer::Floor(v) => format!("any of {}", code_list(v)),
                };
                if details.is_empty() {
                    head
                } else {
                    format!("{head} ({})", details.join("; "))
                }
            })
            .collect();
        texts.join("; ")
    }
}

fn code_list(v: &[String]) -> String {
    v.iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A part's margins and its comparison with the guide.
fn part_details(p: &Part) -> Vec<String> {
    let mut out = Vec::new();
    match &p.answer {
        Answer::Winner(_) => {
            if let Some(m) = span(&p.margins) {
                out.push(format!("{m} over the runner-up"));
            }
            let over: Vec<f64> = p
                .guide
                .iter()
                .filter_map(|g| match g {
                    Guide::Over(_, r) => Some(*r),
                    Guide::Pick => None,
                })
                .collect();
            let mut names: Vec<&str> = Vec::new();
            for g in &p.guide {
                if let Guide::Over(n, _) = g
                    && !names.contains(&n.as_str())
                {
                    names.push(n);
                }
            }
            let picks = p.guide.iter().filter(|g| **g == Guide::Pick).count();
            if let Some(r) = span(&over) {
                out.push(format!("{r} over the guide's {}", code_list_str(&names)));
            }
            if picks > 0 {
                out.push(if over.is_empty() {
                    "the guide's pick".to_string()
                } else {
                    format!("the guide's pick in {picks} of {} cells", p.guide.len())
                });
            }
        }
        Answer::Floor(_) => {
            let lo = p.margins.iter().copied().fold(f64::INFINITY, f64::min);
            out.push(if lo.is_finite() {
                format!(
                    "at the harness floor, at least {} over the best off it",
                    fmt_ratio(lo)
                )
            } else {
                "at the harness floor".to_string()
            });
        }
        Answer::Family(..) => {
            if let Some(m) = span(&p.margins) {
                out.push(format!("{m} over the best of another family"));
            }
        }
        Answer::Equivalent(_) => {
            let hi = p.margins.iter().copied().fold(1.0, f64::max);
            out.push(format!(
                "no practical difference: within {}, proven here",
                fmt_ratio(hi)
            ));
        }
        Answer::AnyOf(_) => {
            out.push("this machine cannot tell them apart within the practical margin".into());
        }
    }
    if !matches!(p.answer, Answer::Winner(_)) && p.guide.contains(&Guide::Pick) {
        out.push("the guide's side among them".to_string());
    }
    out
}

/// Where a robust pick's cell is: `warm, 4 threads`, and in the machines
/// report `warm, 4 threads on AMD EPYC, 2 CPUs`.
fn at_text(at: &At) -> String {
    let threads = format!(
        "{} thread{}",
        at.threads,
        if at.threads == 1 { "" } else { "s" }
    );
    let mut s = if at.label.is_empty() {
        threads
    } else {
        format!("{}, {threads}", at.label)
    };
    if !at.machine.is_empty() {
        s.push_str(" on ");
        s.push_str(&at.machine);
    }
    s
}

/// Where a robust pick's cell is, in the machines report's table: `warm, 4
/// thr, M2` (the machine by its short name).
fn at_short(at: &At) -> String {
    let mut s = if at.label.is_empty() {
        format!("{} thr", at.threads)
    } else {
        format!("{}, {} thr", at.label, at.threads)
    };
    if !at.machine.is_empty() {
        s.push_str(", ");
        s.push_str(&at.machine);
    }
    s
}

/// How many exceptions a robust pick shows before "and N more".
const SHOWN_EXCEPTIONS: usize = 3;

impl Robust {
    /// In the machines report, how far the bound reaches (` on any of the 3
    /// machines`) and where the best is the best (`, on all 3 machines`);
    /// both empty on one machine.
    fn on_machines(&self) -> (String, String) {
        match self.machines {
            0 => (String::new(), String::new()),
            1 => (
                " on the one machine that measured it".to_string(),
                ", on the one machine that measured it".to_string(),
            ),
            n => (
                format!(" on any of the {n} machines"),
                format!(", on all {n} machines"),
            ),
        }
    }

    /// ` (measured in 5 of 6 cells)` when the picks cover fewer cells than
    /// the situation has, else empty.
    fn cover(&self) -> String {
        let covered = self.cells.len() + self.applies.as_ref().map_or(0, |a| a.cells.len());
        if covered < self.of {
            format!(" (measured in {covered} of {} cells)", self.of)
        } else {
            String::new()
        }
    }

    /// `**m**: never more than 1.25x from the best here (worst: warm, 4
    /// threads)`; with a strategy that leads where it applies: `**a** where
    /// it applies (6 of 9 cells): never more than 1.20x from the best there
    /// (worst: 99-1, 4 threads); elsewhere **m**: never more than 1.50x
    /// (worst: struct, 2 threads)`.
    pub fn text(&self) -> String {
        let (on, all) = self.on_machines();
        let cover = self.cover();
        let Some(a) = &self.applies else {
            if self.worst <= 1.0 {
                return format!("**{}**: the best in every cell{all}{cover}", self.strategy);
            }
            let here = if on.is_empty() { " here" } else { &on };
            return format!(
                "**{}**: never more than {} from the best{here} (worst: {}){cover}",
                self.strategy,
                fmt_ratio(self.worst),
                at_text(&self.worst_at)
            );
        };
        let there = if a.worst <= 1.0 {
            format!("the best in each{all}")
        } else {
            format!(
                "never more than {} from the best there{}{on} (worst: {})",
                fmt_ratio(a.worst),
                if on.is_empty() { "" } else { "," },
                at_text(&a.worst_at)
            )
        };
        let elsewhere = if self.worst <= 1.0 {
            "the best in each".to_string()
        } else {
            format!(
                "never more than {} (worst: {})",
                fmt_ratio(self.worst),
                at_text(&self.worst_at)
            )
        };
        format!(
            "**{}** where it applies ({} of {} cells): {there}; elsewhere **{}**: \
             {elsewhere}{cover}",
            a.strategy,
            a.cells.len(),
            self.of,
            self.strategy
        )
    }

    /// The exceptions worth acting on: `4 threads: `a` 3.5x; ...`, `-`
    /// without one.
    pub fn exceptions_text(&self) -> String {
        self.exceptions_shown(SHOWN_EXCEPTIONS)
    }

    /// [`Robust::exceptions_text`] with at most `shown` exceptions named.
    fn exceptions_shown(&self, shown: usize) -> String {
        if self.exceptions.is_empty() {
            return "-".to_string();
        }
        let mut parts: Vec<String> = self
            .exceptions
            .iter()
            .take(shown)
            .map(|e| {
                format!(
                    "at {}: `{}` {}",
                    at_text(&e.at),
                    e.strategy,
                    fmt_ratio(e.ratio)
                )
            })
            .collect();
        if self.exceptions.len() > shown {
            parts.push(format!("and {} more", self.exceptions.len() - shown));
        }
        parts.join("; ")
    }

    /// The machines report's table cell, short: `**m**: ≤1.25x (worst: warm,
    /// 4 thr, M2)`; with a strategy that leads where it applies: `**a**
    /// where it applies (6/9 cells): ≤1.20x (worst: 99-1, 4 thr, M1);
    /// elsewhere **m**: the best in each`; ` (only M3)` when one machine
    /// measured it. The ratios are to each cell's best on its own machine.
    pub fn short_text(&self) -> String {
        let only = match (self.machines, self.cells.first()) {
            (1, Some(c)) if !c.machine.is_empty() => format!(" (only {})", c.machine),
            _ => String::new(),
        };
        let cover = self.cover();
        let bound = |worst: f64, at: &At, best: &str| {
            if worst <= 1.0 {
                best.to_string()
            } else {
                format!("≤{} (worst: {})", fmt_ratio(worst), at_short(at))
            }
        };
        let main = bound(self.worst, &self.worst_at, "the best in every cell");
        let Some(a) = &self.applies else {
            return format!("**{}**: {main}{only}{cover}", self.strategy);
        };
        format!(
            "**{}** where it applies ({}/{} cells): {}; elsewhere **{}**: {}{only}{cover}",
            a.strategy,
            a.cells.len(),
            self.of,
            bound(a.worst, &a.worst_at, "the best in each"),
            self.strategy,
            bound(self.worst, &self.worst_at, "the best in each"),
        )
    }

    /// The machines report's exceptions, short: the largest only, `` `a`
    /// 3.5x at 1 thr, M2; +2 more ``, `-` without one.
    pub fn short_exceptions(&self) -> String {
        let Some(e) = self.exceptions.first() else {
            return "-".to_string();
        };
        let mut s = format!(
            "`{}` {} at {}",
            e.strategy,
            fmt_ratio(e.ratio),
            at_short(&e.at)
        );
        if self.exceptions.len() > 1 {
            s.push_str(&format!("; +{} more", self.exceptions.len() - 1));
        }
        s
    }

    /// One plain line for the terminal: `m (never more than 1.25x from the
    /// best, worst at warm, 4 threads; 2 exceptions, e.g. a 3.5x at 1
    /// thread)`; with a strategy that leads where it applies: `a where it
    /// applies, 6 of 9 cells (never more than 1.20x from the best, worst at
    /// 99-1, 4 threads); elsewhere m (never more than 1.50x, worst at
    /// struct, 2 threads)`.
    pub fn terminal_line(&self) -> String {
        let (on, all) = self.on_machines();
        let mut s = String::new();
        if let Some(a) = &self.applies {
            s = if a.worst <= 1.0 {
                format!(
                    "{} where it applies, {} of {} cells (the best in each{all}); elsewhere ",
                    a.strategy,
                    a.cells.len(),
                    self.of
                )
            } else {
                format!(
                    "{} where it applies, {} of {} cells (never more than {} from the best{on}, \
                     worst at {}); elsewhere ",
                    a.strategy,
                    a.cells.len(),
                    self.of,
                    fmt_ratio(a.worst),
                    at_text(&a.worst_at)
                )
            };
        }
        let from = if self.applies.is_some() {
            String::new()
        } else {
            format!(" from the best{on}")
        };
        if self.worst <= 1.0 {
            let _ = std::fmt::Write::write_fmt(
                &mut s,
                format_args!(
                    "{} (the best in {}",
                    self.strategy,
                    if self.applies.is_some() {
                        "each".to_string()
                    } else {
                        format!("every cell{all}")
                    }
                ),
            );
        } else {
            let _ = std::fmt::Write::write_fmt(
                &mut s,
                format_args!(
                    "{} (never more than {}{from}, worst at {}",
                    self.strategy,
                    fmt_ratio(self.worst),
                    at_text(&self.worst_at)
                ),
            );
        }
        match self.exceptions.first() {
            None => s.push(')'),
            Some(e) => {
                let _ = std::fmt::Write::write_fmt(
                    &mut s,
                    format_args!(
                        "; {} exception{}, e.g. {} {} at {})",
                        self.exceptions.len(),
                        if self.exceptions.len() == 1 { "" } else { "s" },
                        e.strategy,
                        fmt_ratio(e.ratio),
                        at_text(&e.at)
                    ),
                );
            }
        }
        s
    }
}

/// At most [`SHORT_LIST`] names as code, then "and N more".
fn short_list(v: &[String]) -> String {
    if v.len() <= SHORT_LIST {
        return code_list(v);
    }
    format!(
        "{} and {} more",
        code_list(&v[..SHORT_LIST]),
        v.len() - SHORT_LIST
    )
}

/// How many names an "any of" entry shows before "and N more".
const SHORT_LIST: usize = 3;

fn code_list_str(v: &[&str]) -> String {
    v.iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A `/`-component shared by exactly `labels` among `all`, when one is.
fn shared_component(labels: &[&str], all: &[&str]) -> Option<String> {
    let split = |l: &str| l.split('/').map(str::to_string).collect::<Vec<_>>();
    let first = split(labels.first()?);
    for (k, value) in first.iter().enumerate() {
        let has = |l: &str| split(l).get(k) == Some(value);
        let with: Vec<&str> = all.iter().copied().filter(|l| has(l)).collect();
        if with.len() == labels.len() && labels.iter().all(|l| has(l)) && with.len() < all.len() {
            return Some(value.clone());
        }
    }
    None
}

impl Avoid {
    /// `` `actor-std` (12-40x slower) ``, or with `in 3 of 6 cells`.
    pub fn text(&self) -> String {
        let range = span(&[self.lo, self.hi]).unwrap_or_default();
        if self.cells >= self.measured {
            format!("`{}` ({range} slower)", self.strategy)
        } else {
            format!(
                "`{}` ({range} slower in {} of {} cells)",
                self.strategy, self.cells, self.measured
            )
        }
    }
}

impl RuleNote {
    /// `confirmed here (6 for, 0 against, 2 tied); overall depends`.
    pub fn text(&self) -> String {
        let mut s = format!("**{}** here", self.here.as_str());
        let n = self.supports + self.contradicts + self.ties;
        if n > 0 {
            s += &format!(
                " ({} for, {} against, {} tied)",
                self.supports, self.contradicts, self.ties
            );
        }
        if self.overall != self.here {
            s += &format!("; overall {}", self.overall.as_str());
        }
        s
    }
}

/// The picks of a situation measured at both map sizes ([`Sized`], small
/// first), when they are two.
fn small_large(sizes: &[Sized]) -> Option<(&Robust, &Robust)> {
    let small = sizes.iter().find(|z| z.size == MapSize::Small)?;
    let large = sizes.iter().find(|z| z.size == MapSize::Large)?;
    Some((&small.robust, &large.robust))
}

/// Whether one strategy is the pick at both sizes, with no part of either
/// going to another.
fn same_pick(small: &Robust, large: &Robust) -> bool {
    small.strategy == large.strategy && small.applies.is_none() && large.applies.is_none()
}

/// The "use" cell of a situation measured at both map sizes: `**m** at both
/// map sizes. Small maps: never more than …; past the cache: never more
/// than …`, or, where the size changes the answer, `small maps: **m**: …;
/// past the cache, the answer changes: **d**: …`. `None` without both.
pub fn sized_text(sizes: &[Sized]) -> Option<String> {
    let (small, large) = small_large(sizes)?;
    if same_pick(small, large) {
        let rest = |r: &Robust| {
            let t = r.text();
            let prefix = format!("**{}**: ", r.strategy);
            t.strip_prefix(&prefix).map(str::to_string).unwrap_or(t)
        };
        return Some(format!(
            "**{}** at both map sizes. Small maps: {}; past the cache: {}",
            small.strategy,
            rest(small),
            rest(large).replace(" from the best here", "")
        ));
    }
    // Short: the table must end within two screens.
    let short = |r: &Robust| r.text().replace(" from the best here", "");
    Some(format!(
        "{}: {}; {}, the answer changes: {}",
        MapSize::Small.label(),
        short(small),
        MapSize::Large.label(),
        short(large)
    ))
}

/// The exceptions of both sizes' picks, largest first, worded as
/// [`Robust::exceptions_text`] with one fewer named; `None` without both sizes.
pub fn sized_exceptions_text(sizes: &[Sized]) -> Option<String> {
    let (small, large) = small_large(sizes)?;
    let mut all = small.clone();
    all.exceptions = small
        .exceptions
        .iter()
        .chain(&large.exceptions)
        .cloned()
        .collect();
    all.exceptions.sort_by(|a, b| b.ratio.total_cmp(&a.ratio));
    // Two sizes' worth of text already: one exception fewer.
    Some(all.exceptions_shown(SHOWN_EXCEPTIONS - 1))
}

/// One plain terminal line for both sizes: `small maps: m (…); past the
/// cache: d (…)`; `None` without both.
pub fn sized_terminal_line(sizes: &[Sized]) -> Option<String> {
    let (small, large) = small_large(sizes)?;
    let changes = if same_pick(small, large) {
        "the same"
    } else {
        "the answer changes"
    };
    Some(format!(
        "{}: {}; {} ({changes}): {}",
        MapSize::Small.label(),
        small.terminal_line(),
        MapSize::Large.label(),
        large.terminal_line()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::analyse::advice::tests::{advice, row, sized_maps};
    use crate::report::analyse::stats::Floor;

    #[test]
    fn both_sizes_say_where_the_answer_changes_or_that_it_does_not() {
        let a = advice(sized_maps(2.0), 2, &Floor::default());
        let r = row(&a, "write-heavy-map");
        assert_eq!(
            sized_text(&r.sizes).unwrap(),
            "small maps: **mutex**: the best in every cell; past the cache, the answer \
             changes: **dashmap**: the best in every cell"
        );
        assert_eq!(sized_exceptions_text(&r.sizes).unwrap(), "-");
        assert!(
            sized_terminal_line(&r.sizes)
                .unwrap()
                .contains("past the cache (the answer changes): dashmap")
        );

        // The same pick at both sizes is said once.
        let a = advice(sized_maps(0.5), 2, &Floor::default());
        let r = row(&a, "write-heavy-map");
        let text = sized_text(&r.sizes).unwrap();
        assert_eq!(
            text,
            "**mutex** at both map sizes. Small maps: the best in every cell; past the cache: \
             the best in every cell"
        );
        let a = advice(sized_maps(2.0)[..1].to_vec(), 2, &Floor::default());
        assert_eq!(sized_text(&row(&a, "write-heavy-map").sizes), None);
    }
}
