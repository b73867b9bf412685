//! File helpers shared by the benches' sidecars and the report: JSON loading
//! whose errors carry the path, and atomic writes (temp file + rename) so a
//! failure never leaves a half-written file or destroys the previous one.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;

/// Reads and parses a JSON file; the error names the file.
pub fn load_json<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("invalid JSON in {}", path.display()))
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same
/// directory, flushed to disk, then renamed over `path`. Creates missing
/// parent directories.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file path", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f =
            fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        fs::rename(&tmp, path)
            .with_context(|| format!("cannot move {} to {}", tmp.display(), path.display()))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("syncbench-io-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn write_atomic_creates_dirs_and_replaces() {
        let d = scratch("replace");
        let p = d.join("a/b/out.json");
        write_atomic(&p, b"[1]").unwrap();
        write_atomic(&p, b"[2]").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"[2]");
        assert_eq!(
            fs::read_dir(p.parent().unwrap()).unwrap().count(),
            1,
            "no temp files left"
        );
        let v: Vec<u32> = load_json(&p).unwrap();
        assert_eq!(v, vec![2]);
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn write_atomic_failure_keeps_previous_file() {
        let d = scratch("keep");
        let p = d.join("out.json");
        write_atomic(&p, b"old").unwrap();
        // A directory where the temp file would go makes the write fail.
        let tmp = d.join(format!(".out.json.tmp-{}", std::process::id()));
        fs::create_dir_all(tmp.join("blocker")).unwrap();
        assert!(write_atomic(&p, b"new").is_err());
        assert_eq!(fs::read(&p).unwrap(), b"old");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn load_json_errors_name_the_file() {
        let d = scratch("bad");
        let p = d.join("bad.json");
        write_atomic(&p, b"{ truncated").unwrap();
        let e = format!("{:#}", load_json::<serde_json::Value>(&p).unwrap_err());
        assert!(e.contains("bad.json"), "{e}");
        let missing = format!(
            "{:#}",
            load_json::<serde_json::Value>(&d.join("nope.json")).unwrap_err()
        );
        assert!(missing.contains("nope.json"), "{missing}");
        fs::remove_dir_all(&d).unwrap();
    }
}
