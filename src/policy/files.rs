//! Finding and reading policy files: the embedded standard pack, and
//! `*.policy` files under the paths a run names.

use std::path::{Path, PathBuf};

use super::err::{ParseError, PolicyError};
use super::grammar::MAX_FILE_BYTES;
use crate::source::SourceFile;

/// The standard pack: the guide's advice as policies, embedded in the binary.
pub const STANDARD_PACK: &[(&str, &str)] = &[
    ("policies/request-path.policy", include_str!("../../policies/request-path.policy")),
    ("policies/security.policy", include_str!("../../policies/security.policy")),
    ("policies/operations.policy", include_str!("../../policies/operations.policy")),
];

/// The standard pack as source files.
pub(super) fn standard_sources() -> Vec<SourceFile> {
    STANDARD_PACK.iter().map(|(name, text)| SourceFile::new(*name, *text)).collect()
}

/// Directories deeper than this are not searched: a symlink loop ends here.
const MAX_WALK_DEPTH: usize = 32;

/// The policy files named by `paths`: files as given, directories walked for `*.policy`, sorted.
pub fn policy_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, PolicyError> {
    let mut files = Vec::new();
    for path in paths {
        collect_policy_files(path, &mut files, 0)?;
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// The text of every policy file under `paths`; a path that holds none is an error.
pub(super) fn read_sources(paths: &[PathBuf]) -> Result<Vec<SourceFile>, PolicyError> {
    let mut files = Vec::new();
    for path in paths {
        let before = files.len();
        collect_policy_files(path, &mut files, 0)?;
        if files.len() == before {
            return Err(PolicyError::NoPolicies { path: path.display().to_string() });
        }
    }
    files.sort();
    files.dedup();
    files.iter().map(|file| read_policy_file(file)).collect()
}

fn collect_policy_files(path: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), PolicyError> {
    let io =
        |e: std::io::Error| PolicyError::Io { path: path.display().to_string(), reason: e.to_string().to_lowercase() };
    let metadata = std::fs::metadata(path).map_err(io)?;
    if !metadata.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    if depth > MAX_WALK_DEPTH {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(path).map_err(io)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for entry in entries {
        let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if entry.is_dir() {
            collect_policy_files(&entry, out, depth + 1)?;
        } else if name.ends_with(".policy") {
            out.push(entry);
        }
    }
    Ok(())
}

fn read_policy_file(path: &Path) -> Result<SourceFile, PolicyError> {
    use std::io::Read;
    let name = path.display().to_string();
    let io = |e: std::io::Error| PolicyError::Io { path: name.clone(), reason: e.to_string().to_lowercase() };
    let file = std::fs::File::open(path).map_err(io)?;
    let limit = MAX_FILE_BYTES as u64;
    let mut bytes = Vec::new();
    // One byte past the limit tells a file at the limit from a larger one without reading it all.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(bytes.len() as u64);
        return Err(PolicyError::Parse(ParseError::TooLarge { size, limit }));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| PolicyError::Io { path: name.clone(), reason: "not UTF-8 text".into() })?;
    Ok(SourceFile::new(name, text))
}
