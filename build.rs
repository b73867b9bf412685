//! Captures, at build time, what the run fingerprint (`machine.json`) reports
//! about the toolchain: the `rustc -V` line and the locked versions of the
//! crates whose primitives are under test.
//!
//! Strategy crates are syncbench's direct dependencies from `Cargo.lock`
//! minus the tooling below (so a workload that adds a crate shows up without
//! touching this file), plus crossbeam's sub-crates (the `crossbeam` facade
//! re-exports them; their versions are what actually runs).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Direct dependencies that are tooling, not primitives under test.
const TOOLING: &[&str] = &[
    "anyhow",
    "clap",
    "cpu-time",
    "criterion",
    "dejavu",
    "hdrhistogram",
    "loom",
    "plotters",
    "png",
    "roxmltree",
    "serde",
    "serde_json",
    "sysinfo",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-env-changed=RUSTC");

    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let version = Command::new(&rustc)
        .arg("-V")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=SYNCBENCH_RUSTC_VERSION={version}");

    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_string());
    let lock = std::fs::read_to_string(Path::new(&manifest).join("Cargo.lock")).unwrap_or_default();
    let crates = strategy_crates(&lock)
        .into_iter()
        .map(|(name, versions)| format!("{name}={}", versions.join("/")))
        .collect::<Vec<_>>()
        .join(",");
    println!("cargo:rustc-env=SYNCBENCH_CRATE_VERSIONS={crates}");
}

/// One `[[package]]` entry of a lock file.
#[derive(Default)]
struct Package {
    name: String,
    version: String,
    dependencies: Vec<String>,
}

/// Parses the few lock-file fields we need (`name`, `version`,
/// `dependencies`), tolerating anything else.
fn packages(lock: &str) -> Vec<Package> {
    let mut out: Vec<Package> = Vec::new();
    let mut in_deps = false;
    for line in lock.lines() {
        let line = line.trim();
        if line == "[[package]]" {
            out.push(Package::default());
            in_deps = false;
            continue;
        }
        let Some(pkg) = out.last_mut() else { continue };
        if in_deps {
            if line.starts_with(']') {
                in_deps = false;
            } else if let Some(dep) = quoted(line) {
                // "name" or "name version" when several versions are locked.
                let name = dep.split_whitespace().next().unwrap_or_default();
                pkg.dependencies.push(name.to_string());
            }
        } else if let Some(v) = line.strip_prefix("name = ") {
            pkg.name = quoted(v).unwrap_or_default().to_string();
        } else if let Some(v) = line.strip_prefix("version = ") {
            pkg.version = quoted(v).unwrap_or_default().to_string();
        } else if line.starts_with("dependencies = [") {
            in_deps = !line.ends_with(']');
        }
    }
    out
}

fn quoted(s: &str) -> Option<&str> {
    let s = s.trim().trim_end_matches(',');
    s.strip_prefix('"')?.strip_suffix('"')
}

/// Strategy crate name -> locked versions.
fn strategy_crates(lock: &str) -> BTreeMap<String, Vec<String>> {
    let pkgs = packages(lock);
    let direct: Vec<String> = pkgs
        .iter()
        .find(|p| p.name == "syncbench")
        .map(|p| p.dependencies.clone())
        .unwrap_or_default();
    let wanted = |name: &str| {
        (direct.iter().any(|d| d == name) && !TOOLING.contains(&name))
            || (name.starts_with("crossbeam-") && direct.iter().any(|d| d == "crossbeam"))
    };
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in pkgs.iter().filter(|p| wanted(&p.name)) {
        let versions = out.entry(p.name.clone()).or_default();
        if !versions.contains(&p.version) {
            versions.push(p.version.clone());
        }
    }
    out
}
