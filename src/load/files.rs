//! Reading proposal files: finding them, bounding their size, checking UTF-8.

use std::io::Read;
use std::path::{Path, PathBuf};

use miette::SourceSpan;

use super::proposal::load_model;
use crate::model::{LoadError, LoadFailure, Proposal};
use crate::source::SourceFile;

/// The largest proposal file read: a proposal is a few kilobytes.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// File name endings of proposals.
pub const PROPOSAL_EXTENSIONS: &[&str] = &[".arch.yaml", ".arch.yml", ".arch.json"];

/// Whether a file name ends like a proposal's.
pub fn is_proposal_file(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(is_proposal_name)
}

fn is_proposal_name(name: &str) -> bool {
    PROPOSAL_EXTENSIONS.iter().any(|ext| name.ends_with(ext))
}

/// The proposal files named by `paths`: files as given, directories walked
/// for `*.arch.yaml`, `*.arch.yml` and `*.arch.json`, in sorted order.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    let mut found = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|e| LoadError::NoProposals {
            message: format!("cannot read `{}`: {}", path.display(), io_reason(&e)),
            help: "check the path; proposals are files named `*.arch.yaml`, `*.arch.yml` or `*.arch.json`".into(),
        })?;
        if metadata.is_dir() {
            let before = found.len();
            walk(path, &mut found, 0)?;
            if found.len() == before {
                return Err(LoadError::NoProposals {
                    message: format!("no proposals in `{}`", path.display()),
                    help: "proposals are files named `*.arch.yaml`, `*.arch.yml` or `*.arch.json`".into(),
                });
            }
        } else {
            found.push(path.clone());
        }
    }
    // One directory's walk is sorted already; several paths are merged.
    if paths.len() > 1 {
        found.sort();
        found.dedup();
    }
    Ok(found)
}

/// Directory depth walked at most, so a symlink loop cannot run forever.
const MAX_WALK_DEPTH: usize = 32;

fn walk(dir: &Path, found: &mut Vec<PathBuf>, depth: usize) -> Result<(), LoadError> {
    if depth > MAX_WALK_DEPTH {
        return Ok(());
    }
    let entries =
        std::fs::read_dir(dir).map_err(|e| LoadError::Io { path: dir.display().to_string(), reason: io_reason(&e) })?;
    // The entry's type comes with the listing on most file systems: no
    // `stat` per file. A symlink is followed to see what it names. Siblings
    // are sorted by name, so the walk yields paths in sorted order.
    let mut names: Vec<(std::ffi::OsString, bool)> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            let is_dir = match e.file_type() {
                Ok(t) if !t.is_symlink() => t.is_dir(),
                _ => e.path().is_dir(),
            };
            Some((e.file_name(), is_dir))
        })
        .collect();
    names.sort_unstable();
    for (name, is_dir) in names {
        let text = name.to_str().unwrap_or_default();
        if text.starts_with('.') || text == "target" {
            continue;
        }
        if is_dir {
            walk(&dir.join(&name), found, depth + 1)?;
        } else if is_proposal_name(text) {
            found.push(dir.join(&name));
        }
    }
    Ok(())
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string().to_lowercase(),
    }
}

/// Loads the proposal at `path`.
///
/// ```
/// let proposal = archpolicy::load::load_file("examples/lambda_api_gateway.arch.yaml").unwrap();
/// assert_eq!(proposal.model.pattern(), archpolicy::model::Pattern::LambdaApiGateway);
/// ```
pub fn load_file(path: impl AsRef<Path>) -> Result<Proposal, LoadFailure> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let io = |e: std::io::Error| LoadFailure::single(None, LoadError::Io { path: name.clone(), reason: io_reason(&e) });
    let file = std::fs::File::open(path).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    if metadata.is_dir() {
        return Err(LoadFailure::single(None, LoadError::Io { path: name, reason: "is a directory".into() }));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large(name, metadata.len()));
    }
    // Read at most one byte past the limit: the file may grow, or be a pipe.
    let mut bytes = Vec::with_capacity(metadata.len() as usize + 1);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(name, bytes.len() as u64));
    }
    match String::from_utf8(bytes) {
        Ok(text) => load_str(&name, &text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text has the same prefix, so the offset holds.
            let span = SourceSpan::from((valid, 1));
            Err(LoadFailure::single(Some(SourceFile::new(name, lossy)), LoadError::NotUtf8 { span }))
        }
    }
}

fn too_large(path: String, size: u64) -> LoadFailure {
    LoadFailure::single(None, LoadError::TooLarge { path, size, limit: MAX_FILE_BYTES })
}

/// Loads a proposal from text; `name` is shown in diagnostics. YAML and JSON
/// are both accepted.
///
/// ```
/// let text = "
/// name: hello
/// pattern: lambda_api_gateway
/// environment: staging
/// workload: { requests_per_month: 1000000, avg_duration: 80ms, max_request_duration: 2s, peak_rps: 5 }
/// gateway: { api: http }
/// function: { runtime: python3.13, memory: 512MiB, timeout: 10s }
/// ";
/// let proposal = archpolicy::load::load_str("hello.arch.yaml", text).unwrap();
/// assert_eq!(proposal.model.name, "hello");
///
/// let failure = archpolicy::load::load_str("bad.arch.yaml", "name: x\npattern: lambda\n").unwrap_err();
/// assert!(failure.errors.iter().any(|e| e.to_string().contains("unknown pattern `lambda`")));
/// ```
pub fn load_str(name: &str, text: &str) -> Result<Proposal, LoadFailure> {
    let source = SourceFile::new(name, text);
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(name.to_string(), text.len() as u64));
    }
    let root = match crate::yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return Err(LoadFailure::single(Some(source), LoadError::Empty)),
        Err(error) => return Err(LoadFailure::single(Some(source), error.into())),
    };
    match load_model(&root) {
        Ok((model, origins)) => Ok(Proposal { model, origins, source }),
        Err(errors) => Err(LoadFailure::new(Some(source), errors)),
    }
}
