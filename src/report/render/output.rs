//! Writing the report as a whole: all or nothing, even if killed.
//!
//! The report lives directly in the out directory (`reports/DECISIONS.md`,
//! `reports/charts/*.svg`), because people link to those paths. A new
//! report replaces the previous one in one atomic step:
//!
//! 1. **Lock.** An advisory lock on `<parent>/.<out>.lock` (next to the out
//!    directory, so it outlives the directory swap) serialises report runs
//!    on one out directory: a second run waits up to [`LOCK_WAIT`], then
//!    fails with "another report run is writing ...". The kernel drops the
//!    lock when its holder dies, even by `kill -9`. The lock file is opened
//!    with `O_NOFOLLOW`: a symlink planted in its place is refused, never
//!    followed. Before locking, staging directories of processes that no
//!    longer exist are removed (as `report bundle` and `report diff` do
//!    beside their inputs, see [`crate::io::remove_dead_siblings`]).
//! 2. **Clean up and check.** Holding the lock, no other run is staging, so
//!    any `<parent>/.<out>.staging-*` left is litter of a killed run and is
//!    removed. The parent, the out directory and the directories the report
//!    writes into must be writable; otherwise the run fails before anything
//!    is created, saying the previous report is unchanged.
//! 3. **Stage.** The complete new report is written (and fsynced) into a
//!    sibling directory `<parent>/.<out>.staging-<pid>` on the same file
//!    system. Every file of the old out directory that is not part of the
//!    report is carried over (hard link, or copy), so the user's unrelated
//!    files survive; stale charts (`charts/*.{svg,png}` the new report does
//!    not write) are the only files left behind. A file of the user's in
//!    the way of a report path is an error here, before the switch.
//! 4. **Switch.** One `renameat2(RENAME_EXCHANGE)` swaps the staging and
//!    out directories (a plain `rename` when there is no out directory yet).
//!    Then the old report, now under the staging name, is removed.
//!
//! Why a reader of the out path sees the old or the new report and never a
//! mix: until the switch, nothing under the out path has been modified
//! (staging, carrying and clean-up touch only the sibling directories), so a
//! failure or a kill at any point before it leaves the previous report as
//! it was. The switch is a single system call that the kernel performs
//! atomically: afterwards the out path names the complete, fsynced new
//! directory. After the switch only the sibling (the old report) is
//! touched. A kill at any moment thus leaves the out path holding one
//! complete report, plus at most a staging directory beside it, which the
//! next run removes.
//!
//! Where the file system cannot exchange directories (`EINVAL`, `ENOSYS`,
//! `EOPNOTSUPP`), the report falls back, with a warning, to moving the staged
//! files into place one rename at a time: each file is still replaced
//! atomically, but a failure half-way through that sequence leaves a mix.
//!
//! The chart file names are unique by construction
//! ([`crate::report::analyse::model::Scenario::file_stem`]); duplicate paths are still
//! rejected here, before anything is written.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

use crate::report::render::File;

/// How long a run waits for another run on the same out directory.
pub const LOCK_WAIT: Duration = Duration::from_secs(60);

/// A fault to inject, for tests: the write fails (or, for `NoExchange`,
/// the exchange is reported unsupported) at that step.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// After this many files are staged.
    Staging(usize),
    /// After the old report's other files are carried over.
    Carried,
    /// At the exchange itself (an I/O error).
    Switch,
    /// The exchange is unsupported: take the per-file fallback.
    NoExchange,
    /// In the fallback, after this many files were moved.
    Fallback(usize),
}

/// How [`write_report_with`] behaves.
pub struct WriteOptions<'a> {
    /// How long to wait for another run holding the lock.
    pub lock_wait: Duration,
    /// Receives warnings (the exchange fallback, clean-up failures).
    pub warn: &'a mut dyn FnMut(&str),
    /// Test hook: fail at this step.
    #[doc(hidden)]
    pub fault: Option<Fault>,
}

/// Writes `files` (paths relative to `out`) as the report in `out`,
/// replacing the previous one atomically; returns the paths written.
/// Warnings go to stderr.
pub fn write_report(out: &Path, files: Vec<File>) -> Result<Vec<PathBuf>> {
    let mut warn = |w: &str| eprintln!("warning: {w}");
    write_report_with(
        out,
        files,
        WriteOptions {
            lock_wait: LOCK_WAIT,
            warn: &mut warn,
            fault: None,
        },
    )
}

/// [`write_report`] with explicit options.
pub fn write_report_with(
    out: &Path,
    files: Vec<File>,
    opts: WriteOptions<'_>,
) -> Result<Vec<PathBuf>> {
    let unchanged = |e: anyhow::Error| {
        e.context(format!(
            "report not written; the previous one in {} is unchanged",
            out.display()
        ))
    };
    let (report, report_dirs) = check_paths(out, &files).map_err(unchanged)?;
    let target = Target::resolve(out).map_err(unchanged)?;
    crate::io::remove_dead_siblings(&target.path, "staging");
    let _lock = lock(&target, out, opts.lock_wait).map_err(unchanged)?;
    remove_litter(&target, opts.warn);
    check_writable(&target, &report_dirs).map_err(unchanged)?;

    let staging = target.sibling("staging", std::process::id());
    let staged = (|| -> Result<()> {
        fs::create_dir(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
        for (i, (rel, bytes)) in files.iter().enumerate() {
            if opts.fault == Some(Fault::Staging(i)) {
                bail!("injected fault after staging {i} files");
            }
            write_synced(&staging.join(rel), bytes)?;
            pause();
        }
        if target.exists {
            carry(&target.path, &staging, Path::new(""), &report, &report_dirs)?;
            let mode = fs::metadata(&target.path)?.permissions();
            fs::set_permissions(&staging, mode)?;
        }
        if opts.fault == Some(Fault::Carried) {
            bail!("injected fault after carrying the other files over");
        }
        for dir in std::iter::once(PathBuf::new()).chain(report_dirs.iter().cloned()) {
            sync_dir(&staging.join(dir))?;
        }
        Ok(())
    })();
    if let Err(e) = staged {
        let _ = remove_tree(&staging);
        return Err(unchanged(e));
    }
    pause();

    let written: Vec<PathBuf> = files.into_iter().map(|(rel, _)| rel).collect();
    if !target.exists {
        if let Err(e) = fs::rename(&staging, &target.path) {
            let _ = remove_tree(&staging);
            return Err(unchanged(anyhow!(e).context(format!(
                "cannot move the new report into {}",
                target.path.display()
            ))));
        }
        let _ = sync_dir(&target.parent);
        return Ok(written);
    }
    let swapped = if opts.fault == Some(Fault::Switch) {
        Err(io::Error::from_raw_os_error(libc::EIO))
    } else if opts.fault == Some(Fault::NoExchange)
        || opts.fault.is_some_and(|f| matches!(f, Fault::Fallback(_)))
    {
        Err(io::Error::from_raw_os_error(libc::EINVAL))
    } else {
        exchange(&staging, &target.path)
    };
    match swapped {
        Ok(()) => {
            let _ = sync_dir(&target.parent);
            pause();
            // `staging` now holds the previous report.
            if let Err(e) = remove_tree(&staging) {
                (opts.warn)(&format!(
                    "cannot remove the previous report at {} (the next run retries): {e}",
                    staging.display()
                ));
            }
            Ok(written)
        }
        Err(e)
            if matches!(
                e.raw_os_error(),
                Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
            ) =>
        {
            (opts.warn)(&format!(
                "the file system of {} cannot exchange directories atomically ({e}); \
                 moving the report's files into place one by one instead",
                target.path.display()
            ));
            let moved = fallback(&target.path, &staging, &written, opts.fault);
            let _ = remove_tree(&staging);
            moved.with_context(|| {
                format!(
                    "{} now mixes the old and the new report; run the report again",
                    target.path.display()
                )
            })?;
            Ok(written)
        }
        Err(e) => {
            let _ = remove_tree(&staging);
            let why = if matches!(e.raw_os_error(), Some(libc::EXDEV | libc::EBUSY)) {
                format!(
                    "cannot swap the new report into {}: it is a mount point or on another \
                     file system than its parent (the report replaces --out as a whole, by \
                     renaming); pass an --out inside it",
                    target.path.display()
                )
            } else {
                format!("cannot swap the new report into {}", target.path.display())
            };
            Err(unchanged(anyhow!(e).context(why)))
        }
    }
}

/// The out directory, resolved: its parent and name, and whether it exists.
struct Target {
    parent: PathBuf,
    name: String,
    path: PathBuf,
    exists: bool,
}

impl Target {
    fn resolve(out: &Path) -> Result<Target> {
        let exists = match fs::metadata(out) {
            Ok(m) if m.is_dir() => true,
            Ok(_) => bail!("--out {} is a file, not a directory", out.display()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(anyhow!(e).context(format!("cannot read {}", out.display()))),
        };
        // The real location (through symlinks and `..`): the swap happens
        // there.
        let path = if exists {
            fs::canonicalize(out).with_context(|| format!("cannot resolve {}", out.display()))?
        } else {
            let name = out
                .file_name()
                .with_context(|| format!("{} names no directory", out.display()))?;
            let parent = match out.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
            fs::canonicalize(parent)
                .with_context(|| format!("cannot resolve {}", parent.display()))?
                .join(name)
        };
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            bail!("cannot write the report into {}", path.display());
        };
        Ok(Target {
            parent: parent.to_path_buf(),
            name: name.to_string_lossy().into_owned(),
            path: path.clone(),
            exists,
        })
    }

    /// `<parent>/.<name>.<what>-<pid>`.
    fn sibling(&self, what: &str, pid: u32) -> PathBuf {
        self.parent.join(format!(".{}.{what}-{pid}", self.name))
    }

    fn lock_path(&self) -> PathBuf {
        self.parent.join(format!(".{}.lock", self.name))
    }
}

/// The report's paths (relative, no `..`, no duplicates, no file that is
/// another's directory) and the directories they need.
fn check_paths(out: &Path, files: &[File]) -> Result<(BTreeSet<PathBuf>, BTreeSet<PathBuf>)> {
    let mut report = BTreeSet::new();
    let mut dirs = BTreeSet::new();
    for (rel, _) in files {
        if rel.as_os_str().is_empty()
            || rel.is_absolute()
            || rel.components().any(|c| !matches!(c, Component::Normal(_)))
        {
            bail!(
                "refusing to write {} outside {}",
                rel.display(),
                out.display()
            );
        }
        if !report.insert(rel.clone()) {
            bail!(
                "two report files are both named {} (two scenarios with the same chart name?)",
                rel.display()
            );
        }
        let mut p = rel.parent();
        while let Some(d) = p.filter(|d| !d.as_os_str().is_empty()) {
            dirs.insert(d.to_path_buf());
            p = d.parent();
        }
    }
    if let Some(both) = report.intersection(&dirs).next() {
        bail!(
            "{} is both a report file and the directory of another",
            both.display()
        );
    }
    Ok((report, dirs))
}

/// An open lock file, locked; the lock goes with the handle.
struct Lock(#[allow(dead_code)] fs::File);

/// The lock file is opened with `O_NOFOLLOW`: a symlink planted in its
/// place is refused, never followed (the run would otherwise create or
/// lock the file it points to).
fn lock(target: &Target, out: &Path, wait: Duration) -> Result<Lock> {
    use std::os::unix::fs::OpenOptionsExt;
    let path = target.lock_path();
    if fs::symlink_metadata(&path).is_ok_and(|m| !m.file_type().is_file()) {
        bail!(
            "the lock file {} is not a regular file (a symlink or something else planted \
             there?): remove it and run again",
            path.display()
        );
    }
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(&path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock(file)),
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(fs::TryLockError::WouldBlock) => bail!(
                "another report run is writing {} (waited {:.0} s for the lock on {})",
                out.display(),
                wait.as_secs_f64(),
                path.display()
            ),
            Err(fs::TryLockError::Error(e)) => {
                return Err(anyhow!(e).context(format!("cannot lock {}", path.display())));
            }
        }
    }
}

/// Removes staging directories of earlier runs (killed ones: we hold the
/// lock, so no live run is staging).
fn remove_litter(target: &Target, warn: &mut dyn FnMut(&str)) {
    let prefix = format!(".{}.staging-", target.name);
    let Ok(entries) = fs::read_dir(&target.parent) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix)
            && let Err(err) = remove_tree(&e.path())
        {
            warn(&format!(
                "cannot remove {}, left by an interrupted run: {err}",
                e.path().display()
            ));
        }
    }
}

/// Fails unless the parent, the out directory and the existing directories
/// the report writes into are writable (checked with `access(2)`, which also
/// honours read-only mounts and immutable directories).
fn check_writable(target: &Target, report_dirs: &BTreeSet<PathBuf>) -> Result<()> {
    let mut dirs = vec![target.parent.clone()];
    if target.exists {
        dirs.push(target.path.clone());
        dirs.extend(
            report_dirs
                .iter()
                .map(|d| target.path.join(d))
                .filter(|d| d.is_dir()),
        );
    }
    for d in dirs {
        if let Err(e) = rustix::fs::access(&d, rustix::fs::Access::WRITE_OK) {
            bail!("{} is not writable: {}", d.display(), io::Error::from(e));
        }
    }
    Ok(())
}

/// Writes a new file and flushes it to disk.
fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut f =
        fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn sync_dir(dir: &Path) -> Result<()> {
    fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot flush {}", dir.display()))
}

/// Whether `rel` is a chart the report owns (`charts/*.{svg,png}`).
fn is_chart(rel: &Path) -> bool {
    rel.parent() == Some(Path::new("charts"))
        && rel.extension().is_some_and(|x| x == "svg" || x == "png")
}

/// Carries the entries of `old/rel` that are not the report's into
/// `new/rel`: files hard-linked (copied where that fails), directories
/// recreated with their permissions, symlinks recreated.
fn carry(
    old: &Path,
    new: &Path,
    rel: &Path,
    report: &BTreeSet<PathBuf>,
    report_dirs: &BTreeSet<PathBuf>,
) -> Result<()> {
    let from_dir = old.join(rel);
    let entries =
        fs::read_dir(&from_dir).with_context(|| format!("cannot read {}", from_dir.display()))?;
    for e in entries {
        let e = e.with_context(|| format!("cannot read {}", from_dir.display()))?;
        let name = e.file_name();
        let r = rel.join(&name);
        let (from, to) = (old.join(&r), new.join(&r));
        let kind = e
            .file_type()
            .with_context(|| format!("cannot read {}", from.display()))?;
        if rel.as_os_str().is_empty() && name.to_string_lossy().starts_with(".report-staging-") {
            continue; // litter of earlier versions, which staged inside `out`
        }
        if report.contains(&r) {
            if kind.is_dir() {
                bail!(
                    "{} is a directory, in the way of the report's {}",
                    from.display(),
                    r.display()
                );
            }
            continue; // replaced by the new report
        }
        if kind.is_dir() {
            if !report_dirs.contains(&r) {
                fs::create_dir(&to).with_context(|| format!("cannot create {}", to.display()))?;
            }
            carry(old, new, &r, report, report_dirs)?;
            fs::set_permissions(&to, fs::metadata(&from)?.permissions())?;
        } else if report_dirs.contains(&r) {
            bail!(
                "{} is a file, in the way of the report's directory {}",
                from.display(),
                r.display()
            );
        } else if is_chart(&r) && kind.is_file() {
            // A stale chart of a scenario that no longer exists: dropped.
        } else if kind.is_symlink() {
            let link = fs::read_link(&from)?;
            std::os::unix::fs::symlink(&link, &to)
                .with_context(|| format!("cannot recreate the link {}", to.display()))?;
        } else if fs::hard_link(&from, &to).is_err() {
            fs::copy(&from, &to).with_context(|| {
                format!("cannot carry {} over to the new report", from.display())
            })?;
        }
        pause();
    }
    Ok(())
}

/// Swaps two directories atomically (`renameat2(RENAME_EXCHANGE)`).
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// Without an exchange: moves each report file from `staging` into `out`
/// (one atomic rename each), then removes stale charts.
fn fallback(out: &Path, staging: &Path, files: &[PathBuf], fault: Option<Fault>) -> Result<()> {
    for (i, rel) in files.iter().enumerate() {
        if fault == Some(Fault::Fallback(i)) {
            bail!("injected fault after moving {i} files");
        }
        let dest = out.join(rel);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::rename(staging.join(rel), &dest)
            .with_context(|| format!("cannot move the new {} into place", dest.display()))?;
        pause();
    }
    // Litter of earlier versions, which staged inside `out`.
    if let Ok(entries) = fs::read_dir(out) {
        for e in entries.flatten() {
            if e.file_name()
                .to_string_lossy()
                .starts_with(".report-staging-")
            {
                let _ = remove_tree(&e.path());
            }
        }
    }
    let keep: BTreeSet<&Path> = files.iter().map(PathBuf::as_path).collect();
    if let Ok(entries) = fs::read_dir(out.join("charts")) {
        for e in entries.flatten() {
            let rel = Path::new("charts").join(e.file_name());
            if is_chart(&rel)
                && e.file_type().is_ok_and(|t| t.is_file())
                && !keep.contains(rel.as_path())
            {
                let _ = fs::remove_file(e.path());
            }
        }
    }
    Ok(())
}

/// `remove_dir_all`, but a missing directory is fine.
fn remove_tree(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        r => r,
    }
}

/// Test knob: `SYNCBENCH_REPORT_WRITE_DELAY_MS` slows every write step, so
/// that kill tests land inside the write.
fn pause() {
    static DELAY: std::sync::OnceLock<Option<Duration>> = std::sync::OnceLock::new();
    // A test hook: a bad value is ignored rather than failing a write.
    let d = DELAY.get_or_init(|| {
        crate::harness::settings::Vars::env()
            .report_write_delay()
            .ok()
            .flatten()
    });
    if let Some(d) = d {
        std::thread::sleep(*d);
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

    fn hidden(d: &Path) -> Vec<String> {
        fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect()
    }

    #[test]
    fn writes_all_keeps_other_files_and_removes_stale_charts_only() {
        let root = scratch("all");
        let d = root.join("out");
        fs::create_dir_all(d.join("charts")).unwrap();
        fs::create_dir_all(d.join("notes/deep")).unwrap();
        fs::write(d.join("charts/old.svg"), "old").unwrap();
        fs::write(d.join("charts/README"), "keep").unwrap();
        fs::write(d.join("NOTES.md"), "keep").unwrap();
        fs::write(d.join("notes/deep/x"), "keep").unwrap();
        let files = vec![
            (PathBuf::from("DECISIONS.md"), b"new".to_vec()),
            (PathBuf::from("charts/a.svg"), b"<svg/>".to_vec()),
        ];
        let w = write_report(&d, files).unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!(fs::read(d.join("DECISIONS.md")).unwrap(), b"new");
        assert!(!d.join("charts/old.svg").exists());
        assert!(d.join("charts/README").exists() && d.join("NOTES.md").exists());
        assert_eq!(fs::read(d.join("notes/deep/x")).unwrap(), b"keep");
        assert!(hidden(&d).is_empty());
        assert_eq!(
            hidden(&root),
            vec![".out.lock".to_string()],
            "no staging left"
        );
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_failed_write_keeps_the_previous_report() {
        let root = scratch("fail");
        let d = root.join("out");
        write_report(&d, vec![(PathBuf::from("DECISIONS.md"), b"old".to_vec())]).unwrap();
        // `charts` both a file and a directory: rejected up front.
        let files = vec![
            (PathBuf::from("DECISIONS.md"), b"new".to_vec()),
            (PathBuf::from("charts"), b"oops".to_vec()),
            (PathBuf::from("charts/a.svg"), b"<svg/>".to_vec()),
        ];
        let e = format!("{:#}", write_report(&d, files).unwrap_err());
        assert!(e.contains("previous one"), "{e}");
        let dup = vec![
            (PathBuf::from("charts/a.svg"), b"1".to_vec()),
            (PathBuf::from("charts/a.svg"), b"2".to_vec()),
        ];
        let e = format!("{:#}", write_report(&d, dup).unwrap_err());
        assert!(e.contains("both named charts/a.svg"), "{e}");
        assert_eq!(fs::read(d.join("DECISIONS.md")).unwrap(), b"old");
        assert_eq!(fs::read_dir(&d).unwrap().count(), 1);
        let escape = vec![(PathBuf::from("../escape.md"), b"no".to_vec())];
        assert!(write_report(&d, escape).is_err());
        assert!(!root.join("escape.md").exists());
        assert_eq!(
            hidden(&root),
            vec![".out.lock".to_string()],
            "no staging left"
        );
        fs::remove_dir_all(&root).unwrap();
    }
}
