//! The report as a page one would browse, on the real counter fixture
//! (`tests/fixtures/counter-quick`): "what to use" first, then the table
//! of contents; winner maps drawn, coloured by family, ties grey; sortable
//! tables; hover titles on chart points; a layout for narrow screens; and
//! nothing fetched from the network. `scripts/browser-check.sh` checks the
//! same page in a real browser.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use syncbench::report::analyse::advice;
use syncbench::report::analyse::grid::CellKind;
use syncbench::report::render::chart::family_look;
use syncbench::report::render::html::{SELFCHECK_JS, SORT_JS};
use syncbench::report::render::winner_map::{self, TIE};
use syncbench::report::{self, Log, Options};

mod fixture;

use fixture::FIXTURE;

/// The fixture's report, rendered once for every test here (charts are
/// slow in debug builds); the tests only read it.
fn report() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| render(&fixture::scratch("page", "report")))
}

/// Renders the fixture's report into `out`.
fn render(out: &Path) -> PathBuf {
    let out = out.to_path_buf();
    let mut sink = |_: &str| {};
    let mut log = Log::new(&mut sink);
    report::run(
        &Options {
            input: PathBuf::from(FIXTURE),
            out: out.clone(),
        },
        &mut log,
    )
    .unwrap();
    out
}

/// Every value of `attr="..."` in `html`.
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    html.split(&pat)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[test]
fn what_to_use_comes_first_then_the_contents() {
    let out = report();
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();

    // index.html: the heading, its table, then the contents, then the rest.
    let heading = html
        .find("<h2 id=\"what-to-use\">What to use</h2>")
        .unwrap();
    let table = heading + html[heading..].find("<table>").unwrap();
    let contents = html.find("<h2 id=\"contents\">").unwrap();
    assert!(
        heading < table && table < contents,
        "{heading} {table} {contents}"
    );
    assert_eq!(
        html[..heading].matches("<h2").count(),
        0,
        "what to use is the first section"
    );
    for later in [
        "id=\"what-to-use-by-cell\"",
        "id=\"measurement\"",
        "id=\"winner-maps\"",
        "id=\"rules\"",
        "id=\"scenarios\"",
    ] {
        assert!(html.find(later).unwrap() > contents, "{later}");
    }
    // DECISIONS.md likewise.
    let h2: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(h2[0], "## <a id=\"what-to-use\"></a>What to use");
    assert_eq!(h2[1], "## <a id=\"contents\"></a>Contents");
    assert_eq!(
        h2[2],
        "## <a id=\"what-to-use-by-cell\"></a>What to use, cell by cell"
    );
    // The first table: one line per situation, the pick and its exceptions.
    let first = md.split("## <a id=\"contents\">").next().unwrap();
    let picks: Vec<&str> = first.lines().filter(|l| l.starts_with("| ")).collect();
    assert_eq!(
        picks[0],
        "| situation | use | unless (beats it by 1.30x or more) |"
    );
    assert_eq!(picks.len(), 1 + 2, "{first}");
    for p in &picks[1..] {
        assert!(
            p.contains("never more than") || p.contains("the best in every cell"),
            "{p}"
        );
    }
    let section = md
        .split("## <a id=\"what-to-use-by-cell\">")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| ")).collect();
    assert_eq!(
        rows[0],
        "| situation | 1 thread | 2 threads (up to the 2 CPUs) | over 2 threads \
         (oversubscribed) | avoid (>= 10x slower) | the guide says | evidence |"
    );
    // Only the situations the counter fixture measures, in the guide's order.
    let situations: Vec<&str> = rows[1..]
        .iter()
        .filter(|l| !l.starts_with("|---"))
        .map(|l| l.split(" | ").next().unwrap().trim_start_matches("| "))
        .collect();
    assert_eq!(
        situations,
        [
            "A counter written by many threads",
            "A counter or config read far more often than written"
        ]
    );
    // Each row links its rule and its evidence; nothing is measured
    // oversubscribed (threads 1 and 2 on 2 CPUs).
    assert!(section.contains("](#rule-1): **"), "{section}");
    assert!(section.contains("](#rule-4): **"), "{section}");
    assert!(section.contains("[hot](#counter-increment-hot), [warm](#counter-increment-warm)"));
    assert!(
        section.contains("[90-10](#counter-read-mostly-90-10), [99-1](#counter-read-mostly-99-1)")
    );
    for r in &rows[2..] {
        assert_eq!(r.split(" | ").nth(3), Some("-"), "{r}");
    }
    // How the columns are aggregated is in the notes.
    assert!(md.contains("- What to use: for each situation"), "{md}");
}

#[test]
fn the_what_to_use_rows_are_the_decisions_aggregated() {
    let mut sink = |_: &str| {};
    let mut log = Log::new(&mut sink);
    let a = report::load(Path::new(FIXTURE), &mut log).unwrap();
    let (floor, decisions, rows) = (&a.floor, &a.decisions, &a.advice);
    assert_eq!(rows.len(), 2);
    for a in rows {
        // Every decided cell of the situation is in exactly one part of
        // exactly one regime.
        let decided: usize = decisions
            .iter()
            .filter(|d| a.scenarios.iter().any(|(id, _)| *id == d.scenario))
            .flat_map(|d| &d.rows)
            .filter(|r| r.contenders > 0)
            .count();
        let covered: usize = a
            .regimes
            .iter()
            .flat_map(|g| &g.parts)
            .map(|p| p.cells.len())
            .sum();
        assert_eq!(decided, covered, "{}", a.situation.id);
        for g in &a.regimes {
            for p in &g.parts {
                for c in &p.cells {
                    assert_eq!(advice::Regime::of(c.threads, floor.cpus), g.regime);
                }
            }
        }
    }
}

#[test]
fn winner_maps_are_drawn_coloured_by_family_with_grey_ties() {
    let out = report();
    let mut sink = |_: &str| {};
    let mut log = Log::new(&mut sink);
    let grids = report::load(Path::new(FIXTURE), &mut log).unwrap().grids;
    let stems: Vec<&str> = grids.iter().map(|g| g.stem.as_str()).collect();
    assert_eq!(
        stems,
        [
            "winner-map_counter-increment",
            "winner-map_counter-read-mostly"
        ]
    );
    // counter/increment: two contention levels, hot below warm, at 1 and 2 threads.
    let inc = &grids[0];
    let labels: Vec<&str> = inc.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["hot (0 ns)", "warm (~100 ns)"]);
    assert_eq!(inc.threads, [1, 2]);
    let md = fs::read_to_string(out.join("DECISIONS.md")).unwrap();
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(md.contains("## <a id=\"winner-maps\"></a>Winner maps"));
    for g in &grids {
        let svg = fs::read_to_string(out.join(format!("charts/{}.svg", g.stem))).unwrap();
        let png = fs::read(out.join(format!("charts/{}.png", g.stem))).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        assert!(
            md.contains(&format!("(charts/{}.png)", g.stem)),
            "{}",
            g.stem
        );
        assert!(
            md.contains(&format!("(charts/{}.svg)", g.stem)),
            "{}",
            g.stem
        );
        assert!(html.contains(&svg), "{}: inline in index.html", g.stem);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let fills: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect"))
            .filter_map(|n| n.attribute("fill").map(str::to_uppercase))
            .collect();
        let titles = doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .count();
        let mut cells = 0;
        for r in &g.rows {
            for c in &r.cells {
                cells += 1;
                let colour = winner_map::fill(c);
                match c.kind {
                    CellKind::Winner => assert_eq!(colour, family_look(c.family).0),
                    CellKind::Tie => assert_eq!(colour, TIE),
                    _ => {}
                }
                let hex = format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2);
                assert!(fills.contains(&hex), "{}: no cell in {hex}", g.stem);
            }
        }
        assert_eq!(titles, cells, "{}: a hover title per cell", g.stem);
        // A legend entry per winning family.
        let texts: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .map(|t| t.trim().to_string())
            .collect();
        for f in g.families() {
            assert!(texts.iter().any(|t| t == f.as_str()), "{}: {f:?}", g.stem);
        }
    }
}

#[test]
fn the_page_sorts_shows_values_on_hover_fits_narrow_screens_and_fetches_nothing() {
    let out = report();
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    // Sortable tables: the script, inline, after the content; every table
    // in a scrolling wrapper.
    assert!(html.contains(&format!("<script>{SORT_JS}</script>\n</body>")));
    assert!(html.contains("addEventListener('click'"));
    assert_eq!(
        html.matches("<table>").count(),
        html.matches("<div class=\"tw\">\n<table>").count()
    );
    assert!(html.contains(".tw{overflow-x:auto;max-width:100%}"));
    assert!(html.contains("figure svg,img{max-width:100%;height:auto}"));
    assert!(html.contains("<meta name=\"viewport\" content=\"width=device-width"));
    // The self-check is there and inert unless asked for.
    assert!(html.contains(&format!("<script>{SELFCHECK_JS}</script>")));
    assert!(SELFCHECK_JS.contains("if (!check) return;"));
    // Chart points carry their value and interval as a hover title.
    assert!(
        html.contains("<title>std-mutex (mutex), 2 threads: "),
        "no hover title on a point"
    );
    let tips = html.matches("<title>").count();
    assert!(tips > 100, "{tips} hover titles");
    assert!(html.contains(" ops/s ("));
    // Nothing from the network: no external src or href, no stylesheet
    // or font links, no imports.
    let mut refs = attrs(&html, "src");
    refs.extend(attrs(&html, "href"));
    assert!(!refs.is_empty());
    for r in &refs {
        assert!(
            !r.starts_with("http://") && !r.starts_with("https://") && !r.starts_with("//"),
            "external reference {r}"
        );
        if let Some(id) = r.strip_prefix('#') {
            assert!(html.contains(&format!(" id=\"{id}\"")), "no target for {r}");
        } else {
            assert!(out.join(r).exists(), "relative link {r} has no file");
        }
    }
    for bad in ["<link", "@import", "url(", "@font-face"] {
        assert!(!html.contains(bad), "{bad}");
    }
}
