//! The one gate every read goes through: a file the tool opens because an
//! input named it (an argument, a proposal's `import.from`, a test's
//! proposal, the language server's workspace file and the paths it names)
//! is resolved here, and read here.
//!
//! A [`Gate`] knows a root, a canonical directory: the repository (the
//! nearest directory above with a `.git`) or, outside one, the directory
//! the rule of its constructor names. [`Gate::resolve`] follows every
//! symlink and `..` of a path and refuses it unless it ends inside the
//! root, and refuses anything under a `.git` directory. [`Gate::read`] reads
//! only a regular file, under a size limit, and never quotes its bytes in a
//! refusal.

use std::fs::FileType;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use super::{Reason, io_reason};

/// Where reads may go: a canonical root directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gate {
    root: PathBuf,
    /// The root as messages name it.
    display: String,
    /// Whether the root is a repository (it holds a `.git`).
    repository: bool,
}

impl Gate {
    /// The gate of a directory: its repository (the nearest directory at or
    /// above it with a `.git`), else the directory itself. The language
    /// server's workspace is read through the gate of its root.
    pub fn at(dir: &Path) -> Gate {
        let canonical = dir.canonicalize().unwrap_or_else(|_| absolute(dir));
        match canonical.ancestors().find(|d| d.join(".git").symlink_metadata().is_ok()) {
            Some(repository) => Gate::new(repository.to_path_buf(), true),
            None => Gate::new(canonical, false),
        }
    }

    /// The gate of a path a user named (an argument, a library caller's
    /// path): the gate of the current directory when the path, as written,
    /// lies inside it; else the gate of the directory that holds the path
    /// (its repository, else that directory). A file an input names is read
    /// through the gate of the file that names it, so a proposal's template
    /// stays in the proposal's tree.
    pub fn for_named(path: &Path) -> Gate {
        let here = std::env::current_dir().map(|d| Gate::at(&d));
        let written = absolute(path);
        match here {
            Ok(gate) if written.starts_with(&gate.root) => gate,
            _ => {
                let holder = written.parent().map_or_else(|| written.clone(), Path::to_path_buf);
                Gate::at(&holder)
            }
        }
    }

    /// A gate narrowed to `dir`, a canonical directory inside this root: a walk
    /// follows no symlink out of the directory it walks.
    pub(super) fn narrowed(&self, dir: PathBuf, display: String) -> Gate {
        Gate { root: dir, display, repository: false }
    }

    /// A gate at `root`, named in messages relative to the current
    /// directory when it holds it (`.`, `..`), else by its absolute path.
    fn new(root: PathBuf, repository: bool) -> Gate {
        let here = std::env::current_dir().ok().and_then(|d| d.canonicalize().ok());
        let display = match here.as_deref().and_then(|here| here.strip_prefix(&root).ok()) {
            Some(below) if below.as_os_str().is_empty() => ".".to_string(),
            Some(below) => vec![".."; below.components().count()].join("/"),
            None => root.display().to_string(),
        };
        Gate { display, root, repository }
    }

    /// The root, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The root as messages name it: relative to the current directory
    /// when it holds it (`.`, `..`), else absolute.
    pub fn root_display(&self) -> &str {
        &self.display
    }

    /// Whether the root is a repository (it holds a `.git`), not a fallback directory.
    pub fn is_repository(&self) -> bool {
        self.repository
    }

    /// The canonical path of `path` (relative to the current directory),
    /// when it ends inside the root, symlinks and `..` followed, and not
    /// under a `.git` directory. The one place that decides whether a named
    /// path may be opened.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, Reason> {
        let canonical = path.canonicalize().map_err(|e| {
            // A link to nothing; a loop of links keeps the system's reason.
            if e.kind() == std::io::ErrorKind::NotFound
                && path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink())
            {
                Reason::Io("it is a broken symlink".into())
            } else {
                Reason::Io(io_reason(&e))
            }
        })?;
        let Ok(inside) = canonical.strip_prefix(&self.root) else {
            return Err(if absolute(path).starts_with(&self.root) {
                Reason::LinkOutside { root: self.display.clone() }
            } else {
                Reason::Outside { root: self.display.clone(), repository: self.repository }
            });
        };
        if inside.components().any(|c| c.as_os_str() == ".git") {
            return Err(Reason::UnderGit);
        }
        Ok(canonical)
    }

    /// `named`, a path a file holds, resolved relative to `base` (the
    /// directory of the file that names it): an absolute path is refused,
    /// then as [`Gate::resolve`].
    pub fn resolve_relative(&self, base: &Path, named: &str) -> Result<PathBuf, Reason> {
        if Path::new(named).is_absolute() {
            return Err(Reason::Absolute);
        }
        self.resolve(&base.join(named))
    }

    /// Outside a repository, where to run from so that `named` (a file the
    /// proposal at `proposal` names, refused as outside the root) is inside
    /// the root: the nearest directory holding both, as the current
    /// directory reaches it (`..`), and the proposal's path from there.
    /// `None` in a repository (its root is the repository, wherever the
    /// command runs) or when either path cannot be resolved.
    pub fn run_from(&self, proposal: &Path, named: &Path) -> Option<(String, String)> {
        if self.repository {
            return None;
        }
        let (proposal, named) = (proposal.canonicalize().ok()?, named.canonicalize().ok()?);
        let common = proposal.ancestors().skip(1).find(|a| named.starts_with(a))?;
        let here = std::env::current_dir().ok()?.canonicalize().ok()?;
        let dir = match here.strip_prefix(common) {
            Ok(below) => vec![".."; below.components().count()].join("/"),
            Err(_) => common.display().to_string(),
        };
        let dir = if dir.is_empty() { ".".to_string() } else { dir };
        Some((dir, proposal.strip_prefix(common).ok()?.display().to_string()))
    }

    /// The bytes of the regular file at `path` once [`Gate::resolve`] lets it
    /// through, at most `limit` of them.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, Reason> {
        read_regular(&self.resolve(path)?, limit)
    }
}

/// `path` made absolute against the current directory, `.` and `..` taken
/// as written (no symlink followed).
pub(super) fn absolute(path: &Path) -> PathBuf {
    let joined =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The bytes of the regular file at `path`, at most `limit` of them. `path`
/// is resolved already ([`Gate::resolve`], or a walk's listing): a link
/// found there now was put in place since, and is refused, not followed.
/// The type is checked before opening (opening a pipe would wait for a
/// writer) and on the opened file, which must be the file checked; at most
/// one byte past the limit is read, whatever the file claims its size is.
pub(super) fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Reason> {
    let io = |e: std::io::Error| Reason::Io(io_reason(&e));
    let regular = |t: FileType| if t.is_file() { Ok(()) } else { Err(Reason::NotAFile(kind(t))) };
    let listed = std::fs::symlink_metadata(path).map_err(io)?;
    if listed.file_type().is_symlink() {
        return Err(Reason::Io("it was replaced by a symlink after it was found".into()));
    }
    regular(listed.file_type())?;
    let file = std::fs::File::open(path).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    regular(metadata.file_type())?;
    // The file opened is the one checked: a directory of the path swapped
    // for a link between the check and the open would open another.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if (listed.dev(), listed.ino()) != (metadata.dev(), metadata.ino()) {
            return Err(Reason::Io("it changed while it was read".into()));
        }
    }
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
pub(super) fn kind(file_type: FileType) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_takes_dots_as_written() {
        assert_eq!(absolute(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
        assert_eq!(absolute(Path::new("/..")), PathBuf::from("/"));
    }
}
