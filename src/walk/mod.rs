//! Finding input files under the paths a run names, and reading one under a
//! size limit. Proposals and policy files are found by this one walk.
//!
//! The rule, stated once (docs/security.md repeats it):
//! - a path named explicitly is always read, whatever its name;
//! - a directory is walked for the file names the caller wants, skipping
//!   entries whose name starts with `.` and directories named `target`;
//! - a symlink is followed only when what it names lies inside the directory
//!   walked; one that leads out of it is an error, never read;
//! - no file and no directory is visited twice (a link to a directory
//!   already walked, such as a link to `.`, adds nothing);
//! - a wanted file whose path is not UTF-8, and a directory deeper than
//!   [`MAX_DEPTH`], are errors, never skipped silently.
//!
//! Every path is resolved by the one [`Gate`], and every file read by its
//! reader (a file a walk listed, at the path the walk resolved:
//! [`FoundFile`]); every file written, by the one [`write_file`].

mod gate;
mod write;

use std::collections::HashSet;
use std::fs::FileType;
use std::path::{Path, PathBuf};

pub use gate::Gate;
pub use write::{Existing, WriteError, WriteErrorKind, create_dirs, write_file};

/// Directory levels walked at most below a named directory.
pub const MAX_DEPTH: usize = 32;

/// The largest data file read (a proposal, a needs file, a price table):
/// each is a few kilobytes, so 1 MiB only stops what is not one.
pub const MAX_INPUT_BYTES: u64 = 1024 * 1024;

/// A file the walk or the gate refused to read, and why (a *refusal*,
/// docs/architecture.md's glossary).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub path: PathBuf,
    pub reason: Reason,
}

impl Refusal {
    /// The path as shown in messages (not UTF-8 bytes replaced).
    pub fn display(&self) -> String {
        self.path.display().to_string()
    }
}

/// Why a file was not read; its text follows "cannot read `PATH`: ".
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// The operating system's reason, in lower case.
    Io(String),
    /// A pipe, device, socket or directory: what it is.
    NotAFile(&'static str),
    /// Its path is not UTF-8, so it cannot be named in a report.
    NameNotUtf8,
    /// A symlink to something outside the directory walked, or the root.
    LinkOutside { root: String },
    /// Outside the root files are read from (a `..` out of it, another path).
    Outside { root: String, repository: bool },
    /// An absolute path where a file names another, relative one.
    Absolute,
    /// Inside a `.git` directory.
    UnderGit,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// More bytes than the caller's limit.
    TooLarge { size: u64, limit: u64 },
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Io(reason) => f.write_str(reason),
            Reason::NotAFile(kind) => write!(f, "it is {kind}, not a regular file"),
            Reason::NameNotUtf8 => f.write_str("its path is not UTF-8; rename it"),
            Reason::LinkOutside { root } => {
                write!(f, "it is a symlink to a path outside `{root}`; only files inside it are read or written")
            }
            Reason::Outside { root, repository } => write!(
                f,
                "it is outside `{root}`, the {} files are read from; name a file inside it",
                if *repository { "repository" } else { "directory" }
            ),
            Reason::Absolute => f.write_str("it is an absolute path; name it relative to the file that names it"),
            Reason::UnderGit => {
                f.write_str("it is inside `.git`, which is never read; name a file of the working tree")
            }
            Reason::TooDeep => write!(f, "it is nested more than {MAX_DEPTH} directories deep"),
            Reason::TooLarge { size, limit } => write!(
                f,
                "it is {}, more than the {} allowed",
                crate::units::Size::from_bytes(*size),
                crate::units::Size::from_bytes(*limit)
            ),
        }
    }
}

/// What a walk found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Files to read: named ones as given, walked ones in sorted order.
    pub files: Vec<FoundFile>,
    /// Files and directories that cannot be read, in the order met.
    pub refusals: Vec<Refusal>,
    /// Directories named that hold no wanted file.
    pub empty: Vec<PathBuf>,
}

/// A file a walk found: its path, as named or as the walk reached it (what
/// reports show), and for a regular file the walk listed, its canonical
/// path. The walk resolved that file's directory through the gate and the
/// listing says the entry is no link, so the path is already resolved:
/// [`FoundFile::read`] reads it without resolving every component again
/// (a `readlink` per component and the current directory's gate: 19 system
/// calls a file became 6; docs/performance.md).
///
/// It holds for the run that found it: [`FoundFile::read`] refuses a file
/// that is no longer the one the walk listed (a link or another file put
/// in its place since).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FoundFile {
    path: PathBuf,
    canonical: Option<PathBuf>,
}

impl FoundFile {
    /// A file named by a path, read through the gate of that path.
    pub fn named(path: PathBuf) -> FoundFile {
        FoundFile { path, canonical: None }
    }

    /// The path as named or as the walk reached it: what reports show.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// [`FoundFile::path`], owned.
    pub fn into_path(self) -> PathBuf {
        self.path
    }

    /// The canonical path the walk admitted, for a regular file it listed;
    /// `None` for a file named or reached through a link.
    pub fn canonical(&self) -> Option<&Path> {
        self.canonical.as_deref()
    }

    /// Its bytes, at most `limit` of them: a regular file only, as
    /// [`Gate::read`] reads. A walked file is read at its canonical path;
    /// any other through [`Gate::for_named`] of its path.
    pub fn read(&self, limit: u64) -> Result<Vec<u8>, Reason> {
        match &self.canonical {
            Some(canonical) => gate::read_regular(canonical, limit),
            None => Gate::for_named(&self.path).read(&self.path, limit),
        }
    }
}

/// The files named by `paths`: a file as given, a directory walked for the
/// names `wanted` accepts. Several paths are merged in sorted order. Each
/// path is resolved by the gate of the path as named ([`Gate::for_named`]).
pub fn find(paths: &[PathBuf], wanted: &dyn Fn(&str) -> bool) -> Found {
    find_with(None, paths, wanted)
}

/// As [`find`], each path resolved by `gate` (the language server's workspace).
pub fn find_in(gate: &Gate, paths: &[PathBuf], wanted: &dyn Fn(&str) -> bool) -> Found {
    find_with(Some(gate), paths, wanted)
}

fn find_with(gate: Option<&Gate>, paths: &[PathBuf], wanted: &dyn Fn(&str) -> bool) -> Found {
    let mut walker = Walker { wanted, found: Found::default(), seen_files: HashSet::new(), seen_dirs: HashSet::new() };
    let mut named_dirs = Vec::new();
    for path in paths {
        let own;
        let gate = match gate {
            Some(gate) => gate,
            None => {
                own = Gate::for_named(path);
                &own
            }
        };
        let canonical = match gate.resolve(path) {
            Ok(canonical) => canonical,
            Err(reason) => {
                walker.refuse(path, reason);
                continue;
            }
        };
        if !canonical.is_dir() {
            if walker.seen_files.insert(canonical) {
                walker.found.files.push(FoundFile::named(path.clone()));
            }
            continue;
        }
        if walker.seen_dirs.insert(canonical.clone()) {
            let root = gate.narrowed(canonical.clone(), path.display().to_string());
            walker.walk(&root, path, &canonical, 0);
        }
        named_dirs.push((path, canonical));
    }
    // A directory is empty when no file found lies under it, whichever
    // path found the file first (`d d`, `d/sub d` name files twice).
    for (path, canonical) in named_dirs {
        let holds_a_file = walker.seen_files.iter().any(|file| file.starts_with(&canonical));
        if !holds_a_file && !walker.found.refusals.iter().any(|p| p.path.starts_with(path)) {
            walker.found.empty.push(path.clone());
        }
    }
    let mut found = walker.found;
    if paths.len() > 1 {
        found.files.sort();
        found.files.dedup();
    }
    found
}

struct Walker<'a> {
    wanted: &'a dyn Fn(&str) -> bool,
    found: Found,
    /// Canonical paths of the files and directories visited.
    seen_files: HashSet<PathBuf>,
    seen_dirs: HashSet<PathBuf>,
}

impl Walker<'_> {
    fn refuse(&mut self, path: &Path, reason: Reason) {
        self.found.refusals.push(Refusal { path: path.to_path_buf(), reason });
    }

    /// Walks `dir`, whose canonical path is `canonical` (links resolved), no
    /// link followed out of `root`, the gate narrowed to the directory named.
    fn walk(&mut self, root: &Gate, dir: &Path, canonical: &Path, depth: usize) {
        if depth > MAX_DEPTH {
            self.refuse(dir, Reason::TooDeep);
            return;
        }
        // The canonical directory is listed, so that what the listing says
        // of an entry (no link) is said of the path the walk admits.
        let entries = match std::fs::read_dir(canonical) {
            Ok(entries) => entries,
            Err(e) => {
                self.refuse(dir, Reason::Io(io_reason(&e)));
                return;
            }
        };
        // The entry's type comes with the listing on most file systems: no
        // `stat` per file. Siblings are sorted, so the walk is in path order.
        let mut names: Vec<(std::ffi::OsString, Option<FileType>)> =
            entries.filter_map(Result::ok).map(|e| (e.file_name(), e.file_type().ok())).collect();
        names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (name, file_type) in names {
            let text = name.to_string_lossy();
            if text.starts_with('.') {
                continue;
            }
            let path = dir.join(&name);
            let mut real = canonical.join(&name);
            let mut is_dir = file_type.is_some_and(|t| t.is_dir());
            let linked = file_type.is_none_or(|t| t.is_symlink());
            if linked {
                // Resolved only for links (and entries of unknown type).
                let target = match root.resolve(&path) {
                    Ok(target) => target,
                    Err(reason) => {
                        if std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) || (self.wanted)(&text) {
                            let reason = match reason {
                                Reason::Outside { root, .. } => Reason::LinkOutside { root },
                                other => other,
                            };
                            self.refuse(&path, reason);
                        }
                        continue;
                    }
                };
                is_dir = target.is_dir();
                real = target;
            }
            if is_dir {
                if text != "target" && self.seen_dirs.insert(real.clone()) {
                    self.walk(root, &path, &real, depth + 1);
                }
            } else if (self.wanted)(&text) && self.seen_files.insert(real.clone()) {
                if path.to_str().is_none() {
                    self.refuse(&path, Reason::NameNotUtf8);
                } else if linked && Gate::for_named(&path).resolve(&path).is_err() {
                    // A link inside the walked directory whose target the
                    // path's own gate would not reach (outside a repository,
                    // a link to a sibling folder): named by its target, so it
                    // is read as it was found.
                    self.found.files.push(FoundFile::named(real));
                } else if linked {
                    self.found.files.push(FoundFile::named(path));
                } else {
                    self.found.files.push(FoundFile { path, canonical: Some(real) });
                }
            }
        }
    }
}

/// The operating system's reason for an I/O error, in lower case.
pub fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        // The system's words without its number: "too many levels of symbolic links".
        _ => {
            let text = error.to_string().to_lowercase();
            match text.rfind(" (os error ") {
                Some(at) if text.ends_with(')') => text[..at].to_string(),
                _ => text,
            }
        }
    }
}

/// The repository root above `start`: the nearest directory with a `.git`,
/// as [`Gate::at`] finds it.
pub fn repository_root(start: &Path) -> Option<std::path::PathBuf> {
    let gate = Gate::at(start);
    gate.is_repository().then(|| gate.root().to_path_buf())
}
