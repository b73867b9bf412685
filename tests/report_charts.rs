//! The charts, on the report pipeline over real results
//! (`tests/fixtures/counter-quick`, measured at 1 and 2 threads): line
//! charts as measured, bar charts for the same results cut down to one
//! thread count, and CPU cost charts beside both.
//!
//! Structure only, never pixels: every series has its own (colour, dash,
//! marker); colour is the family; legends and bars are in throughput order;
//! every legend entry is in the SVG's text; the cost chart exists exactly
//! when CPU data does, and the pages show and link it.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use syncbench::report::analyse::model::{Model, Scenario};
use syncbench::report::fmt::fmt_si;
use syncbench::report::render::chart::{self, Chart, Kind, Style};
use syncbench::report::{self, Log, Options};

mod fixture;

use fixture::{FIXTURE, copy_dir};

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    fixture::scratch("charts", name)
}

/// Removes every result (criterion's `<group>/<strategy>/<threads>/`) and
/// sidecar (`<threads>.json`) of a thread count other than `keep`.
fn keep_threads(dir: &Path, keep: &str) {
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if e.file_type().unwrap().is_dir() {
            if digits(&name) && name != keep {
                fs::remove_dir_all(e.path()).unwrap();
            } else {
                keep_threads(&e.path(), keep);
            }
        } else if let Some(t) = name.strip_suffix(".json")
            && digits(t)
            && t != keep
        {
            fs::remove_file(e.path()).unwrap();
        }
    }
}

/// Sets every sidecar's CPU time to null.
fn drop_cpu(dir: &Path) {
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().unwrap().is_dir() {
            drop_cpu(&e.path());
        } else if name.ends_with(".json") && !name.starts_with("run-") {
            let mut v: Value = serde_json::from_slice(&fs::read(e.path()).unwrap()).unwrap();
            if let Some(o) = v.as_object_mut()
                && o.contains_key("cpu_ns_per_op")
            {
                o.insert("cpu_ns_per_op".into(), Value::Null);
                fs::write(e.path(), serde_json::to_vec(&v).unwrap()).unwrap();
            }
        }
    }
}

/// A copy of the whole fixture.
fn fixture(root: &Path) -> PathBuf {
    let d = root.join("criterion");
    copy_dir(Path::new(FIXTURE), &d);
    d
}

/// The model of `input` (and the chart font registered, as the report does).
fn model(input: &Path) -> Model {
    syncbench::register_fonts();
    let mut sink = |_: &str| {};
    let mut log = Log::new(&mut sink);
    report::load(input, &mut log).unwrap().model
}

fn run(input: &Path, out: &Path) {
    let mut sink = |_: &str| {};
    let mut log = Log::new(&mut sink);
    report::run(
        &Options {
            input: input.to_path_buf(),
            out: out.to_path_buf(),
        },
        &mut log,
    )
    .unwrap();
}

/// Every `<text>` of an SVG: its content and its y coordinate.
fn texts(svg: &str) -> Vec<(String, i64)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            (
                n.text().unwrap_or_default().trim().to_string(),
                n.attribute("y").and_then(|y| y.parse().ok()).unwrap_or(-1),
            )
        })
        .collect()
}

/// Checks what every chart must hold: one style per series, colour by
/// family, every legend entry in the SVG, top to bottom in legend order,
/// values in descending order (none last).
fn check_chart(s: &Scenario, c: &Chart, what: &str) {
    let keys: HashSet<_> = c.styles.iter().map(Style::key).collect();
    assert_eq!(keys.len(), c.styles.len(), "{what}: a style is shared");
    for st in &c.styles {
        assert_eq!(
            st.color,
            chart::family_look(st.family).0,
            "{what}: {} not in its family's colour",
            st.strategy
        );
        let series = s.series.iter().find(|x| x.strategy == st.strategy).unwrap();
        assert_eq!(st.family, series.family, "{what}");
        assert_eq!(st.reference, series.is_reference(), "{what}");
    }
    // Families apart are colours apart (the fixture's families never share).
    for a in &c.styles {
        for b in &c.styles {
            assert_eq!(a.family == b.family, a.color == b.color, "{what}");
        }
    }
    let t = texts(&c.svg);
    let mut last_y = i64::MIN;
    for st in &c.styles {
        let ys: Vec<i64> = t
            .iter()
            .filter(|(x, _)| *x == st.label)
            .map(|(_, y)| *y)
            .collect();
        assert_eq!(ys.len(), 1, "{what}: legend entry {:?} in {t:?}", st.label);
        assert!(ys[0] > last_y, "{what}: {} out of order", st.label);
        last_y = ys[0];
    }
    assert_eq!(c.values.len(), c.styles.len());
    let present = c.values.iter().take_while(|v| v.is_some()).count();
    assert!(
        c.values[present..].iter().all(Option::is_none),
        "{what}: {:?}",
        c.values
    );
    for w in c.values[..present].windows(2) {
        assert!(w[0] >= w[1], "{what}: not sorted: {:?}", c.values);
    }
}

#[test]
fn line_charts_tell_every_series_apart_in_throughput_order() {
    let m = model(Path::new(FIXTURE));
    assert_eq!(m.scenarios.len(), 5);
    for s in &m.scenarios {
        assert_eq!(s.threads, [1, 2], "{}", s.id);
        assert_eq!(chart::kind(s), Kind::Lines);
        let c = chart::render(s).unwrap();
        assert_eq!(c.kind, Kind::Lines);
        assert_eq!(c.styles.len(), s.series.len(), "{}", s.id);
        assert_eq!(c.styles, chart::styles(s));
        check_chart(s, &c, &s.id);
        // The legend's order is the throughput at 2 threads.
        let mut at2: Vec<(f64, &str)> = s
            .series
            .iter()
            .filter_map(|x| x.points.get(&2).map(|p| (p.throughput.point, &*x.strategy)))
            .collect();
        at2.sort_by(|a, b| b.0.total_cmp(&a.0));
        let legend: Vec<&str> = c.styles.iter().map(|x| x.strategy.as_str()).collect();
        let expected: Vec<&str> = at2.iter().map(|x| x.1).collect();
        assert_eq!(legend[..expected.len()], expected[..], "{}", s.id);
        assert!(
            texts(&c.svg)
                .iter()
                .any(|(t, _)| t == &format!("{}: throughput vs threads", s.id))
        );
    }
}

#[test]
fn single_thread_scenarios_are_bars_sorted_by_throughput() {
    let root = scratch("bars");
    let input = fixture(&root);
    keep_threads(&input, "1");
    let m = model(&input);
    assert_eq!(m.scenarios.len(), 5);
    let mut references = 0;
    for s in &m.scenarios {
        assert_eq!(s.threads, [1], "{}", s.id);
        assert_eq!(chart::kind(s), Kind::Bars);
        let c = chart::render(s).unwrap();
        assert_eq!(c.kind, Kind::Bars);
        assert_eq!(c.styles.len(), s.series.len(), "{}", s.id);
        check_chart(s, &c, &s.id);
        // Every bar has a value, fastest on top, printed at its end.
        assert!(c.values.iter().all(Option::is_some), "{}", s.id);
        let t = texts(&c.svg);
        for (st, v) in c.styles.iter().zip(&c.values) {
            let v = v.unwrap();
            let x = s.series.iter().find(|x| x.strategy == st.strategy).unwrap();
            assert_eq!(v, x.points[&1].throughput.point);
            let bar = t.iter().find(|(l, _)| *l == st.label).unwrap().1;
            assert!(
                t.iter().any(|(l, y)| *l == fmt_si(v) && *y == bar),
                "{}: no value {} beside {}",
                s.id,
                fmt_si(v),
                st.label
            );
            assert_eq!(st.label.ends_with(", reference)"), x.is_reference());
            references += usize::from(x.is_reference());
        }
        assert!(
            t.iter()
                .any(|(l, _)| *l == format!("{}: throughput at 1 thread", s.id))
        );
        // The cost chart keeps the rows, so the two read side by side.
        if let Some(cost) = chart::render_cost(s).unwrap() {
            assert_eq!(cost.kind, Kind::Bars);
            assert_eq!(cost.styles, c.styles, "{}", s.id);
        }
    }
    // no-sharing in counter/increment/{hot,warm}; noop and the hand-written
    // loop in counter/overhead.
    assert_eq!(references, 4);

    // Through the whole report: pages link both charts of every scenario.
    let out = root.join("out");
    run(&input, &out);
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    for s in &m.scenarios {
        let stem = s.file_stem();
        assert!(md.contains(&format!("(charts/{stem}.png)")), "{stem}");
        assert!(md.contains(&format!("(charts/{stem}-cpu.png)")), "{stem}");
    }
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn cost_charts_exist_exactly_where_cpu_data_does() {
    let root = scratch("cost");
    let input = fixture(&root);
    let out = root.join("out");
    run(&input, &out);
    let m = model(&input);
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    let mut costs = 0;
    for s in &m.scenarios {
        let stem = s.file_stem();
        let cpu = s
            .series
            .iter()
            .flat_map(|x| x.points.values())
            .any(|p| p.cpu().is_some());
        assert_eq!(chart::has_cost(s), cpu, "{}", s.id);
        let svg = out.join(format!("charts/{stem}-cpu.svg"));
        assert_eq!(svg.is_file(), cpu, "{}", s.id);
        assert_eq!(out.join(format!("charts/{stem}-cpu.png")).is_file(), cpu);
        assert_eq!(md.contains(&format!("(charts/{stem}-cpu.svg)")), cpu);
        assert_eq!(
            html.contains(&format!("href=\"charts/{stem}-cpu.png\"")),
            cpu
        );
        if !cpu {
            continue;
        }
        costs += 1;
        let svg = fs::read_to_string(svg).unwrap();
        let c = chart::render_cost(s).unwrap().unwrap();
        assert_eq!(c.svg, svg, "{}: the file is the chart", s.id);
        assert_eq!(c.kind, Kind::Lines);
        check_chart(s, &c, &format!("{} cost", s.id));
        // Styles match the throughput chart's; only series with CPU time.
        let thr = chart::styles(s);
        for st in &c.styles {
            assert!(thr.contains(st), "{}: {} restyled", s.id, st.strategy);
        }
        let with_cpu: BTreeSet<&str> = s
            .series
            .iter()
            .filter(|x| x.points.values().any(|p| p.cpu().is_some()))
            .map(|x| x.strategy.as_str())
            .collect();
        let drawn: BTreeSet<&str> = c.styles.iter().map(|x| x.strategy.as_str()).collect();
        assert_eq!(drawn, with_cpu, "{}", s.id);
        // Values are the median CPU time at the last thread count.
        for (st, v) in c.styles.iter().zip(&c.values) {
            let x = s.series.iter().find(|x| x.strategy == st.strategy).unwrap();
            let want = x.points.get(&2).and_then(|p| p.cpu()).map(|c| c.median);
            assert_eq!(*v, want, "{}: {}", s.id, st.strategy);
        }
        let t = texts(&svg);
        assert!(
            t.iter()
                .any(|(l, _)| *l == format!("{}: CPU time per operation vs threads", s.id))
        );
        // In index.html, right after the throughput chart.
        let thr_at = html
            .find(&format!("{}: throughput vs threads</text>", s.id))
            .or_else(|| html.find(&format!("{}: throughput vs threads\n</text>", s.id)))
            .unwrap();
        let cost_at = html
            .find(&format!("{}: CPU time per operation vs threads", s.id))
            .unwrap();
        assert!(cost_at > thr_at, "{}", s.id);
    }
    assert!(costs >= 4, "the fixture has CPU time for most scenarios");

    // Without CPU time: no cost chart, no link.
    drop_cpu(&input);
    let out2 = root.join("out2");
    run(&input, &out2);
    let md = fs::read_to_string(out2.join("DECISIONS.md")).unwrap();
    assert!(!md.contains("-cpu."), "{md}");
    let charts: Vec<String> = fs::read_dir(out2.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let (maps, scenario_charts): (Vec<&String>, Vec<&String>) =
        charts.iter().partition(|c| c.starts_with("winner-map_"));
    assert_eq!(scenario_charts.len(), 10, "{charts:?}");
    assert_eq!(maps.len(), 4, "two winner maps, SVG and PNG: {charts:?}");
    assert!(charts.iter().all(|c| !c.contains("-cpu")), "{charts:?}");
    for s in &model(&input).scenarios {
        assert!(chart::render_cost(s).unwrap().is_none(), "{}", s.id);
    }
    fs::remove_dir_all(&root).unwrap();
}
