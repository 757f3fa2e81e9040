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
//! Reading checks the file type before opening the file and again on the
//! opened file: a pipe, device or socket is refused, never read.

use std::collections::HashSet;
use std::fs::FileType;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Directory levels walked at most below a named directory.
pub const MAX_DEPTH: usize = 32;

/// A file that could not be found or read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub reason: Reason,
}

impl Problem {
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
    /// A symlink to something outside the directory walked.
    LinkOutside { root: String },
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
            Reason::LinkOutside { root } => write!(f, "it is a symlink to a path outside `{root}`"),
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
    pub files: Vec<PathBuf>,
    /// Files and directories that cannot be read, in the order met.
    pub problems: Vec<Problem>,
    /// Directories named that hold no wanted file.
    pub empty: Vec<PathBuf>,
}

/// The files named by `paths`: a file as given, a directory walked for the
/// names `wanted` accepts. Several paths are merged in sorted order.
pub fn find(paths: &[PathBuf], wanted: &dyn Fn(&str) -> bool) -> Found {
    let mut walker = Walker { wanted, found: Found::default(), seen_files: HashSet::new(), seen_dirs: HashSet::new() };
    for path in paths {
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(e) => {
                walker.problem(path, Reason::Io(io_reason(&e)));
                continue;
            }
        };
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if !metadata.is_dir() {
            if walker.seen_files.insert(canonical) {
                walker.found.files.push(path.clone());
            }
            continue;
        }
        let before = walker.found.files.len();
        if walker.seen_dirs.insert(canonical.clone()) {
            let root = Root { display: path.display().to_string(), canonical: canonical.clone() };
            walker.walk(&root, path, &canonical, 0);
        }
        if walker.found.files.len() == before && !walker.found.problems.iter().any(|p| p.path.starts_with(path)) {
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

/// The directory a walk started from.
struct Root {
    display: String,
    canonical: PathBuf,
}

struct Walker<'a> {
    wanted: &'a dyn Fn(&str) -> bool,
    found: Found,
    /// Canonical paths of the files and directories visited.
    seen_files: HashSet<PathBuf>,
    seen_dirs: HashSet<PathBuf>,
}

impl Walker<'_> {
    fn problem(&mut self, path: &Path, reason: Reason) {
        self.found.problems.push(Problem { path: path.to_path_buf(), reason });
    }

    /// Walks `dir`, whose canonical path is `canonical` (links resolved).
    fn walk(&mut self, root: &Root, dir: &Path, canonical: &Path, depth: usize) {
        if depth > MAX_DEPTH {
            self.problem(dir, Reason::TooDeep);
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                self.problem(dir, Reason::Io(io_reason(&e)));
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
            if file_type.is_none_or(|t| t.is_symlink()) {
                // Resolved only for links (and entries of unknown type).
                let Ok(target) = std::fs::canonicalize(&path) else {
                    if (self.wanted)(&text) {
                        self.problem(&path, Reason::Io("it is a broken symlink".into()));
                    }
                    continue;
                };
                is_dir = target.is_dir();
                if !target.starts_with(&root.canonical) {
                    if is_dir || (self.wanted)(&text) {
                        self.problem(&path, Reason::LinkOutside { root: root.display.clone() });
                    }
                    continue;
                }
                real = target;
            }
            if is_dir {
                if text != "target" && self.seen_dirs.insert(real.clone()) {
                    self.walk(root, &path, &real, depth + 1);
                }
            } else if (self.wanted)(&text) && self.seen_files.insert(real) {
                if path.to_str().is_none() {
                    self.problem(&path, Reason::NameNotUtf8);
                } else {
                    self.found.files.push(path);
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
        _ => error.to_string().to_lowercase(),
    }
}

/// The bytes of the regular file at `path`, at most `limit` of them. The
/// type is checked before opening (opening a pipe would wait for a writer)
/// and on the opened file (the path may have changed in between); at most
/// one byte past the limit is read, whatever the file claims its size is.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, Reason> {
    let io = |e: std::io::Error| Reason::Io(io_reason(&e));
    let regular = |t: FileType| if t.is_file() { Ok(()) } else { Err(Reason::NotAFile(kind(t))) };
    regular(std::fs::metadata(path).map_err(io)?.file_type())?;
    let file = std::fs::File::open(path).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    regular(metadata.file_type())?;
    if metadata.len() > limit {
        return Err(Reason::TooLarge { size: metadata.len(), limit });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0).saturating_add(1));
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(Reason::TooLarge { size: bytes.len() as u64, limit });
    }
    Ok(bytes)
}

/// What a file that is not a regular file is, in words.
fn kind(file_type: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() { "a directory" } else { "not a file" }
}

/// A short excerpt of text for a message: at most `chars` characters,
/// control and other invisible characters escaped, `…` when cut.
pub fn excerpt(text: &str, chars: usize) -> String {
    let mut out: String = text.chars().take(chars).flat_map(char::escape_debug).collect();
    if text.chars().nth(chars).is_some() {
        out.push('…');
    }
    out
}

/// The repository root above `start`: the nearest directory with a `.git`.
pub fn repository_root(start: &Path) -> Option<std::path::PathBuf> {
    let start = start.canonicalize().ok()?;
    start.ancestors().find(|dir| dir.join(".git").exists()).map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_short_and_escaped() {
        assert_eq!(excerpt("abc", 5), "abc");
        assert_eq!(excerpt("a\u{1b}[31mb", 3), "a\\u{1b}[…");
        assert_eq!(excerpt("line\nnext", 40), "line\\nnext");
    }
}
