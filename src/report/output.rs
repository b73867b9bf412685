//! Writing the report as a whole.
//!
//! Every file is first written (atomically, flushed) into a staging
//! directory inside the out directory; only when all of them are there are
//! they renamed into place, one rename each. A failure while staging leaves
//! the previous report untouched; files in the out directory that are not
//! part of the report are never touched, except stale charts of scenarios
//! that no longer exist.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::render::File;
use crate::io::write_atomic;

/// Writes `files` (paths relative to `out`) into `out`; returns the paths
/// written.
pub fn write_report(out: &Path, files: Vec<File>) -> Result<Vec<PathBuf>> {
    for (rel, _) in &files {
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            bail!(
                "refusing to write {} outside {}",
                rel.display(),
                out.display()
            );
        }
    }
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let staging = out.join(format!(".report-staging-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging)
            .with_context(|| format!("cannot clear {}", staging.display()))?;
    }
    let staged = (|| -> Result<()> {
        for (rel, bytes) in &files {
            write_atomic(&staging.join(rel), bytes)?;
        }
        Ok(())
    })();
    if let Err(e) = staged {
        let _ = fs::remove_dir_all(&staging);
        return Err(e.context(format!(
            "report not written; the previous one in {} is unchanged",
            out.display()
        )));
    }
    // Everything the renames need is checked first, so a failure here still
    // leaves the previous report whole.
    let ready = (|| -> Result<()> {
        for (rel, _) in &files {
            let dest = out.join(rel);
            if let Some(parent) = dest.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            if dest.is_dir() {
                bail!("{} is a directory", dest.display());
            }
        }
        Ok(())
    })();
    if let Err(e) = ready {
        let _ = fs::remove_dir_all(&staging);
        return Err(e.context(format!(
            "report not written; the previous one in {} is unchanged",
            out.display()
        )));
    }
    let mut written = Vec::with_capacity(files.len());
    let result = (|| -> Result<()> {
        for (rel, _) in &files {
            let dest = out.join(rel);
            fs::rename(staging.join(rel), &dest)
                .with_context(|| format!("cannot move the new {} into place", dest.display()))?;
            written.push(rel.clone());
        }
        Ok(())
    })();
    let _ = fs::remove_dir_all(&staging);
    result?;
    remove_stale_charts(out, &written);
    Ok(written)
}

/// Removes `charts/*.{svg,png}` that this report did not write.
fn remove_stale_charts(out: &Path, written: &[PathBuf]) {
    let keep: BTreeSet<&Path> = written.iter().map(PathBuf::as_path).collect();
    let Ok(entries) = fs::read_dir(out.join("charts")) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let is_chart = path.extension().is_some_and(|x| x == "svg" || x == "png");
        let rel = Path::new("charts").join(e.file_name());
        if is_chart && e.file_type().is_ok_and(|t| t.is_file()) && !keep.contains(rel.as_path()) {
            let _ = fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("syncbench-output-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn writes_all_and_removes_stale_charts_only() {
        let d = scratch("all");
        fs::create_dir_all(d.join("charts")).unwrap();
        fs::write(d.join("charts/old.svg"), "old").unwrap();
        fs::write(d.join("charts/README"), "keep").unwrap();
        fs::write(d.join("NOTES.md"), "keep").unwrap();
        let files = vec![
            (PathBuf::from("DECISIONS.md"), b"new".to_vec()),
            (PathBuf::from("charts/a.svg"), b"<svg/>".to_vec()),
        ];
        let w = write_report(&d, files).unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!(fs::read(d.join("DECISIONS.md")).unwrap(), b"new");
        assert!(!d.join("charts/old.svg").exists());
        assert!(d.join("charts/README").exists() && d.join("NOTES.md").exists());
        let left: Vec<_> = fs::read_dir(&d)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        assert!(left.is_empty(), "staging removed");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_failed_write_keeps_the_previous_report() {
        let d = scratch("fail");
        write_report(&d, vec![(PathBuf::from("DECISIONS.md"), b"old".to_vec())]).unwrap();
        // `charts` staged as a file, then `charts/a.svg` needs it to be a
        // directory: staging fails half-way.
        let files = vec![
            (PathBuf::from("DECISIONS.md"), b"new".to_vec()),
            (PathBuf::from("charts"), b"oops".to_vec()),
            (PathBuf::from("charts/a.svg"), b"<svg/>".to_vec()),
        ];
        let e = format!("{:#}", write_report(&d, files).unwrap_err());
        assert!(e.contains("previous one"), "{e}");
        assert_eq!(fs::read(d.join("DECISIONS.md")).unwrap(), b"old");
        assert_eq!(fs::read_dir(&d).unwrap().count(), 1, "no staging left");
        let escape = vec![(PathBuf::from("../escape.md"), b"no".to_vec())];
        assert!(write_report(&d, escape).is_err());
        assert!(!d.parent().unwrap().join("escape.md").exists());
        fs::remove_dir_all(&d).unwrap();
    }
}
