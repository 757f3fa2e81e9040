//! The one writer: every file the tool writes (`recommend --write` and
//! `--chart`, `cost --chart`, `import --write`, `fmt`) is written by
//! [`write_file`].
//!
//! The folder is resolved by the [`Gate`] (inside the root, not under
//! `.git`); the bytes go to a new temporary file in that folder, opened with
//! `create_new` (which never follows a symlink), and then take the file's
//! name: a hard link that fails when the name is taken, or a rename over it
//! when replacing is asked for. A symlink at the name is replaced as an
//! entry, never written through.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Gate, Reason, io_reason};

/// What a write does with a file already at its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse: a new file only (the default of every command that writes new files).
    Keep,
    /// Replace the entry at the path, whatever it is but a directory; a
    /// symlink there is replaced, not followed (`--force`).
    Replace,
    /// Rewrite the file itself (`fmt`): the path is resolved by the gate,
    /// symlinks inside the root followed, and the regular file it names is
    /// replaced, keeping its permissions.
    Rewrite,
}

/// A file that was not written, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError {
    /// The path as the caller named it.
    pub path: String,
    /// Why it was not written.
    pub kind: WriteErrorKind,
}

/// Why a file was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WriteErrorKind {
    /// Something is at the path and [`Existing::Keep`] was asked for.
    Exists,
    /// The gate refused the path or its folder, or it is not a file.
    Refused(Reason),
    /// The operating system's reason, in lower case.
    Io(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            WriteErrorKind::Exists => write!(f, "`{}` exists", self.path),
            WriteErrorKind::Refused(reason) => write!(f, "cannot write `{}`: {reason}", self.path),
            WriteErrorKind::Io(reason) => write!(f, "cannot write `{}`: {reason}", self.path),
        }
    }
}

/// Writes `bytes` as the file at `path` (relative to the current
/// directory), as `existing` says; the path written, canonical.
pub fn write_file(path: &Path, bytes: &[u8], existing: Existing) -> Result<PathBuf, WriteError> {
    let error = |kind| WriteError { path: path.display().to_string(), kind };
    let refused = |reason| error(WriteErrorKind::Refused(reason));
    let gate = Gate::for_named(path);
    let target = if existing == Existing::Rewrite {
        let real = gate.resolve(path).map_err(refused)?;
        let kind = std::fs::metadata(&real).map_err(|e| refused(Reason::Io(io_reason(&e))))?.file_type();
        if !kind.is_file() {
            return Err(refused(Reason::NotAFile(super::gate::kind(kind))));
        }
        real
    } else {
        let Some(name) = path.file_name().filter(|n| *n != ".git") else {
            return Err(refused(Reason::Io("it names no file".into())));
        };
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let dir = gate.resolve(parent).map_err(refused)?;
        if !dir.is_dir() {
            return Err(refused(Reason::Io(format!("`{}` is not a directory", parent.display()))));
        }
        dir.join(name)
    };
    let present = target.symlink_metadata().ok();
    if present.as_ref().is_some_and(std::fs::Metadata::is_dir) {
        return Err(refused(Reason::NotAFile("a directory")));
    }
    if existing == Existing::Keep && present.is_some() {
        return Err(error(WriteErrorKind::Exists));
    }
    let io = |e: std::io::Error| error(WriteErrorKind::Io(io_reason(&e)));
    let (temp, mut file) = temporary(&target).map_err(io)?;
    let written = file.write_all(bytes).and_then(|()| file.flush());
    let kept = match (&present, existing) {
        (Some(metadata), Existing::Rewrite) => file.set_permissions(metadata.permissions()),
        _ => Ok(()),
    };
    drop(file);
    let placed = written.and(kept).and_then(|()| place(&temp, &target, existing));
    let _ = std::fs::remove_file(&temp);
    match placed {
        Ok(()) => Ok(target),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(error(WriteErrorKind::Exists)),
        Err(e) => Err(io(e)),
    }
}

/// A new file beside `target`, created without following a symlink.
fn temporary(target: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut last = std::io::Error::from(std::io::ErrorKind::AlreadyExists);
    for attempt in 0..100u32 {
        let temp = dir.join(format!(".{name}.{}-{attempt}.tmp", std::process::id()));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// The temporary file takes the target's name: only if the name is free
/// ([`Existing::Keep`]: a hard link fails on a taken name, a symlink
/// included), else by a rename over whatever entry is there.
fn place(temp: &Path, target: &Path, existing: Existing) -> std::io::Result<()> {
    if existing != Existing::Keep {
        return std::fs::rename(temp, target);
    }
    match std::fs::hard_link(temp, target) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        // A file system without hard links: the name was free a moment ago.
        Err(_) if target.symlink_metadata().is_err() => std::fs::rename(temp, target),
        Err(e) => Err(e),
    }
}

/// Makes the directory `dir` and its missing parents for files to be
/// written into: the deepest part that exists must be a directory the gate
/// lets through, and what is missing is made below it, following no link.
pub fn create_dirs(dir: &Path) -> Result<(), WriteError> {
    let error = |kind| WriteError { path: dir.display().to_string(), kind };
    let written = super::gate::absolute(dir);
    let mut existing = written.as_path();
    let mut missing = Vec::new();
    while existing.symlink_metadata().is_err() {
        let (Some(name), Some(parent)) = (existing.file_name(), existing.parent()) else { break };
        missing.push(name);
        existing = parent;
    }
    let mut at = Gate::for_named(dir).resolve(existing).map_err(|r| error(WriteErrorKind::Refused(r)))?;
    for name in missing.into_iter().rev() {
        at.push(name);
        if let Err(e) = std::fs::create_dir(&at) {
            return Err(error(WriteErrorKind::Io(io_reason(&e))));
        }
    }
    if !at.is_dir() {
        return Err(error(WriteErrorKind::Refused(Reason::NotAFile(super::gate::kind(
            at.metadata().map_err(|e| error(WriteErrorKind::Io(io_reason(&e))))?.file_type(),
        )))));
    }
    Ok(())
}
