//! File helpers shared by the benches' sidecars and the report: bounded
//! reads of regular files only ([`read_bounded`]: no FIFO, device or symlink
//! loop, a size cap per kind of file), JSON loading whose errors carry the
//! path, and atomic writes (temp file + rename) so a
//! failure never leaves a half-written file or destroys the previous one.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;

/// Size cap for small JSON files: criterion's `estimates.json` and
/// `benchmark.json`, the harness's sidecars and run fingerprints.
pub const SMALL_JSON_CAP: u64 = 8 << 20;

/// Size cap for Go's benchmark output (`go/bench.txt`).
pub const GO_TEXT_CAP: u64 = 64 << 20;

/// Size cap for a result bundle or a report's `results.json`.
pub const BUNDLE_CAP: u64 = 512 << 20;

/// `n` bytes as the caps are written (`8 MiB`).
pub fn mib(n: u64) -> String {
    format!("{} MiB", n >> 20)
}

/// Reads and parses a JSON file of at most [`SMALL_JSON_CAP`] bytes
/// ([`read_bounded`]); the error names the file.
pub fn load_json<T: DeserializeOwned>(path: &Path) -> Result<T> {
    load_json_capped(path, SMALL_JSON_CAP)
}

/// Reads and parses a JSON file of at most `cap` bytes ([`read_bounded`]);
/// the error names the file.
pub fn load_json_capped<T: DeserializeOwned>(path: &Path, cap: u64) -> Result<T> {
    let bytes = read_bounded(path, cap)?;
    serde_json::from_slice(&bytes).with_context(|| format!("invalid JSON in {}", path.display()))
}

/// Opens `path` for reading if it is a regular file (after symlinks):
/// a FIFO, device, socket or directory is refused with a message naming
/// it, and never blocks (the file is opened non-blocking and checked again
/// once open); a symlink loop is named as such.
pub fn open_regular(path: &Path) -> Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let shown = path.display();
    let meta = fs::metadata(path).map_err(|e| {
        if e.raw_os_error() == Some(libc::ELOOP) {
            anyhow::anyhow!("a symlink loop (too many levels of symbolic links)")
                .context(format!("cannot read {shown}"))
        } else {
            anyhow::Error::new(e).context(format!("cannot read {shown}"))
        }
    })?;
    not_special(path, &meta)?;
    let f = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .with_context(|| format!("cannot read {shown}"))?;
    let meta = f
        .metadata()
        .with_context(|| format!("cannot read {shown}"))?;
    not_special(path, &meta)?;
    Ok(f)
}

fn not_special(path: &Path, meta: &fs::Metadata) -> Result<()> {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    let kind = if t.is_file() {
        return Ok(());
    } else if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    };
    Err(anyhow::anyhow!("it is {kind}, not a regular file")
        .context(format!("cannot read {}", path.display())))
}

/// Reads a regular file ([`open_regular`]) of at most `cap` bytes; a larger
/// one is refused, naming the file and the cap, before it is read (and
/// never more than `cap` bytes are read, should it grow meanwhile).
pub fn read_bounded(path: &Path, cap: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let f = open_regular(path)?;
    let too_big = || {
        anyhow::anyhow!("larger than the {} cap for this kind of file", mib(cap))
            .context(format!("cannot read {}", path.display()))
    };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    if len > cap {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    f.take(cap + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > cap {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Removes what runs killed while writing `path` left beside it:
/// `.<name>.<what>-<pid>` files or directories ([`write_atomic`]'s
/// `tmp`, the report's `staging`) whose process is gone. A live process's
/// are kept, and so is anything whose name does not end in a pid.
pub fn remove_dead_siblings(path: &Path, what: &str) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Some(name) = path.file_name() else {
        return;
    };
    let prefix = format!(".{}.{what}-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name();
        let Some(pid) = file
            .to_str()
            .and_then(|f| f.strip_prefix(&prefix))
            .and_then(|p| p.parse::<libc::pid_t>().ok())
        else {
            continue;
        };
        if pid <= 0 || pid_alive(pid) {
            continue;
        }
        match e.file_type() {
            Ok(t) if t.is_dir() => {
                let _ = fs::remove_dir_all(e.path());
            }
            Ok(_) => {
                let _ = fs::remove_file(e.path());
            }
            Err(_) => {}
        }
    }
}

/// Whether process `pid` exists (or cannot be told not to).
fn pid_alive(pid: libc::pid_t) -> bool {
    // SAFETY: signal 0 sends nothing; it only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    !(r == -1 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH))
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
