//! The report is a one-way pipeline: `input` → `analyse` → `render` →
//! `compare`, with `log` and `fmt` beneath every stage and `report/mod.rs`
//! chaining them. This test reads the sources of `src/report` and fails
//!
//! - when a file imports from a later stage than its own (an arrow that
//!   runs back up the pipeline), and
//! - when the files' imports form a cycle, inside a stage or across stages.
//!
//! It reads `crate::report::...` paths (in `use` lines and in code) outside
//! `#[cfg(test)]` modules; a `super::` path outside them is refused, so that
//! no import can hide from it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Stages in pipeline order; a file may use its own stage and earlier ones.
const STAGES: &[&str] = &["log", "fmt", "input", "analyse", "render", "compare"];

fn report_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/report")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file below `src/report` (`analyse/model.rs` →
/// `["analyse", "model"]`, `analyse/mod.rs` → `["analyse"]`, `mod.rs` →
/// `[]`).
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The code of a file without its `#[cfg(test)]` modules and comments.
fn code_of(src: &str) -> String {
    let mut out = String::new();
    let mut skip_depth: Option<i64> = None;
    let mut depth: i64 = 0;
    let mut pending_test = false;
    for line in src.lines() {
        let t = line.trim_start();
        if t.starts_with("//") {
            continue;
        }
        if t.starts_with("#[cfg(test)]") {
            pending_test = true;
            continue;
        }
        let opens = line.matches('{').count() as i64;
        let closes = line.matches('}').count() as i64;
        if pending_test && skip_depth.is_none() {
            skip_depth = Some(depth);
            pending_test = false;
        }
        depth += opens - closes;
        match skip_depth {
            Some(d) if depth <= d && (opens > 0 || closes > 0) => skip_depth = None,
            Some(_) => {}
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// Every `crate::report::a::b` path in `code`, braces expanded one level
/// (`crate::report::analyse::{model, stats::Floor}` gives
/// `analyse::model` and `analyse::stats::Floor`).
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let needle = "crate::report::";
    let mut rest = code;
    while let Some(at) = rest.find(needle) {
        rest = &rest[at + needle.len()..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let head: Vec<String> = rest[..end]
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if rest[end..].starts_with('{') {
            let close = rest[end..].find('}').map_or(rest.len(), |i| end + i);
            for item in rest[end + 1..close].split(',') {
                let item = item.split_whitespace().next().unwrap_or("");
                let mut p = head.clone();
                p.extend(
                    item.split("::")
                        .filter(|s| !s.is_empty() && *s != "self")
                        .map(str::to_string),
                );
                out.push(p);
            }
        } else {
            out.push(head);
        }
    }
    out
}

/// The file a module path points into: the longest prefix that is a file.
fn file_of(path: &[String], files: &BTreeMap<Vec<String>, PathBuf>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| files.contains_key(p))
}

fn stage_of(module: &[String]) -> Option<usize> {
    module
        .first()
        .and_then(|m| STAGES.iter().position(|s| s == m))
}

struct Graph {
    files: BTreeMap<Vec<String>, PathBuf>,
    edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
    supers: Vec<String>,
}

fn graph() -> Graph {
    let root = report_dir();
    let mut list = Vec::new();
    rust_files(&root, &mut list);
    let files: BTreeMap<Vec<String>, PathBuf> = list
        .iter()
        .map(|p| (module_of(p.strip_prefix(&root).unwrap()), p.clone()))
        .collect();
    let mut edges = BTreeMap::new();
    let mut supers = Vec::new();
    for (module, path) in &files {
        let code = code_of(&fs::read_to_string(path).unwrap());
        if code.contains("super::") {
            supers.push(path.display().to_string());
        }
        let to: BTreeSet<Vec<String>> = paths_in(&code)
            .iter()
            .filter_map(|p| file_of(p, &files))
            .filter(|f| f != module && !module.starts_with(f))
            .collect();
        edges.insert(module.clone(), to);
    }
    Graph {
        files,
        edges,
        supers,
    }
}

#[test]
fn the_report_is_read_as_its_folders_say() {
    let g = graph();
    for stage in STAGES {
        assert!(
            g.files
                .keys()
                .any(|m| m.first().map(String::as_str) == Some(stage)),
            "stage {stage} has no file: update STAGES with the layout"
        );
    }
    assert!(
        g.supers.is_empty(),
        "use crate::report:: paths, not super::, outside tests (this test reads them): {:?}",
        g.supers
    );
    // Every file of src/report belongs to a stage, except the driver.
    for m in g.files.keys() {
        assert!(
            m.is_empty() || stage_of(m).is_some(),
            "{m:?} is in no stage of {STAGES:?}"
        );
    }
}

#[test]
fn no_import_runs_back_up_the_pipeline() {
    let g = graph();
    let mut back = Vec::new();
    for (from, tos) in &g.edges {
        let Some(a) = stage_of(from) else { continue };
        for to in tos {
            if to.is_empty() {
                back.push(format!(
                    "{} uses report/mod.rs (the driver)",
                    from.join("/")
                ));
            } else if stage_of(to).is_some_and(|b| b > a) {
                back.push(format!("{} uses {}", from.join("/"), to.join("/")));
            }
        }
    }
    assert!(
        back.is_empty(),
        "imports against the pipeline:\n{}",
        back.join("\n")
    );
}

#[test]
fn the_files_import_each_other_without_cycles() {
    let g = graph();
    // Depth-first search for a back edge.
    fn visit(
        n: &Vec<String>,
        g: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        state.insert(n.clone(), 1);
        stack.push(n.clone());
        for m in g.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|x| x == m).unwrap();
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(m, g, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.edges.keys() {
        if state.get(n).copied().unwrap_or(0) == 0
            && let Some(c) = visit(n, &g.edges, &mut state, &mut Vec::new())
        {
            let names: Vec<String> = c.iter().map(|m| m.join("/")).collect();
            panic!("import cycle: {}", names.join(" -> "));
        }
    }
}

#[test]
fn the_checks_see_a_backward_import_and_a_cycle() {
    // The readers the tests rely on, on sources written to fail.
    let code = code_of(
        "use crate::report::render::{doc, chart::Style};\n\
         fn f() { crate::report::compare::diff::read(); }\n\
         #[cfg(test)]\nmod tests {\n    use crate::report::log::Log;\n}\n",
    );
    let paths = paths_in(&code);
    assert!(paths.contains(&vec!["render".into(), "doc".into()]));
    assert!(paths.contains(&vec!["render".into(), "chart".into(), "Style".into()]));
    assert!(paths.contains(&vec!["compare".into(), "diff".into(), "read".into()]));
    assert!(
        !paths.iter().any(|p| p.first().is_some_and(|s| s == "log")),
        "test modules are left out: {paths:?}"
    );
    assert!(stage_of(&["render".into()]) > stage_of(&["analyse".into()]));
}
